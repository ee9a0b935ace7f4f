import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import {
  createIndex,
  RelatedIndex,
  type PaperText,
  type RelatedMeta,
  type RelatedRow,
  type RelatedSnapshot,
} from '../../lib/related';
import { porterStem } from '../../lib/related/stem';
import { normalizeText, termVector, DEFAULT_TEXT_OPTIONS } from '../../lib/related/text';

/** Three topics, four papers each: the right neighbours are obvious. */
const TOPICS: Record<string, [string, string][]> = {
  molecules: [
    [
      'Graph neural networks for molecular property prediction',
      'We train message passing graph networks on molecules to predict molecular properties such as solubility.',
    ],
    [
      'Equivariant message passing for molecules',
      'Molecular graphs with atom coordinates; an equivariant graph neural network predicts energies of molecules.',
    ],
    [
      'Generative graph models for molecule design',
      'Graph neural networks generate novel molecules with desired molecular properties.',
    ],
    [
      'Benchmarking graph networks on molecular datasets',
      'A benchmark of message passing neural networks for molecular graphs and property prediction.',
    ],
  ],
  speech: [
    [
      'End-to-end speech recognition with transformers',
      'A transformer acoustic model transcribes speech audio into text; word error rate improves on spoken corpora.',
    ],
    [
      'Streaming automatic speech recognition',
      'Low-latency speech recognition for streaming audio with a transducer acoustic model and lower word error rate.',
    ],
    [
      'Self-supervised speech representations',
      'Pretraining on unlabeled speech audio yields representations that reduce word error rate in recognition.',
    ],
    [
      'Noise-robust speech recognition',
      'Acoustic models for recognizing speech in noisy audio, evaluated by word error rate on spoken benchmarks.',
    ],
  ],
  robots: [
    [
      'Reinforcement learning for robotic grasping',
      'A robot arm learns grasping policies with deep reinforcement learning from camera images and rewards.',
    ],
    [
      'Sim-to-real transfer of robot locomotion policies',
      'Legged robot locomotion policies trained by reinforcement learning in simulation transfer to real robots.',
    ],
    [
      'Offline reinforcement learning for manipulation',
      'Robot manipulation policies learned from logged data with offline reinforcement learning and reward models.',
    ],
    [
      'Curriculum learning for robot navigation',
      'A mobile robot learns navigation policies with reinforcement learning and a curriculum of rewards.',
    ],
  ],
};

function corpus(): PaperText[] {
  const out: PaperText[] = [];
  for (const [topic, papers] of Object.entries(TOPICS))
    papers.forEach(([title, abstract], i) =>
      out.push({ id: `${topic}:${i}`, title, abstract, authors: [`Author ${topic} ${i}`] }),
    );
  return out;
}

const topicOf = (id: string): string => id.split(':')[0]!;

/** A bigger synthetic corpus (for the dense model): documents mixing words of one topic. */
function synthetic(n: number, seed = 1): PaperText[] {
  const vocab: Record<string, string[]> = {
    vision: 'image pixel camera segmentation detection convolution visual scene object photo'.split(
      ' ',
    ),
    language: 'text sentence token translation parsing grammar corpus lexical dialogue word'.split(
      ' ',
    ),
    audio: 'speech audio acoustic spectrogram speaker microphone phoneme pitch sound voice'.split(
      ' ',
    ),
    graphs: 'graph node edge molecule vertex adjacency spectral community link network'.split(' '),
  };
  let x = seed;
  const rnd = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const topics = Object.keys(vocab);
  return Array.from({ length: n }, (_, i) => {
    const t = topics[i % topics.length]!;
    const words = Array.from({ length: 30 }, () => vocab[t]![Math.floor(rnd() * 10)]!);
    return { id: `${t}:${i}`, title: words.slice(0, 5).join(' '), abstract: words.join(' ') };
  });
}

