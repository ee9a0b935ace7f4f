// Benchmark: 100 watch rules against a 1,000-card page (issue 6: ≤ 10 ms of matching).
// Real papers: the first 1,000 of ../shared/data/arxiv-daily-ml. Rules: 60 phrase rules (some with
// exclusions), 25 author rules, 10 category rules, 5 organization rules, made from that data's own
// words, names and categories so they really match. Runs lib/rules/match.ts in Node's V8 (the
// background worker's engine) with type stripping. Writes bench/results/rules.json.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { gunzipSync } from 'node:zlib';
import { compileRules, matchPaper } from '../lib/rules/match.ts';

const DATA = new URL('../../shared/data/arxiv-daily-ml/papers.jsonl.gz', import.meta.url);
const papers = gunzipSync(readFileSync(DATA))
  .toString('utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 3_000)
  .map((l) => JSON.parse(l));
const page = papers.slice(0, 1_000).map((p) => ({
  title: p.title,
  abstract: p.abstract,
  authors: p.authors ?? [],
  categories: p.categories ?? [],
}));

const PHRASES = [
  'diffusion',
  'reward model',
  'world models',
  'agents',
  'chain of thought',
  'retrieval augmented',
  'vision language',
  'reinforcement learning',
  'offline RL',
  'graph neural network',
  'transformer',
  'mixture of experts',
  'speculative decoding',
  'quantization',
  'pruning',
  'distillation',
  'federated learning',
  'differential privacy',
  'robot',
  'manipulation',
  'navigation',
  'segmentation',
  'object detection',
  'depth estimation',
  'gaussian splatting',
  'NeRF',
  'video generation',
  'text to image',
  'speech recognition',
  'machine translation',
  'question answering',
  'code generation',
  'theorem proving',
  'tool use',
  'hallucination',
  'alignment',
  'jailbreak',
  'red teaming',
  'interpretability',
  'sparse autoencoder',
  'contrastive learning',
  'self supervised',
  'few shot',
  'in context learning',
  'instruction tuning',
  'preference optimization',
  'DPO',
  'RLHF',
  'benchmark',
  'dataset',
  'medical imaging',
  'protein',
  'molecule',
  'weather',
  'time series',
  'recommendation',
  'anomaly detection',
  'continual learning',
  'meta learning',
  'state space model',
];
let n = 0;
const rule = (kind, terms, exclude = []) => ({
  id: `r${n++}`,
  name: terms[0],
  kind,
  terms,
  exclude,
  color: '#b45309',
  paused: false,
  createdAt: 0,
  updatedAt: 0,
});
const authors = papers
  .slice(1_000)
  .flatMap((p) => p.authors ?? [])
  .filter((a) => a.includes(' '));
const cats = [...new Set(papers.flatMap((p) => p.categories ?? []))];
const rules = [
  ...PHRASES.map((p, i) => rule('words', [p], i % 4 === 0 ? [`${p} survey`] : [])),
  ...Array.from({ length: 25 }, (_, i) => rule('author', [authors[(i * 37) % authors.length]])),
  ...cats.slice(0, 10).map((c) => rule('category', [c])),
  ...['Google DeepMind', 'Meta AI', 'Microsoft Research', 'Tsinghua University', 'NVIDIA'].map(
    (o) => rule('organization', [o]),
  ),
];

// The worker compiles rules once per change (lib/rules/store.ts caches them), then matches every
// page with them: the figure is the matching; compiling is timed apart and reported with it.
function run() {
  const t0 = performance.now();
  const compiled = compileRules(rules);
  const t1 = performance.now();
  let hits = 0;
  for (const p of page) hits += matchPaper(compiled, p).length;
  return { ms: performance.now() - t1, compileMs: t1 - t0, hits };
}
for (let i = 0; i < 5; i++) run(); // warm-up (JIT)
const times = [];
const compileTimes = [];
let hits = 0;
for (let i = 0; i < 30; i++) {
  const r = run();
  times.push(r.ms);
  compileTimes.push(r.compileMs);
  hits = r.hits;
}
compileTimes.sort((a, b) => a - b);
times.sort((a, b) => a - b);
const q = (f) => times[Math.min(times.length - 1, Math.floor(f * times.length))];
const result = {
  id: 'rules-100x1000',
  figure: '100 watch rules × 1,000-card page: matching (rules compiled once, as the worker does)',
  target: 10,
  unit: 'ms',
  runs: times.length,
  median: +q(0.5).toFixed(2),
  p95: +q(0.95).toFixed(2),
  min: +times[0].toFixed(2),
  max: +times.at(-1).toFixed(2),
  compileMedian: +compileTimes[compileTimes.length >> 1].toFixed(2),
  hits,
  rules: rules.length,
  cards: page.length,
  environment: `Node ${process.version} (V8, as in the background worker)`,
  date: new Date().toISOString().slice(0, 10),
  loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
};
result.value = result.median;
result.pass = result.median <= result.target;
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/rules.json', import.meta.url),
  JSON.stringify(result, null, 2) + '\n',
);
console.log(
  `${result.pass ? 'PASS' : 'FAIL'} ${result.figure}: median ${result.median} ms, p95 ${result.p95} ms (${hits} hits; compiling the rules ${result.compileMedian} ms)`,
);
