/**
 * The reading list end to end, in Chromium with the built extension on a real saved Hugging Face
 * page: a note and tags added from a card (keyboard only) show in an open popup; the filter menus
 * narrow the list; search finds a word of a note and marks it; bulk state change and removal,
 * each undone; fabricated events do nothing to the note panel; a row's buttons are not cut off.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { ask } from '../fixtures/hostile/extension';
import { expect, hosts, test, toggleFor } from './fixtures';

const DAILY = 'https://huggingface.co/papers';
const DAILY_FILE = 'pages/huggingface/daily-papers-2026-07.html';

const noteButton = (page: Page, id: string) =>
  page.locator(`paper-scout-card[data-paper-id="${id}"] button[data-action="note"]`);
const panel = (page: Page, id: string) =>
  page.locator(`paper-scout-card[data-paper-id="${id}"] [data-panel="note"]`);
const row = (popup: Page, id: string) =>
  popup.locator(`[data-list="saved"] [data-paper-id="${id}"]`);

/** Serves the daily page and opens it in a new tab, once its cards have their states. */
async function openDaily(
  context: BrowserContext,
  serve: (url: string, file: string) => Promise<void>,
): Promise<{ page: Page; ids: string[] }> {
  await serve(DAILY, DAILY_FILE);
  const page = await context.newPage();
  await page.goto(DAILY);
  await expect(hosts(page)).toHaveCount(31);
  const ids = await hosts(page).evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-paper-id')!),
  );
  await expect(toggleFor(page, ids[0]!)).toHaveAttribute('aria-busy', 'false');
  return { page, ids };
}

async function saveFirst(page: Page, ids: string[], n: number): Promise<void> {
  for (const id of ids.slice(0, n)) {
    await toggleFor(page, id).click();
    await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'true');
  }
}

test('a note and tags added from a card show in the open popup', async ({
  context,
  serve,
  openPopup,
}) => {
  const { page, ids } = await openDaily(context, serve);
  const [a, b] = ids as [string, string];
  await toggleFor(page, b).click();
  await expect(toggleFor(page, b)).toHaveAttribute('aria-pressed', 'true');
  const popup = await openPopup();
  await expect(row(popup, b)).toBeVisible();

  // Keyboard only: focus the Note button, open, type, tab to tags, add two, pick a state.
  await page.bringToFront();
  await noteButton(page, a).focus();
  await page.keyboard.press('Enter');
  await expect(panel(page, a)).toBeVisible();
  await expect(panel(page, a).locator('textarea')).toBeFocused();
  await page.keyboard.type('Check the reward-model ablation\nthen table 4');
  await page.keyboard.press('Tab');
  await page.keyboard.type('rlhf');
  await page.keyboard.press('Enter');
  await page.keyboard.type('agents,');
  await expect(panel(page, a).locator('[data-tag]')).toHaveText(['rlhf×', 'agents×']);
  await page.keyboard.press('Tab');
  await expect(panel(page, a).locator('select')).toBeFocused();
  // Keys, not selectOption(): the panel acts on trusted events only, and scripted ones are not.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(panel(page, a).locator('select')).toHaveValue('reading');
  await expect(panel(page, a).locator('[role="status"]')).toHaveText('Saved');
  // Escape closes the panel and gives focus back to the Note button.
  await page.keyboard.press('Escape');
  await expect(panel(page, a)).toHaveCount(0);
  await expect(noteButton(page, a)).toBeFocused();
  // A note saves the paper: the card shows it saved.
  await expect(toggleFor(page, a)).toHaveAttribute('aria-pressed', 'true');

  // The popup that was open all along shows it (changes from other tabs arrive live).
  const r = row(popup, a);
  await expect(r).toContainText('Check the reward-model ablation');
  await expect(r.locator('[data-tag]')).toHaveText(['rlhf', 'agents']);
  await expect(r).toHaveAttribute('data-state', 'reading');

  // Autocomplete on another card: "ag" suggests the existing tag "agents".
  await page.bringToFront();
  await noteButton(page, b).click();
  // Once loaded the panel focuses its note (as for the first card): only then move to the tags,
  // or the panel's own focus would take the typed letters away from them.
  await expect(panel(page, b).locator('textarea')).toBeFocused();
  const tagsBox = panel(page, b).locator('input[role="combobox"]');
  await tagsBox.focus();
  await page.keyboard.type('ag');
  await expect(panel(page, b).locator('[role="option"]')).toHaveText(['agents']);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(panel(page, b).locator('[data-tag]')).toHaveText(['agents×']);
  await expect(row(popup, b).locator('[data-tag]')).toHaveText(['agents']);

  // A fresh popup reads the same from the database.
  const again = await openPopup();
  await expect(row(again, a)).toContainText('Check the reward-model ablation');
});

