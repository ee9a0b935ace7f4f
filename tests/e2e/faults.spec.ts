/**
 * Faults, end to end in Chromium: the service worker killed in the middle of a write, many tabs
 * writing at once, a full disk. What a user must find afterwards: the old state or the new one,
 * never a mix; every update kept; a clear message; the truth on the page after a reload.
 *
 * The worker is killed for real: it is made to hang inside a write transaction (after issuing the
 * write, before the transaction can commit), then stopped through the DevTools protocol
 * (ServiceWorker.stopAllWorkers), which terminates it as Chrome does a hung worker. Every crash
 * point of every request is covered at the unit level (tests/unit/hostile-crash.test.ts).
 */
import type { Page } from '@playwright/test';
import { expect, hosts, settled, test, toggleFor } from './fixtures';
import {
  ask,
  controlWorker,
  fillDisk,
  hangInNextWrite,
  papersById,
  readDb,
} from '../fixtures/hostile/extension';

const TITLE = 'Residual Connections Revisited for Very Deep Transformers';
const DAY = 'https://huggingface.co/papers/date/2025-02-03';
/** A small Hugging Face day page (two cards), written here. */
const DAY_HTML = `html:<!DOCTYPE html><meta charset="utf-8"><title>Daily Papers</title>
<main><section><div class="grid">
<article><h3><a href="/papers/2502.00001">${TITLE}</a></h3></article>
<article><h3><a href="/papers/2502.00002">Another Paper of the Same Day</a></h3></article>
</div></section></main>`;
const DAILY = 'https://huggingface.co/papers';
const DAILY_FILE = 'pages/huggingface/daily-papers-2026-07.html';

/** The error line our card bar shows (role=alert inside the card's shadow root). */
const cardAlert = (page: Page, id: string) =>
  page.locator(`paper-scout-card[data-paper-id="${id}"] [role="alert"]`);

test('worker killed in the middle of a save that merges records: old state, truth after reload', async ({
  context,
  serve,
  openPopup,
}) => {
  const ext = await openPopup();
  // A paper saved from Scholar, known only by its title, with a note. History off, so the merge
  // with its arXiv record happens inside the save (several writes in one transaction).
  const saved = await ask(ext, {
    type: 'paper/setSaved',
    site: 'scholar',
    saved: true,
    paper: { title: TITLE, url: 'https://scholar.google.com/scholar?cluster=7' },
  });
  const provisional = (saved as unknown as { value: { id: string } }).value.id;
  expect(provisional).toMatch(/^title:/);
  await ask(ext, { type: 'paper/annotate', id: provisional, note: 'my note, typed once' });
  await ask(ext, { type: 'settings/set', settings: { historyEnabled: false } });

  await serve(DAY, DAY_HTML);
  const page = await context.newPage();
  await page.goto(DAY);
  await settled(page, 2);
  // The card shows the title-matched record (under the id the card reveals): saved.
  const card = 'arxiv:2502.00001';
  await expect(toggleFor(page, card)).toHaveAttribute('aria-pressed', 'true');
  const before = await readDb(ext);

  const worker = await controlWorker(context, ext);
  const { hung } = await hangInNextWrite(await worker.live(), 'papers');
  await toggleFor(page, card).click(); // unsave: the record moves to arxiv:2502.00001
  await hung;
  await worker.stop();

  // The card says what happened and shows the old state again.
  await expect(cardAlert(page, card)).toContainText('stopped before answering');
  await expect(toggleFor(page, card)).toHaveAttribute('aria-pressed', 'true');
  // The database holds the old state exactly: nothing of the half-done merge.
  expect(await readDb(ext)).toEqual(before);

  // After a reload the page shows the truth, and the same click then goes through.
  await page.reload();
  await settled(page, 2);
  await expect(toggleFor(page, card)).toHaveAttribute('aria-pressed', 'true');
  await expect(cardAlert(page, card)).toHaveCount(0);
  await toggleFor(page, card).click();
  await expect(toggleFor(page, card)).toHaveAttribute('aria-pressed', 'false');
  await expect(cardAlert(page, card)).toHaveCount(0);
  const after = papersById(await readDb(ext));
  expect(after.has(provisional)).toBe(false);
  expect(after.get('arxiv:2502.00001')).toMatchObject({
    note: 'my note, typed once',
    aliases: expect.arrayContaining([provisional]),
  });
  expect(after.get('arxiv:2502.00001')?.savedAt).toBeUndefined();
});

