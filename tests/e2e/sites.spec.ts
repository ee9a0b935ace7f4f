/**
 * One paper, every site: arXiv listings, arXiv search, Google Scholar and the ACL Anthology, end to
 * end in Chromium with the built extension, on real saved pages served at their real URLs.
 */
import { readFileSync } from 'node:fs';
import { expect, hosts, test, toggleFor } from './fixtures';

const NEW = 'https://arxiv.org/list/cond-mat.mtrl-sci/new';
const NEW_FILE = 'pages/arxiv/list-cond-mat.mtrl-sci-new-2026-09.html';
const ABS = 'https://arxiv.org/abs/2609.22268';
const ABS_FILE = 'pages/arxiv/abs-2609.22268-2026-09.html';
const SEARCH =
  'https://arxiv.org/search/?searchtype=abstract&query=distributed+systems&abstracts=show&size=200&order=';
const SEARCH_FILE = 'pages/arxiv/search-abstract-distributed-systems-size200-2025-12.html';
const SCHOLAR =
  'https://scholar.google.com/scholar?hl=en&q=microwave+dielectric+properties+biomass';
const SCHOLAR_FILE = 'pages/scholar/results-2026-09.html';
const ACL = 'https://aclanthology.org/people/andreas-madsack/';
const ACL_FILE = 'pages/acl/people-andreas-madsack-2026-07.html';
const HF_PAPER = 'https://huggingface.co/papers/2509.24002';
const HF_PAPER_FILE = 'pages/huggingface/paper-page-2509.24002-2025-10-bs4-prettified.html';

const marks = (page: import('@playwright/test').Page) =>
  hosts(page).evaluateAll((els) =>
    els.map((e) => e.shadowRoot?.querySelector('[data-mark]')?.getAttribute('data-mark') ?? null),
  );

test('arXiv /new: every card of all three sections gets one toggle, with the title', async ({
  context,
  serve,
}) => {
  await serve(NEW, NEW_FILE);
  const page = await context.newPage();
  await page.goto(NEW);
  await expect(hosts(page)).toHaveCount(101);
  // The UI sits with the title, inside the dd half of the dt/dd pair.
  const placed = await hosts(page).evaluateAll((els) =>
    els.every((e) => e.previousElementSibling?.classList.contains('list-title') && e.closest('dd')),
  );
  expect(placed).toBe(true);
});

test('cards seen before are marked seen; the version saved from the replacements is not new', async ({
  context,
  serve,
}) => {
  await serve(NEW, NEW_FILE);
  const page = await context.newPage();
  await page.goto(NEW);
  await expect(hosts(page)).toHaveCount(101);
  const ids = await hosts(page).evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-paper-id')!),
  );
  // Save a paper from the replacements section.
  const replaced = ids[80]!;
  await toggleFor(page, replaced).click();
  await expect(toggleFor(page, replaced)).toHaveAttribute('aria-pressed', 'true');
  expect(await marks(page)).toEqual(Array(101).fill(null));

  await page.reload();
  await expect(hosts(page)).toHaveCount(101);
  await expect(toggleFor(page, ids[0]!)).toHaveAttribute('aria-busy', 'false');
  const second = await marks(page);
  // Saved at the version the replacements show: nothing newer to point at (tests/e2e/
  // journeys.spec.ts saves an older version first and gets "new version").
  expect(second[80]).toBe('seen');
  expect(second.filter((m) => m === 'seen')).toHaveLength(101);
});

test('papers new since the last visit of a listing are marked new', async ({ context, serve }) => {
  const full = readFileSync(`tests/fixtures/${NEW_FILE}`, 'utf8');
  // Yesterday's page: the real page without its first dt/dd pair (cut at test time).
  const firstDt = full.indexOf('<dt>');
  const secondDt = full.indexOf('<dt>', firstDt + 4);
  expect(firstDt).toBeGreaterThan(0);
  await serve(NEW, `html:${full.slice(0, firstDt)}${full.slice(secondDt)}`);
  const page = await context.newPage();
  await page.goto(NEW);
  await expect(hosts(page)).toHaveCount(100);
  await expect(page.locator('paper-scout-card [aria-busy="true"]')).toHaveCount(0);
  await serve(NEW, NEW_FILE);
  await page.reload();
  await expect(hosts(page)).toHaveCount(101);
  await expect(page.locator('paper-scout-card [aria-busy="true"]')).toHaveCount(0);
  const m = await marks(page);
  expect(m[0]).toBe('new');
  expect(m.slice(1).every((x) => x === 'seen')).toBe(true);
});

