// Takes the README's screenshots with the built extension in Chromium: a real saved Hugging Face
// page (its own stylesheets are not part of the saved copy, so the page itself looks plain) and the
// popup in light and dark mode. Run after `npm run build`: `node scripts/screenshots.mjs`.
import { chromium } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ext = resolve('.output/chrome-mv3');
const dir = mkdtempSync(join(tmpdir(), 'paper-scout-shots-'));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1100, height: 760 },
  args: [
    `--disable-extensions-except=${ext}`,
    `--load-extension=${ext}`,
    '--no-sandbox',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost',
  ],
});
try {
  const pages = {
    'https://arxiv.org/list/cond-mat.mtrl-sci/new': 'arxiv/list-cond-mat.mtrl-sci-new-2026-09.html',
    'https://huggingface.co/papers': 'huggingface/daily-papers-2026-07.html',
  };
  await context.route(/^https?:\/\//, (route) => {
    const file = pages[route.request().url()];
    return file
      ? route.fulfill({
          contentType: 'text/html; charset=utf-8',
          body: readFileSync(resolve('tests/fixtures/pages', file)),
        })
      : route.abort();
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker');
  const id = new URL(worker.url()).host;

  const page = await context.newPage();
  await page.goto('https://arxiv.org/list/cond-mat.mtrl-sci/new');
  const toggles = page.locator('paper-scout-card button[data-action="save"]');
  await toggles.nth(1).click();
  await toggles.nth(3).click();
  await page.reload();
  await page
    .locator('paper-scout-card [aria-busy="true"]')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => {});
  await page.waitForTimeout(300);
  await page.locator('dl').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'assets/screenshots/arxiv-new.png' });

  const hf = await context.newPage();
  await hf.goto('https://huggingface.co/papers');
  await hf.locator('paper-scout-card button[data-action="save"]').nth(0).click();
  await hf.locator('paper-scout-card button[data-action="save"]').nth(2).click();
  await hf.waitForTimeout(300);
  await hf.locator('article').first().scrollIntoViewIfNeeded();
  await hf.screenshot({ path: 'assets/screenshots/huggingface-daily.png' });

  for (const scheme of ['light', 'dark']) {
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 480, height: 440 });
    await popup.emulateMedia({ colorScheme: scheme });
    await popup.goto(`chrome-extension://${id}/popup.html`);
    await popup.locator('[data-list="saved"] li').first().waitFor();
    await popup.screenshot({ path: `assets/screenshots/popup-${scheme}.png` });
  }
  console.log('screenshots written to assets/screenshots/');
} finally {
  await context.close();
  rmSync(dir, { recursive: true, force: true });
}
