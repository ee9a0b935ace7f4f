/** Metrics of EVAL_PROTOCOL §1 (arXiv category proxy) and §2 (CSFCube, upstream definitions). */

const disc = (i) => 1 / Math.log2(i + 2); // rank i = 0, 1, …

/**
 * Category-proxy metrics at k = 5 and 10 for ranked neighbour lists.
 * @param papers arXiv records; @param queries paper indices; @param ranked per query, neighbour indices.
 */
export function categoryMetrics(papers, queries, ranked) {
  const ctx = categoryContext(papers);
  const per = queries.map((q, qi) => perQuery(ctx, papers, q, ranked[qi]));
  return summarize(papers, queries, per);
}

/** The same metrics for a random ranking, in expectation (exact, from category counts). */
export function randomMetrics(papers, queries) {
  const ctx = categoryContext(papers);
  const per = queries.map((q) => randomQuery(ctx, papers, q));
  return summarize(papers, queries, per);
}

function categoryContext(papers) {
  const sigs = new Map(); // category-set signature → { cats, count }
  papers.forEach((p) => {
    const key = [...new Set(p.categories)].sort().join(' ');
    const g = sigs.get(key) ?? { cats: new Set(p.categories), count: 0, primary: new Map() };
    g.count++;
    g.primary.set(p.primary_category, (g.primary.get(p.primary_category) ?? 0) + 1);
    sigs.set(key, g);
  });
  const primaryCount = new Map();
  for (const p of papers)
    primaryCount.set(p.primary_category, (primaryCount.get(p.primary_category) ?? 0) + 1);
  return { groups: [...sigs.values()], primaryCount, N: papers.length, idcg: new Map() };
}

