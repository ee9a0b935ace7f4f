/**
 * Related papers: quality and speed of the engine (lib/related) against arxiv-sanity-lite and
 * unigram TF-IDF cosine, on the same queries in one run (../shared/data/EVAL_PROTOCOL.md §1, §2, §4).
 *
 *   node --expose-gc bench/related/run.mjs [--svm-queries=N] [--no-python] [--no-scaling]
 *
 * Writes bench/results/related.json and bench/results/related.md. The baselines run in Debian's
 * python3-sklearn (bench/related/baselines.py, /usr/bin/python3) after the engine's own timings,
 * so they never share the CPU with them. `--svm-queries=N` runs asl's SVM on the first N of the
 * 2,000 test queries only (about 1.5 CPU-seconds each); the default is all of them.
 *
 * Protocol: the engine's defaults were chosen on arXiv dev queries (sha1 ranks 2,000–3,999) and
 * the CSFCube dev folds (bench/related/tune.mjs); test queries are sha1 ranks 0–1,999. CSFCube is
 * CC BY-NC 4.0: read here for evaluation only, never by lib/.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import v8 from 'node:v8';
import { createIndex, RelatedIndex } from '../../lib/related/index.ts';
import { DATA_DIR, FACETS, loadArxiv, loadCsfcube, sha1Order } from './data.mjs';
import { categoryMetrics, csfcubeQueries, foldMean, randomMetrics, testMean } from './metrics.mjs';
import { writeReport } from './report.mjs';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const N_QUERIES = 2000;
const SVM_QUERIES = Number(args.get('svm-queries') ?? N_QUERIES);
const PYTHON = args.get('no-python') !== 'true';
const SCALING = args.get('no-scaling') !== 'true';
const TMP = resolve('bench/.tmp/related');
const OUT_JSON = resolve('bench/results/related.json');
const OUT_MD = resolve('bench/results/related.md');
mkdirSync(TMP, { recursive: true });

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const gc = globalThis.gc ?? (() => {});
const sha1 = (s) => createHash('sha1').update(s).digest('hex');
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const stats = (xs) => ({
  p50: pct(xs, 50),
  p95: pct(xs, 95),
  max: Math.max(...xs),
  mean: xs.reduce((a, b) => a + b, 0) / xs.length,
  n: xs.length,
});
/** Times f: wall (performance.now) and CPU (process.cpuUsage) in ms. */
function timed(f) {
  const w = performance.now();
  const c = cpuMs();
  const value = f();
  return { value, wallMs: performance.now() - w, cpuMs: cpuMs() - c };
}
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    loadAvgAtStart: os.loadavg(),
  },
  protocol: {
    data: DATA_DIR,
    testQueries: 'the 2,000 arXiv ids with the smallest sha1 hex (ranks 0–1,999)',
    devQueries: 'ranks 2,000–3,999 (tuning only, not reported as results)',
    csfcubeCorpus:
      'idf: csfcube/papers.jsonl only (4,205 papers) for every method; LSA: CSFCube only, or CSFCube + arxiv-daily-ml where the row says so',
  },
};

// ------------------------------------------------------------------------------------------------
// arXiv: our engine, built from scratch, then the 2,000 test queries.

log('loading arXiv');
const papers = loadArxiv();
const pos = new Map(papers.map((p, i) => [p.id, i]));
const order = sha1Order(papers);
const testQ = order.slice(0, N_QUERIES);

gc();
const mem0 = process.memoryUsage();
log('building the index over', papers.length, 'papers');
let ix = createIndex();
const build = timed(() => ix.addPapers(papers));
const fit = timed(() => ix.refit());
gc();
const mem1 = process.memoryUsage();
results.engine = { options: ix.opts };
results.speed = {
  build: {
    papers: papers.length,
    indexWallMs: build.wallMs,
    indexCpuMs: build.cpuMs,
    fitWallMs: fit.wallMs,
    fitCpuMs: fit.cpuMs,
    totalWallMs: build.wallMs + fit.wallMs,
    totalCpuMs: build.cpuMs + fit.cpuMs,
  },
  memory: {
    heapUsedMB: (mem1.heapUsed - mem0.heapUsed) / 1e6,
    arrayBuffersMB: (mem1.arrayBuffers - mem0.arrayBuffers) / 1e6,
    indexArraysMB: ix.bytes / 1e6,
    gcExposed: typeof globalThis.gc === 'function',
  },
};
log('build', Math.round(build.cpuMs), 'ms cpu + fit', Math.round(fit.cpuMs), 'ms cpu');

