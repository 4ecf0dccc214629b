import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { spawnCli } from '../../support/cli.ts';
import { eventually } from '../../support/eventually.ts';

// A real `atom-sync demo` (reference marketplace + agent + shell) as a child process on free ports,
// and a headless Chromium (Debian's package: npm cannot download browsers here) signed in to its
// viewer page. For the viewer's system tests.

export const CHROMIUM = '/usr/bin/chromium';
export const ADMIN_TOKEN = 'viewer-e2e-admin-token-0123456789';
const TOKENS = {
  ATOM_ADMIN_TOKEN: ADMIN_TOKEN,
  ATOM_SAAS_API_TOKEN: 'viewer-e2e-instance-token-0123456789',
  ATOM_PLATFORM_ADMIN_TOKEN: 'viewer-e2e-platform-admin-0123456789',
};

/** Where screenshots go (kept as test artifacts: test-artifacts/, ignored by git, unless ATOM_ARTIFACTS_DIR says). */
export const ARTIFACTS = process.env.ATOM_ARTIFACTS_DIR
  ? pathToFileURL(`${process.env.ATOM_ARTIFACTS_DIR.replace(/\/$/, '')}/`)
  : new URL('../../../test-artifacts/', import.meta.url);

/** A port nothing listens on right now (the demo's platform port cannot be 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

export interface DemoPage {
  page: Page;
  /** The agent shell's base URL (`http://127.0.0.1:<port>`). */
  shellUrl: string;
  /** Console errors and warnings, failed loads and script errors seen on the page. */
  problems: string[];
  /** Every request the page made that was not a GET, as `METHOD path`. */
  writes: string[];
  /** Calls the admin API from the test (not from the page). */
  admin(path: string, init?: { method?: string; body?: unknown }): Promise<unknown>;
}

/** A running `atom-sync demo`: its viewer URL and shell URL, and what it printed so far. */
export interface Demo {
  viewerUrl: string;
  shellUrl: string;
  output(): string;
}

/** Starts the demo in `dir` on free ports; `onStop` collects the clean-up steps (run them in reverse order). */
export async function startDemo(dir: string, onStop: (step: () => Promise<unknown>) => void): Promise<Demo> {
  const demo = spawnCli(['demo', '--platform-port', String(await freePort())], { cwd: dir, env: { ...TOKENS, ATOM_HTTP_PORT: '0' } });
  let exited = false;
  void demo.exited.then(() => (exited = true));
  onStop(async () => {
    if (exited) return;
    demo.child.kill('SIGINT'); // the demo closes its shell, agent and platform
    const timer = setTimeout(() => demo.child.kill('SIGKILL'), 10_000);
    await demo.exited;
    clearTimeout(timer);
  });
  let output = '';
  demo.child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  const viewerUrl = await eventually(() => {
    if (exited) throw new Error(`atom-sync demo exited early:\n${output}`);
    return /viewer page\s+(http:\/\/127\.0\.0\.1:\d+\/admin)\b/.exec(output)?.[1];
  }, 90_000, 'the demo to print its viewer URL');
  // The lines after the URL may come in a later chunk of the child's output.
  await eventually(() => output.includes('tokens: taken from the environment'), 10_000, 'the demo to say the tokens came from the environment');
  return { viewerUrl, shellUrl: viewerUrl.replace(/\/admin$/, ''), output: () => output };
}

/** A page of a headless Chromium, with what it reports collected. */
export interface BrowserPage {
  page: Page;
  /** Console errors and warnings, failed loads and script errors seen on the page. */
  problems: string[];
  /** Every request the page made that was not a GET, as `METHOD path`. */
  writes: string[];
}

export async function openBrowserPage(onStop: (step: () => Promise<unknown>) => void): Promise<BrowserPage> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  onStop(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1600, height: 1400 } });
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  const writes: string[] = [];
  // A CSP violation, a failed request or a script error shows up here.
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('request', (request) => {
    if (request.method() !== 'GET') writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  return { page, problems, writes };
}

/** Starts the demo in `dir`, opens its viewer page and signs in. */
export async function openDemoPage(dir: string, onStop: (step: () => Promise<unknown>) => void): Promise<DemoPage> {
  const { viewerUrl, shellUrl } = await startDemo(dir, onStop);
  const { page, problems, writes } = await openBrowserPage(onStop);

  await page.goto(viewerUrl);
  await page.fill('#token', ADMIN_TOKEN);
  await page.click('#login button[type="submit"]');
  await page.locator('#live[data-status="live"]').waitFor();

  const admin = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${shellUrl}/api/admin${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return { page, shellUrl, problems, writes, admin };
}

/** Saves a screenshot (the whole page, the viewport or one element) under test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string, options: { selector?: string; fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = fileURLToPath(new URL(name, ARTIFACTS));
  if (options.selector) await page.locator(options.selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}
