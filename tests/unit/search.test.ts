/**
 * The reading list's search index (MiniSearch with our tokenizer): what it finds in each field, how
 * a word being typed matches, updates of one paper, and highlighting that agrees with the index;
 * the list store that runs it in the popup's worker (rows, live changes, the saved index).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { recordCards, setSaved, setSavedById } from '../../lib/library';
import { ListStore, changedKeys, type FromStore } from '../../lib/liststore';
import type { WireCandidate } from '../../lib/messages';
import { annotate } from '../../lib/readinglist';
import {
  createIndex,
  fieldBit,
  highlight,
  search,
  searchIds,
  snippet,
  tokenize,
  type SearchDoc,
} from '../../lib/search';

const docs: SearchDoc[] = [
  {
    id: 'arxiv:1',
    title: 'Diffusion Models Beat GANs on Image Synthesis',
    abstract: 'We show that diffusion models can achieve image sample quality superior to GANs.',
    authors: ['Prafulla Dhariwal', 'Alex Nichol'],
  },
  {
    id: 'arxiv:2',
    title: 'Attention Is All You Need',
    abstract: 'The dominant sequence transduction models are based on recurrent networks.',
    authors: ['Ashish Vaswani', 'Noam Shazeer'],
    note: 'Re-read the section on multi-head attention before the reading group',
    tags: ['transformers', 'classics'],
  },
  {
    id: 'arxiv:3',
    title: 'Safe Vision-Language Models via Unsafe Weights Manipulation',
    abstract: 'Vision-language models often inherit biases.',
    authors: ["Moreno D'Incà", 'Elia Peruzzo'],
    tags: ['safety'],
  },
];

function build() {
  const index = createIndex();
  index.addAll(docs);
  return index;
}
const ids = (q: string, index = build()) => search(index, q).map((h) => h.id);

describe('search', () => {
  it('finds words of titles, abstracts, authors, notes and tags', () => {
    expect(ids('gans')).toEqual(['arxiv:1']);
    expect(ids('superior')).toEqual(['arxiv:1']);
    expect(ids('vaswani')).toEqual(['arxiv:2']);
    expect(ids('reading group')).toEqual(['arxiv:2']);
    expect(ids('classics')).toEqual(['arxiv:2']);
  });

  it('needs every word (AND) and matches the word being typed as a prefix', () => {
    expect(ids('diff')).toEqual(['arxiv:1']);
    expect(ids('models')).toHaveLength(3);
    expect(ids('models vis')).toEqual(['arxiv:3']);
    // A finished word (followed by a space) is matched whole.
    expect(ids('diff ')).toEqual([]);
  });

  it('ignores case and accents, and stop words', () => {
    expect(ids('INCA')).toEqual(['arxiv:3']);
    expect(ids('incà')).toEqual(['arxiv:3']);
    expect(ids('the')).toEqual([]);
  });

  it('ranks a title match above an abstract match', () => {
    const index = createIndex();
    index.addAll([
      { id: 'a', title: 'Something else', abstract: 'about graphs', authors: [] },
      { id: 'b', title: 'Graphs everywhere', abstract: 'nothing', authors: [] },
    ]);
    expect(search(index, 'graphs').map((h) => h.id)).toEqual(['b', 'a']);
  });

  it('says which words and fields matched', () => {
    const [hit] = search(build(), 'attention grou');
    expect(hit).toMatchObject({ id: 'arxiv:2' });
    expect(new Set(hit?.terms)).toEqual(new Set(['attention', 'group']));
    expect(hit?.fields).toEqual(expect.arrayContaining(['title', 'note']));
  });

  it('answers the popup as flat arrays, the same as search', () => {
    const index = build();
    for (const q of [
      'models',
      'models vis',
      'attention grou',
      'diff',
      'diff ',
      'the',
      '',
      'incà',
    ]) {
      const hits = search(index, q);
      const flat = searchIds(index, q);
      expect(flat.ids).toEqual(hits.map((h) => h.id));
      expect(flat.fields).toEqual(
        hits.map((h) => h.fields.reduce((bits, f) => bits | fieldBit(f), 0)),
      );
      expect(new Set(flat.terms)).toEqual(new Set(hits.flatMap((h) => h.terms)));
      expect(flat.terms.length).toBe(new Set(flat.terms).size);
    }
    expect(searchIds(index, 'attention grou').fields[0]).toBe(fieldBit('title') | fieldBit('note'));
  });

  it('updates one paper (a new note) without rebuilding', () => {
    const index = build();
    expect(ids('ablation', index)).toEqual([]);
    index.replace({ ...docs[0]!, note: 'ablation in table 3 is weak' });
    expect(ids('ablation', index)).toEqual(['arxiv:1']);
    index.discard('arxiv:1');
    expect(ids('ablation', index)).toEqual([]);
  });
});

describe('highlight', () => {
  it('marks whole matched words and keeps the text intact', () => {
    const text = 'Diffusion Models Beat GANs on Image Synthesis';
    const segs = highlight(text, new Set(['diffusion', 'gans']));
    expect(segs).toEqual([
      { text: 'Diffusion', mark: true },
      { text: ' Models Beat ', mark: false },
      { text: 'GANs', mark: true },
      { text: ' on Image Synthesis', mark: false },
    ]);
    expect(segs.map((s) => s.text).join('')).toBe(text);
  });

  it('matches accented words by their folded form, and leaves markup-like text as text', () => {
    expect(highlight("Moreno D'Incà", new Set(['inca']))).toEqual([
      { text: "Moreno D'", mark: false },
      { text: 'Incà', mark: true },
    ]);
    const evil = '<img src=x onerror=alert(1)> attention';
    const segs = highlight(evil, new Set(['attention']));
    expect(segs.map((s) => s.text).join('')).toBe(evil);
    expect(segs.at(-1)).toEqual({ text: 'attention', mark: true });
  });

  it('returns the text unmarked without terms', () => {
    expect(highlight('abc', new Set())).toEqual([{ text: 'abc', mark: false }]);
  });
});

describe('snippet', () => {
  it('cuts an excerpt around the first matched word', () => {
    const text = `${'lorem ipsum '.repeat(30)}the key finding is here ${'dolor sit '.repeat(30)}`;
    const s = snippet(text, new Set(['finding']), 80);
    expect(s).toMatch(/^… .*finding.* …$/);
    expect(s!.length).toBeLessThanOrEqual(86);
    expect(snippet('short text', new Set(['short']))).toBe('short text');
    expect(snippet('nothing here', new Set(['absent']))).toBeUndefined();
  });

  it('tokenizes on spaces and punctuation', () => {
    expect(tokenize('Vision-Language (VLMs), 2025!')).toEqual([
      'Vision',
      'Language',
      'VLMs',
      '2025',
    ]);
  });
});

describe('the list store (worker side): rows, search, live changes, saved index', () => {
  const wire = (i: number, over: Partial<WireCandidate> = {}): WireCandidate => ({
    arxivId: `2402.${String(i).padStart(5, '0')}`,
    title: `Paper ${i} on ${i % 2 ? 'graph networks' : 'diffusion models'}`,
    abstract: `Abstract ${i} mentions ${i === 3 ? 'xylophones' : 'nothing special'}.`,
    url: `https://arxiv.org/abs/2402.${String(i).padStart(5, '0')}`,
    ...over,
  });
  const id = (i: number) => `arxiv:2402.${String(i).padStart(5, '0')}`;
  let k = 0;

  /** A started store and the messages it posted; `until` waits for one that matches. */
  function open(db: PaperScoutDB) {
    const got: FromStore[] = [];
    const waiters: { test: (m: FromStore) => boolean; done: (m: FromStore) => void }[] = [];
    const store = new ListStore(db, (m) => {
      got.push(m);
      for (const w of [...waiters]) {
        if (!w.test(m)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.done(m);
      }
    });
    const until = <T extends FromStore['type']>(
      type: T,
      test: (m: Extract<FromStore, { type: T }>) => boolean = () => true,
    ) =>
      new Promise<Extract<FromStore, { type: T }>>((done, fail) => {
        const hit = got.find((m) => m.type === type && test(m as Extract<FromStore, { type: T }>));
        if (hit) return done(hit as Extract<FromStore, { type: T }>);
        const t = setTimeout(() => fail(new Error(`no ${type} message`)), 10_000);
        waiters.push({
          test: (m) => m.type === type && test(m as Extract<FromStore, { type: T }>),
          done: (m) => {
            clearTimeout(t);
            done(m as Extract<FromStore, { type: T }>);
          },
        });
      });
    store.start();
    return { store, got, until };
  }

  it('sends rows, answers queries, follows changes, and reuses its saved index', async () => {
    const db = new PaperScoutDB(`store-${k++}`);
    await db.open();
    for (let i = 1; i <= 6; i++) await setSaved(db, wire(i), 'arxiv', true, 1_000 + i);
    await recordCards(
      db,
      {
        url: 'https://arxiv.org/list/cs/new',
        site: 'arxiv',
        kind: 'list-new',
        listing: true,
        loadId: 'x',
      },
      [wire(9)],
    );

    const a = open(db);
    const rows = await a.until('rows');
    expect(rows.rows.map((r) => r.id)).toEqual([6, 5, 4, 3, 2, 1].map(id)); // saved only, newest first
    await a.until('progress', (m) => m.indexed === 6);
    a.store.handle({ type: 'query', seq: 1, text: 'xylo' });
    const r1 = await a.until('results', (m) => m.seq === 1);
    expect(r1.ids).toEqual([id(3)]);
    expect(r1.terms).toEqual(['xylophones']);
    expect(r1.fields[0]! & fieldBit('abstract')).toBeTruthy();
    a.store.handle({ type: 'snippets', seq: 1, ids: [id(3)] });
    expect((await a.until('snippets')).snippets[id(3)]).toContain('xylophones');

    // A note written elsewhere (here: the same database) arrives as a delta and is searchable.
    a.store.handle({ type: 'query', seq: 2, text: 'marimba' });
    await a.until('results', (m) => m.seq === 2 && m.ids.length === 0);
    await annotate(db, id(5), { note: 'compare with the marimba paper' });
    const d = await a.until('delta', (m) => m.upsert.some((r) => r.id === id(5)));
    expect(d.upsert.find((r) => r.id === id(5))?.note).toBe('compare with the marimba paper');
    await a.until('results', (m) => m.seq === 2 && m.ids[0] === id(5));
    // Unsaving removes the row and the paper from the results.
    await setSavedById(db, id(3), false);
    await a.until('delta', (m) => m.remove.includes(id(3)));
    a.store.handle({ type: 'query', seq: 3, text: 'xylophones' });
    expect((await a.until('results', (m) => m.seq === 3)).ids).toEqual([]);
    await a.store.save();
    a.store.stop();

    // Next popup: the saved index is loaded; only what changed since is indexed again.
    await annotate(db, id(1), { tags: ['vibraphone'] });
    const b = open(db);
    const p = await b.until('progress');
    expect(p).toMatchObject({ total: 5 });
    expect(p.indexed).toBe(4); // id(1) changed since the index was saved
    b.store.handle({ type: 'query', seq: 1, text: 'vibraphone' });
    expect((await b.until('results', (m) => m.seq === 1 && m.ids.length > 0)).ids).toEqual([id(1)]);
    b.store.handle({ type: 'query', seq: 2, text: 'marimba' });
    expect((await b.until('results', (m) => m.seq === 2)).ids).toEqual([id(5)]);
    b.store.stop();
  });

  it('reads a big list in slices, every paper once, newest first (ties included)', async () => {
    const db = new PaperScoutDB(`store-${k++}`);
    await db.open();
    // 2,300 saved papers: 1,200 saved at one same moment (an import), the rest a ms apart.
    const recs = Array.from({ length: 2_300 }, (_, i) => ({
      id: `arxiv:2403.${String(i).padStart(5, '0')}`,
      aliases: [],
      titleKey: `t${i}`,
      title: `T${i}`,
      authors: [],
      urls: {},
      savedAt: i < 1_200 ? 50_000 : 10_000 + i,
      firstSeenAt: 1,
      lastSeenAt: 1,
      updatedAt: 1,
    }));
    await db.papers.bulkPut(recs);
    const s = open(db);
    const rows = (await s.until('rows')).rows;
    expect(rows).toHaveLength(2_300);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2_300);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i - 1]!.savedAt).toBeGreaterThanOrEqual(rows[i]!.savedAt);
    s.store.stop();
  });

  it('names changed keys from a Dexie observability tree, or gives up on ranges', () => {
    expect(
      changedKeys({ from: 'b', to: 'b', d: 2, l: { from: 'a', to: 'a', d: 1 }, r: null }),
    ).toEqual(['b', 'a']);
    expect(changedKeys({ from: 'a', to: 'z', d: 1 })).toBeNull();
    expect(changedKeys({ d: 0 })).toEqual([]);
  });
});
