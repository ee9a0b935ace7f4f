/**
 * The learning mechanism on the EVAL_PROTOCOL §3 time split (arxiv-daily-ml): predict the primary
 * category (10 classes) from title + abstract, trained on 20, 100 and all examples per class,
 * against the majority-class and TF-IDF-centroid baselines, with the same features.
 *
 *   node bench/topics/learned-eval.mjs            # the §3 table (a few minutes on 2 cores)
 *   node bench/topics/learned-eval.mjs --select   # hyper-parameters on a validation split of the
 *                                                 # training data (never the test split)
 *
 * Categories are NOT features here (the primary category is the label).
 */
import {
  fitVectorizer,
  predictLearned,
  rng,
  termCounts,
  trainLearnedTopic,
  trainSoftmax,
  vectorize,
} from '../../lib/topics/learned.ts';
import { loadPapers } from './data.mjs';

export const CLASSES = [
  'cs.AI',
  'cs.CL',
  'cs.CV',
  'cs.GR',
  'cs.HC',
  'cs.IR',
  'cs.LG',
  'cs.RO',
  'cs.SD',
  'eess.IV',
];
const IN = new Set(CLASSES);

/** The §3 split. `other`: test papers whose primary is none of the 10 classes. */
export function split(papers = loadPapers()) {
  const train = papers.filter((p) => p.first_seen < '2026-01-01' && IN.has(p.primary_category));
  const testAll = papers.filter((p) => p.first_seen >= '2026-01-01');
  const test = testAll.filter((p) => IN.has(p.primary_category));
  return { train, test, other: testAll.length - test.length, testAll: testAll.length };
}

/** Up to n papers per class, chosen with a seeded shuffle (n = Infinity: all). */
export function perClass(papers, n, seed) {
  if (!Number.isFinite(n)) return papers;
  const rand = rng(seed);
  const by = new Map();
  for (const p of papers) {
    if (!by.has(p.primary_category)) by.set(p.primary_category, []);
    by.get(p.primary_category).push(p);
  }
  const out = [];
  for (const list of by.values()) {
    const a = list.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    out.push(...a.slice(0, n));
  }
  return out;
}

/** Accuracy, macro-F1 (over classes present in the truth, and over truth ∪ predicted), confusion. */
export function metrics(truth, pred) {
  const labels = [...new Set([...truth, ...pred])].sort();
  const present = [...new Set(truth)].sort();
  const conf = {};
  let correct = 0;
  truth.forEach((t, i) => {
    conf[t] ??= {};
    conf[t][pred[i]] = (conf[t][pred[i]] ?? 0) + 1;
    if (t === pred[i]) correct++;
  });
  const f1 = (c) => {
    const tp = conf[c]?.[c] ?? 0;
    const fp = truth.reduce((n, t, i) => n + (pred[i] === c && t !== c ? 1 : 0), 0);
    const fn = truth.reduce((n, t, i) => n + (t === c && pred[i] !== c ? 1 : 0), 0);
    return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  };
  const perClassF1 = Object.fromEntries(labels.map((c) => [c, f1(c)]));
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    n: truth.length,
    accuracy: correct / truth.length,
    macroF1: mean(present.map((c) => perClassF1[c])),
    macroF1AllLabels: mean(labels.map((c) => perClassF1[c])),
    perClassF1,
    confusion: conf,
  };
}

const paper = (p) => ({ title: p.title, abstract: p.abstract });

