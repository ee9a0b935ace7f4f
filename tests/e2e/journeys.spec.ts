/**
 * A user's journeys across pages and days, end to end in Chromium with the built extension, on real
 * saved pages served at their real URLs:
 *
 * 1. A paper saved at v1 shows as "new version" when arXiv's /new listing lists its replacement.
 * 2. A Google Scholar result saved by its title alone, with a note, becomes one record with the
 *    arXiv paper of the same title: one row in the reading list, the note kept, saved on arXiv.
 * 3. Sighting history turned off on the options page (with its confirmation): no "seen" marks on
 *    the next visit, nothing recorded by new visits, saved papers still saved.
 * 4. A paper saved on the ACL Anthology shows as saved on Google Scholar (same title).
 *
 * No real saved page shows the same paper as another real saved page of a different site with
 * the ids these journeys need, so each journey says which side is not a real page as served: a
 * save sent by an extension page (as the popup sends it), or a real page with one title swapped
 * at test time (never written to disk).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, hosts, settled, test, toggleFor } from './fixtures';
import { ask, readDb, sightingsOf } from '../fixtures/hostile/extension';

const NEW = 'https://arxiv.org/list/cond-mat.mtrl-sci/new';
const NEW_FILE = 'pages/arxiv/list-cond-mat.mtrl-sci-new-2026-09.html';
const ABS = 'https://arxiv.org/abs/2609.22268';
const ABS_FILE = 'pages/arxiv/abs-2609.22268-2026-09.html';
/** The real abs page's own title (swapped for another paper's in journey 2). */
const ABS_TITLE =
  'Efficient spectral Galerkin framework for nonlinear transient heat transfer in finite domains';
const SCHOLAR =
  'https://scholar.google.com/scholar?hl=en&q=microwave+dielectric+properties+biomass';
const SCHOLAR_FILE = 'pages/scholar/results-2026-09.html';
/** The first result of the real Scholar page: no arXiv id, no DOI (saved by its title). */
const SCHOLAR_TITLE = 'Dielectric properties and microwave heating of oil palm biomass and biochar';
const ACL = 'https://aclanthology.org/people/andreas-madsack/';
const ACL_FILE = 'pages/acl/people-andreas-madsack-2026-07.html';

/** Every card's mark (seen, new, new-version, related) or null, in page order. */
const marks = (page: Page) =>
  hosts(page).evaluateAll((els) =>
    els.map((e) => e.shadowRoot?.querySelector('[data-mark]')?.getAttribute('data-mark') ?? null),
  );

/** The reading list's rows (popup, Saved tab). */
const savedRows = (popup: Page) => popup.locator('[data-list="saved"] [data-paper-id]');