/** Runs the test queries on an index: neighbour indices and per-query wall/CPU times. */
function runQueries(index, queries, k = 10) {
  const wall = [];
  const cpu = [];
  const first = [];
  const tenth = [];
  const ranked = queries.map((q) => {
    const t = timed(() => index.similarTo(papers[q].id, k));
    wall.push(t.wallMs);
    cpu.push(t.cpuMs);
    first.push(t.value[0]?.score ?? 0);
    tenth.push(t.value[k - 1]?.score ?? 0);
    return t.value.map((r) => pos.get(r.id));
  });
  const dist = (xs) => Object.fromEntries([5, 25, 50, 75, 95].map((p) => [`p${p}`, pct(xs, p)]));
  return {
    ranked,
    wall: stats(wall),
    cpu: stats(cpu),
    scores: { top1: dist(first), top10: dist(tenth) },
  };
}

log('test queries');
const ours = runQueries(ix, testQ);
results.arxiv = { random: randomMetrics(papers, testQ), methods: {} };
results.arxiv.methods.ours = {
  ...categoryMetrics(papers, testQ, ours.ranked),
  label: 'Paper Scout (this engine)',
};
results.speed.paperQuery = { wallMs: ours.wall, cpuMs: ours.cpu };
results.arxiv.scoreDistribution = ours.scores;

// Ablations on the same index: sparse half only, dense half only.
const alpha = ix.opts.dense.weight;
ix.opts.dense.weight = 0;
results.arxiv.methods.oursSparse = {
  ...categoryMetrics(papers, testQ, runQueries(ix, testQ).ranked),
  label: 'ablation: sparse half only (α = 0)',
};
ix.opts.dense.weight = 1;
results.arxiv.methods.oursDense = {
  ...categoryMetrics(papers, testQ, runQueries(ix, testQ).ranked),
  label: 'ablation: dense (LSA) half only (α = 1)',
};
ix.opts.dense.weight = alpha;

// ------------------------------------------------------------------------------------------------
// Tags (several saved papers): arXiv category-set tags.

/** 100 tags: 5 papers sharing an exact multi-category set (≥ 40 papers have it). */
function arxivTags() {
  const groups = new Map();
  papers.forEach((p, i) => {
    const sig = [...new Set(p.categories)].sort().join(' ');
    if (!groups.has(sig)) groups.set(sig, []);
    groups.get(sig).push(i);
  });
  const sigs = [...groups.keys()]
    .filter((s) => s.includes(' ') && groups.get(s).length >= 40)
    .sort((a, b) => (sha1(a) < sha1(b) ? -1 : 1))
    .slice(0, 100);
  return sigs.map((sig) => {
    const members = [...groups.get(sig)].sort((a, b) =>
      sha1(papers[a].id) < sha1(papers[b].id) ? -1 : 1,
    );
    return { sig, cats: new Set(sig.split(' ')), tag: members.slice(0, 5), size: members.length };
  });
}
const tags = arxivTags();

function tagMetrics(rankedPerTag) {
  let exact = 0;
  let jac = 0;
  let rnd = 0;
  tags.forEach((t, i) => {
    const top = rankedPerTag[i].slice(0, 10);
    for (const j of top) {
      const c = new Set(papers[j].categories);
      const inter = [...c].filter((x) => t.cats.has(x)).length;
      jac += inter / (c.size + t.cats.size - inter) / 10;
      if (inter === c.size && inter === t.cats.size) exact += 0.1;
    }
    rnd += (t.size - 5) / (papers.length - 5);
  });
  const n = tags.length;
  return { exactSetP10: exact / n, jaccard10: jac / n, randomExactSetP10: rnd / n, tags: n };
}

