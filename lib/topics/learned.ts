/**
 * Learned topics: a linear classifier (logistic regression, trained by SGD) on TF-IDF features.
 *
 * Features: title words (counted twice) and abstract words, lower-cased, accents dropped, a small
 * stop list; optionally adjacent word pairs (bigrams: on for the K-class evaluation, off for
 * learned topics); the arXiv categories (`c:cs.RO`) and site keywords (`k:diffusion models`) unless
 * they are the label. Sublinear tf (1 + ln tf), smoothed idf, L2-normalized.
 *
 * `trainLearnedTopic(positives, negatives)` returns plain data (`LearnedModel`, a few tens of KB as
 * JSON) to store in IndexedDB; `predictLearned(model, paper)` gives the probability that the paper
 * has the topic and the words that pushed it up. `trainSoftmax` is the same machinery for K
 * classes, used by the evaluation (bench/topics/learned-eval.mjs).
 *
 * Deterministic: the same papers in the same order give the same model (seeded shuffling).
 */
import { words } from './text.ts';
import type { LearnedModel, TopicPaper } from './types.ts';

/** Words that are never features (lower-cased). */
export const STOP: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by can could do does for from had has have how however if in ' +
    'into is it its may more most much no not of on or our such than that the their them then there ' +
    'these they this those through thus to under up upon us via was we were what when where which ' +
    'while who whose why will with within without would also both each other only over very its ' +
    'based using use used paper propose proposed show shows results approach method methods new ' +
    'novel work study present existing demonstrate significantly furthermore moreover well'
  ).split(' '),
);

/** Featurization options. */
export interface FeatureOptions {
  /** Add adjacent word pairs (default true). */
  bigrams?: boolean;
  /** Use categories and keywords as features (default true; off when categories are the label). */
  meta?: boolean;
}

