/**
 * Schema v5: records stored under keys older versions made move to the key the current code gives
 * the same paper (lib/migrate-keys.ts), so a card of a saved paper finds it again. Each database
 * here is created with the v4 schema, filled with records of each old shape, and opened with the
 * current PaperScoutDB.
 */
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { PaperScoutDB, type HitRecord, type PaperRecord, type SightingRecord } from '../../lib/db';
import { exportPapers } from '../../lib/exchange/export';
import { recordCards } from '../../lib/library';
import { rekeyStaleRecords } from '../../lib/migrate-keys';
import type { PageInfo, WireCandidate } from '../../lib/messages';
import { importText, newDb } from './exchange-helpers';

/** lib/db.ts's declarations up to v4 (as tests/unit/migrations.test.ts keeps them). */
const V4: Record<string, string>[] = [
  {
    papers: 'id, *aliases, titleKey, savedAt, lastSeenAt',
    sightings: '[paperId+url], paperId, lastAt',
    visits: 'url',
    settings: 'key',
  },
  { rules: 'id, updatedAt', hits: '[paperId+ruleId], ruleId, paperId, at' },
  { papers: 'id, *aliases, titleKey, savedAt, lastSeenAt, *tags' },
  { sightings: '[paperId+url]' },
];

const T = 1_780_000_000_000;

function paper(id: string, title: string, extra: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id,
    aliases: [],
    titleKey: title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim(),
    title,
    authors: ['A. Author'],
    urls: {},
    firstSeenAt: T,
    lastSeenAt: T + 10,
    updatedAt: T + 10,
    ...extra,
  };
}

const sighting = (paperId: string, url: string, at: number, count: number): SightingRecord => ({
  paperId,
  url,
  site: 'arxiv',
  firstAt: at,
  lastAt: at + 5,
  count,
});

const hit = (paperId: string, ruleId: string, at: number): HitRecord => ({
  paperId,
  ruleId,
  terms: ['geometry'],
  at,
});

const open: Dexie[] = [];
let n = 0;
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** A v4 database holding these rows, opened with the current schema. */
async function upgraded(rows: {
  papers: PaperRecord[];
  sightings?: SightingRecord[];
  hits?: HitRecord[];
}): Promise<PaperScoutDB> {
  const name = `rekey-${n++}`;
  const old = new Dexie(name);
  V4.forEach((stores, i) => old.version(i + 1).stores(stores));
  await old.open();
  await old.table('papers').bulkAdd(rows.papers);
  await old.table('sightings').bulkAdd(rows.sightings ?? []);
  await old.table('hits').bulkAdd(rows.hits ?? []);
  old.close();
  const db = new PaperScoutDB(name);
  open.push(db);
  await db.open();
  return db;
}

const page = (url: string, site: PageInfo['site']): PageInfo => ({
  url,
  site,
  kind: 'listing',
  listing: true,
  loadId: `load-${n++}`,
});

async function cardState(db: PaperScoutDB, p: PageInfo, card: WireCandidate) {
  const [state] = await recordCards(db, p, [card], T + 1_000_000);
  return state!;
}