log('tag queries');
results.tags = { arxiv: { methods: {} } };
const tagSpeed = {};
for (const agg of ['centroid', 'max', 'top2']) {
  const wall = [];
  const cpu = [];
  const ranked = tags.map((t) => {
    const r = timed(() =>
      ix.similarToSet(
        t.tag.map((i) => papers[i].id),
        10,
        undefined,
        agg,
      ),
    );
    wall.push(r.wallMs);
    cpu.push(r.cpuMs);
    return r.value.map((x) => pos.get(x.id));
  });
  results.tags.arxiv.methods[`ours-${agg}`] = tagMetrics(ranked);
  tagSpeed[agg] = { wallMs: stats(wall), cpuMs: stats(cpu) };
}
results.speed.tagQuery = tagSpeed;

// "For you" over a library: 100 saved papers in 10 tags (10 of the tags above, 10 papers each).
{
  const lib = tags.slice(0, 10).map((t) => {
    const members = papers
      .map((p, i) => i)
      .filter((i) => [...new Set(papers[i].categories)].sort().join(' ') === t.sig)
      .slice(0, 10);
    return [t.sig, members.map((i) => papers[i].id)];
  });
  const perTag = Object.fromEntries(lib);
  const saved = lib.flatMap(([, ids]) => ids);
  const wall = [];
  const cpu = [];
  for (let r = 0; r < 5; r++) {
    const t = timed(() => ix.recommend(saved, { perTag, k: 20 }));
    wall.push(t.wallMs);
    cpu.push(t.cpuMs);
  }
  results.speed.recommend = {
    savedPapers: saved.length,
    tags: lib.length,
    wallMs: stats(wall),
    cpuMs: stats(cpu),
  };
}

// ------------------------------------------------------------------------------------------------
// Stored form: rows (what a Dexie table would hold) and load time.

log('persistence');
{
  const rows = ix.allRows();
  const meta = ix.meta();
  const rowBytes = v8.serialize(rows).byteLength;
  const metaBytes = v8.serialize(meta).byteLength;
  const snapTake = timed(() => ix.snapshot());
  const snapBytes = v8.serialize(snapTake.value).byteLength;
  const cloned = v8.deserialize(v8.serialize(rows));
  const load = timed(() => RelatedIndex.fromRows(meta, cloned));
  const snapCloned = v8.deserialize(v8.serialize(snapTake.value));
  const loadSnap = timed(() => RelatedIndex.fromSnapshot(snapCloned));
  const sameAs = (other) =>
    testQ.slice(0, 50).every((q) => {
      const a = ix
        .similarTo(papers[q].id, 10)
        .map((r) => r.id)
        .join();
      const b = other
        .similarTo(papers[q].id, 10)
        .map((r) => r.id)
        .join();
      return a === b;
    });
  const same = sameAs(load.value);
  const terms = rows.reduce((s, r) => s + r.keys.length, 0);
  results.speed.stored = {
    rows: rows.length,
    rowsStructuredCloneMB: rowBytes / 1e6,
    metaStructuredCloneMB: metaBytes / 1e6,
    bytesPerPaper: rowBytes / rows.length,
    termsPerPaper: terms / rows.length,
    snapshotStructuredCloneMB: snapBytes / 1e6,
    snapshotTakeCpuMs: snapTake.cpuMs,
    loadFromSnapshotWallMs: loadSnap.wallMs,
    loadFromSnapshotCpuMs: loadSnap.cpuMs,
    snapshotAnswersIdentical: sameAs(loadSnap.value),
    modelMB:
      (meta.model.matrix.byteLength +
        meta.model.keys.byteLength +
        meta.model.idf.byteLength +
        meta.model.rowScale.byteLength) /
      1e6,
    loadFromRowsWallMs: load.wallMs,
    loadFromRowsCpuMs: load.cpuMs,
    loadedAnswersIdentical: same,
  };
}

// ------------------------------------------------------------------------------------------------
// Ingest: pages of 50 new papers into an index of 72,728.