function isNumber(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Raw term counts of one paper (term → count). */
export type TermCounts = Map<string, number>;

/** Raw term counts of one paper. */
export function termCounts(
  p: TopicPaper,
  opts: FeatureOptions = {},
  /** The title's and abstract's words when the caller has them already (lower-cased). */
  split?: { title: readonly string[]; abstract: readonly string[] },
): Map<string, number> {
  const tf = new Map<string, number>();
  const add = (t: string, n = 1) => tf.set(t, (tf.get(t) ?? 0) + n);
  const field = (ws: readonly string[], weight: number) => {
    let prev: string | null = null;
    for (const w of ws) {
      if (w.length < 2 || STOP.has(w) || isNumber(w)) {
        prev = null;
        continue;
      }
      add(w, weight);
      if (prev && opts.bigrams !== false) add(`${prev} ${w}`, weight);
      prev = w;
    }
  };
  field(split?.title ?? (p.title ? words(p.title) : []), 2);
  field(split?.abstract ?? (p.abstract ? words(p.abstract) : []), 1);
  if (opts.meta !== false) {
    for (const c of p.categories ?? []) add(`c:${c}`);
    for (const k of p.keywords ?? []) add(`k:${words(k).join(' ')}`);
  }
  return tf;
}

/** A fitted vocabulary: term → column, and the columns' idf. */
export interface Vectorizer {
  index: Map<string, number>;
  terms: string[];
  idf: Float64Array;
  opts: FeatureOptions;
}

/** A sparse, L2-normalized TF-IDF vector. */
export interface SparseVec {
  idx: Int32Array;
  val: Float64Array;
}

/** Fits the vocabulary (terms in at least `minDf` papers) and smoothed idf on training papers. */
export function fitVectorizer(
  counts: ReadonlyArray<Map<string, number>>,
  opts: FeatureOptions & { minDf?: number } = {},
): Vectorizer {
  const df = new Map<string, number>();
  for (const c of counts) for (const t of c.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const minDf = opts.minDf ?? 1;
  const n = counts.length;
  // Columns in first-seen order: deterministic for the same papers in the same order.
  const terms: string[] = [];
  const idf: number[] = [];
  const index = new Map<string, number>();
  for (const [t, d] of df) {
    if (d < minDf) continue;
    index.set(t, terms.length);
    terms.push(t);
    idf.push(Math.log((1 + n) / (1 + d)) + 1);
  }
  return { index, terms, idf: Float64Array.from(idf), opts };
}

/**
 * TF-IDF vector of one paper's term counts. Terms outside the vocabulary are dropped; with
 * `restIdf` they still count in the norm (a pruned model then scales papers as in training).
 */
export function vectorize(
  v: { index: Map<string, number>; idf: ArrayLike<number> },
  c: Map<string, number>,
  restIdf = 0,
): SparseVec {
  const idx: number[] = [];
  const val: number[] = [];
  let norm = 0;
  for (const [t, n] of c) {
    const j = v.index.get(t);
    if (j === undefined) {
      if (restIdf) norm += ((1 + Math.log(n)) * restIdf) ** 2;
      continue;
    }
    const x = (1 + Math.log(n)) * v.idf[j]!;
    idx.push(j);
    val.push(x);
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  return { idx: Int32Array.from(idx), val: Float64Array.from(val, (x) => x / norm) };
}

/** SGD options. */
export interface SgdOptions {
  /** Passes over the data (default: enough for ~20,000 steps, between 10 and 100). */
  epochs?: number;
  /** L2 regularization strength per example. */
  l2?: number;
  /** Initial learning rate. */
  lr?: number;
  /** Weight per class (default: 1 each); `balanced` gives n / (K · n_class). */
  classWeight?: 'balanced' | 'sqrt' | 'none';
  seed?: number;
}

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Softmax regression by SGD with L2 (weight scaling trick, so each step costs O(nnz · K)).
 * @returns W (feature-major: W[j * K + k]) and biases.
 */
export function trainSoftmax(
  X: readonly SparseVec[],
  y: ArrayLike<number>,
  K: number,
  D: number,
  o: SgdOptions = {},
): { W: Float64Array; b: Float64Array } {
  const epochs = o.epochs ?? Math.min(100, Math.max(10, Math.ceil(20_000 / Math.max(1, X.length))));
  const l2 = o.l2 ?? 1e-4;
  const lr0 = o.lr ?? 0.5;
  const n = X.length;
  const count = new Float64Array(K);
  for (let i = 0; i < n; i++) count[y[i]!]!++;
  const cw = Float64Array.from(count, (c) =>
    !c
      ? 0
      : o.classWeight === 'balanced'
        ? n / (K * c)
        : o.classWeight === 'sqrt'
          ? Math.sqrt(n / (K * c))
          : 1,
  );
  const W = new Float64Array(D * K);
  const b = new Float64Array(K);
  let s = 1; // true weights = s · W
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = rng(o.seed ?? 1);
  const z = new Float64Array(K);
  let t = 0;
  for (let e = 0; e < epochs; e++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      const x = X[i]!;
      const yi = y[i]!;
      const lr = lr0 / (1 + lr0 * l2 * t++);
      // logits
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let acc = 0;
        for (let q = 0; q < x.idx.length; q++) acc += W[x.idx[q]! * K + k]! * x.val[q]!;
        z[k] = s * acc + b[k]!;
        if (z[k]! > max) max = z[k]!;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - max);
      // decay, then gradient step
      s *= 1 - lr * l2;
      if (s < 1e-9) {
        for (let q = 0; q < W.length; q++) W[q]! *= s;
        s = 1;
      }
      const w = cw[yi]!;
      for (let k = 0; k < K; k++) {
        const g = (z[k]! / sum - (k === yi ? 1 : 0)) * w;
        if (g === 0) continue;
        const step = (lr * g) / s;
        for (let q = 0; q < x.idx.length; q++) W[x.idx[q]! * K + k]! -= step * x.val[q]!;
        b[k]! -= lr * g;
      }
    }
  }
  if (s !== 1) for (let q = 0; q < W.length; q++) W[q]! *= s;
  return { W, b };
}

/**
 * Binary logistic regression by SGD with L2 (the two-class case of `trainSoftmax`, half the
 * work): y[i] is 1 or 0.
 */
export function trainLogistic(
  X: readonly SparseVec[],
  y: ArrayLike<number>,
  D: number,
  o: SgdOptions = {},
): { w: Float64Array; b: number } {
  const n = X.length;
  const epochs = o.epochs ?? Math.min(100, Math.max(10, Math.ceil(20_000 / Math.max(1, n))));
  const l2 = o.l2 ?? 1e-4;
  const lr0 = o.lr ?? 0.5;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]! ? 1 : 0;
  const weight = (c: number) =>
    !c
      ? 0
      : o.classWeight === 'balanced'
        ? n / (2 * c)
        : o.classWeight === 'sqrt'
          ? Math.sqrt(n / (2 * c))
          : 1;
  const cw = [weight(n - pos), weight(pos)];
  const w = new Float64Array(D);
  let b = 0;
  let s = 1; // true weights = s · w
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = rng(o.seed ?? 1);
  let t = 0;
  for (let e = 0; e < epochs; e++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      const x = X[i]!;
      const yi = y[i]! ? 1 : 0;
      const lr = lr0 / (1 + lr0 * l2 * t++);
      let acc = 0;
      for (let q = 0; q < x.idx.length; q++) acc += w[x.idx[q]!]! * x.val[q]!;
      const z = s * acc + b;
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const g = (p - yi) * cw[yi]!;
      s *= 1 - lr * l2;
      if (s < 1e-9) {
        for (let j = 0; j < D; j++) w[j]! *= s;
        s = 1;
      }
      if (g === 0) continue;
      const step = (lr * g) / s;
      for (let q = 0; q < x.idx.length; q++) w[x.idx[q]!]! -= step * x.val[q]!;
      b -= lr * g;
    }
  }
  if (s !== 1) for (let j = 0; j < D; j++) w[j]! *= s;
  return { w, b };
}