describe('text', () => {
  it('stems like Porter', () => {
    const cases: [string, string][] = [
      ['caresses', 'caress'],
      ['ponies', 'poni'],
      ['cats', 'cat'],
      ['agreed', 'agre'],
      ['plastered', 'plaster'],
      ['motoring', 'motor'],
      ['hopping', 'hop'],
      ['filing', 'file'],
      ['happy', 'happi'],
      ['relational', 'relat'],
      ['conditional', 'condit'],
      ['generalization', 'gener'],
      ['networks', 'network'],
      ['learning', 'learn'],
      ['electrical', 'electr'],
      ['adjustment', 'adjust'],
      ['controll', 'control'],
    ];
    for (const [w, s] of cases) expect(porterStem(w), w).toBe(s);
  });

  it('normalizes accents, case and LaTeX, and drops stop words from terms', () => {
    expect(normalizeText('Café \\alpha-Nets: GANs’ ﬁne')).toBe('cafe nets gans fine');
    const a = termVector({ id: 'a', title: 'The networks of the network' }, DEFAULT_TEXT_OPTIONS);
    // "the", "of" dropped; "networks" and "network" are one stem counted twice (title weight 2).
    expect(a.keys.length).toBe(1);
    expect(a.tf[0]).toBe(4);
  });
});

describe('RelatedIndex: neighbours', () => {
  it('finds the papers of the same topic first', () => {
    const ix = createIndex();
    ix.addPapers(corpus());
    for (const p of corpus()) {
      const top = ix.similarTo(p.id, 3);
      expect(top.map((r) => r.id)).not.toContain(p.id);
      expect(
        top.map((r) => topicOf(r.id)),
        p.id,
      ).toEqual(Array(3).fill(topicOf(p.id)));
      expect(top[0]!.score).toBeGreaterThan(0);
    }
  });

  it('ranks a paper given by text (not indexed) the same way', () => {
    const ix = createIndex();
    ix.addPapers(corpus());
    const top = ix.similarToText(
      { id: 'new', title: 'Speech recognition for noisy audio', abstract: 'word error rate' },
      4,
    );
    expect(top.map((r) => topicOf(r.id))).toEqual(Array(4).fill('speech'));
  });

  it('applies filters: only, exclude, test', () => {
    const ix = createIndex();
    ix.addPapers(corpus());
    expect(
      ix.similarTo('speech:0', 5, { only: ['robots:0', 'speech:2'] }).map((r) => r.id),
    ).toEqual(['speech:2', 'robots:0']);
    const ex = ix.similarTo('speech:0', 2, { exclude: ['speech:1', 'speech:2'] }).map((r) => r.id);
    expect(ex).toEqual(['speech:3', expect.not.stringMatching(/^speech:[012]$/)]);
    const t = ix.similarTo('speech:0', 3, { test: (id) => id.startsWith('robots') });
    expect(t.every((r) => topicOf(r.id) === 'robots')).toBe(true);
  });

  it('returns nothing for an unknown paper', () => {
    const ix = createIndex();
    ix.addPapers(corpus());
    expect(ix.similarTo('nope', 5)).toEqual([]);
  });

  it('ranks a set (tag) by its closest members and explains recommendations', () => {
    const ix = createIndex();
    ix.addPapers(corpus());
    const rec = ix.recommend(['speech:0', 'robots:0'], {
      perTag: { asr: ['speech:0', 'speech:1'], rl: ['robots:0'] },
      k: 4,
    });
    expect(rec.byTag.asr!.map((r) => topicOf(r.id))).toEqual([
      'speech',
      'speech',
      expect.any(String),
      expect.any(String),
    ]);
    expect(rec.byTag.rl![0]!.tags).toEqual(['rl']);
    expect(rec.byTag.rl!.slice(0, 3).map((r) => topicOf(r.id))).toEqual([
      'robots',
      'robots',
      'robots',
    ]);
    // Overall: both topics of the library are represented at the top, no saved paper is.
    const top = rec.overall.map((r) => r.id);
    expect(top).not.toContain('speech:0');
    expect(top).not.toContain('speech:1');
    expect(new Set(rec.overall.slice(0, 4).map((r) => topicOf(r.id)))).toEqual(
      new Set(['speech', 'robots']),
    );
    const first = rec.overall[0]!;
    // Default aggregate: the mean of the two closest saved papers.
    expect((first.nearest[0]!.score + first.nearest[1]!.score) / 2).toBeCloseTo(first.score, 5);
    const set = ix.similarToSet(['molecules:0', 'molecules:1'], 2);
    expect(set.map((r) => topicOf(r.id))).toEqual(['molecules', 'molecules']);
  });
});

