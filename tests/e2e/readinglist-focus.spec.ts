/**
 * Removing one row from the reading list with its ★ button: focus moves to the row that takes its
 * place, and the removed paper leaves the selection.
 */
import type { Page } from '@playwright/test';
import { expect, hosts, test, toggleFor } from './fixtures';

const DAILY = 'https://huggingface.co/papers';
const DAILY_FILE = 'pages/huggingface/daily-papers-2026-07.html';

const row = (popup: Page, id: string) =>
  popup.locator(`[data-list="saved"] [data-paper-id="${id}"]`);

test('removing a row with its ★ button keeps focus in the list and drops it from the selection', async ({
  context,
  serve,
  openPopup,
}) => {
  await serve(DAILY, DAILY_FILE);
  const page = await context.newPage();
  await page.goto(DAILY);
  await expect(hosts(page)).toHaveCount(31);
  const ids = await hosts(page).evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-paper-id')!),
  );
  for (const id of ids.slice(0, 3)) {
    await toggleFor(page, id).click();
    await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'true');
  }
  const popup = await openPopup();
  const rows = popup.locator('[data-list="saved"] [data-paper-id]');
  await expect(rows).toHaveCount(3);
  await expect(popup.locator('.rl-row[aria-current="true"]')).toHaveCount(1);
  const active = popup.locator('.rl-row[aria-current="true"]');
  const first = (await active.getAttribute('data-paper-id'))!;

  // Keyboard: select the active row (x), Tab to its ★ (remove) button, press Enter.
  await active.focus();
  await popup.keyboard.press('x');
  await expect(popup.locator('[data-selected]')).toHaveText('1 selected');
  const unsave = row(popup, first).locator('[data-action="unsave"]');
  await unsave.focus();
  await popup.keyboard.press('Enter');
  await expect(rows).toHaveCount(2);

  // Focus stays in the list (on the row that took its place), not on the page's body…
  await expect
    .soft(popup.locator('[data-list="saved"] .rl-row[aria-current="true"]'))
    .toBeFocused();
  // …and the removed paper is no longer counted as selected (the bulk bar goes with it).
  await expect.soft(popup.locator('[data-selected]')).toHaveCount(0);
});