/** Options of `trainLearnedTopic`. */
export interface LearnOptions extends FeatureOptions, SgdOptions {
  /** Keep at most this many terms (largest |weight|) in the stored model (3,000). */
  maxFeatures?: number;
  /**
   * Probability at or above which the topic is suggested (0.5: with balanced class weights, "more
   * likely tagged than not"; precision/recall at 0.5, 0.8 and 0.9 are in bench/results/topics.md).
   */
  threshold?: number;
}

/**
 * Trains a learned topic from papers that have the tag (positives) and papers that don't.
 * Negatives: other papers of the library without the tag (a few hundred to a thousand is plenty).
 * Classes are weighted to balance, so 5 positives are not drowned by 1,000 negatives.
 */
export function trainLearnedTopic(
  positives: readonly TopicPaper[],
  negatives: readonly TopicPaper[],
  opts: LearnOptions = {},
): LearnedModel {
  // Unigrams: bigrams cost 4-6x the training time and did not raise average precision in the
  // learned-topic simulation (bench/results/topics.md).
  const feats: FeatureOptions = { bigrams: opts.bigrams ?? false, meta: opts.meta ?? true };
  const papers = [...positives, ...negatives];
  const counts = papers.map((p) => termCounts(p, feats));
  const v = fitVectorizer(counts, { ...feats, minDf: 1 });
  const X = counts.map((c) => vectorize(v, c));
  const y = Int32Array.from(papers, (_, i) => (i < positives.length ? 1 : 0));
  const { w, b } = trainLogistic(X, y, v.terms.length, {
    epochs: opts.epochs,
    l2: opts.l2 ?? 1e-4,
    lr: opts.lr ?? 0.5,
    classWeight: opts.classWeight ?? 'balanced',
    seed: opts.seed ?? 1,
  });
  const keep = Array.from(w, (wj, j) => ({ j, w: wj }))
    .filter((x) => x.w !== 0)
    .sort((a, c) => Math.abs(c.w) - Math.abs(a.w) || a.j - c.j)
    .slice(0, opts.maxFeatures ?? 3000);
  const round = (x: number) => Math.round(x * 1e5) / 1e5;
  // Mean idf of the terms the model drops (and of unseen terms, which are at least as rare): they
  // still weigh in a paper's norm at prediction time.
  const kept = new Set(keep.map((x) => x.j));
  let restSum = Math.log(1 + papers.length) + 1;
  let restN = 1;
  for (let j = 0; j < v.terms.length; j++)
    if (!kept.has(j)) {
      restSum += v.idf[j]!;
      restN++;
    }
  return {
    v: 1,
    terms: keep.map((x) => v.terms[x.j]!),
    idf: keep.map((x) => round(v.idf[x.j]!)),
    w: keep.map((x) => round(x.w)),
    b: round(b),
    restIdf: round(restSum / restN),
    threshold: opts.threshold ?? 0.5,
    meta: feats.meta !== false,
    bigrams: feats.bigrams === true,
    trainedOn: { positives: positives.length, negatives: negatives.length },
  };
}