describe('RelatedIndex: listing marks and "not interested"', () => {
  it('names the closest saved paper of each card', () => {
    const ix = createIndex();
    ix.addPapers(corpus());
    const marks = ix.closest(['speech:3', 'robots:2', 'unknown'], ['speech:0', 'robots:0']);
    expect(marks.map((m) => m?.id ?? null)).toEqual(['speech:0', 'robots:0', null]);
    expect(marks[0]!.score).toBeGreaterThan(0);
    expect(ix.closest(['speech:0'], ['nope'])).toEqual([null]);
  });

  it('pushes suggestions close to a dismissed paper down', () => {
    const ix = createIndex();
    ix.addPapers(corpus());
    const saved = ['speech:0', 'robots:0'];
    const before = ix.recommend(saved, { k: 6 }).overall.map((r) => r.id);
    const after = ix.recommend(saved, { k: 6, disliked: ['robots:1'] }).overall.map((r) => r.id);
    expect(after).not.toContain('robots:1');
    const rank = (list: string[], topic: string): number =>
      list.findIndex((id) => topicOf(id) === topic);
    expect(rank(after, 'robots')).toBeGreaterThanOrEqual(rank(before, 'robots'));
    expect(rank(after, 'speech')).toBe(0);
  });
});

describe('RelatedIndex: explain', () => {
  it('names the shared key terms as the paper writes them', () => {
    const ix = createIndex();
    ix.addPapers(corpus());
    const [a, b] = [corpus()[4]!, corpus()[7]!]; // two speech papers
    const terms = ix.explain(a, b, 5).map((t) => t.term);
    expect(terms).toEqual(expect.arrayContaining(['speech', 'recognition']));
    // Surface forms, not stems; no stop words.
    for (const t of terms) expect(t).toMatch(/^[a-z]+$/);
    expect(terms).not.toContain('the');
    // Shared authors are named too.
    const same = ix.explain(
      { id: 'x', title: 'Speech', authors: ['Ada Lovelace'] },
      { id: 'y', title: 'Speech audio', authors: ['Ada  Lovelace'] },
    );
    expect(same.map((t) => t.term)).toEqual(expect.arrayContaining(['speech', 'Ada Lovelace']));
    expect(ix.explain(corpus()[0]!, corpus()[8]!)).toEqual([]);
  });
  it('does not give words of any abstract as a reason ("including", "results", "users")', () => {
    const ix = createIndex();
    ix.addPapers(corpus());
    const a = {
      id: 'g1',
      title: 'Glacier calving results including real-world users',
      abstract: 'We study glacier calving, including results for users in the real world.',
    };
    const b = {
      id: 'g2',
      title: 'Glacier calving including results',
      abstract: 'Real-world results, including calving fronts of each glacier, for users.',
    };
    const terms = ix.explain(a, b, 10).map((t) => t.term.toLowerCase());
    expect(terms).toEqual(expect.arrayContaining(['glacier', 'calving']));
    for (const w of ['including', 'results', 'real', 'world', 'users'])
      expect(terms).not.toContain(w);
  });
});

