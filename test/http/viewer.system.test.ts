import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useTempDir } from '../support/temp-dir.ts';
import { ADMIN_TOKEN, openBrowserPage, screenshot, startDemo } from './viewer/demo-page.ts';

// Needs Debian's chromium package (npm cannot download browsers here); `npm run test:system` runs
// it, CI installs it. The real `atom-sync demo` runs as a child process on free ports, and a
// headless Chromium drives the viewer page the way an operator would.

const WAIT = { timeout: 20_000 };

const chart = (page: Page, actor: string) => page.locator(`.chart-card[data-actor="${actor}"]`);
const box = (page: Page, actor: string, state: string) => chart(page, actor).locator(`[data-state="${state}"]`);

/** The event buttons the panel shows, in order. */
const buttons = (page: Page) => page.locator('#panel-events button').evaluateAll((all) => all.map((b) => b.getAttribute('data-event')));

/** The panel's transition lines, newest first. */
const lines = (page: Page) => page.locator('#panel-transitions li').evaluateAll((items) => items.map((li) => ({
  id: Number(li.getAttribute('data-id')),
  event: li.getAttribute('data-event'),
  move: li.querySelector('.move')?.textContent ?? null,
})));

/** Journal id of the newest line in the panel (0 when empty). */
const newestLine = async (page: Page) => (await lines(page))[0]?.id ?? 0;

/** Waits for a panel line newer than `after` with this event and `from → to`. */
async function lineAppears(page: Page, after: number, event: string, move: string): Promise<void> {
  await expect.poll(async () => (await lines(page)).some((l) => l.id > after && l.event === event && l.move === move), WAIT).toBe(true);
}

/** The token as the page keeps it (a string expression: this file is not compiled with the DOM types). */
const storedToken = (page: Page) => page.evaluate<string | null>("sessionStorage.getItem('atom-sync.adminToken')");

