import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useTempDir } from '../support/temp-dir.ts';
import { openDemoPage, screenshot } from './viewer/demo-page.ts';

// The viewer's timeline and time travel in headless Chromium, against a real `atom-sync demo`
// (reference marketplace, agent, shell): real transitions of every actor, a real socket reopened.

const chart = (page: Page, actor: string) => page.locator(`.chart-card[data-actor="${actor}"]`);
const box = (page: Page, actor: string, state: string) => chart(page, actor).locator(`[data-state="${state}"]`);
const active = (page: Page, actor: string, state: string) => box(page, actor, state).and(page.locator('.active'));
const inactive = (page: Page, actor: string, state: string) => box(page, actor, state).and(page.locator(':not(.active)'));
const rows = (page: Page, actor: string, event: string) => page.locator(`#timeline-rows .tl-row[data-actor="${actor}"][data-event="${event}"]`);
const count = (page: Page, selector: string) => () => page.locator(selector).count();
/** A datetime-local input's value for epoch ms (local time, to the second). */
const localInput = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);

/** The epoch ms a context field of the panel holds, with what the page shows for it. */
const contextTime = (page: Page, field: string) => page.locator('#panel-context dt').filter({ hasText: new RegExp(`^${field}$`) })
  .evaluate((dt) => {
    const time = dt.nextElementSibling?.querySelector('time');
    return { epoch: Number(time?.getAttribute('data-epoch')), text: time?.textContent ?? '', title: time?.getAttribute('title') ?? '' };
  });