log('ingest');
{
  const base = papers.length - 2000;
  ix = null;
  gc();
  const jx = createIndex();
  jx.addPapers(papers.slice(0, base));
  jx.refit();
  jx.maintain();
  const wall = [];
  const cpu = [];
  const maint = [];
  for (let i = base; i < papers.length; i += 50) {
    const t = timed(() => jx.addPapers(papers.slice(i, i + 50)));
    wall.push(t.wallMs);
    cpu.push(t.cpuMs);
    // The lead's worker runs maintain() when idle after a page; timed separately.
    maint.push(timed(() => jx.maintain()).cpuMs);
  }
  const q = timed(() => jx.similarTo(papers[papers.length - 1].id, 10));
  results.speed.ingest = {
    indexSize: base,
    pages: wall.length,
    papersPerPage: 50,
    wallMs: stats(wall),
    cpuMs: stats(cpu),
    maintainCpuMs: stats(maint),
    queryAfterIngestCpuMs: q.cpuMs,
  };
  ix = jx;
}

// ------------------------------------------------------------------------------------------------
// Scaling: first N papers (EVAL_PROTOCOL §4).

if (SCALING) {
  log('scaling');
  results.speed.scaling = [];
  ix = null;
  gc();
  for (const n of [1000, 10_000, 25_000, 50_000, papers.length]) {
    gc();
    const m0 = process.memoryUsage();
    const kx = createIndex();
    const b = timed(() => kx.addPapers(papers.slice(0, n)));
    const f = timed(() => kx.refit());
    gc();
    const m1 = process.memoryUsage();
    const qs = testQ.filter((i) => i < n).slice(0, 500);
    const cpu = [];
    const wall = [];
    for (const qi of qs) {
      const t = timed(() => kx.similarTo(papers[qi].id, 10));
      cpu.push(t.cpuMs);
      wall.push(t.wallMs);
    }
    results.speed.scaling.push({
      papers: n,
      buildCpuMs: b.cpuMs + f.cpuMs,
      buildWallMs: b.wallMs + f.wallMs,
      queryCpuMs: stats(cpu),
      queryWallMs: stats(wall),
      heapMB: (m1.heapUsed + m1.arrayBuffers - m0.heapUsed - m0.arrayBuffers) / 1e6,
      storedMB: v8.serialize(kx.allRows()).byteLength / 1e6,
    });
    log('  ', n, Math.round(b.cpuMs + f.cpuMs), 'ms cpu build');
  }
}

// ------------------------------------------------------------------------------------------------
// CSFCube: re-rank each pool (corpus: csfcube papers only).

log('CSFCube');
const cs = loadCsfcube();
const csDocs = cs.papers.map((p) => ({ id: p.paper_id, title: p.title, abstract: p.abstract }));
const cx = createIndex();
cx.addPapers(csDocs);
cx.refit();
const alphaDefaults = { sampleDocs: cx.opts.dense.sampleDocs };
results.csfcube = { methods: {} };

function csfSummary(res) {
  const out = { all: testMean(res, cs.folds, 'all') };
  for (const f of FACETS) out[f] = testMean(res, cs.folds, f);
  return out;
}
const scoreOurs = (q, cands) => cx.scores(q, cands);
results.csfcube.methods.ours = {
  ...csfSummary(csfcubeQueries(cs, scoreOurs)),
  label: 'Paper Scout, defaults (tuned on arXiv dev only), CSFCube corpus only',
};

/**
 * Upstream 2-fold protocol: on each fold the configuration with the best MAP on that fold's dev
 * half is measured on its test half; the two test means are averaged. `runs` are (config, per
 * query-facet results) pairs, each computed once.
 */
function twoFoldTuned(runs) {
  const folds = {};
  const chosen = {};
  for (const k of [1, 2]) {
    const dev = cs.folds.all[`fold${k}_dev`];
    let best = 0;
    runs.forEach((r, i) => {
      if (foldMean(r.res, dev).map > foldMean(runs[best].res, dev).map) best = i;
    });
    chosen[`fold${k}`] = runs[best].config;
    folds[k] = runs[best].res;
  }
  const twoFold = (facet) => {
    const a = foldMean(folds[1], cs.folds[facet].fold1_test);
    const b = foldMean(folds[2], cs.folds[facet].fold2_test);
    return Object.fromEntries(Object.keys(a).map((m) => [m, (a[m] + b[m]) / 2]));
  };
  const out = { all: twoFold('all') };
  for (const f of FACETS) out[f] = twoFold(f);
  return { ...out, chosen };
}