test('search finds a word of a note and marks it', async ({ context, serve, openPopup }) => {
  const { page, ids } = await openDaily(context, serve);
  await saveFirst(page, ids, 4);
  const popup = await openPopup();
  await expect(popup.locator('[data-list="saved"] [data-paper-id]')).toHaveCount(4);

  // Keyboard: j to the second row, e to edit its note. (As in the bulk test: wait for the list
  // to mark its first row active, and start from it, as after a user's Tab into the list.)
  const target = await popup
    .locator('[data-list="saved"] [data-index="1"]')
    .getAttribute('data-paper-id');
  await expect(popup.locator('.rl-row[aria-current="true"]')).toHaveCount(1);
  await popup.locator('.rl-row[aria-current="true"]').focus();
  await popup.keyboard.press('j');
  await expect(popup.locator('[data-index="1"]')).toBeFocused();
  await popup.keyboard.press('e');
  const editor = popup.locator('.rl-editor textarea');
  await expect(editor).toBeFocused();
  await popup.keyboard.type('compare with the zeugmatic baseline');
  await expect(popup.locator('.rl-editor [role="status"]')).toHaveText('Saved');
  await popup.keyboard.press('Escape');
  await expect(popup.locator('.rl-editor')).toHaveCount(0);
  await expect(row(popup, target!)).toContainText('zeugmatic');

  // "/" focuses the search box (the popup's first search input); results come as you type.
  await popup.keyboard.press('/');
  const search = popup.locator('input[type="search"]').first();
  await expect(search).toBeFocused();
  await popup.keyboard.type('zeugma');
  const rows = popup.locator('[data-list="saved"] [data-paper-id]');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-paper-id', target!);
  await expect(rows.first().locator('mark')).toHaveText(['zeugmatic']);
  // A word of a title finds its paper too, and an unknown word finds nothing.
  await search.fill('');
  await expect(rows).toHaveCount(4);
  await search.fill('qqqxyzzy');
  await expect(rows).toHaveCount(0);
  await expect(popup.locator('[data-empty="matches"]')).toBeVisible();
});

test('bulk state change and removal, each undone', async ({ context, serve, openPopup }) => {
  const { page, ids } = await openDaily(context, serve);
  await saveFirst(page, ids, 3);
  const popup = await openPopup();
  const rows = popup.locator('[data-list="saved"] [data-paper-id]');
  await expect(rows).toHaveCount(3);

  // x selects the active row; j moves. (Wait for the list to mark its first row active: the
  // keys act on the full list, which arrives from the list worker just after the first rows.)
  await expect(popup.locator('.rl-row[aria-current="true"]')).toHaveCount(1);
  // Keys go to the focused row, as after a user's Tab into the list.
  await popup.locator('.rl-row[aria-current="true"]').focus();
  await popup.keyboard.press('x');
  await popup.keyboard.press('j');
  await popup.keyboard.press('x');
  await expect(popup.locator('[data-selected]')).toHaveText('2 selected');
  const chosen = await popup
    .locator('.rl-selected')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-paper-id')!));
  expect(chosen).toHaveLength(2);

  await popup.locator('[data-action="bulk-state"]').selectOption('done');
  for (const id of chosen) await expect(row(popup, id)).toHaveAttribute('data-state', 'done');
  const other = ids.slice(0, 3).find((id) => !chosen.includes(id))!;
  await expect(row(popup, other)).toHaveAttribute('data-state', 'inbox');
  await popup.locator('[data-action="undo"]').click();
  for (const id of chosen) await expect(row(popup, id)).toHaveAttribute('data-state', 'inbox');

  // Remove both, then undo: they come back, and the cards on the page follow.
  await popup.locator('[data-action="bulk-remove"]').click();
  await expect(rows).toHaveCount(1);
  await expect(toggleFor(page, chosen[0]!)).toHaveAttribute('aria-pressed', 'false');
  await popup.locator('[data-action="undo"]').click();
  await expect(rows).toHaveCount(3);
  await expect(toggleFor(page, chosen[0]!)).toHaveAttribute('aria-pressed', 'true');

  // s cycles the active row's state.
  await popup.keyboard.press('k');
  const first = await popup.locator('[data-index="0"]').getAttribute('data-paper-id');
  await popup.keyboard.press('s');
  await expect(row(popup, first!)).toHaveAttribute('data-state', 'to-read');
});