const modelIndex = new WeakMap<LearnedModel, Map<string, number>>();

function describe(term: string): string {
  if (term.startsWith('c:')) return `arXiv ${term.slice(2)}`;
  if (term.startsWith('k:')) return term.slice(2);
  return term;
}

/**
 * Probability that a paper has the learned topic, and the terms that pushed it up most (`why`
 * is computed when the topic would be suggested, or always with `explain: true`). `paper` may be
 * `termCounts(paper, { bigrams: model.bigrams, meta: model.meta })`, computed once and shared by
 * every model with the same feature options.
 * Vectorized with the training idf; terms the model does not keep count in the norm with the
 * model's `restIdf`, so a pruned model scores papers on the same scale as in training.
 */
export function predictLearned(
  model: LearnedModel,
  paper: TopicPaper | TermCounts,
  opts: { explain?: boolean } = {},
): { score: number; why: string[] } {
  let index = modelIndex.get(model);
  if (!index) modelIndex.set(model, (index = new Map(model.terms.map((t, i) => [t, i]))));
  const c =
    paper instanceof Map ? paper : termCounts(paper, { bigrams: model.bigrams, meta: model.meta });
  const { terms, tf } = prepared(c);
  const rest2 = model.restIdf * model.restIdf;
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < terms.length; i++) {
    const j = index.get(terms[i]!);
    const f = tf[i]!;
    if (j === undefined) {
      norm += f * f * rest2;
      continue;
    }
    const x = f * model.idf[j]!;
    norm += x * x;
    dot += model.w[j]! * x;
  }
  norm = Math.sqrt(norm) || 1;
  const score = 1 / (1 + Math.exp(-(model.b + dot / norm)));
  if (!(opts.explain ?? score >= model.threshold)) return { score, why: [] };
  const contrib: Array<[number, string]> = [];
  for (let i = 0; i < terms.length; i++) {
    const j = index.get(terms[i]!);
    if (j === undefined) continue;
    const part = model.w[j]! * tf[i]! * model.idf[j]!;
    if (part > 0) contrib.push([part, terms[i]!]);
  }
  return { score, why: explainTerms(contrib) };
}

/**
 * The `why` of a learned topic from its terms' positive contributions (weight × tf × idf, in the
 * paper's term order): the strongest first (equal ones in that order), at most 4.
 */
export function explainTerms(contrib: Array<[number, string]>): string[] {
  contrib.sort((a, b) => b[0] - a[0]);
  const why: string[] = [];
  for (const [, t] of contrib) {
    const d = describe(t);
    // A bigram covers its words: skip a word already shown inside a phrase and vice versa.
    if (why.some((w) => w.includes(d) || d.includes(w))) continue;
    why.push(d);
    if (why.length >= 4) break;
  }
  return why;
}

const preparedCache = new WeakMap<TermCounts, { terms: string[]; tf: Float64Array }>();