function jaccard(a, b) {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Ideal DCG@k (k = 5, 10) for a query: the best gains available in the corpus (query excluded). */
function idcg(ctx, qcats, k) {
  const gains = [];
  for (const g of ctx.groups) {
    const j = jaccard(qcats, g.cats);
    if (j > 0) gains.push([j, g.count - (j === 1 && sameSet(qcats, g.cats) ? 1 : 0)]);
  }
  gains.sort((a, b) => b[0] - a[0]);
  let d = 0;
  let i = 0;
  for (const [j, c] of gains) for (let t = 0; t < c && i < k; t++) d += j * disc(i++);
  return d;
}
function sameSet(a, b) {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function perQuery(ctx, papers, q, nb) {
  const qp = papers[q];
  const qc = new Set(qp.categories);
  const out = {};
  for (const k of [5, 10]) {
    const top = nb.slice(0, k);
    let same = 0;
    let any = 0;
    let dcg = 0;
    let jac = 0;
    top.forEach((j, i) => {
      const p = papers[j];
      const pc = new Set(p.categories);
      if (p.primary_category === qp.primary_category) same++;
      const g = jaccard(qc, pc);
      if (g > 0) any++;
      dcg += g * disc(i);
      jac += g;
    });
    const ideal = idcg(ctx, qc, k);
    out[`same@${k}`] = same / k;
    out[`any@${k}`] = any / k;
    out[`ndcg@${k}`] = ideal ? dcg / ideal : 0;
    out[`jaccard@${k}`] = jac / k;
  }
  return out;
}

function randomQuery(ctx, papers, q) {
  const qp = papers[q];
  const qc = new Set(qp.categories);
  const N1 = ctx.N - 1;
  let anyCount = 0;
  let gainSum = 0;
  for (const g of ctx.groups) {
    const j = jaccard(qc, g.cats);
    if (j > 0) {
      const c = g.count - (sameSet(qc, g.cats) ? 1 : 0);
      anyCount += c;
      gainSum += j * c;
    }
  }
  const pSame = (ctx.primaryCount.get(qp.primary_category) - 1) / N1;
  const out = {};
  for (const k of [5, 10]) {
    let sd = 0;
    for (let i = 0; i < k; i++) sd += disc(i);
    const ideal = idcg(ctx, qc, k);
    out[`same@${k}`] = pSame;
    out[`any@${k}`] = anyCount / N1;
    out[`ndcg@${k}`] = ideal ? ((gainSum / N1) * sd) / ideal : 0;
    out[`jaccard@${k}`] = gainSum / N1;
  }
  return out;
}

function summarize(papers, queries, per) {
  const keys = Object.keys(per[0]);
  const micro = {};
  for (const key of keys) micro[key] = per.reduce((s, x) => s + x[key], 0) / per.length;
  const byCat = new Map();
  queries.forEach((q, i) => {
    const c = papers[q].primary_category;
    if (!byCat.has(c)) byCat.set(c, []);
    byCat.get(c).push(per[i]);
  });
  const macro = {};
  for (const key of keys) {
    let s = 0;
    for (const list of byCat.values()) s += list.reduce((a, x) => a + x[key], 0) / list.length;
    macro[key] = s / byCat.size;
  }
  return { micro, macro, queries: queries.length, categories: byCat.size };
}

// --- CSFCube (eval_scripts/ranking_eval.py with rank_metrics.py, method 0) --------------------

function dcgAt(r, k) {
  const x = r.slice(0, k);
  if (!x.length) return 0;
  let s = x[0];
  for (let i = 1; i < x.length; i++) s += x[i] / Math.log2(i + 1);
  return s;
}
function ndcgAt(r, k) {
  const ideal = dcgAt(
    [...r].sort((a, b) => b - a),
    k,
  );
  return ideal ? dcgAt(r, k) / ideal : 0;
}
function averagePrecision(bin) {
  let hits = 0;
  let s = 0;
  bin.forEach((b, i) => {
    if (b) {
      hits++;
      s += hits / (i + 1);
    }
  });
  return hits ? s / hits : 0;
}
function rPrecision(bin) {
  // rank_metrics.r_precision: mean of r up to the last relevant item.
  let last = -1;
  bin.forEach((b, i) => {
    if (b) last = i;
  });
  if (last < 0) return 0;
  let s = 0;
  for (let i = 0; i <= last; i++) s += bin[i];
  return s / (last + 1);
}

/**
 * Per query-facet metrics. `score(qid, cands)` returns one similarity per candidate (higher is
 * closer). Ties keep pool order (a stable sort, as numpy's argsort(kind='stable')).
 */
export function csfcubeQueries(cs, score) {
  const res = {};
  for (const facet of Object.keys(cs.anns)) {
    for (const [qid, ann] of Object.entries(cs.anns[facet])) {
      const cands = ann.cands;
      const rel = ann.relevance_adju;
      const s = score(qid, cands, facet);
      const order = cands.map((_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
      const graded = order.map((i) => rel[i]);
      const bin = graded.map((g) => (g >= 2 ? 1 : 0));
      res[`${qid}_${facet}`] = {
        map: averagePrecision(bin),
        rprec: rPrecision(bin),
        'ndcg%20': ndcgAt(graded, Math.floor(0.2 * graded.length)),
        'ndcg@20': ndcgAt(graded, 20),
      };
    }
  }
  return res;
}

/** Mean over one fold's queries. */
export function foldMean(res, ids) {
  const out = {};
  for (const m of ['map', 'rprec', 'ndcg%20', 'ndcg@20'])
    out[m] = ids.reduce((s, id) => s + res[id][m], 0) / ids.length;
  return out;
}

/** Upstream "test" aggregation: the mean of the fold1_test and fold2_test means. */
export function testMean(res, folds, facet = 'all') {
  const a = foldMean(res, folds[facet].fold1_test);
  const b = foldMean(res, folds[facet].fold2_test);
  const out = {};
  for (const m of Object.keys(a)) out[m] = (a[m] + b[m]) / 2;
  return out;
}