describe('v5 upgrade: old-style arXiv ids with a subject class', () => {
  const oldRec = paper('arxiv:math.DG/0501001', 'Ricci flow on surfaces with conical points', {
    arxivId: 'math.DG/0501001',
    urls: { arxiv: 'https://arxiv.org/abs/math.DG/0501001' },
    savedAt: T + 1,
    savedFrom: 'arxiv',
    note: 'Compare with Hamilton.',
    noteAt: T + 2,
    tags: ['geometry'],
    tagsAt: T + 2,
    state: 'reading',
    stateAt: T + 3,
  });

  it('moves the record to arxiv:math/0501001, keeping everything, and the card finds it saved', async () => {
    const db = await upgraded({
      papers: [oldRec],
      sightings: [sighting(oldRec.id, 'https://arxiv.org/list/math.DG/pastweek', T, 2)],
      hits: [hit(oldRec.id, 'rule-geo', T + 4)],
    });
    expect(await db.papers.get('arxiv:math.DG/0501001')).toBeUndefined();
    const moved = await db.papers.get('arxiv:math/0501001');
    expect(moved).toEqual({
      ...oldRec,
      id: 'arxiv:math/0501001',
      arxivId: 'math/0501001',
      aliases: ['arxiv:math.DG/0501001'],
    });
    expect(await db.sightings.toArray()).toEqual([
      sighting('arxiv:math/0501001', 'https://arxiv.org/list/math.DG/pastweek', T, 2),
    ]);
    expect(await db.hits.toArray()).toEqual([hit('arxiv:math/0501001', 'rule-geo', T + 4)]);
    // The arXiv listing's card (parseArxivId drops the class) shows the paper saved.
    const state = await cardState(db, page('https://arxiv.org/list/math/new', 'arxiv'), {
      arxivId: 'math/0501001',
      title: oldRec.title,
      url: 'https://arxiv.org/abs/math/0501001',
    });
    expect(state).toMatchObject({ id: 'arxiv:math/0501001', saved: true, seen: true });
    expect(await db.papers.count()).toBe(1);
  });

  it('joins a record already stored under the new key: both notes, every tag, sightings and hits', async () => {
    const newRec = paper('arxiv:math/0501001', oldRec.title, {
      arxivId: 'math/0501001',
      urls: { huggingface: 'https://huggingface.co/papers/math/0501001' },
      savedAt: T + 50,
      savedFrom: 'huggingface',
      note: 'Saved again from HF.',
      noteAt: T + 51,
      tags: ['ricci'],
      tagsAt: T + 51,
      firstSeenAt: T + 40,
      lastSeenAt: T + 60,
    });
    const list = 'https://arxiv.org/list/math.DG/pastweek';
    const db = await upgraded({
      papers: [oldRec, newRec],
      sightings: [
        sighting(oldRec.id, list, T, 2),
        sighting(newRec.id, list, T + 40, 3),
        sighting(oldRec.id, 'https://arxiv.org/list/math/new', T + 7, 1),
      ],
      hits: [hit(oldRec.id, 'rule-geo', T + 4), hit(newRec.id, 'rule-geo', T + 45)],
    });
    expect(await db.papers.toCollection().primaryKeys()).toEqual(['arxiv:math/0501001']);
    const joined = (await db.papers.get('arxiv:math/0501001'))!;
    expect(joined.note).toBe('Saved again from HF.\n\nCompare with Hamilton.');
    expect(joined.tags).toEqual(['ricci', 'geometry']);
    expect(joined.state).toBe('reading');
    expect(joined.savedAt).toBeDefined();
    expect(joined.aliases).toEqual(['arxiv:math.DG/0501001']);
    expect(joined.urls).toEqual({ ...oldRec.urls, ...newRec.urls });
    expect(joined.firstSeenAt).toBe(T);
    expect(await db.sightings.toArray()).toEqual([
      { ...sighting(newRec.id, list, T, 5), lastAt: T + 45 },
      sighting(newRec.id, 'https://arxiv.org/list/math/new', T + 7, 1),
    ]);
    expect(await db.hits.toArray()).toEqual([hit(newRec.id, 'rule-geo', T + 4)]);
  });
});