/** Terms and sublinear tf of a paper, computed once per counts object (shared by all models). */
function prepared(c: TermCounts): { terms: string[]; tf: Float64Array } {
  let p = preparedCache.get(c);
  if (!p) {
    const terms = [...c.keys()];
    p = { terms, tf: Float64Array.from(terms, (t) => 1 + Math.log(c.get(t)!)) };
    preparedCache.set(c, p);
  }
  return p;
}

/** Several learned models compiled to score a paper in one pass over its terms. */
export interface LearnedSet {
  models: readonly LearnedModel[];
  /** term → packed [model, idf, weight] triples. */
  index: Map<string, Float64Array>;
}

const setCache = new WeakMap<readonly LearnedModel[], LearnedSet>();

/** Compiles models for `scoreLearnedSet` (cached per array object). */
export function compileLearned(models: readonly LearnedModel[]): LearnedSet {
  let set = setCache.get(models);
  if (set) return set;
  const lists = new Map<string, number[]>();
  models.forEach((m, k) => {
    m.terms.forEach((t, j) => {
      let l = lists.get(t);
      if (!l) lists.set(t, (l = []));
      l.push(k, m.idf[j]!, m.w[j]!);
    });
  });
  set = { models, index: new Map([...lists].map(([t, l]) => [t, Float64Array.from(l)])) };
  setCache.set(models, set);
  return set;
}

/**
 * Probabilities of every model of a set for one paper's term counts (the models must share the
 * counts' feature options). One map lookup per term, whatever the number of models; equal to
 * `predictLearned(model, counts).score` for each model.
 */
export function scoreLearnedSet(set: LearnedSet, c: TermCounts): Float64Array {
  const sums = learnedSums(set);
  for (const [term, n] of c) addLearnedTerm(set, sums, set.index.get(term), n);
  return learnedScores(set, sums);
}

/**
 * The running sums of `scoreLearnedSet` for one paper. Exported with `addLearnedTerm` and
 * `learnedScores` so a caller that counts terms its own way (the phrase matcher, from the words it
 * has already split) gets the very same floating-point sums: same operations, terms in the same
 * order (first occurrence, as in `termCounts`).
 */
export interface LearnedSums {
  dot: Float64Array;
  /** norm²_k = rest_k² · Σ tf² + Σ_{terms of k} tf² · (idf² − rest_k²): the second sum. */
  corr: Float64Array;
  sumTf2: number;
}

/** Empty sums for the models of `set`. */
export function learnedSums(set: LearnedSet): LearnedSums {
  const K = set.models.length;
  return { dot: new Float64Array(K), corr: new Float64Array(K), sumTf2: 0 };
}

/**
 * Adds one term of a paper (counted n times) to `sums`; `packed` is `set.index.get(term)`
 * (undefined: no model keeps the term; it still counts in the norm), or the triples of
 * `packed[from..to)` when given.
 */
export function addLearnedTerm(
  set: LearnedSet,
  sums: LearnedSums,
  packed: Float64Array | undefined,
  n: number,
  from = 0,
  to = packed?.length ?? 0,
): void {
  const f = n === 1 ? 1 : 1 + Math.log(n);
  sums.sumTf2 += f * f;
  if (!packed) return;
  const { dot, corr } = sums;
  for (let q = from; q < to; q += 3) {
    const k = packed[q]!;
    const idf = packed[q + 1]!;
    const rest = set.models[k]!.restIdf;
    dot[k]! += packed[q + 2]! * f * idf;
    corr[k]! += f * f * (idf * idf - rest * rest);
  }
}

/** Every model's probability from a paper's sums. */
export function learnedScores(set: LearnedSet, sums: LearnedSums): Float64Array {
  const K = set.models.length;
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const m = set.models[k]!;
    const norm = Math.sqrt(m.restIdf * m.restIdf * sums.sumTf2 + sums.corr[k]!) || 1;
    out[k] = 1 / (1 + Math.exp(-(m.b + sums.dot[k]! / norm)));
  }
  return out;
}
