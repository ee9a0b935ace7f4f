/**
 * Related papers, end to end with the built extension: on the real 200-result arXiv search page,
 * save three quantum-physics papers; the popup's Related tab then suggests seen, unsaved papers
 * led by quantum physics (20 of the page's 200 papers are quant-ph), each with its reason;
 * "Not interested" hides a suggestion for good; a reading-list row opens its similar papers; and
 * on the next visit the cards close to a saved paper carry a "related" mark (not naming it: the page could read that).
 */
import { readFileSync } from 'node:fs';
import { expect, hosts, test, toggleFor } from './fixtures';

const URL =
  'https://arxiv.org/search/?searchtype=abstract&query=distributed+systems&abstracts=show&size=200&order=';
const FILE = 'pages/arxiv/search-abstract-distributed-systems-size200-2025-12';

interface Expected {
  cards: { key: string; title: string; categories?: string[] }[];
}
const expected = JSON.parse(
  readFileSync(`tests/fixtures/${FILE}.expected.json`, 'utf8'),
) as Expected;
const categories = new Map(expected.cards.map((c) => [c.key, c.categories ?? []]));
const quantum = expected.cards.filter((c) => c.categories?.[0] === 'quant-ph').map((c) => c.key);
const SAVED = quantum.slice(0, 3);

test('the Related tab suggests what resembles the saved papers, and cards get a related mark', async ({
  context,
  serve,
  openPopup,
}) => {
  expect(quantum.length).toBeGreaterThanOrEqual(10);
  await serve(URL, `${FILE}.html`);
  const page = await context.newPage();
  await page.goto(URL);
  await expect(hosts(page)).toHaveCount(expected.cards.length);
  await expect(page.locator('paper-scout-card [aria-busy="true"]')).toHaveCount(0);
  for (const id of SAVED) {
    await toggleFor(page, id).click();
    await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'true');
  }

  const popup = await openPopup();
  await popup.locator('[data-tab="related"]').click();
  const rows = popup.locator('[data-list="related"] [data-paper-id]');
  await expect(rows.first()).toBeVisible();
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-paper-id')));
  for (const id of SAVED) expect(ids).not.toContain(id);
  // Quantum physics leads: at least 3 of the top 5 (a random pick of this page gives 0.5).
  const top = ids.slice(0, 5).filter((id) => categories.get(id ?? '')?.includes('quant-ph'));
  expect(top.length).toBeGreaterThanOrEqual(3);
  await expect(rows.first().locator('[data-reason]')).toContainText(/Close to/);

  // "Not interested": gone now, and still gone in a newly opened popup.
  const first = ids[0]!;
  await popup
    .locator(`[data-list="related"] [data-paper-id="${first}"] [data-action="dismiss"]`)
    .click();
  await expect(popup.locator(`[data-list="related"] [data-paper-id="${first}"]`)).toHaveCount(0);
  await popup.close();
  const again = await openPopup();
  await again.locator('[data-tab="related"]').click();
  await expect(again.locator('[data-list="related"] [data-paper-id]').first()).toBeVisible();
  await expect(again.locator(`[data-list="related"] [data-paper-id="${first}"]`)).toHaveCount(0);

  // A saved paper's similar papers, from its reading-list row.
  await again.locator('[data-tab="saved"]').click();
  const row = again.locator(`[data-paper-id="${SAVED[0]}"]`).first();
  await row.locator('[data-action="similar"]').click();
  await expect(again.getByText('Similar to')).toBeVisible();
  const similar = again.locator('[data-list="related"] [data-paper-id]');
  await expect(similar.first()).toBeVisible();
  expect(await similar.first().getAttribute('data-paper-id')).not.toBe(SAVED[0]);
  await again.close();

  // Next visit: cards close to a saved paper carry a mark; saved cards carry none. The mark does
  // not name the saved paper: the page's scripts can read our shadow roots, and it is not theirs.
  await page.reload();
  await expect(hosts(page)).toHaveCount(expected.cards.length);
  const marks = page.locator('paper-scout-card [data-mark="related"]');
  await expect(marks.first()).toBeVisible();
  const marked = await marks.evaluateAll((els) =>
    els.map((e) => ({
      html: e.outerHTML,
      label: e.getAttribute('aria-label'),
      card: (e.getRootNode() as ShadowRoot).host.getAttribute('data-paper-id'),
    })),
  );
  for (const m of marked) {
    expect(SAVED).not.toContain(m.card);
    expect(m.label).toBe('Related to a paper you saved');
    for (const id of SAVED) expect(m.html).not.toContain(id.replace(/^arxiv:/, ''));
  }
  // Marks are for papers close to the library, not for most of the page.
  expect(marked.length).toBeLessThan(expected.cards.length / 4);
});
