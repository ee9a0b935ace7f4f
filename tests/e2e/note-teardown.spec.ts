/**
 * A note typed a moment before its document goes away (the popup closed, the card's page
 * navigated elsewhere) is saved: the debounce's timer and Preact's effect cleanups never run in
 * a torn-down document.
 */
import type { Page } from '@playwright/test';
import { ask } from '../fixtures/hostile/extension';
import { expect, hosts, test, toggleFor } from './fixtures';

const DAILY = 'https://huggingface.co/papers';
const DAILY_FILE = 'pages/huggingface/daily-papers-2026-07.html';

async function noteOf(ext: Page, id: string): Promise<string | undefined> {
  const r = (await ask(ext, { type: 'paper/get', id })) as unknown as {
    value: { paper: { note: string } | null };
  };
  return r.value.paper?.note;
}

test('note typed in the popup just before it closes is saved', async ({
  context,
  serve,
  openPopup,
}) => {
  await serve(DAILY, DAILY_FILE);
  const page = await context.newPage();
  await page.goto(DAILY);
  await expect(hosts(page)).toHaveCount(31);
  const id = (await hosts(page).first().getAttribute('data-paper-id'))!;
  await toggleFor(page, id).click();
  await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'true');

  const popup = await openPopup();
  await popup.locator(`[data-list="saved"] [data-paper-id="${id}"]`).waitFor();
  await expect(popup.locator('.rl-row[aria-current="true"]')).toHaveCount(1);
  await popup.locator('.rl-row[aria-current="true"]').focus();
  await popup.keyboard.press('e');
  const editor = popup.locator('.rl-editor textarea');
  await expect(editor).toBeFocused();
  await popup.keyboard.type('last words');
  await popup.close(); // within the 400 ms debounce

  const ext = await openPopup();
  await expect.poll(() => noteOf(ext, id), { timeout: 3_000 }).toBe('last words');
});

test('note typed on a card just before its page navigates away is saved', async ({
  context,
  serve,
  openPopup,
}) => {
  await serve(DAILY, DAILY_FILE);
  await serve('https://huggingface.co/elsewhere', 'html:<p>elsewhere</p>');
  const page = await context.newPage();
  await page.goto(DAILY);
  await expect(hosts(page)).toHaveCount(31);
  const id = (await hosts(page).first().getAttribute('data-paper-id'))!;
  await expect(toggleFor(page, id)).toHaveAttribute('aria-busy', 'false');
  await page.locator(`paper-scout-card[data-paper-id="${id}"] button[data-action="note"]`).click();
  const ta = page.locator(`paper-scout-card[data-paper-id="${id}"] textarea`);
  await expect(ta).toBeFocused();
  await page.keyboard.type('read this');
  await page.goto('https://huggingface.co/elsewhere'); // within the debounce

  const ext = await openPopup();
  await expect.poll(() => noteOf(ext, id), { timeout: 3_000 }).toBe('read this');
});