test('arXiv abs page and listing show the same paper as saved', async ({ context, serve }) => {
  await serve(ABS, ABS_FILE);
  await serve(NEW, NEW_FILE);
  const abs = await context.newPage();
  await abs.goto(ABS);
  await expect(hosts(abs)).toHaveCount(1);
  await toggleFor(abs, 'arxiv:2609.22268').click();
  await expect(toggleFor(abs, 'arxiv:2609.22268')).toHaveAttribute('aria-pressed', 'true');
  const list = await context.newPage();
  await list.goto(NEW);
  await expect(toggleFor(list, 'arxiv:2609.22268')).toHaveAttribute('aria-pressed', 'true');
  await expect(list.locator('paper-scout-card button[aria-pressed="true"]')).toHaveCount(1);
});

test('a paper saved on Hugging Face shows as saved on arXiv', async ({ context, serve }) => {
  // arXiv's abs page for the HF paper: the real 2026 abs page with its id and title swapped at test
  // time (no saved arXiv page of a paper that is also in a saved HF page exists).
  const real = readFileSync(`tests/fixtures/${ABS_FILE}`, 'utf8');
  const derived = real.replaceAll('2609.22268', '2509.24002');
  await serve(HF_PAPER, HF_PAPER_FILE);
  await serve('https://arxiv.org/abs/2509.24002', `html:${derived}`);
  const hf = await context.newPage();
  await hf.goto(HF_PAPER);
  await toggleFor(hf, 'arxiv:2509.24002').click();
  await expect(toggleFor(hf, 'arxiv:2509.24002')).toHaveAttribute('aria-pressed', 'true');
  const ax = await context.newPage();
  await ax.goto('https://arxiv.org/abs/2509.24002');
  await expect(toggleFor(ax, 'arxiv:2509.24002')).toHaveAttribute('aria-pressed', 'true');
  // And unsaving on arXiv unsaves it on the open Hugging Face tab.
  await toggleFor(ax, 'arxiv:2509.24002').click();
  await expect(toggleFor(hf, 'arxiv:2509.24002')).toHaveAttribute('aria-pressed', 'false');
});

test('arXiv search: all 200 results get a toggle', async ({ context, serve }) => {
  await serve(SEARCH, SEARCH_FILE);
  const page = await context.newPage();
  await page.goto(SEARCH);
  await expect(hosts(page)).toHaveCount(200);
  const ids = await hosts(page).evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-paper-id')),
  );
  expect(new Set(ids).size).toBe(200);
  await expect(page.locator('paper-scout-card [aria-busy="true"]')).toHaveCount(0);
});

test('Google Scholar: results without ids are saved by title and listed in the popup', async ({
  context,
  serve,
  openPopup,
}) => {
  await serve(SCHOLAR, SCHOLAR_FILE);
  const page = await context.newPage();
  await page.goto(SCHOLAR);
  await expect(hosts(page)).toHaveCount(10);
  const first = hosts(page).first();
  const id = (await first.getAttribute('data-paper-id'))!;
  expect(id).toMatch(/^title:/);
  await first.locator('button[data-action="save"]').click();
  await expect(first.locator('button[data-action="save"]')).toHaveAttribute('aria-pressed', 'true');
  const popup = await openPopup();
  await expect(popup.locator(`[data-list="saved"] [data-paper-id="${id}"]`)).toContainText(
    /Dielectric properties and microwave heating/i,
  );
});

test('ACL Anthology author page: every paper gets a toggle', async ({ context, serve }) => {
  await serve(ACL, ACL_FILE);
  const page = await context.newPage();
  await page.goto(ACL);
  await expect(hosts(page)).toHaveCount(6);
  const ids = await hosts(page).evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-paper-id')),
  );
  for (const id of ids) expect(id).toMatch(/^acl:/);
});
