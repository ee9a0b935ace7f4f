/**
 * Tuning on dev data only: arXiv dev queries (sha1 ranks 2,000–3,999, disjoint from the 2,000
 * test queries) and the CSFCube dev folds. Usage:
 *   node bench/related/tune.mjs '<json: text options>' '<json list: score configs>' [arxiv|csf|both]
 * A score config sets { weight, maxDf, prfDocs, prfWeight, dims, whiten, features, sampleDocs }.
 */
import { RelatedIndex } from '../../lib/related/index.ts';
import { loadArxiv, loadCsfcube, sha1Order } from './data.mjs';
import { categoryMetrics, csfcubeQueries, foldMean } from './metrics.mjs';

const text = JSON.parse(process.argv[2] ?? '{}');
const configs = JSON.parse(process.argv[3] ?? '[{}]');
const which = process.argv[4] ?? 'both';
const nDev = Number(process.env.NDEV ?? 2000);
const r4 = (x) => Math.round(x * 10000) / 10000;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function apply(ix, c, refitDone) {
  const d = ix.opts.dense;
  let refit = !refitDone;
  for (const k of ['dims', 'whiten', 'features', 'sampleDocs', 'powerIters', 'minDf', 'center'])
    if (c[k] !== undefined && c[k] !== d[k]) {
      d[k] = c[k];
      refit = true;
    }
  if (c.weight !== undefined) d.weight = c.weight;
  for (const k of ['maxDf', 'idfPower'])
    if (c[k] !== undefined && c[k] !== ix.opts[k]) {
      ix.opts[k] = c[k];
      ix.refreshNorms();
    }
  ix.opts.prfDocs = c.prfDocs ?? 0;
  ix.opts.prfWeight = c.prfWeight ?? 0;
  if (refit && d.dims) {
    const t = cpu();
    ix.refit();
    console.log(`  refit ${Math.round(cpu() - t)} ms cpu`);
  }
}

if (which !== 'csf') {
  const papers = loadArxiv();
  const order = sha1Order(papers);
  const dev = order.slice(2000, 2000 + nDev);
  const ix = new RelatedIndex({ text });
  let t = cpu();
  ix.addPapers(papers);
  console.log(`arXiv index ${Math.round(cpu() - t)} ms cpu, ${Math.round(ix.bytes / 1e6)} MB`);
  const pos = new Map(papers.map((p, i) => [p.id, i]));
  let fitted = false;
  for (const c of configs) {
    apply(ix, c, fitted);
    fitted = true;
    t = cpu();
    const ranked = dev.map((q) => ix.similarTo(papers[q].id, 10).map((r) => pos.get(r.id)));
    const ms = (cpu() - t) / dev.length;
    const m = categoryMetrics(papers, dev, ranked);
    console.log(
      `ARXIV ${JSON.stringify(c)} same@10 ${r4(m.micro['same@10'])} any@10 ${r4(m.micro['any@10'])} ndcg@10 ${r4(m.micro['ndcg@10'])} macroSame ${r4(m.macro['same@10'])} | ${ms.toFixed(1)} ms/q`,
    );
  }
}

if (which !== 'arxiv') {
  const cs = loadCsfcube();
  const withArxiv = process.env.CSF_ARXIV === '1';
  const ix = new RelatedIndex({ text });
  const docs = cs.papers.map((p) => ({ id: p.paper_id, title: p.title, abstract: p.abstract }));
  ix.addPapers(withArxiv ? [...docs, ...loadArxiv()] : docs);
  let fitted = false;
  for (const c of configs) {
    apply(ix, c, fitted);
    fitted = true;
    const res = csfcubeQueries(cs, (q, cands) => ix.scores(q, cands));
    const f1 = foldMean(res, cs.folds.all.fold1_dev);
    const f2 = foldMean(res, cs.folds.all.fold2_dev);
    console.log(
      `CSF${withArxiv ? '+ARXIV' : ''} ${JSON.stringify(c)} MAP dev1 ${r4(f1.map)} dev2 ${r4(f2.map)} mean ${r4((f1.map + f2.map) / 2)} | NDCG%20 ${r4(f1['ndcg%20'])} ${r4(f2['ndcg%20'])} mean ${r4((f1['ndcg%20'] + f2['ndcg%20']) / 2)}`,
    );
  }
}