/** Results of `index` for α × idf power (index options restored afterwards). */
function blendGrid(index, extra = {}) {
  const runs = [];
  const { weight } = index.opts.dense;
  const idfPower0 = index.opts.idfPower;
  for (const w of [0.2, 0.3, 0.35, 0.4, 0.5])
    for (const idfPower of [0.5, 0.75, 1]) {
      index.opts.dense.weight = w;
      index.opts.idfPower = idfPower;
      index.refreshNorms();
      runs.push({
        config: { weight: w, idfPower, ...extra },
        res: csfcubeQueries(cs, (q, cands) => index.scores(q, cands)),
      });
    }
  index.opts.dense.weight = weight;
  index.opts.idfPower = idfPower0;
  index.refreshNorms();
  return runs;
}

// 2-fold protocol, corpus = CSFCube only: α and idf power picked on each fold's dev half.
results.csfcube.methods.oursTunedCsfOnly = {
  ...twoFoldTuned(blendGrid(cx)),
  label: 'Paper Scout, CSFCube corpus only, α and idf power tuned per fold on the dev half',
};

/**
 * A CSFCube index whose dense model (LSA) is fitted on CSFCube + arxiv-daily-ml (EVAL_PROTOCOL
 * §2 allows corpus statistics from both), installed with `setModel`; the sparse half's idf
 * stays CSFCube's (arXiv's idf lowered the sparse half: MAP 0.355 -> 0.346 on the dev folds).
 */
function csfWithArxivModel(sampleDocs) {
  const bx = createIndex({ dense: { sampleDocs } });
  bx.addPapers([...csDocs, ...papers]);
  const fit = timed(() => bx.refit());
  const m = createIndex({ dense: { sampleDocs } });
  m.addPapers(csDocs);
  m.setModel(bx.denseModel);
  return { index: m, fitCpuMs: fit.cpuMs };
}
log('CSFCube with an LSA model fitted on CSFCube + arXiv');
{
  const runs = [];
  const fits = {};
  for (const sampleDocs of [12_000, 24_000]) {
    const { index, fitCpuMs } = csfWithArxivModel(sampleDocs);
    fits[sampleDocs] = fitCpuMs;
    if (sampleDocs === alphaDefaults.sampleDocs)
      results.csfcube.methods.oursArxivModel = {
        ...csfSummary(csfcubeQueries(cs, (q, cands) => index.scores(q, cands))),
        label: 'Paper Scout, shipped defaults, LSA fitted on CSFCube + arXiv',
      };
    runs.push(...blendGrid(index, { sampleDocs }));
  }
  results.csfcube.methods.oursTuned = {
    ...twoFoldTuned(runs),
    label:
      'Paper Scout, LSA fitted on CSFCube + arXiv; α, idf power and LSA sample tuned per fold on the dev half',
    fitCpuMs: fits,
  };
}
cx.opts.dense.weight = 0;
results.csfcube.methods.oursSparse = {
  ...csfSummary(csfcubeQueries(cs, scoreOurs)),
  label: 'ablation: sparse half only',
};
cx.opts.dense.weight = alpha;