describe('RelatedIndex: updates', () => {
  const compare = (a: RelatedIndex, b: RelatedIndex, ids: string[]): void => {
    for (const id of ids) {
      const x = a.similarTo(id, 6);
      const y = b.similarTo(id, 6);
      expect(
        y.map((r) => r.id),
        id,
      ).toEqual(x.map((r) => r.id));
      y.forEach((r, i) => expect(r.score).toBeCloseTo(x[i]!.score, 5));
    }
  };

  it('incremental adds equal a batch build (sparse)', () => {
    const papers = corpus();
    const batch = createIndex();
    batch.addPapers(papers);
    const inc = createIndex();
    for (const p of papers) inc.addPapers([p]);
    inc.maintain();
    compare(
      batch,
      inc,
      papers.map((p) => p.id),
    );
  });

  it('incremental adds equal a batch build (with a dense model)', () => {
    const papers = synthetic(400);
    const opts = { dense: { dims: 8, minDocs: 50, features: 40, minDf: 2 } };
    const batch = createIndex(opts);
    batch.addPapers(papers);
    expect(batch.refit()).toBe(true);
    const inc = createIndex(opts);
    inc.setModel(batch.denseModel);
    for (let i = 0; i < papers.length; i += 7) inc.addPapers(papers.slice(i, i + 7));
    inc.maintain();
    compare(
      batch,
      inc,
      papers.slice(0, 40).map((p) => p.id),
    );
  });

  it('replaces a paper added again and forgets removed papers', () => {
    const papers = corpus();
    const ix = createIndex();
    ix.addPapers(papers);
    // speech:3 becomes a robot paper.
    ix.addPapers([{ ...papers[8]!, id: 'speech:3' }]);
    expect(ix.size).toBe(papers.length);
    expect(topicOf(ix.similarTo('speech:3', 1)[0]!.id)).toBe('robots');
    ix.removePapers(['robots:1', 'robots:2', 'nope']);
    expect(ix.size).toBe(papers.length - 2);
    const ids = ix.similarTo('robots:0', 20).map((r) => r.id);
    expect(ids).not.toContain('robots:1');
    expect(ids).not.toContain('robots:2');
    // Same answers as an index that never had them (after upkeep).
    ix.maintain();
    const fresh = createIndex();
    fresh.addPapers(papers.filter((p) => !['robots:1', 'robots:2', 'speech:3'].includes(p.id)));
    fresh.addPapers([{ ...papers[8]!, id: 'speech:3' }]);
    fresh.maintain();
    compare(fresh, ix, ['robots:0', 'molecules:1', 'speech:0']);
  });

  it('keeps recent papers in a tail and merges them into the postings', () => {
    const papers = synthetic(300);
    const a = createIndex({ dense: { ...createIndex().opts.dense, dims: 0 } });
    a.tailMax = 16;
    for (let i = 0; i < papers.length; i += 10) a.addPapers(papers.slice(i, i + 10));
    const b = createIndex({ dense: { ...createIndex().opts.dense, dims: 0 } });
    b.addPapers(papers);
    a.maintain();
    compare(
      b,
      a,
      ['vision:0', 'audio:2', 'graphs:299'].filter((id) => a.has(id)),
    );
  });
});