test('worker killed in the middle of a note edit: the old note; killed after one: the new', async ({
  context,
  serve,
  openPopup,
}) => {
  await serve(DAY, DAY_HTML);
  const page = await context.newPage();
  await page.goto(DAY);
  await settled(page, 2);
  await toggleFor(page, 'arxiv:2502.00002').click();
  await expect(toggleFor(page, 'arxiv:2502.00002')).toHaveAttribute('aria-pressed', 'true');
  const ext = await openPopup();
  const edit = (note: string) =>
    ask(ext, {
      type: 'paper/annotate',
      id: 'arxiv:2502.00002',
      note,
      tags: [note.split(' ')[0]!],
    });
  expect(await edit('first note')).toMatchObject({ ok: true });
  const before = await readDb(ext);

  const worker = await controlWorker(context, ext);
  const { hung } = await hangInNextWrite(await worker.live(), 'papers');
  const pending = edit('second note').then(
    (r) => r,
    (e: unknown) => ({ ok: false, thrown: String(e) }),
  );
  await hung;
  await worker.stop();
  expect(await pending).toMatchObject({ ok: false });
  expect(await readDb(ext)).toEqual(before);
  // What the note panel would show (it asks the restarted worker).
  expect(await ask(ext, { type: 'paper/get', id: 'arxiv:2502.00002' })).toMatchObject({
    ok: true,
    value: { paper: { note: 'first note', tags: ['first'], saved: true } },
  });

  // Killed right after an edit was answered: the edit is there.
  expect(await edit('third note')).toMatchObject({ ok: true });
  await worker.stop();
  expect(await ask(ext, { type: 'paper/get', id: 'arxiv:2502.00002' })).toMatchObject({
    value: { paper: { note: 'third note', tags: ['third'] } },
  });
  await page.reload();
  await settled(page, 2);
  await expect(toggleFor(page, 'arxiv:2502.00002')).toHaveAttribute('aria-pressed', 'true');
});

test('ten tabs saving at once, and twenty note and tag edits at once: no lost update', async ({
  context,
  serve,
  openPopup,
}) => {
  test.setTimeout(180_000);
  await serve(DAILY, DAILY_FILE);
  const tabs: Page[] = [];
  for (let i = 0; i < 10; i++) {
    const tab = await context.newPage();
    await tab.goto(DAILY);
    await settled(tab, 31);
    tabs.push(tab);
  }
  const ids = await hosts(tabs[0]!).evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-paper-id')!),
  );
  const shared = ids[10]!;
  // Each tab saves its own paper and toggles the shared one, all tabs at the same moment.
  await Promise.all(
    tabs.map(async (tab, i) => {
      await toggleFor(tab, ids[i]!).click();
      await toggleFor(tab, shared).click();
    }),
  );
  for (const [i, tab] of tabs.entries())
    for (const id of ids.slice(0, 10))
      await expect(toggleFor(tab, id), `tab ${i}, ${id}`).toHaveAttribute('aria-pressed', 'true');
  // The shared paper ends saved or not, depending on who clicked last; every tab agrees with the
  // database.
  const ext = await openPopup();
  await expect
    .poll(async () => {
      const rec = papersById(await readDb(ext)).get(shared);
      const truth = rec?.savedAt !== undefined ? 'true' : 'false';
      const shown = await Promise.all(
        tabs.map((t) => toggleFor(t, shared).getAttribute('aria-pressed')),
      );
      return shown.every((s) => s === truth) ? 'agree' : `db ${truth}, tabs ${shown.join(',')}`;
    })
    .toBe('agree');
  const db = papersById(await readDb(ext));
  const savedIds = [...db.values()].filter((p) => p.savedAt !== undefined).map((p) => p.id);
  expect(savedIds).toEqual(expect.arrayContaining(ids.slice(0, 10)));
  expect(savedIds.length).toBe(db.get(shared)?.savedAt !== undefined ? 11 : 10);
  // The reading list says how many (its rows are virtualized: count the number it states).
  await ext.reload();
  await expect(ext.locator('.count[role="status"]')).toContainText(`${savedIds.length} saved`);

  // Twenty edits in flight together: a note on each of ten papers, and ten tags added to one.
  const results = await ext.evaluate(
    async ({ ten, target }) => {
      const c = (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean }> } };
        }
      ).chrome;
      return Promise.all([
        ...ten.map((id, i) =>
          c.runtime.sendMessage({ type: 'paper/annotate', id, note: `note ${i}` }),
        ),
        ...ten.map((_, i) =>
          c.runtime.sendMessage({
            type: 'papers/bulk',
            ids: [target],
            op: { kind: 'addTag', tag: `tag-${i}` },
          }),
        ),
      ]);
    },
    { ten: ids.slice(0, 10), target: ids[0]! },
  );
  expect(results.every((r) => r.ok)).toBe(true);
  const after = papersById(await readDb(ext));
  for (const [i, id] of ids.slice(0, 10).entries())
    expect(after.get(id)?.note, id).toBe(`note ${i}`);
  expect([...((after.get(ids[0]!)?.tags as string[]) ?? [])].sort()).toEqual(
    Array.from({ length: 10 }, (_, i) => `tag-${i}`).sort(),
  );
});

