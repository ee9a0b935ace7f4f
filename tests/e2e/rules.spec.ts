/**
 * Watch rules end to end: a rule made from a card ("Watch" → an author) marks matching cards on an
 * arXiv listing and a Hugging Face page, paints the matched words, and fills the Highlighted tab.
 */
import { expect, hosts, settled, test } from './fixtures';

const NEW = 'https://arxiv.org/list/cond-mat.mtrl-sci/new';
const NEW_FILE = 'pages/arxiv/list-cond-mat.mtrl-sci-new-2026-09.html';
const HF = 'https://huggingface.co/papers';
const HF_FILE = 'pages/huggingface/daily-papers-2026-07.html';

test('a rule made from a card highlights matching cards and lists them in the popup', async ({
  context,
  serve,
  openPopup,
}) => {
  await serve(NEW, NEW_FILE);
  await serve(HF, HF_FILE);
  const page = await context.newPage();
  await page.goto(NEW);
  await settled(page, 101);

  // Watch the first author of the first card, in one step from the card.
  const first = hosts(page).first();
  await first.locator('button[data-action="watch"]').click();
  const item = first.locator('[role="menuitem"][data-watch-kind="author"]').first();
  const author = ((await item.textContent()) ?? '').replace(/^Author:\s*/, '').trim();
  expect(author.length).toBeGreaterThan(2);
  await item.click();
  // The card that offered the author now carries the rule's mark.
  await expect(first.locator('[data-highlight]')).toHaveText(author);
  const marked = await page.locator('paper-scout-card [data-highlight]').count();
  expect(marked).toBeGreaterThanOrEqual(1);
  // The matched words are painted in the page's own text (CSS Custom Highlight API).
  const painted = await page.evaluate(
    () => [...CSS.highlights.keys()].filter((k) => k.startsWith('paper-scout-')).length,
  );
  expect(painted).toBe(1);

  const popup = await openPopup();
  await popup.locator('[data-tab="highlighted"]').click();
  const rows = popup.locator('[data-list="highlighted"] [data-paper-id]');
  await expect(rows).toHaveCount(marked);
  const id = await first.getAttribute('data-paper-id');
  await expect(popup.locator(`[data-list="highlighted"] [data-paper-id="${id}"]`)).toBeVisible();
  // One click saves from the tab.
  await popup
    .locator(`[data-list="highlighted"] [data-paper-id="${id}"] button[data-action="save"]`)
    .click();
  await expect(first.locator('button[data-action="save"]')).toHaveAttribute('aria-pressed', 'true');
});

test('a words rule from the options page highlights a Hugging Face page, with exclusions', async ({
  context,
  serve,
  extensionId,
}) => {
  await serve(HF, HF_FILE);
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await options.locator('select[name="kind"]').selectOption('words');
  await options.locator('input[name="terms"]').fill('agents, agent');
  await options.locator('input[name="exclude"]').fill('agent memory');
  await options.locator('button[type="submit"]', { hasText: 'Add rule' }).click();
  await expect(options.locator('[data-list="rules"] li')).toHaveCount(1);

  const page = await context.newPage();
  await page.goto(HF);
  await expect(hosts(page)).toHaveCount(31);
  await expect(page.locator('paper-scout-card [aria-busy="true"]')).toHaveCount(0);
  const titles = await page.locator('article h3').allTextContents();
  const marks = await hosts(page).evaluateAll((els) =>
    els.map((e) => !!e.shadowRoot?.querySelector('[data-highlight]')),
  );
  // Every card whose title says "agent(s)" as a word is marked (abstracts can add more).
  titles.forEach((t, i) => {
    if (/\bagents?\b/i.test(t) && !/agent memory/i.test(t)) expect(marks[i], t).toBe(true);
  });
  expect(marks.some(Boolean)).toBe(true);

  // Pausing the rule removes the marks from the open page.
  await options.locator('[data-list="rules"] input[type="checkbox"]').uncheck();
  await expect(page.locator('paper-scout-card [data-highlight]')).toHaveCount(0);
});

test('the Watch menu of a card down a long listing is drawn whole over the page', async ({
  context,
  serve,
}) => {
  await serve(NEW, NEW_FILE);
  const page = await context.newPage();
  await page.goto(NEW);
  await settled(page, 101);
  // A card far below the first screen: its bar was skipped until scrolled to (card.css), and its
  // host clips what it paints outside its box unless the menu is open.
  const card = hosts(page).nth(60);
  await card.scrollIntoViewIfNeeded();
  await card.locator('button[data-action="watch"]').click();
  const items = card.locator('[role="menuitem"]');
  expect(await items.count()).toBeGreaterThanOrEqual(2);
  // Every entry, below the host's own box, is what the user sees and hits at its place.
  const hits = await card.evaluate((host) =>
    [...host.shadowRoot!.querySelectorAll<HTMLElement>('[role="menuitem"]')].map((el) => {
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      return {
        below: r.top >= host.getBoundingClientRect().bottom - 1,
        hit:
          document.elementFromPoint(x, y) === host &&
          host.shadowRoot!.elementFromPoint(x, y) === el,
      };
    }),
  );
  expect(hits.every((h) => h.hit)).toBe(true);
  expect(hits.some((h) => h.below)).toBe(true);
  await expect(items.last()).toBeVisible();
  // Escape closes it (focus back on Watch); the host goes back to skipping off screen.
  await page.keyboard.press('Escape');
  await expect(items).toHaveCount(0);
  await expect(card.locator('button[data-action="watch"]')).toBeFocused();
  await expect(card).not.toHaveAttribute('data-menu-open');
});

test('Tab reaches the buttons of a card whose bar was skipped off screen, in order', async ({
  context,
  serve,
}) => {
  await serve(NEW, NEW_FILE);
  const page = await context.newPage();
  await page.goto(NEW);
  await settled(page, 101);
  const card = hosts(page).nth(90);
  // Not rendered yet: far below the first screen, the browser skipped its bar (card.css).
  expect(
    await card.evaluate((host) =>
      host.shadowRoot!.querySelector('button')!.checkVisibility({ contentVisibilityAuto: true }),
    ),
  ).toBe(false);
  // Focus the page's last link before the card's bar without scrolling, then Tab as a user would.
  await card.evaluate((host) => {
    const links = [...document.querySelectorAll<HTMLElement>('a[href]')].filter(
      (a) => a.compareDocumentPosition(host) & Node.DOCUMENT_POSITION_FOLLOWING,
    );
    links.at(-1)!.focus({ preventScroll: true });
  });
  for (const action of ['save', 'note', 'watch']) {
    await page.keyboard.press('Tab');
    await expect(card.locator(`button[data-action="${action}"]`)).toBeFocused();
    await expect(card.locator(`button[data-action="${action}"]`)).toBeInViewport();
  }
});
