/**
 * The library's write paths against a real IndexedDB implementation (fake-indexeddb): one record
 * per paper across sites, merging, saved state, seen/new marks, history settings and pruning.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import {
  clearHistory,
  getSettings,
  prune,
  recordCards,
  SEEN_REFRESH_MS,
  setSaved,
  setSavedById,
  setSettings,
} from '../../lib/library';
import type { PageInfo, WireCandidate } from '../../lib/messages';
import { storedSightings, storedSighting } from './helpers/sightings';

let db: PaperScoutDB;
let n = 0;
beforeEach(async () => {
  db = new PaperScoutDB(`test-${n++}`);
  await db.open();
});

const hfPage = (loadId = 'l1'): PageInfo => ({
  url: 'https://huggingface.co/papers',
  site: 'huggingface',
  kind: 'daily',
  listing: true,
  loadId,
});
const arxivPage = (loadId = 'a1'): PageInfo => ({
  url: 'https://arxiv.org/list/cs.LG/new',
  site: 'arxiv',
  kind: 'list-new',
  listing: true,
  loadId,
});
const scholarPage: PageInfo = {
  url: 'https://scholar.google.com/scholar?q=x',
  site: 'scholar',
  kind: 'results',
  listing: true,
  loadId: 's1',
};

const paper = (over: Partial<WireCandidate> = {}): WireCandidate => ({
  arxivId: '2401.00001',
  title: 'Scaling Laws for Reward Model Overoptimization',
  url: 'https://huggingface.co/papers/2401.00001',
  ...over,
});

describe('one record per paper', () => {
  it('keys an arXiv paper without version and finds it from another site', async () => {
    await setSaved(db, paper({ version: 2, upvotes: 33 }), 'huggingface', true);
    const [state] = await recordCards(db, arxivPage(), [
      paper({ url: 'https://arxiv.org/abs/2401.00001', categories: ['cs.LG', 'cs.AI'] }),
    ]);
    expect(state).toMatchObject({ id: 'arxiv:2401.00001', saved: true });
    expect(await db.papers.count()).toBe(1);
    const rec = await db.papers.get('arxiv:2401.00001');
    expect(rec?.urls).toEqual({
      huggingface: 'https://huggingface.co/papers/2401.00001',
      arxiv: 'https://arxiv.org/abs/2401.00001',
    });
    expect(rec?.categories).toEqual(['cs.LG', 'cs.AI']);
    expect(rec?.upvotes).toBe(33);
  });

  it('treats the DataCite arXiv DOI as the arXiv id and lower-cases other DOIs', async () => {
    const [a, b] = await recordCards(db, scholarPage, [
      {
        title: 'Some Paper About Things',
        doi: '10.48550/arXiv.2401.00002',
        url: 'https://x.org/a',
      },
      {
        title: 'Another Paper About Things',
        doi: 'https://doi.org/10.1145/ABC.123',
        url: 'https://x.org/b',
      },
    ]);
    expect(a?.id).toBe('arxiv:2401.00002');
    expect(b?.id).toBe('doi:10.1145/abc.123');
  });

  it('matches a card with no id to an existing record by normalized title', async () => {
    await setSaved(
      db,
      paper({ title: 'Attention Is All You Need: {T}ransformers' }),
      'huggingface',
      true,
    );
    const [s] = await recordCards(db, scholarPage, [
      { title: 'attention is all you need — transformers', url: 'https://papers.nips.cc/x' },
    ]);
    expect(s).toMatchObject({ id: 'arxiv:2401.00001', saved: true });
    expect(await db.papers.count()).toBe(1);
  });

  it('merges a provisional record into the real one when a later card reveals the arXiv id', async () => {
    const title = 'Deep Residual Learning for Image Recognition';
    const rec = await setSaved(
      db,
      { title, url: 'https://scholar.example/1', authors: ['K He'] },
      'scholar',
      true,
    );
    expect(rec.id).toBe(`title:deep residual learning for image recognition`);
    await db.papers.update(rec.id, { note: 'read section 3', tags: ['vision'], state: 'reading' });
    const [s] = await recordCards(db, hfPage(), [
      paper({ arxivId: '1512.03385', title, abstract: 'We present…' }),
    ]);
    expect(s).toMatchObject({ id: 'arxiv:1512.03385', saved: true });
    const all = await db.papers.toArray();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      id: 'arxiv:1512.03385',
      note: 'read section 3',
      tags: ['vision'],
      state: 'reading',
      abstract: 'We present…',
    });
    expect(all[0]?.aliases).toContain(rec.id);
    // The old key still finds the paper.
    expect((await setSavedById(db, rec.id, true))?.id).toBe('arxiv:1512.03385');
    expect((await storedSightings(db)).filter((s) => s.paperId === rec.id).length).toBe(0);
  });

  it('never replaces a richer field with a poorer one', async () => {
    await recordCards(db, hfPage(), [
      paper({ abstract: 'A long abstract with many words.', authors: ['A', 'B', 'C'] }),
    ]);
    await recordCards(db, arxivPage(), [paper({ abstract: '', authors: ['A'] })]);
    const rec = await db.papers.get('arxiv:2401.00001');
    expect(rec?.abstract).toBe('A long abstract with many words.');
    expect(rec?.authors).toEqual(['A', 'B', 'C']);
  });

  it('keeps two different papers that share a generic title apart when both have ids', async () => {
    await recordCards(db, arxivPage(), [
      paper({ arxivId: '2401.00010', title: 'A Survey of Large Language Models' }),
      paper({ arxivId: '2401.00011', title: 'A Survey of Large Language Models' }),
    ]);
    expect(await db.papers.count()).toBe(2);
  });
});

describe('saving', () => {
  it('saves, unsaves and keeps the first save time', async () => {
    const a = await setSaved(db, paper(), 'huggingface', true, 1000);
    const b = await setSaved(db, paper(), 'huggingface', true, 2000);
    expect(a.savedAt).toBe(1000);
    expect(b.savedAt).toBe(1000);
    expect(b.state).toBe('inbox');
    const c = await setSaved(db, paper(), 'huggingface', false, 3000);
    expect(c.savedAt).toBeUndefined();
    expect(await db.papers.where('savedAt').above(0).count()).toBe(0);
  });
});

describe('seen and new', () => {
  it('marks papers seen before this load, and new since the last visit of a listing', async () => {
    const first = await recordCards(db, arxivPage('a1'), [paper()], 1000);
    expect(first[0]).toMatchObject({ seen: false, isNew: false });
    // Same load, later batch (client-side navigation): still not "seen".
    const again = await recordCards(db, arxivPage('a1'), [paper()], 1500);
    expect(again[0]).toMatchObject({ seen: false, isNew: false });
    const second = await recordCards(
      db,
      arxivPage('a2'),
      [paper(), paper({ arxivId: '2401.00099', title: 'Something Entirely New Today' })],
      5000,
    );
    expect(second[0]).toMatchObject({ seen: true, isNew: false });
    expect(second[1]).toMatchObject({ seen: false, isNew: true });
    const key: [string, string] = ['arxiv:2401.00001', 'https://arxiv.org/list/cs.LG/new'];
    // A reload within the hour is the same sighting: nothing rewritten.
    expect(await storedSighting(db, ...key)).toMatchObject({
      firstAt: 1000,
      lastAt: 1000,
      count: 1,
    });
    // A visit hours later counts again.
    const later = 1000 + 3 * SEEN_REFRESH_MS;
    const third = await recordCards(db, arxivPage('a3'), [paper()], later);
    expect(third[0]).toMatchObject({ seen: true, isNew: false });
    expect(await storedSighting(db, ...key)).toMatchObject({
      firstAt: 1000,
      lastAt: later,
      count: 2,
    });
    expect((await db.papers.get('arxiv:2401.00001'))?.lastSeenAt).toBe(later);
  });

  it('rewrites nothing on a repeat visit within the hour, but stores what changed', async () => {
    await recordCards(
      db,
      arxivPage('a1'),
      [paper(), paper({ arxivId: '2401.00002', title: 'Another Paper On Things' })],
      1000,
    );
    const before = await db.papers.get('arxiv:2401.00001');
    await recordCards(
      db,
      arxivPage('a2'),
      [paper({ upvotes: 42 }), paper({ arxivId: '2401.00002', title: 'Another Paper On Things' })],
      2000,
    );
    // The changed paper is stored; the unchanged one keeps its record as it was.
    expect((await db.papers.get('arxiv:2401.00001'))?.upvotes).toBe(42);
    expect((await db.papers.get('arxiv:2401.00002'))?.updatedAt).toBe(1000);
    expect(before?.lastSeenAt).toBe(1000);
  });

  it('tells the answer before its writes have committed, and it is what the page gets', async () => {
    await setSaved(db, paper(), 'huggingface', true);
    const cards = [paper(), paper({ arxivId: '2401.00077', title: 'A Paper Seen Here First' })];
    const order: string[] = [];
    let early: unknown;
    const states = await recordCards(db, arxivPage(), cards, 1000, false, (s) => {
      early = s;
      order.push('told');
    }).then((s) => (order.push('committed'), s));
    expect(order).toEqual(['told', 'committed']);
    expect(early).toEqual(states);
    expect(states.map((s) => s.saved)).toEqual([true, false]);
    // The writes it did not wait for are stored all the same.
    expect((await storedSightings(db)).length).toBe(2);
    expect(await db.papers.get('arxiv:2401.00077')).toMatchObject({ firstSeenAt: 1000 });
  });

  it('flags a replacement of a saved paper as a new version', async () => {
    await setSaved(db, paper({ version: 1 }), 'arxiv', true);
    const [s, t] = await recordCards(db, arxivPage(), [
      paper({ section: 'replacement' }),
      paper({
        arxivId: '2401.00005',
        title: 'Unsaved Replacement Paper Here',
        section: 'replacement',
      }),
    ]);
    expect(s?.newVersion).toBe(true);
    expect(t?.newVersion).toBe(false);
  });

  it('does not call the version the user saved from the replacements a new version', async () => {
    // Saved from the replacements section at v2; the next visit shows the same v2 there.
    await recordCards(db, arxivPage(), [paper({ section: 'replacement', version: 2 })], 1000);
    await setSaved(db, paper({ section: 'replacement', version: 2 }), 'arxiv', true);
    const [again] = await recordCards(
      db,
      arxivPage(),
      [paper({ section: 'replacement', version: 2 })],
      5000,
    );
    expect(again?.saved).toBe(true);
    expect(again?.newVersion).toBe(false);
    // A v3 there later is new.
    const [later] = await recordCards(
      db,
      arxivPage(),
      [paper({ section: 'replacement', version: 3 })],
      9000,
    );
    expect(later?.newVersion).toBe(true);
  });

  it('without versions, a replacement is new only if the paper was saved before the page showed it', async () => {
    // Saved on Hugging Face (no version), then seen in the replacements: new version.
    await setSaved(db, paper(), 'huggingface', true);
    const [first] = await recordCards(
      db,
      arxivPage(),
      [paper({ section: 'replacement' })],
      Date.now() + 1000,
    );
    expect(first?.newVersion).toBe(true);
    // Saved from the replacements after the page first showed it: not new on the next visit.
    const [other] = await recordCards(
      db,
      arxivPage(),
      [
        paper({
          arxivId: '2401.00006',
          title: 'Another Replaced Paper Here',
          section: 'replacement',
        }),
      ],
      1000,
    );
    expect(other?.saved).toBe(false);
    await setSaved(
      db,
      paper({ arxivId: '2401.00006', title: 'Another Replaced Paper Here' }),
      'arxiv',
      true,
    );
    const [next] = await recordCards(
      db,
      arxivPage(),
      [
        paper({
          arxivId: '2401.00006',
          title: 'Another Replaced Paper Here',
          section: 'replacement',
        }),
      ],
      Date.now() + 5000,
    );
    expect(next?.saved).toBe(true);
    expect(next?.newVersion).toBe(false);
  });
});

describe('history settings', () => {
  it('turning history off clears it but keeps saved papers', async () => {
    await setSaved(db, paper(), 'huggingface', true);
    await recordCards(db, hfPage(), [
      paper({ arxivId: '2401.00003', title: 'Only Seen Not Saved Paper' }),
    ]);
    expect(await db.papers.count()).toBe(2);
    await setSettings(db, { historyEnabled: false });
    expect(await getSettings(db)).toMatchObject({ historyEnabled: false });
    expect(await db.papers.count()).toBe(1);
    expect((await storedSightings(db)).length).toBe(0);
    // With history off, cards are not recorded, but saved state still shows.
    const [s, t] = await recordCards(db, hfPage('l2'), [
      paper(),
      paper({ arxivId: '2401.00004', title: 'Another Unsaved One Here' }),
    ]);
    expect(s?.saved).toBe(true);
    expect(t?.saved).toBe(false);
    expect(await db.papers.count()).toBe(1);
  });

  it('after history is cleared, a saved paper is "seen" only once a card showed it since', async () => {
    const pause = () => new Promise((ok) => setTimeout(ok, 10));
    await recordCards(db, arxivPage('a1'), [paper()], 1000);
    await setSaved(db, paper(), 'arxiv', true);
    await pause();
    await clearHistory(db);
    // The first visit after the clear: the history that said "seen" is gone.
    const [first] = await recordCards(db, arxivPage('a2'), [paper()], Date.now() + 1);
    expect(first).toMatchObject({ saved: true, seen: false });
    // The next one: shown since the clear, so seen.
    const [second] = await recordCards(db, arxivPage('a3'), [paper()], Date.now() + 2);
    expect(second).toMatchObject({ saved: true, seen: true });
    // The same after turning history off and on again.
    await pause();
    await setSettings(db, { historyEnabled: false });
    await setSettings(db, { historyEnabled: true });
    const [third] = await recordCards(db, arxivPage('a4'), [paper()], Date.now() + 1);
    expect(third).toMatchObject({ saved: true, seen: false });
  });

  it('with history off, a saved paper seen before is not marked seen', async () => {
    // Seen on two visits with history on, saved on the first: the second visit marks it seen.
    await recordCards(db, arxivPage('a1'), [paper()], 1000);
    await setSaved(db, paper(), 'arxiv', true, 1001);
    const [before] = await recordCards(db, arxivPage('a2'), [paper()], 2000);
    expect(before).toMatchObject({ saved: true, seen: true });
    await setSettings(db, { historyEnabled: false });
    // "Turning it off clears it": the next visits show no history, only the saved state.
    const [after] = await recordCards(db, arxivPage('a3'), [paper()], 3000);
    expect(after).toMatchObject({ saved: true, seen: false, isNew: false });
    // A paper saved while history is off is not marked seen on its next visit either.
    const other = paper({ arxivId: '2401.00009', title: 'Saved While History Was Off' });
    await setSaved(db, other, 'arxiv', true, 3500);
    const [, later] = await recordCards(db, arxivPage('a4'), [paper(), other], 4000);
    expect(later).toMatchObject({ saved: true, seen: false });
  });

  it('clearHistory reports what it removed', async () => {
    await recordCards(db, hfPage(), [paper()]);
    expect(await clearHistory(db)).toEqual({ removedPapers: 1, removedSightings: 1 });
  });

  it('prunes the least recently seen unsaved papers beyond the cap', async () => {
    const cards = Array.from({ length: 30 }, (_, i) =>
      paper({
        arxivId: `2401.${String(i).padStart(5, '0')}`,
        title: `Paper number ${i} of thirty`,
      }),
    );
    for (let i = 0; i < 30; i++) await recordCards(db, hfPage(`l${i}`), [cards[i]!], 1000 + i);
    await setSaved(db, cards[0]!, 'huggingface', true);
    expect(await prune(db, 10)).toBe(20);
    const left = await db.papers.toCollection().primaryKeys();
    expect(left).toContain('arxiv:2401.00000'); // saved: kept although oldest
    expect(left).toContain('arxiv:2401.00029');
    expect(left).not.toContain('arxiv:2401.00001');
  });
});

describe('the worker’s memory of known papers (lib/librarycache.ts)', () => {
  const many = (n: number, prefix = '2402') =>
    Array.from({ length: n }, (_, i) =>
      paper({
        arxivId: `${prefix}.${String(i + 1).padStart(5, '0')}`,
        title: `Paper number ${i + 1} of a long listing`,
        url: `https://arxiv.org/abs/${prefix}.${String(i + 1).padStart(5, '0')}`,
      }),
    );

  it('a page seen again reads no paper or sighting (and answers the same)', async () => {
    const cards = many(50);
    await recordCards(db, arxivPage('a1'), cards, 1000);
    const first = await recordCards(db, arxivPage('a2'), cards, 2000);
    const reads = { papers: 0, sightings: 0 };
    const papersGet = db.papers.bulkGet.bind(db.papers);
    const sightingsGet = db.sightings.bulkGet.bind(db.sightings);
    db.papers.bulkGet = ((keys: string[]) => {
      reads.papers += keys.length;
      return papersGet(keys);
    }) as typeof db.papers.bulkGet;
    db.sightings.bulkGet = ((keys: [string, string][]) => {
      reads.sightings += keys.length;
      return sightingsGet(keys);
    }) as typeof db.sightings.bulkGet;
    const again = await recordCards(db, arxivPage('a2'), cards, 3000);
    expect(reads).toEqual({ papers: 0, sightings: 0 });
    expect(again).toEqual(first);
    // A page of papers never stored reads none either (their keys are probed, not fetched).
    await recordCards(db, arxivPage('a3'), many(50, '2403'), 4000);
    expect(reads).toEqual({ papers: 0, sightings: 0 });
  });

  it('never answers from memory what another write changed: save, unsave, clear, import', async () => {
    const cards = many(5);
    await recordCards(db, arxivPage('a1'), cards, 1000);
    await recordCards(db, arxivPage('a1'), cards, 1001);
    await setSavedById(db, 'arxiv:2402.00002', true, 1002);
    let states = await recordCards(db, arxivPage('a1'), cards, 1003);
    expect(states.map((s) => s.saved)).toEqual([false, true, false, false, false]);
    await setSaved(db, cards[1]!, 'arxiv', false, 1004);
    states = await recordCards(db, arxivPage('a1'), cards, 1005);
    expect(states.map((s) => s.saved)).toEqual([false, false, false, false, false]);
    // A write made straight to the table (as an import does) is seen too.
    const rec = (await db.papers.get('arxiv:2402.00003'))!;
    await db.papers.put({ ...rec, savedAt: 1006, note: 'imported' });
    states = await recordCards(db, arxivPage('a1'), cards, 1007);
    expect(states[2]).toMatchObject({ saved: true });
    expect((await db.papers.get('arxiv:2402.00003'))?.note).toBe('imported');
    // A change by query (as the reading list's bulk changes make) is seen too.
    await db.papers.where(':id').equals('arxiv:2402.00004').modify({ savedAt: 1007 });
    states = await recordCards(db, arxivPage('a1'), cards, 1007);
    expect(states[3]).toMatchObject({ saved: true });
    await db.papers.update('arxiv:2402.00004', { savedAt: undefined });
    states = await recordCards(db, arxivPage('a1'), cards, 1007);
    expect(states[3]).toMatchObject({ saved: false });
    // Cleared history: the papers are not "seen" any more, the saved one (kept) neither.
    await clearHistory(db);
    states = await recordCards(db, arxivPage('b1'), cards, 1008);
    expect(states.map((s) => s.seen)).toEqual([false, false, false, false, false]);
    expect(states[2]).toMatchObject({ saved: true });
  });

  it('a save racing a page load is never lost, whichever commits first', async () => {
    const cards = many(20);
    await recordCards(db, arxivPage('a1'), cards, 1000);
    await recordCards(db, arxivPage('a1'), cards, 1001);
    for (let round = 0; round < 5; round++) {
      const id = `arxiv:2402.${String(round + 1).padStart(5, '0')}`;
      await Promise.all([
        recordCards(db, arxivPage('a1'), cards, 2000 + round),
        setSavedById(db, id, true, 2000 + round),
        recordCards(db, arxivPage('a1'), cards, 2000 + round),
      ]);
      const states = await recordCards(db, arxivPage('a1'), cards, 3000 + round);
      expect(states[round]?.saved, id).toBe(true);
      expect((await db.papers.get(id))?.savedAt).toBe(2000 + round);
    }
  });

  it('a recording that fails leaves memory as the database is', async () => {
    const cards = many(3);
    await recordCards(db, arxivPage('a1'), cards, 1000);
    // The disk refuses the papers' writes, however they are issued (Dexie's or straight puts).
    const store = (globalThis as unknown as { IDBObjectStore: { prototype: IDBObjectStore } })
      .IDBObjectStore.prototype;
    const put = store.put;
    store.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'papers') throw new Error('disk');
      return put.apply(this, args);
    };
    await expect(
      recordCards(
        db,
        arxivPage('a2'),
        [paper({ ...cards[0], upvotes: 99 })],
        2000 + SEEN_REFRESH_MS,
      ),
    ).rejects.toThrow('disk');
    store.put = put;
    const [s] = await recordCards(db, arxivPage('a2'), [cards[0]!], 3000 + SEEN_REFRESH_MS);
    expect(s?.seen).toBe(true);
    expect((await db.papers.get('arxiv:2402.00001'))?.upvotes).toBeUndefined();
  });
});