describe('v5 upgrade: DOI keys', () => {
  it('lower-cases a DOI key, and a card naming the DOI in capitals finds the record', async () => {
    const rec = paper('doi:10.1145/3292500.ABC', 'Deep learning for recommender systems at scale', {
      doi: '10.1145/3292500.ABC',
      savedAt: T + 1,
      note: 'from a hand-edited backup',
    });
    const db = await upgraded({
      papers: [rec],
      sightings: [sighting(rec.id, 'https://scholar.google.com/scholar?q=x', T, 1)],
    });
    expect(await db.papers.toCollection().primaryKeys()).toEqual(['doi:10.1145/3292500.abc']);
    expect(await db.papers.get('doi:10.1145/3292500.abc')).toEqual({
      ...rec,
      id: 'doi:10.1145/3292500.abc',
      aliases: ['doi:10.1145/3292500.ABC'],
    });
    expect((await db.sightings.toArray()).map((s) => s.paperId)).toEqual([
      'doi:10.1145/3292500.abc',
    ]);
    const state = await cardState(db, page('https://scholar.google.com/scholar?q=y', 'scholar'), {
      doi: '10.1145/3292500.ABC',
      title: rec.title,
      url: 'https://dl.acm.org/doi/10.1145/3292500.ABC',
    });
    expect(state).toMatchObject({ id: 'doi:10.1145/3292500.abc', saved: true });
  });

  it('moves arXiv’s own DOI (10.48550/arXiv.<id>) to the arXiv key, joining the arXiv record', async () => {
    const doiRec = paper('doi:10.48550/arXiv.2401.00001', 'Attention maps of vision models', {
      doi: '10.48550/arXiv.2401.00001',
      savedAt: T + 1,
      note: 'note on the DOI record',
    });
    const arxivRec = paper('arxiv:2401.00001', 'Attention maps of vision models', {
      arxivId: '2401.00001',
      note: 'note on the arXiv record',
      tags: ['vision'],
    });
    const db = await upgraded({ papers: [doiRec, arxivRec] });
    expect(await db.papers.toCollection().primaryKeys()).toEqual(['arxiv:2401.00001']);
    const joined = (await db.papers.get('arxiv:2401.00001'))!;
    expect(joined.note).toBe('note on the arXiv record\n\nnote on the DOI record');
    expect(joined.savedAt).toBe(T + 1);
    expect(joined.tags).toEqual(['vision']);
    expect(joined.aliases).toEqual(['doi:10.48550/arXiv.2401.00001']);
  });
});

describe('v5 upgrade: another paper holding the new key', () => {
  it('joins the record that holds the new key as an alias (the arXiv record of that DOI)', async () => {
    const arxivRec = paper('arxiv:2401.00007', 'Graph transformers for molecules at scale', {
      arxivId: '2401.00007',
      aliases: ['doi:10.1145/abc'],
      note: 'arXiv record',
    });
    const stale = paper('doi:10.1145/ABC', 'Graph transformers for molecules at scale', {
      savedAt: T + 1,
      note: 'journal version',
      tags: ['graphs'],
    });
    const url = 'https://scholar.google.com/scholar?q=graph';
    const db = await upgraded({
      papers: [arxivRec, stale],
      sightings: [sighting(stale.id, url, T, 1)],
      hits: [hit(stale.id, 'rule-graphs', T + 3)],
    });
    expect(await db.papers.toCollection().primaryKeys()).toEqual(['arxiv:2401.00007']);
    const joined = (await db.papers.get('arxiv:2401.00007'))!;
    expect(joined).toMatchObject({
      note: 'arXiv record\n\njournal version',
      tags: ['graphs'],
      savedAt: T + 1,
      aliases: ['doi:10.1145/abc', 'doi:10.1145/ABC'],
    });
    expect((await db.sightings.toArray()).map((x) => x.paperId)).toEqual(['arxiv:2401.00007']);
    expect(await db.hits.toArray()).toEqual([hit('arxiv:2401.00007', 'rule-graphs', T + 3)]);
  });

  it('leaves a record alone whose new key another arXiv paper holds as an alias', async () => {
    // A Scholar card once mixed two papers' links: arXiv 2402.00009 took the DOI as an alias.
    const other = paper('arxiv:2402.00009', 'Another paper entirely about graphs', {
      aliases: ['doi:10.1145/abc'],
      note: 'other paper',
    });
    const stale = paper('doi:10.1145/ABC', 'The paper of this DOI about trees', {
      aliases: ['arxiv:2401.00005'],
      note: 'this paper',
    });
    const db = await upgraded({ papers: [other, stale] });
    expect(await db.papers.toArray()).toEqual([other, stale]);
  });
});