/** CSFCube "tags": query + 2 known relevant papers; the rest of the pool re-ranked. */
function csfTags() {
  const out = {};
  for (const facet of FACETS)
    for (const [qid, ann] of Object.entries(cs.anns[facet])) {
      const rel = ann.cands.filter((c, i) => ann.relevance_adju[i] >= 2);
      if (rel.length < 4) continue;
      const held = [...rel].sort((a, b) => (sha1(a) < sha1(b) ? -1 : 1)).slice(0, 2);
      const keep = ann.cands
        .map((c, i) => [c, ann.relevance_adju[i]])
        .filter(([c]) => !held.includes(c));
      out[`${qid}_${facet}`] = {
        positives: [qid, ...held],
        cands: keep.map((x) => x[0]),
        rel: keep.map((x) => x[1]),
      };
    }
  return out;
}
const cTags = csfTags();
function tagMap(scoresByKey) {
  let map = 0;
  let n = 0;
  for (const [key, t] of Object.entries(cTags)) {
    const s = scoresByKey(key, t);
    const order = t.cands.map((_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
    let hits = 0;
    let ap = 0;
    order.forEach((i, r) => {
      if (t.rel[i] >= 2) {
        hits++;
        ap += hits / (r + 1);
      }
    });
    map += hits ? ap / hits : 0;
    n++;
  }
  return { map: map / n, queries: n };
}
results.tags.csfcube = { methods: {} };
results.tags.csfcube.methods['ours-single'] = tagMap((k, t) => cx.scores(t.positives[0], t.cands));
for (const agg of ['centroid', 'max', 'top2'])
  results.tags.csfcube.methods[`ours-${agg}`] = tagMap((k, t) => {
    const r = cx.similarToSet(t.positives, t.cands.length, { only: t.cands }, agg, t.cands.length);
    const m = new Map(r.map((x) => [x.id, x.score]));
    return t.cands.map((c) => m.get(c) ?? -Infinity);
  });

// ------------------------------------------------------------------------------------------------
// Baselines (sklearn), after every timing of ours.

if (PYTHON) {
  log(`baselines (sklearn): unigram on ${N_QUERIES} queries, asl SVM on ${SVM_QUERIES}`);
  const job = {
    arxivPath: `${DATA_DIR}/arxiv-daily-ml/papers.jsonl.gz`,
    csfcubePath: `${DATA_DIR}/csfcube`,
    k: 10,
    queries: testQ,
    svmQueries: testQ.slice(0, SVM_QUERIES),
    tags: tags.map((t) => t.tag),
    csfTags: Object.fromEntries(
      Object.entries(cTags).map(([k, t]) => [k, { positives: t.positives, cands: t.cands }]),
    ),
  };
  writeFileSync(`${TMP}/job.json`, JSON.stringify(job));
  const w = performance.now();
  execFileSync(
    '/usr/bin/python3',
    [resolve('bench/related/baselines.py'), `${TMP}/job.json`, `${TMP}/baselines.json`],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const py = JSON.parse(readFileSync(`${TMP}/baselines.json`, 'utf8'));
  results.baselines = { sklearn: py.sklearn, wallMinutes: (performance.now() - w) / 60000 };
  const a = py.arxiv;
  results.arxiv.methods.asl = {
    ...categoryMetrics(papers, testQ.slice(0, SVM_QUERIES), a.asl.top),
    label: `arxiv-sanity-lite: TF-IDF 1-2 grams + per-query LinearSVC C=0.01 (sklearn ${py.sklearn})`,
    cpuSecPerQuery: a.asl.cpuSecPerQuery,
    p95CpuSec: a.asl.p95CpuSec,
  };
  results.arxiv.methods.unigram = {
    ...categoryMetrics(papers, testQ, a.unigram.top),
    label: `cosine over unigram TF-IDF (sklearn ${py.sklearn}: english stop words, sublinear tf)`,
    cpuSecPerQuery: a.unigram.cpuSecPerQuery,
  };
  if (SVM_QUERIES < N_QUERIES) {
    const sub = testQ.slice(0, SVM_QUERIES);
    const idx = sub.map((_, i) => i);
    results.arxiv.sameQueriesAsSvm = {
      queries: SVM_QUERIES,
      ours: categoryMetrics(
        papers,
        sub,
        idx.map((i) => ours.ranked[i]),
      ),
      unigram: categoryMetrics(
        papers,
        sub,
        idx.map((i) => a.unigram.top[i]),
      ),
    };
  }
  results.tags.arxiv.methods['asl-svm'] = tagMetrics(a.tags.map((t) => t.asl));
  results.tags.arxiv.methods['unigram-centroid'] = tagMetrics(a.tags.map((t) => t.unigram));
  const c = py.csfcube;
  const fromPy = (table) => csfcubeQueries(cs, (q, cands, facet) => table[`${q}_${facet}`]);
  results.csfcube.methods.asl = {
    ...csfSummary(fromPy(c.asl)),
    label: 'arxiv-sanity-lite (per-query SVM)',
  };
  results.csfcube.methods.unigram = {
    ...csfSummary(fromPy(c.unigram)),
    label: 'cosine over unigram TF-IDF',
  };
  results.tags.csfcube.methods['asl-svm'] = tagMap((k) => c.aslTags[k]);
}

results.machine.loadAvgAtEnd = os.loadavg();
writeFileSync(OUT_JSON, JSON.stringify(results, null, 1) + '\n');
writeFileSync(OUT_MD, writeReport(results));
log('wrote', OUT_JSON, 'and', OUT_MD);