describe('the viewer\'s timeline and time travel, against a running `atom-sync demo`', () => {
  const tempDir = useTempDir('atom-viewer-timeline-');
  const stop: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of stop.splice(0).reverse()) await step();
  });

  it('shows every actor\'s transitions side by side, shows a past moment read-only, and comes back to live', { timeout: 240_000 }, async () => {
    const started = Date.now();
    const { page, problems, writes, admin } = await openDemoPage(tempDir(), (step) => stop.push(step));

    // The demo's start: every actor's first transition, the initial full sync and the socket open,
    // and the catch-up the open asked for, with its hint and an arrow from the open.
    for (const actor of ['agent', 'conflicts', 'syncCycle', 'ratingSync', 'connection']) await rows(page, actor, 'xstate.init').waitFor();
    await rows(page, 'agent', 'xstate.done.actor.boot').waitFor();
    await rows(page, 'syncCycle', 'sync.trigger').first().waitFor();
    await rows(page, 'connection', 'socket.opened').first().waitFor();
    await page.locator('.tl-row[data-event="sync.catchUp"] .tl-cause-socket-opened').first().waitFor();
    await page.locator('#timeline-arrows path.tl-arrow').first().waitFor({ state: 'attached' });

    // A reconnect from the connection's panel (live: it is sent), and the catch-up after the reopen.
    await chart(page, 'connection').locator('.select').click();
    await page.locator('#panel-title', { hasText: 'connection (connection)' }).waitFor();
    await page.click('#panel-events button[data-event="connection.reconnect"]');
    await rows(page, 'connection', 'connection.reconnect').waitFor();
    // (At least: a socket may also reopen on its own on a loaded machine.)
    await expect.poll(count(page, '.tl-row[data-actor="connection"][data-event="socket.opened"]'), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(count(page, '.tl-row[data-event="sync.catchUp"] .tl-cause-socket-opened'), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(count(page, '#timeline-arrows path.tl-arrow'), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await active(page, 'connection', 'link.open').waitFor();
    expect(writes).toEqual(['POST /api/admin/actors/connection/events']);
    console.log(`timeline screenshot: ${await screenshot(page, 'timeline.png', { selector: '#timeline' })}`);

    // Context times read as local date-times, the raw value in the title.
    await page.locator('#panel-context dt', { hasText: 'connectedAt' }).waitFor();
    const live = await contextTime(page, 'connectedAt');
    expect(live.text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \((?:now|\d+ (?:s|min) ago)\)$/);
    expect(live.title).toBe(`${live.epoch} (epoch ms) · ${new Date(live.epoch).toISOString()}`);

    // Time travel to the reconnect: the connection as it was then, its context then, no button.
    const sentBefore = writes.length;
    await rows(page, 'connection', 'connection.reconnect').first().locator('.tl-step').click();
    await page.locator('#travel').waitFor();
    await active(page, 'connection', 'link.connecting').waitFor();
    await inactive(page, 'connection', 'link.open').waitFor();
    await page.locator('#panel-state', { hasText: /^link\.connecting · as at \d\d:\d\d:\d\d\.\d{3}$/ }).waitFor();
    expect(await page.locator('#panel-events button').count()).toBe(0);
    const then = await contextTime(page, 'connectedAt');
    expect(then.epoch).toBeLessThan(live.epoch); // the first socket's open, not the reopen's

    // Further back, to the agent's boot: the agent, the sync cycle and the connection as they were.
    await rows(page, 'agent', 'xstate.done.actor.boot').locator('.tl-step').click();
    await active(page, 'agent', 'initialSync').waitFor();
    await inactive(page, 'agent', 'running').waitFor();
    await inactive(page, 'connection', 'link.open').waitFor();
    await page.locator('.tl-row.selected[data-actor="agent"][data-event="xstate.done.actor.boot"]').waitFor();
    await chart(page, 'syncCycle').locator('.select').click();
    await page.locator('#panel-title', { hasText: 'syncCycle (syncCycle)' }).waitFor();
    await page.locator('#panel-state', { hasText: ' · as at ' }).waitFor();
    expect(await page.locator('#panel-events button').count()).toBe(0);
    // Arrow keys move through the moments, still in the past.
    await page.locator('.tl-row.selected .tl-step').focus();
    await page.keyboard.press('ArrowDown');
    await page.locator('.tl-row.selected[data-event="xstate.done.actor.boot"]').waitFor({ state: 'detached' });
    await page.keyboard.press('ArrowUp');
    await page.locator('.tl-row.selected[data-event="xstate.done.actor.boot"]').waitFor();

    // The agent moves on meanwhile: the timeline grows, the charts stay where they were.
    const opens = await count(page, '.tl-row[data-actor="connection"][data-event="socket.opened"]')();
    await admin('/actors/connection/events', { method: 'POST', body: { type: 'connection.reconnect' } });
    await expect.poll(count(page, '.tl-row[data-actor="connection"][data-event="socket.opened"]'), { timeout: 20_000 }).toBeGreaterThan(opens);
    await active(page, 'agent', 'initialSync').waitFor();
    expect(await page.locator('#travel').isVisible()).toBe(true);
    console.log(`time-travel screenshots: ${await screenshot(page, 'timeline-past.png')}, ${await screenshot(page, 'timeline-travel.png', { fullPage: false })}`);
    expect(writes.length).toBe(sentBefore); // nothing left the page while it showed the past

    // Back to live: every chart as it is now, the buttons back.
    await page.click('#back-to-live');
    await page.locator('#travel').waitFor({ state: 'hidden' });
    await active(page, 'agent', 'running').waitFor();
    await active(page, 'connection', 'link.open').waitFor();
    await page.locator('#panel-state', { hasText: /^idle · active$/ }).waitFor();
    await page.locator('#panel-events button[data-event="sync.trigger"]').waitFor();

    // Filters: lanes, event type, time range.
    await page.locator('#timeline-actors label', { hasText: 'conflicts' }).locator('input').uncheck();
    await page.locator('#timeline-actors label', { hasText: 'ratingSync' }).locator('input').uncheck();
    await expect.poll(() => page.locator('#timeline-lanes .tl-lane').allTextContents()).toEqual(['agent', 'syncCycle', 'connection']);
    expect(await page.locator('.tl-row[data-actor="conflicts"], .tl-row[data-actor="ratingSync"]').count()).toBe(0);
    await page.selectOption('#timeline-type', 'sync.catchUp');
    const eventsShown = () => page.locator('#timeline-rows .tl-row').evaluateAll((all) => [...new Set(all.map((r) => r.getAttribute('data-event')))]);
    await expect.poll(eventsShown).toEqual(['sync.catchUp']);
    const catchUps = await count(page, '#timeline-rows .tl-row')();
    expect(catchUps).toBeGreaterThanOrEqual(3); // one after each of the three opens
    await page.fill('#timeline-from', '2099-01-01T00:00:00');
    await page.fill('#timeline-to', '2098-01-01T00:00:00');
    await page.click('#timeline-range button[type="submit"]');
    await page.locator('#timeline-summary', { hasText: '"From" must not be after "To"' }).waitFor();
    await page.fill('#timeline-to', '');
    await page.click('#timeline-range button[type="submit"]');
    await page.locator('#timeline-summary', { hasText: /^0 transitions · / }).waitFor();
    // Back to a range that holds the reconnects: loaded anew from the agent's trace route.
    await page.fill('#timeline-from', localInput(started - 60_000));
    await page.click('#timeline-range button[type="submit"]');
    await expect.poll(count(page, '#timeline-rows .tl-row'), { timeout: 20_000 }).toBe(catchUps);
    expect(await eventsShown()).toEqual(['sync.catchUp']);

    expect(problems).toEqual([]);
    console.log(`viewer timeline e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