describe('v5 upgrade: provisional keys of titles too short to match', () => {
  it('keys "Introduction" with its address, so the Scholar card shows it saved', async () => {
    const url = 'https://scholar.google.com/scholar?cluster=123';
    const rec = paper('title:introduction', 'Introduction', {
      titleKey: 'introduction',
      urls: { scholar: url, acl: 'https://aclanthology.org/2020.intro-1.1/' },
      savedAt: T + 1,
      savedFrom: 'scholar',
      note: 'the book chapter',
    });
    const db = await upgraded({ papers: [rec], sightings: [sighting(rec.id, url, T, 1)] });
    const id = `title:introduction @${url}`;
    expect(await db.papers.toCollection().primaryKeys()).toEqual([id]);
    expect(await db.papers.get(id)).toEqual({
      ...rec,
      id,
      aliases: [
        'title:introduction',
        'title:introduction @https://aclanthology.org/2020.intro-1.1/',
      ],
    });
    expect((await db.sightings.toArray()).map((s) => s.paperId)).toEqual([id]);
    const state = await cardState(
      db,
      page('https://scholar.google.com/scholar?q=intro', 'scholar'),
      {
        title: 'Introduction',
        url,
      },
    );
    expect(state).toMatchObject({ id, saved: true });
    expect(await db.papers.count()).toBe(1);
  });
});

describe('v5 upgrade: records under current keys', () => {
  const current = [
    paper('arxiv:hep-th/9901001', 'Strings on curved backgrounds and more', {
      arxivId: 'hep-th/9901001',
      aliases: ['doi:10.1000/ABC'],
      savedAt: T,
      note: 'n',
    }),
    paper('arxiv:2401.00002', 'Some paper with a long title', { arxivId: '2401.00002' }),
    paper('doi:10.1000/xyz.123', 'A journal paper about things'),
    paper('acl:2021.acl-long.1', 'An ACL paper about parsing'),
    paper('title:a provisional paper title', 'A provisional paper title'),
    paper('title:preface @https://example.org/book/1', 'Preface', {
      titleKey: 'preface',
      urls: { scholar: 'https://example.org/book/1' },
    }),
    // A BibTeX import's "Preface" (no card saved it): the current code keys it so too.
    paper('title:preface', 'Preface', {
      titleKey: 'preface',
      urls: { scholar: 'https://scholar.google.com/scholar?cluster=9' },
      savedAt: T,
      state: 'inbox',
    }),
  ];

  it('leaves them byte-identical, and a second pass changes nothing', async () => {
    const db = await upgraded({
      papers: current,
      sightings: [sighting('arxiv:2401.00002', 'https://arxiv.org/list/cs/new', T, 1)],
    });
    const all = await db.papers.toArray();
    expect(JSON.stringify(all)).toBe(
      JSON.stringify([...current].sort((a, b) => (a.id < b.id ? -1 : 1))),
    );
    const writes: string[] = [];
    db.writeListeners.add((table, keys) => void writes.push(`${table}:${String(keys)}`));
    await db.transaction('rw', db.papers, db.sightings, db.hits, () =>
      rekeyStaleRecords({ papers: db.papers, sightings: db.sightings, hits: db.hits }),
    );
    expect(writes).toEqual([]);
  });

  it('a second pass after a move finds nothing to do (idempotent)', async () => {
    const db = await upgraded({
      papers: [paper('arxiv:math.GT/0309136', 'Three manifolds and knots', { savedAt: T })],
    });
    const before = await db.papers.toArray();
    const moved = await db.transaction('rw', db.papers, db.sightings, db.hits, () =>
      rekeyStaleRecords({ papers: db.papers, sightings: db.sightings, hits: db.hits }),
    );
    expect(moved).toBe(0);
    expect(await db.papers.toArray()).toEqual(before);
    expect(before.map((p) => p.id)).toEqual(['arxiv:math/0309136']);
  });
});