test('a paper saved at v1 shows as a new version in the replacements of arXiv /new', async ({
  context,
  serve,
  openPopup,
}) => {
  // 2607.27424 is listed in the real page's "Replacement submissions" as v2. No saved abs page of
  // it exists, so v1 is saved as the popup saves a paper: a message from an extension page.
  const popup = await openPopup();
  const saved = await ask(popup, {
    type: 'paper/setSaved',
    site: 'arxiv',
    saved: true,
    paper: {
      arxivId: '2607.27424',
      version: 1,
      title: 'Structure and thermodynamic stability of $β$-Ga$_2$O$_3$ surfaces',
      url: 'https://arxiv.org/abs/2607.27424v1',
    },
  });
  expect(saved).toMatchObject({ ok: true });
  await expect(savedRows(popup)).toHaveCount(1);

  await serve(NEW, NEW_FILE);
  const page = await context.newPage();
  await page.goto(NEW);
  await settled(page, 101);
  const card = page.locator('paper-scout-card[data-paper-id="arxiv:2607.27424"]');
  await expect(card.locator('button[data-action="save"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(card.locator('[data-mark="new-version"]')).toHaveText('new version');
  await expect(card.locator('[data-mark="new-version"]')).toHaveAttribute(
    'title',
    'A new version of a paper you saved',
  );
  // It is the only card so marked: the other replacements are not the user's papers.
  const m = await marks(page);
  expect(m.filter((x) => x === 'new-version')).toHaveLength(1);
  // Still one paper in the reading list (the listing's v2 did not make a second record).
  await popup.reload();
  await expect(savedRows(popup)).toHaveCount(1);
  await expect(savedRows(popup).first()).toHaveAttribute('data-paper-id', 'arxiv:2607.27424');
});

test('a Scholar result saved by title with a note is one record with the arXiv paper of that title', async ({
  context,
  serve,
  openPopup,
}) => {
  // No title occurs both in a real Scholar page and in a real arXiv page: the arXiv side is the
  // real 2026 abs page of 2609.22268 with its title swapped for the Scholar result's, at test time.
  const real = readFileSync(`tests/fixtures/${ABS_FILE}`, 'utf8');
  expect(real).toContain(ABS_TITLE);
  await serve(ABS, `html:${real.replaceAll(ABS_TITLE, SCHOLAR_TITLE)}`);
  await serve(SCHOLAR, SCHOLAR_FILE);

  const scholar = await context.newPage();
  await scholar.goto(SCHOLAR);
  await settled(scholar, 10);
  const first = hosts(scholar).first();
  const provisional = (await first.getAttribute('data-paper-id'))!;
  expect(provisional).toMatch(/^title:/);
  await first.locator('button[data-action="save"]').click();
  await expect(first.locator('button[data-action="save"]')).toHaveAttribute('aria-pressed', 'true');
  await first.locator('button[data-action="note"]').click();
  const panel = first.locator('[data-panel="note"]');
  await expect(panel.locator('textarea')).toBeFocused();
  await scholar.keyboard.type('Loss tangent of the biochar vs. raw shell');
  await expect(panel.locator('[role="status"]')).toHaveText('Saved');
  await scholar.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  const arxiv = await context.newPage();
  await arxiv.goto(ABS);
  await settled(arxiv, 1);
  await expect(toggleFor(arxiv, 'arxiv:2609.22268')).toHaveAttribute('aria-pressed', 'true');

  const popup = await openPopup();
  await expect(savedRows(popup)).toHaveCount(1);
  const row = savedRows(popup).first();
  await expect(row).toContainText(SCHOLAR_TITLE);
  await expect(row).toContainText('Loss tangent of the biochar vs. raw shell');
  // The note is there when the arXiv card's panel opens too.
  await arxiv.bringToFront();
  const absCard = hosts(arxiv).first();
  await absCard.locator('button[data-action="note"]').click();
  await expect(absCard.locator('[data-panel="note"] textarea')).toHaveValue(
    'Loss tangent of the biochar vs. raw shell',
  );
});

test('history turned off on the options page: no seen marks, nothing recorded, saved kept', async ({
  context,
  serve,
  extensionId,
  openPopup,
}) => {
  await serve(NEW, NEW_FILE);
  await serve(SCHOLAR, SCHOLAR_FILE);
  const page = await context.newPage();
  await page.goto(NEW);
  await settled(page, 101);
  const kept = 'arxiv:2609.22268';
  await toggleFor(page, kept).click();
  await expect(toggleFor(page, kept)).toHaveAttribute('aria-pressed', 'true');
  // With history on, the second visit marks the cards seen.
  await page.reload();
  await settled(page, 101);
  expect((await marks(page)).filter((m) => m === 'seen').length).toBeGreaterThan(90);

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  const box = options.locator('input[name="historyEnabled"]');
  await expect(box).toBeChecked();
  await box.click();
  // The confirmation: nothing is deleted until the user says so; the box stays ticked.
  const dialog = options.locator('[data-confirm="history-off"]');
  await expect(dialog).toContainText('Turn history off and delete it?');
  await expect(box).toBeChecked();
  await dialog.getByRole('button', { name: 'Turn off and clear history' }).click();
  await expect(options.getByRole('status')).toHaveText(
    'History is off, and what it held was deleted.',
  );
  await expect(dialog).toHaveCount(0);
  await expect(box).not.toBeChecked();
  // Still off in a fresh options page (it was stored, not just shown).
  await options.reload();
  await expect(options.locator('input[name="historyEnabled"]')).not.toBeChecked();

  // Next visit of the listing seen before: no card is marked seen or new; the saved one is saved.
  await page.reload();
  await settled(page, 101);
  expect(await marks(page)).toEqual(Array(101).fill(null));
  await expect(toggleFor(page, kept)).toHaveAttribute('aria-pressed', 'true');
  // A page never visited before, and this one again: nothing is recorded.
  const scholar = await context.newPage();
  await scholar.goto(SCHOLAR);
  await settled(scholar, 10);
  await page.reload();
  await settled(page, 101);
  expect(await marks(page)).toEqual(Array(101).fill(null));
  const db = await readDb(options);
  expect(sightingsOf(db)).toEqual([]);
  expect(db.visits ?? []).toEqual([]);
  expect((db.papers ?? []).map((p) => p.id)).toEqual([kept]);

  // The reading list still holds the saved paper; Related has no seen papers to suggest.
  const popup = await openPopup();
  await expect(savedRows(popup)).toHaveCount(1);
  await expect(savedRows(popup).first()).toHaveAttribute('data-paper-id', kept);
  await popup.locator('[data-tab="related"]').click();
  await expect(popup.locator('[data-empty="related"]')).toContainText('Nothing to suggest yet.');
  await expect(popup.locator('[data-list="related"] [data-paper-id]')).toHaveCount(0);
});

test('a paper saved on the ACL Anthology shows as saved on Google Scholar (same title)', async ({
  context,
  serve,
  openPopup,
}) => {
  // No real saved page of another site shows one of the ACL page's papers (by DOI or title): the
  // Scholar side is the real 2026 results page with its first result's title swapped for an ACL
  // paper's, at test time.
  const aclTitle = 'A working, non-trivial, topically indifferent NLG System for 17 languages';
  // The result's link text as served (Scholar bolds the query's words).
  const linkText =
    '<b>Dielectric properties </b>and <b>microwave </b>heating of oil palm <b>biomass </b>and biochar';
  const real = readFileSync(`tests/fixtures/${SCHOLAR_FILE}`, 'utf8');
  expect(real.split(linkText)).toHaveLength(2);
  await serve(SCHOLAR, `html:${real.replace(linkText, aclTitle)}`);
  await serve(ACL, ACL_FILE);

  const acl = await context.newPage();
  await acl.goto(ACL);
  await settled(acl, 6);
  await toggleFor(acl, 'acl:W17-3524').click();
  await expect(toggleFor(acl, 'acl:W17-3524')).toHaveAttribute('aria-pressed', 'true');

  const scholar = await context.newPage();
  await scholar.goto(SCHOLAR);
  await settled(scholar, 10);
  const first = hosts(scholar).first();
  await expect(first.locator('button[data-action="save"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(
    scholar.locator('paper-scout-card button[data-action="save"][aria-pressed="true"]'),
  ).toHaveCount(1);
  const popup = await openPopup();
  await expect(savedRows(popup)).toHaveCount(1);
  await expect(savedRows(popup).first()).toHaveAttribute('data-paper-id', 'acl:W17-3524');
});