test('a full disk: the card says so, the toggle does not lie, nothing stored changes', async ({
  context,
  serve,
  openPopup,
}) => {
  await serve(DAY, DAY_HTML);
  const page = await context.newPage();
  await page.goto(DAY);
  await settled(page, 2);
  await toggleFor(page, 'arxiv:2502.00001').click();
  await expect(toggleFor(page, 'arxiv:2502.00001')).toHaveAttribute('aria-pressed', 'true');
  const ext = await openPopup();
  expect(
    await ask(ext, { type: 'paper/annotate', id: 'arxiv:2502.00001', note: 'keep me' }),
  ).toMatchObject({ ok: true });
  const before = await readDb(ext);

  const worker = await controlWorker(context, ext);
  const restore = await fillDisk(await worker.live());
  // Saving another paper, and unsaving the saved one: both refused, in words.
  await toggleFor(page, 'arxiv:2502.00002').click();
  await expect(cardAlert(page, 'arxiv:2502.00002')).toContainText('no room left');
  await expect(toggleFor(page, 'arxiv:2502.00002')).toHaveAttribute('aria-pressed', 'false');
  await toggleFor(page, 'arxiv:2502.00001').click();
  await expect(cardAlert(page, 'arxiv:2502.00001')).toContainText('no room left');
  await expect(toggleFor(page, 'arxiv:2502.00001')).toHaveAttribute('aria-pressed', 'true');
  // A note edit from the reading list: refused with the same message.
  expect(
    await ask(ext, { type: 'paper/annotate', id: 'arxiv:2502.00001', note: 'lost?' }),
  ).toMatchObject({ ok: false, error: { code: 'quota' } });
  // A page load while the disk is full still shows what is saved.
  await page.reload();
  await expect(hosts(page)).toHaveCount(2);
  await expect(toggleFor(page, 'arxiv:2502.00001')).toHaveAttribute('aria-pressed', 'true');
  await expect(toggleFor(page, 'arxiv:2502.00002')).toHaveAttribute('aria-pressed', 'false');
  expect(await readDb(ext)).toEqual(before);

  await restore();
  await toggleFor(page, 'arxiv:2502.00002').click();
  await expect(toggleFor(page, 'arxiv:2502.00002')).toHaveAttribute('aria-pressed', 'true');
  await expect(cardAlert(page, 'arxiv:2502.00002')).toHaveCount(0);
  expect(papersById(await readDb(ext)).get('arxiv:2502.00001')?.note).toBe('keep me');
});