describe('v5 upgrade: records of shapes no version wrote', () => {
  it('opens the database and leaves a stale record without an aliases list as it was', async () => {
    const broken = {
      ...paper('arxiv:math.DG/0501002', 'A hand-edited record without aliases'),
      aliases: undefined,
    } as unknown as PaperRecord;
    const odd = {
      ...paper('doi:10.1145/ABC', 'A record whose aliases are a string'),
      aliases: 'doi:10.1/x',
    } as unknown as PaperRecord;
    const fine = paper('arxiv:math.DG/0501003', 'Ricci flow with a note', {
      arxivId: 'math.DG/0501003',
      savedAt: T + 1,
      note: 'keep me',
    });
    const db = await upgraded({ papers: [broken, odd, fine] });
    expect(db.verno).toBe(5);
    expect(await db.papers.get('arxiv:math.DG/0501002')).toEqual(broken);
    expect(await db.papers.get('doi:10.1145/ABC')).toEqual(odd);
    // The other records are still moved.
    expect((await db.papers.get('arxiv:math/0501003'))?.note).toBe('keep me');
  });
});

describe('v5 upgrade: aliases an older version took from another arXiv paper', () => {
  // Before commits d8d42cb and 0f98710, a card mixing two papers' ids gave the record of arXiv
  // 2401.00001 the other paper's keys: an ACL card linking the wrong preprint (arxiv:2401.00003),
  // a Scholar card with 2402.00002's arXiv DOI (alias and `doi` field).
  const a = paper('arxiv:2401.00001', 'Sparse attention for long documents', {
    arxivId: '2401.00001',
    aliases: [
      'arxiv:2401.00003',
      'doi:10.48550/arxiv.2402.00002',
      'doi:10.18653/v1/2024.acl-long.9',
    ],
    doi: '10.48550/arxiv.2402.00002',
    urls: { arxiv: 'https://arxiv.org/abs/2401.00001' },
    savedAt: T + 1,
    savedFrom: 'arxiv',
    note: 'Read section 3 again.',
    noteAt: T + 2,
    tags: ['attention'],
    tagsAt: T + 2,
    state: 'reading',
    stateAt: T + 3,
  });
  const arxivPage = () => page('https://arxiv.org/list/cs.CL/new', 'arxiv');
  const card = (id: string, title: string): WireCandidate => ({
    arxivId: id,
    title,
    url: `https://arxiv.org/abs/${id}`,
  });

  it('a card of the other paper is no longer taken for the saved one', async () => {
    const db = await upgraded({ papers: [a], sightings: [sighting(a.id, arxivPage().url, T, 1)] });
    // No record is made for the other papers until a card of them is seen.
    expect(await db.papers.toCollection().primaryKeys()).toEqual([a.id]);
    // A Scholar card naming 2402.00002 by its arXiv DOI only.
    const scholar = page('https://scholar.google.com/scholar?q=retrieval', 'scholar');
    const b = await cardState(db, scholar, {
      doi: '10.48550/arXiv.2402.00002',
      title: 'Retrieval for code models',
      url: 'https://doi.org/10.48550/arXiv.2402.00002',
    });
    expect(b).toMatchObject({ id: 'arxiv:2402.00002', saved: false });
    const c = await cardState(db, arxivPage(), card('2401.00003', 'Speech tokenizers compared'));
    expect(c).toMatchObject({ id: 'arxiv:2401.00003', saved: false });
    // The other papers' cards did not touch it; only the two papers' keys left it.
    const repaired: Partial<PaperRecord> = { ...a, aliases: ['doi:10.18653/v1/2024.acl-long.9'] };
    delete repaired.doi;
    expect(JSON.stringify(await db.papers.get(a.id))).toBe(JSON.stringify(repaired));
    const own = await cardState(db, arxivPage(), card('2401.00001', a.title));
    expect(own).toMatchObject({ id: a.id, saved: true });
    const kept = (await db.papers.get(a.id))!;
    expect(kept).toMatchObject({ note: a.note, tags: a.tags, state: 'reading', savedAt: T + 1 });
    expect((await db.papers.get('arxiv:2402.00002'))?.note).toBeUndefined();
  });

  it('keeps the other paper’s old-key record apart instead of joining it to the saved one', async () => {
    // 2401.00003 under its arXiv DOI (a hand-edited backup): its current key is a's wrong alias.
    const other = paper('doi:10.48550/arXiv.2401.00003', 'Speech tokenizers compared', {
      savedAt: T + 5,
      note: 'the other paper',
    });
    const db = await upgraded({ papers: [a, other] });
    expect((await db.papers.toCollection().primaryKeys()).sort()).toEqual([
      'arxiv:2401.00001',
      'arxiv:2401.00003',
    ]);
    expect((await db.papers.get(a.id))?.note).toBe(a.note);
    expect((await db.papers.get('arxiv:2401.00003'))?.note).toBe('the other paper');
    const c = await cardState(db, arxivPage(), card('2401.00003', other.title));
    expect(c).toMatchObject({ id: 'arxiv:2401.00003', saved: true });
  });

  it('writes only the records to repair, byte for byte the rest, and a second pass does nothing', async () => {
    const untouched = [
      // Its own arXiv DOI and a journal DOI.
      paper('arxiv:2403.00004', 'Diffusion models for tabular data', {
        arxivId: '2403.00004',
        aliases: ['doi:10.48550/arxiv.2403.00004', 'doi:10.1145/xyz'],
        doi: '10.48550/arxiv.2403.00004',
        note: 'mine',
      }),
      // Moved by v5 from the subject-class key: the old key is the same paper.
      paper('arxiv:math/0501001', 'Ricci flow on surfaces with conical points', {
        arxivId: 'math/0501001',
        aliases: ['arxiv:math.DG/0501001', 'doi:10.48550/arXiv.math/0501001'],
      }),
      // Keyed by a journal DOI with two arXiv ids: nothing tells which one is its paper.
      paper('doi:10.1000/two', 'A journal paper with two preprints', {
        aliases: ['arxiv:2404.00001', 'arxiv:2404.00002'],
        note: 'left alone',
      }),
    ];
    const db = await upgraded({ papers: [a, ...untouched] });
    const byId = new Map((await db.papers.toArray()).map((r) => [r.id, r]));
    for (const r of untouched) expect(JSON.stringify(byId.get(r.id))).toBe(JSON.stringify(r));
    expect(byId.get(a.id)?.aliases).toEqual(['doi:10.18653/v1/2024.acl-long.9']);
    const before = await db.papers.toArray();
    const writes: string[] = [];
    db.writeListeners.add((table, keys) => void writes.push(`${table}:${String(keys)}`));
    await db.transaction('rw', db.papers, db.sightings, db.hits, () =>
      rekeyStaleRecords({ papers: db.papers, sightings: db.sightings, hits: db.hits }),
    );
    expect(writes).toEqual([]);
    expect(await db.papers.toArray()).toEqual(before);
  });

  it('opens the database when such a record has aliases of a shape no version wrote', async () => {
    const odd = {
      ...paper('arxiv:2405.00001', 'A hand-edited record'),
      aliases: ['arxiv:2405.00002', 7, null],
    } as unknown as PaperRecord;
    const db = await upgraded({ papers: [odd, a] });
    expect(db.verno).toBe(5);
    expect(await db.papers.get(odd.id)).toEqual({ ...odd, aliases: [7, null] });
    expect((await db.papers.get(a.id))?.aliases).toEqual(['doi:10.18653/v1/2024.acl-long.9']);
  });
});

