/**
 * Playwright fixtures: a persistent Chromium context with the built extension loaded, the
 * extension id, and `serve(url, file)` to answer a real URL with a saved page. Nothing reaches the
 * network: DNS resolves nothing (host-resolver-rules) and unrouted requests are aborted.
 */
import { test as base, chromium, expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The built Chrome extension. `PAPER_SCOUT_EXT_DIR` points elsewhere when several builds share a
 * checkout (see wxt.config.ts `outDir`).
 */
export const EXTENSION_DIR = resolve(process.env.PAPER_SCOUT_EXT_DIR ?? '.output/chrome-mv3');
/** Real saved pages (copied verbatim from ../shared). */
export const PAGES = resolve('tests/fixtures/pages');

interface Fixtures {
  context: BrowserContext;
  extensionId: string;
  /** Serve `file` (path under tests/fixtures, or HTML text with `html:`) whenever `url` is requested. */
  serve: (url: string, file: string) => Promise<void>;
  /** Opens the popup in a tab. */
  openPopup: () => Promise<Page>;
}

/** Launches Chromium with the extension, as a user would have it. */
export async function launchWithExtension(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Waits for the extension's service worker and returns the extension id (its URL's host). */
export async function extensionIdOf(context: BrowserContext): Promise<string> {
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker');
  return new URL(worker.url()).host;
}

/** Routes requests: mapped URLs get their saved page, everything else off-machine is aborted. */
export async function installRoutes(
  context: BrowserContext,
  routes: Map<string, string>,
): Promise<void> {
  // Only web requests: the extension's own chrome-extension:// pages must load untouched.
  await context.route(/^https?:\/\//, async (route) => {
    const url = route.request().url();
    const key = url.split('#')[0] ?? url;
    const file = routes.get(key);
    if (file !== undefined) {
      const body = file.startsWith('html:')
        ? file.slice(5)
        : readFileSync(join(resolve('tests/fixtures'), file));
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
    }
    return route.abort('blockedbyclient');
  });
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  context: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'paper-scout-e2e-'));
    const context = await launchWithExtension(dir);
    await use(context);
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  },
  extensionId: async ({ context }, use) => {
    await use(await extensionIdOf(context));
  },
  serve: async ({ context }, use) => {
    const routes = new Map<string, string>();
    await installRoutes(context, routes);
    await use(async (url, file) => {
      routes.set(url, file);
    });
  },
  openPopup: async ({ context, extensionId }, use) => {
    await use(async () => {
      const page = await context.newPage();
      const openedAt = Date.now();
      await page.goto(`chrome-extension://${extensionId}/popup.html`);
      // Opening the popup marks the highlights read: a settings write made a moment after the
      // first rows (components/Popup.tsx). Wait for it, so a test that snapshots the database
      // through this page does not see that write land in the middle of what it checks.
      await expect
        .poll(() => page.evaluate(readHighlightsReadAt), { timeout: 10_000 })
        .toBeGreaterThanOrEqual(openedAt);
      return page;
    });
  },
});

export { expect } from '@playwright/test';

/** The popup's last opening as stored (runs in an extension page); 0 before the first. */
async function readHighlightsReadAt(): Promise<number> {
  // Opening a database that does not exist yet would create it before the extension does.
  if (!(await indexedDB.databases()).some((d) => d.name === 'paper-scout')) return 0;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open('paper-scout');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  try {
    if (!db.objectStoreNames.contains('settings')) return 0;
    const row = await new Promise<{ value?: unknown } | undefined>((resolve, reject) => {
      const q = db.transaction('settings').objectStore('settings').get('highlightsReadAt');
      q.onsuccess = () => resolve(q.result as { value?: unknown } | undefined);
      q.onerror = () => reject(q.error);
    });
    return typeof row?.value === 'number' ? row.value : 0;
  } finally {
    db.close();
  }
}

/** The UI hosts Paper Scout mounted on a page. */
export const hosts = (page: Page) => page.locator('paper-scout-card[data-paper-id]');

/** Waits until every one of `count` cards has its toggle and its state from the background. */
export async function settled(page: Page, count: number): Promise<void> {
  await expect(hosts(page)).toHaveCount(count);
  await expect(page.locator('paper-scout-card button[data-action="save"]')).toHaveCount(count);
  await expect(
    page.locator('paper-scout-card button[data-action="save"][aria-busy="true"]'),
  ).toHaveCount(0);
}

/** The save toggle of the card whose host has `id` (Playwright pierces open shadow roots). */
export const toggleFor = (page: Page, id: string) =>
  page.locator(`paper-scout-card[data-paper-id="${id}"] button[data-action="save"]`);