test('a page script cannot open the note panel or write a note', async ({
  context,
  serve,
  openPopup,
}) => {
  const { page, ids } = await openDaily(context, serve);
  const id = ids[0]!;
  await page.evaluate((id) => {
    const host = document.querySelector(`paper-scout-card[data-paper-id="${id}"]`);
    const b = host?.shadowRoot?.querySelector<HTMLButtonElement>('button[data-action="note"]');
    b?.click();
    b?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
  }, id);
  await expect(panel(page, id)).toHaveCount(0);
  // The user opens it; the page script then writes into it and fires input events.
  await noteButton(page, id).click();
  await expect(panel(page, id).locator('textarea')).toBeEnabled();
  await page.evaluate((id) => {
    const root = document.querySelector(`paper-scout-card[data-paper-id="${id}"]`)?.shadowRoot;
    const ta = root?.querySelector('textarea');
    if (ta) {
      ta.value = 'written by the page';
      ta.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      ta.dispatchEvent(new FocusEvent('blur'));
    }
    const sel = root?.querySelector('select');
    if (sel) {
      sel.value = 'done';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }, id);
  await page.waitForTimeout(800); // longer than the autosave delay
  await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'false');
  const popup = await openPopup();
  await expect(popup.locator('[data-empty="saved"]')).toBeVisible();
});

test('the filter menus narrow the list by reading state, tag and site', async ({
  context,
  serve,
  openPopup,
}) => {
  const { page, ids } = await openDaily(context, serve);
  await saveFirst(page, ids, 3);
  const popup = await openPopup();
  const rows = popup.locator('[data-list="saved"] [data-paper-id]');
  await expect(rows).toHaveCount(3);
  const [a, b] = ids as [string, string];
  expect(await ask(popup, { type: 'paper/annotate', id: a, state: 'done' })).toMatchObject({
    ok: true,
  });
  expect(await ask(popup, { type: 'paper/annotate', id: b, tags: ['rlhf'] })).toMatchObject({
    ok: true,
  });

  const menu = (name: string) => popup.getByRole('combobox', { name });
  await menu('Filter by reading state').selectOption('done');
  await expect(rows).toHaveCount(1);
  await expect(row(popup, a)).toBeVisible();
  await menu('Filter by reading state').selectOption('');
  await menu('Filter by tag').selectOption('rlhf');
  await expect(rows).toHaveCount(1);
  await expect(row(popup, b)).toBeVisible();
  await menu('Filter by tag').selectOption('');
  await expect(menu('Filter by site').locator('option')).toHaveText(['All sites', 'Hugging Face']);
  await menu('Filter by site').selectOption('huggingface');
  await expect(rows).toHaveCount(3);
});

test('a row shows its four buttons in full, the BibTeX one with its whole label', async ({
  context,
  serve,
  openPopup,
}) => {
  const { page, ids } = await openDaily(context, serve);
  await saveFirst(page, ids, 1);
  const popup = await openPopup();
  const first = row(popup, ids[0]!);
  const buttons = first.locator('.rl-actions button');
  await expect(buttons).toHaveCount(4);
  await expect(first.locator('button[data-action="copy-bibtex"]')).toHaveText('BibTeX');
  const box = (await first.boundingBox())!;
  for (const b of await buttons.all()) {
    const r = (await b.boundingBox())!;
    expect(r.x).toBeGreaterThanOrEqual(box.x);
    expect(r.y).toBeGreaterThanOrEqual(box.y);
    expect(r.x + r.width).toBeLessThanOrEqual(box.x + box.width);
    expect(r.y + r.height).toBeLessThanOrEqual(box.y + box.height);
    // Nothing of the label is cut off.
    expect(await b.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  }
});