describe('backup import of an older version’s keys', () => {
  /** A backup of a library that still holds records under old keys (as older versions wrote). */
  async function oldBackup(rows: PaperRecord[], sightings: SightingRecord[] = []): Promise<string> {
    const db = await newDb();
    open.push(db);
    await db.papers.bulkPut(rows);
    await db.sightings.bulkPut(sightings);
    return (await exportPapers(db, 'backup', { scope: 'all' }, { appVersion: '0.1.0' })).text;
  }
  const oldRec = paper('arxiv:math.DG/0501001', 'Ricci flow on surfaces with conical points', {
    arxivId: 'math.DG/0501001',
    urls: { arxiv: 'https://arxiv.org/abs/math.DG/0501001' },
    savedAt: T + 1,
    note: 'Compare with Hamilton.',
    noteAt: T + 2,
    tags: ['geometry'],
    tagsAt: T + 2,
  });
  const newRec = paper('arxiv:math/0501001', oldRec.title, {
    arxivId: 'math/0501001',
    savedAt: T + 50,
    note: 'Saved again here.',
    noteAt: T + 51,
    updatedAt: T + 60,
  });

  it('files arxiv:math.DG/0501001 under arxiv:math/0501001, joining this library’s record', async () => {
    const list = 'https://arxiv.org/list/math.DG/pastweek';
    const text = await oldBackup([oldRec], [sighting(oldRec.id, list, T, 2)]);
    const db = await newDb();
    open.push(db);
    await db.papers.put(newRec);
    await importText(db, text, 'paper-scout-backup.json');
    expect(await db.papers.toCollection().primaryKeys()).toEqual(['arxiv:math/0501001']);
    const joined = (await db.papers.get('arxiv:math/0501001'))!;
    expect(joined.note).toContain('Compare with Hamilton.');
    expect(joined.note).toContain('Saved again here.');
    expect(joined.tags).toEqual(['geometry']);
    expect(joined.savedAt).toBe(T + 1);
    expect(joined.aliases).toContain('arxiv:math.DG/0501001');
    expect(joined.arxivId).toBe('math/0501001');
    expect((await db.sightings.toArray()).map((s) => [s.paperId, s.count])).toEqual([
      ['arxiv:math/0501001', 2],
    ]);
  });

  it('keeps both notes when the file holds the old and the new key of one paper', async () => {
    const text = await oldBackup([oldRec, newRec]);
    const db = await newDb();
    open.push(db);
    await importText(db, text, 'paper-scout-backup.json');
    expect(await db.papers.toCollection().primaryKeys()).toEqual(['arxiv:math/0501001']);
    const joined = (await db.papers.get('arxiv:math/0501001'))!;
    expect(joined.note).toContain('Compare with Hamilton.');
    expect(joined.note).toContain('Saved again here.');
    expect(joined.tags).toEqual(['geometry']);
  });

  it('keys a short title with its address and a capitalized DOI in lower case', async () => {
    const url = 'https://scholar.google.com/scholar?cluster=123';
    const text = await oldBackup([
      paper('title:introduction', 'Introduction', {
        titleKey: 'introduction',
        urls: { scholar: url },
        savedAt: T,
        savedFrom: 'scholar',
        note: 'the chapter',
      }),
      paper('doi:10.1145/3292500.ABC', 'Deep learning for recommender systems at scale', {
        savedAt: T,
      }),
    ]);
    const db = await newDb();
    open.push(db);
    await importText(db, text, 'paper-scout-backup.json');
    expect((await db.papers.toCollection().primaryKeys()).sort()).toEqual([
      'doi:10.1145/3292500.abc',
      `title:introduction @${url}`,
    ]);
    const state = await cardState(db, page('https://scholar.google.com/scholar?q=i', 'scholar'), {
      title: 'Introduction',
      url,
    });
    expect(state).toMatchObject({ id: `title:introduction @${url}`, saved: true });
    expect((await db.papers.get(`title:introduction @${url}`))?.note).toBe('the chapter');
  });
});