describe('RelatedIndex: persistence', () => {
  const build = (): RelatedIndex => {
    const ix = createIndex({ dense: { dims: 8, minDocs: 50, features: 40, minDf: 2 } });
    ix.addPapers(synthetic(300));
    ix.refit();
    return ix;
  };

  it('round-trips through rows (structured clone, as IndexedDB stores them)', () => {
    const ix = build();
    const meta = structuredClone(ix.meta());
    const rows = structuredClone(ix.allRows());
    expect(rows[0]!.emb).toBeInstanceOf(Int8Array);
    const back = RelatedIndex.fromRows(meta, rows)!;
    expect(back.size).toBe(ix.size);
    for (const id of ['vision:0', 'language:5', 'graphs:11'])
      expect(back.similarTo(id, 8)).toEqual(ix.similarTo(id, 8));
    expect(RelatedIndex.fromRows({ ...meta, format: 999 }, rows)).toBeNull();
  });

  it('round-trips through a snapshot: the same answers, also with a tail, stale norms and removed papers', () => {
    const ix = build();
    ix.tailMax = 8;
    ix.addPapers(synthetic(330).slice(300)); // recent papers in the tail, norms not refreshed
    ix.removePapers(['vision:4', 'audio:6']);
    const back = RelatedIndex.fromSnapshot(structuredClone(ix.snapshot()))!;
    expect(back.size).toBe(ix.size);
    expect(back.has('vision:4')).toBe(false);
    for (const id of ['audio:2', 'graphs:3', 'language:309', 'vision:320'])
      expect(back.similarTo(id, 8)).toEqual(ix.similarTo(id, 8));
    expect(back.similarToSet(['audio:2', 'graphs:3'], 5)).toEqual(
      ix.similarToSet(['audio:2', 'graphs:3'], 5),
    );
    // It keeps working like the original: a page added to both gives the same answers.
    const page = synthetic(360).slice(330);
    ix.addPapers(page);
    back.addPapers(page);
    expect(back.similarTo('graphs:347', 8)).toEqual(ix.similarTo('graphs:347', 8));
  });

  it('refuses a damaged or foreign snapshot (null: load from rows instead)', () => {
    const snap = build().snapshot();
    const bad = [
      { ...snap, format: 999 },
      { ...snap, feat: snap.feat.map((f, i) => (i === 3 ? 1e9 : f)) },
      { ...snap, off: snap.off.subarray(1) },
      { ...snap, tf: new Uint8Array(2) },
      { ...snap, norms: new Float32Array(snap.ids.length) },
      { ...snap, emb: new Int8Array(5) },
      { ...snap, ids: [...snap.ids.slice(1), snap.ids[2]!] }, // an id twice
      { ...snap, fkeys: Uint32Array.from(snap.fkeys, () => 7) }, // a key twice
      { ...snap, ids: null },
    ];
    for (const s of bad)
      expect(RelatedIndex.fromSnapshot(s as unknown as RelatedSnapshot)).toBeNull();
  });

  it('stores rows in a Dexie table and loads them back', async () => {
    const ix = build();
    const db = new Dexie('related-test');
    db.version(1).stores({ related: 'id', relatedMeta: 'key' });
    const table = db.table<RelatedRow, string>('related');
    const metaTable = db.table<{ key: string; meta: RelatedMeta }, string>('relatedMeta');
    await table.bulkPut(ix.allRows());
    await metaTable.put({ key: 'meta', meta: ix.meta() });
    // A page of new papers later: only its rows are written.
    const added = ix.addPapers([
      { id: 'late', title: 'speech audio acoustic voice', abstract: 'pitch' },
    ]);
    await table.bulkPut(ix.rowsFor(added));
    const back = RelatedIndex.fromRows((await metaTable.get('meta'))!.meta, await table.toArray())!;
    expect(back.size).toBe(ix.size);
    expect(back.similarTo('late', 5).map((r) => r.id)).toEqual(
      ix.similarTo('late', 5).map((r) => r.id),
    );
    db.close();
    await Dexie.delete('related-test');
  });

  it('re-embeds stored rows whose embedding is from an older model', () => {
    const ix = build();
    const rows = ix.allRows();
    ix.refit(); // model version 2
    const back = RelatedIndex.fromRows(ix.meta(), rows)!;
    expect(back.similarTo('vision:0', 5)).toEqual(ix.similarTo('vision:0', 5));
  });
});

describe('RelatedIndex: dense model', () => {
  it('fits only with enough papers and reports when a refit is due', () => {
    const ix = createIndex({ dense: { dims: 8, minDocs: 100, features: 40, minDf: 2 } });
    ix.addPapers(synthetic(50));
    expect(ix.needsRefit()).toBe(false);
    ix.addPapers(synthetic(120, 2).map((p) => ({ ...p, id: `b${p.id}` })));
    expect(ix.needsRefit()).toBe(true);
    ix.refit();
    expect(ix.needsRefit()).toBe(false);
    expect(ix.denseModel!.dims).toBe(8);
  });

  it('refits asynchronously with the same result', async () => {
    const a = createIndex({ dense: { dims: 8, minDocs: 50, features: 40, minDf: 2 } });
    const b = createIndex({ dense: { dims: 8, minDocs: 50, features: 40, minDf: 2 } });
    a.addPapers(synthetic(200));
    b.addPapers(synthetic(200));
    a.refit();
    expect(await b.refitAsync()).toBe(true);
    expect(b.similarTo('audio:2', 5)).toEqual(a.similarTo('audio:2', 5));
  });
});