describe('the viewer page in a browser, against a running `atom-sync demo`', () => {
  const tempDir = useTempDir('atom-viewer-e2e-');
  let stop: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of stop.splice(0).reverse()) await step();
  });

  it('highlights link.open on the connection chart, reconnects from its panel and follows the transitions live', async () => {
    const started = Date.now();
    const onStop = (step: () => Promise<unknown>) => void stop.push(step);
    const { viewerUrl } = await startDemo(tempDir(), onStop);
    const { page, problems } = await openBrowserPage(onStop);

    await page.goto(viewerUrl);
    await page.locator('#login').waitFor();
    // A wrong token is refused on the form and not kept.
    await page.fill('#token', 'not-the-admin-token-0123456789');
    await page.click('#login button[type="submit"]');
    await page.locator('#login-error', { hasText: 'The agent refused this token.' }).waitFor(WAIT);
    expect(await storedToken(page)).toBeNull();
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login button[type="submit"]');

    // Every actor's chart, drawn, with the connection's socket open: the leaf filled, `link` outlined.
    await box(page, 'connection', 'link.open').and(page.locator('.active')).waitFor(WAIT);
    await box(page, 'connection', 'link').and(page.locator('.active')).waitFor(WAIT);
    expect(await chart(page, 'connection').locator('g.node.active').count()).toBe(1);
    expect(await page.locator('.chart-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-actor')))).toEqual(
      ['agent', 'conflicts', 'syncCycle', 'ratingSync', 'connection']);
    await box(page, 'agent', 'running').and(page.locator('.active')).waitFor(WAIT);
    await page.locator('#live[data-status="live"]').waitFor(WAIT);

    // The token: kept in sessionStorage, never in the page.
    expect(await storedToken(page)).toBe(ADMIN_TOKEN);
    expect(await page.inputValue('#token')).toBe('');
    expect(await page.content()).not.toContain(ADMIN_TOKEN);
    expect(page.url()).not.toContain(ADMIN_TOKEN);

    // The connection's panel: a button for exactly the events it accepts now.
    await chart(page, 'connection').locator('.select').click();
    await page.locator('#panel-title', { hasText: 'connection (connection)' }).waitFor(WAIT);
    await page.locator('#panel-events button').first().waitFor(WAIT);
    expect(await buttons(page)).toEqual(['connection.disable', 'connection.reconnect']);
    expect(await page.textContent('#panel-context')).toContain('reconnectAttempts');

    // Reconnect from `open`: a fresh socket, and the panel shows the new transitions as they stream in.
    let newest = await newestLine(page);
    expect(newest).toBeGreaterThan(0);
    await page.click('#panel-events button[data-event="connection.reconnect"]');
    await lineAppears(page, newest, 'connection.reconnect', 'link.open → link.connecting');
    await lineAppears(page, newest, 'socket.opened', 'link.connecting → link.open');
    await box(page, 'connection', 'link.open').and(page.locator('.active')).waitFor(WAIT);

    // Disable: the highlight moves to `disabled` and the buttons follow the chart.
    newest = await newestLine(page);
    await page.click('#panel-events button[data-event="connection.disable"]');
    await box(page, 'connection', 'disabled').and(page.locator('.active')).waitFor(WAIT);
    await box(page, 'connection', 'link.open').and(page.locator(':not(.active)')).waitFor(WAIT);
    await lineAppears(page, newest, 'connection.disable', 'link.open → disabled');
    await page.locator('#panel-events button[data-event="connection.enable"]').waitFor(WAIT);
    expect(await buttons(page)).toEqual(['connection.disable', 'connection.enable', 'connection.reconnect']);

    // Reconnect from `disabled`: the highlight moves back to link.open, with a new line in the panel.
    newest = await newestLine(page);
    await page.click('#panel-events button[data-event="connection.reconnect"]');
    await lineAppears(page, newest, 'connection.reconnect', 'disabled → link.connecting');
    await box(page, 'connection', 'link.open').and(page.locator('.active')).waitFor(WAIT);
    await box(page, 'connection', 'disabled').and(page.locator(':not(.active)')).waitFor(WAIT);
    await lineAppears(page, newest, 'socket.opened', 'link.connecting → link.open');
    await page.locator('#panel-events button[data-event="connection.enable"]').waitFor({ state: 'detached', ...WAIT });

    console.log(`viewer screenshot: ${await screenshot(page, 'viewer.png')}`);

    // A reload keeps the session (sessionStorage), with no form shown.
    await page.reload();
    await box(page, 'connection', 'link.open').and(page.locator('.active')).waitFor(WAIT);
    expect(await page.locator('#login').isHidden()).toBe(true);

    // An event with a payload: its button opens a form built from the fields the agent describes.
    await chart(page, 'conflicts').locator('.select').click();
    await page.locator('#panel-title', { hasText: 'conflicts (conflicts)' }).waitFor(WAIT);
    await page.click('#panel-events button[data-event="conflict.resolveAll"]');
    const form = page.locator('form.event-form[data-event="conflict.resolveAll"]');
    await form.waitFor(WAIT);
    expect(await form.locator('select[name="strategy"] option').evaluateAll((o) => o.map((x) => x.getAttribute("value")))).toEqual(['remote_wins', 'local_wins', 'merge']);
    await form.locator('select[name="strategy"]').selectOption('merge');
    await form.locator('select[name="conflictType"]').selectOption('version');
    await form.locator('button[type="submit"]').click();
    await page.locator('#panel-result', { hasText: 'conflict.resolveAll accepted' }).waitFor(WAIT);

    expect(await page.content()).not.toContain(ADMIN_TOKEN);
    // Chrome logs the refused wrong-token request; nothing else may show up.
    expect(problems).toEqual(['error: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    console.log(`viewer e2e: ${((Date.now() - started) / 1000).toFixed(1)} s (demo start, browser, four operator events)`);
  });
});