/** Runs the three methods on one training sample; `feats` caches term counts per paper id. */
export function runOnce(trainSet, testSet, opts, feats = null) {
  const fo = { bigrams: opts.bigrams, meta: false };
  // Term counts are recomputed rather than kept (75k papers with word pairs would take GBs),
  // unless the caller passes a cache.
  const counts = (p) => {
    let c = feats?.get(p.id);
    if (!c) {
      c = termCounts(paper(p), fo);
      feats?.set(p.id, c);
    }
    return c;
  };
  const truth = testSet.map((p) => p.primary_category);
  // Majority class of the training sample; ties (balanced samples) → the class most frequent in
  // the whole training split, cs.CV.
  const freq = {};
  for (const p of trainSet) freq[p.primary_category] = (freq[p.primary_category] ?? 0) + 1;
  const top = Math.max(...Object.values(freq));
  const majority = freq['cs.CV'] === top ? 'cs.CV' : Object.keys(freq).find((c) => freq[c] === top);
  const out = {
    majority: metrics(
      truth,
      truth.map(() => majority),
    ),
  };

  const t0 = performance.now();
  // Two passes (document frequencies, then vectors) so that the counts of 40k papers are never
  // all in memory at once; the vocabulary is the same as fitVectorizer's.
  const df = new Map();
  for (const p of trainSet) for (const t of counts(p).keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const v = fitVectorizer([], fo);
  for (const [t, d] of df) {
    if (d < opts.minDf) continue;
    v.index.set(t, v.terms.length);
    v.terms.push(t);
  }
  v.idf = Float64Array.from(v.terms, (t) => Math.log((1 + trainSet.length) / (1 + df.get(t))) + 1);
  df.clear();
  const X = trainSet.map((p) => vectorize(v, counts(p)));
  const tFeat = performance.now() - t0;
  const Xtest = testSet.map((p) => vectorize(v, counts(p)));

  // TF-IDF centroid: mean of the class's normalized vectors, cosine to the normalized centroid.
  const classes = [...new Set(trainSet.map((p) => p.primary_category))].sort();
  const D = v.terms.length;
  const cent = classes.map(() => new Float64Array(D));
  trainSet.forEach((p, i) => {
    const c = cent[classes.indexOf(p.primary_category)];
    const x = X[i];
    for (let q = 0; q < x.idx.length; q++) c[x.idx[q]] += x.val[q];
  });
  for (const c of cent) {
    const n = Math.sqrt(c.reduce((a, b) => a + b * b, 0)) || 1;
    for (let j = 0; j < D; j++) c[j] /= n;
  }
  const centroidPred = Xtest.map((x) => {
    let best = 0;
    let bestS = -Infinity;
    cent.forEach((c, k) => {
      let s = 0;
      for (let q = 0; q < x.idx.length; q++) s += c[x.idx[q]] * x.val[q];
      if (s > bestS) [bestS, best] = [s, k];
    });
    return classes[best];
  });
  out.centroid = metrics(truth, centroidPred);

  const t1 = performance.now();
  const y = Int32Array.from(trainSet, (p) => classes.indexOf(p.primary_category));
  const { W, b } = trainSoftmax(X, y, classes.length, D, {
    epochs: opts.epochs,
    l2: opts.l2,
    lr: opts.lr,
    classWeight: opts.classWeight,
    seed: 1,
  });
  const tTrain = performance.now() - t1;
  const K = classes.length;
  // With a class-balanced sample, the classifier assumes equal class priors; `prior` (the class
  // frequencies of the whole training split, known before the test) shifts the biases by
  // log(prior) — the standard correction for a known label shift.
  const shift = classes.map((c) => (opts.prior ? Math.log(opts.prior[c] ?? 1e-6) : 0));
  const predictWith = (useShift) =>
    Xtest.map((x) => {
      const z = Float64Array.from(b, (bk, k) => bk + (useShift ? shift[k] : 0));
      for (let q = 0; q < x.idx.length; q++) {
        const base = x.idx[q] * K;
        for (let k = 0; k < K; k++) z[k] += W[base + k] * x.val[q];
      }
      let best = 0;
      for (let k = 1; k < K; k++) if (z[k] > z[best]) best = k;
      return classes[best];
    });
  const pred = predictWith(false);
  if (opts.prior) out.logregPrior = metrics(truth, predictWith(true));
  out.logreg = metrics(truth, pred);
  out.logreg.trainMs = Math.round(tTrain + tFeat);
  out.trainSize = trainSet.length;
  out.vocabulary = D;
  return out;
}

/** Default hyper-parameters (chosen with --select on the validation split). */
export const DEFAULTS = {
  bigrams: true,
  minDf: 2,
  /** undefined: the library's default, ~20,000 SGD steps (100 epochs for 200 papers, 10 for 40k). */
  epochs: undefined,
  l2: 1e-5,
  lr: 0.5,
  classWeight: { 20: 'none', 100: 'none', all: 'none' },
};

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/** The §3 table: 20 (5 seeds), 100 (3 seeds) and all examples per class. */
export function evaluateLearned({ log = console.log, seeds = { 20: 5, 100: 3 } } = {}) {
  const { train, test, other, testAll } = split();
  const prior = {};
  for (const p of train) prior[p.primary_category] = (prior[p.primary_category] ?? 0) + 1;
  for (const c in prior) prior[c] /= train.length;
  const rows = [];
  for (const n of [20, 100, Infinity]) {
    const key = Number.isFinite(n) ? n : 'all';
    const runs = [];
    const k = Number.isFinite(n) ? seeds[n] : 1;
    for (let s = 1; s <= k; s++) {
      const sample = perClass(train, n, s);
      const opts = {
        ...DEFAULTS,
        classWeight: DEFAULTS.classWeight[key],
        prior: Number.isFinite(n) ? prior : undefined,
      };
      runs.push(runOnce(sample, test, opts));
      log(`  ${key}/class seed ${s}: logreg acc ${runs.at(-1).logreg.accuracy.toFixed(3)}`);
    }
    const agg = (m, f) => ({
      mean: mean(runs.map((r) => r[m][f])),
      sd: sd(runs.map((r) => r[m][f])),
    });
    rows.push({
      perClass: key,
      seeds: k,
      trainSize: runs[0].trainSize,
      majority: { accuracy: agg('majority', 'accuracy'), macroF1: agg('majority', 'macroF1') },
      centroid: { accuracy: agg('centroid', 'accuracy'), macroF1: agg('centroid', 'macroF1') },
      logregPrior: runs[0].logregPrior
        ? { accuracy: agg('logregPrior', 'accuracy'), macroF1: agg('logregPrior', 'macroF1') }
        : null,
      logreg: {
        accuracy: agg('logreg', 'accuracy'),
        macroF1: agg('logreg', 'macroF1'),
        macroF1AllLabels: agg('logreg', 'macroF1AllLabels'),
        trainMs: mean(runs.map((r) => r.logreg.trainMs)),
      },
      perClassF1: runs[0].logreg.perClassF1,
      confusion: runs[0].logreg.confusion,
      centroidPerClassF1: runs[0].centroid.perClassF1,
    });
  }
  return { train: train.length, test: test.length, other, testAll, defaults: DEFAULTS, rows };
}

/** Average precision of a ranking (scores, 0/1 labels). */
function averagePrecision(scores, labels) {
  const order = scores.map((s, i) => i).sort((a, b) => scores[b] - scores[a]);
  let hits = 0;
  let sum = 0;
  order.forEach((i, r) => {
    if (labels[i]) sum += ++hits / (r + 1);
  });
  return hits ? sum / hits : 0;
}

/**
 * The product's use of learned topics, simulated: a user tag is learned from k tagged papers and
 * 1,000 untagged ones of the training split (first_seen < 2026), then suggested on 4,000 random
 * papers of the test split. Two stand-ins for a user's tag (categories are never features here):
 * - `arxiv-category`: the paper lists an arXiv category (cross-lists included). Noisy: a paper
 *   cross-listed to cs.RO often reads like any vision paper. A pessimistic bound.
 * - `taxonomy-topic`: a built-in topic the phrase matcher gives with strong evidence (≥ 4.5
 *   points; papers with weak evidence, 0 < points < 3, are left out of the test). A coherent
 *   topic, like a real tag, but defined by words, which favours a bag-of-words learner.
 * Reports precision/recall at probability thresholds and the ranking's average precision, for
 * the classifier and for a Rocchio centroid (same features) as a reference.
 */
export function simulateLearnedTopics({
  tags = ['cs.RO', 'cs.IR', 'cs.GR', 'eess.IV', 'cs.CR', 'cs.HC'],
  topics = [
    'neural-rendering',
    'remote-sensing',
    'federated-learning',
    'llm-safety',
    'video-generation',
    'medical-imaging',
  ],
  ks = [5, 20, 100],
  thresholds = [0.5, 0.8, 0.9],
  compiled,
  scoreTopics,
} = {}) {
  const papers = loadPapers();
  const train = perClassFree(
    papers.filter((p) => p.first_seen < '2026-01-01'),
    12000,
    1,
  );
  const test = perClassFree(
    papers.filter((p) => p.first_seen >= '2026-01-01'),
    4000,
    99,
  );
  const testCounts = test.map((p) => termCounts(paper(p), { bigrams: false, meta: false }));
  const points = (p) =>
    new Map(
      scoreTopics(paper(p), compiled, { scoring: { threshold: 0, abstractOnlyExtra: 0 } }).map(
        (m) => [m.id, m.score],
      ),
    );
  const trainPts = train.map(points);
  const testPts = test.map(points);
  const cases = [
    ...tags.map((tag) => ({
      proxy: 'arxiv-category',
      name: tag,
      pos: (p) => p.categories.includes(tag),
      neg: (p) => !p.categories.includes(tag),
      label: (i) => test[i].categories.includes(tag),
      keep: () => true,
    })),
    ...topics.map((id) => {
      const ti = new Map(train.map((p, i) => [p, trainPts[i]]));
      return {
        proxy: 'taxonomy-topic',
        name: id,
        pos: (p) => (ti.get(p).get(id) ?? 0) >= 4.5,
        neg: (p) => !ti.get(p).has(id),
        label: (i) => (testPts[i].get(id) ?? 0) >= 3,
        keep: (i) => !testPts[i].has(id) || testPts[i].get(id) >= 3,
      };
    }),
  ];
  const rows = [];
  for (const c of cases) {
    const idx = test.map((_, i) => i).filter(c.keep);
    const labels = idx.map(c.label);
    const base = labels.filter(Boolean).length;
    const posPool = train.filter(c.pos);
    const neg = perClassFree(train.filter(c.neg), 1000, 2).map(paper);
    for (const k of ks) {
      const pos = perClassFree(posPool, k, 3).map(paper);
      const t0 = performance.now();
      const model = trainLearnedTopic(pos, neg, { meta: false });
      const trainMs = performance.now() - t0;
      const scores = idx.map((i) => predictLearned(model, testCounts[i]).score);
      const at = Object.fromEntries(
        thresholds.map((th) => {
          let n = 0;
          let tp = 0;
          scores.forEach((s, r) => {
            if (s < th) return;
            n++;
            if (labels[r]) tp++;
          });
          return [
            th,
            { flagged: n, precision: n ? tp / n : null, recall: base ? tp / base : null },
          ];
        }),
      );
      rows.push({
        proxy: c.proxy,
        tag: c.name,
        k,
        testPapers: idx.length,
        testPositives: base,
        averagePrecision: averagePrecision(scores, labels),
        rocchioAveragePrecision: averagePrecision(
          idx.map((i) => rocchio(pos, neg)(testCounts[i])),
          labels,
        ),
        trainMs: Math.round(trainMs),
        at,
      });
    }
  }
  return { negatives: 1000, rows };
}

const rocchioCache = new WeakMap();
/** Rocchio: centroid of the positives minus half the centroid of the negatives (a reference). */
function rocchio(pos, neg) {
  let f = rocchioCache.get(pos);
  if (f) return f;
  const counts = [...pos, ...neg].map((p) => termCounts(p, { bigrams: false, meta: false }));
  const v = fitVectorizer(counts);
  const w = new Float64Array(v.terms.length);
  counts.forEach((c, i) => {
    const x = vectorize(v, c);
    const f = i < pos.length ? 1 / pos.length : -0.5 / neg.length;
    for (let q = 0; q < x.idx.length; q++) w[x.idx[q]] += f * x.val[q];
  });
  f = (c) => {
    const x = vectorize(v, c);
    let s = 0;
    for (let q = 0; q < x.idx.length; q++) s += w[x.idx[q]] * x.val[q];
    return s;
  };
  rocchioCache.set(pos, f);
  return f;
}

/** n papers chosen with a seeded shuffle (all when fewer). */
function perClassFree(list, n, seed) {
  const rand = rng(seed);
  const a = list.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/** Hyper-parameter selection on a validation split inside the training data. */
function select() {
  const { train } = split();
  const tr = train.filter((p) => p.first_seen < '2025-11-01');
  const val = train.filter((p) => p.first_seen >= '2025-11-01');
  console.log(`validation: train ${tr.length}, val ${val.length}`);
  const feats = new Map();
  for (const n of [20, 100, Infinity]) {
    for (const bigrams of [true, false])
      for (const classWeight of ['none', 'sqrt', 'balanced'])
        for (const l2 of [1e-5, 1e-4]) {
          // 20 and 100 per class are balanced samples: class weights change nothing there.
          if (Number.isFinite(n) && classWeight !== 'none') continue;
          const opts = { ...DEFAULTS, bigrams, classWeight, l2 };
          const key = `${bigrams}`;
          const fm = feats.get(key) ?? new Map();
          feats.set(key, fm);
          const r = runOnce(perClass(tr, n, 1), val, opts, fm);
          console.log(
            `${String(n).padStart(8)} bigrams=${bigrams} cw=${classWeight} l2=${l2}: ` +
              `acc ${r.logreg.accuracy.toFixed(3)} macroF1 ${r.logreg.macroF1.toFixed(3)} ` +
              `(centroid ${r.centroid.accuracy.toFixed(3)}/${r.centroid.macroF1.toFixed(3)})`,
          );
        }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--select')) select();
  else if (process.argv.includes('--simulate')) {
    const { BUILTIN_TOPICS, compileTopics, scoreTopics } =
      await import('../../lib/topics/index.ts');
    const compiled = compileTopics(BUILTIN_TOPICS);
    console.log(JSON.stringify(simulateLearnedTopics({ compiled, scoreTopics }), null, 1));
  } else console.log(JSON.stringify(evaluateLearned(), null, 1));
}
