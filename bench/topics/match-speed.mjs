/**
 * Speed of topic-badge matching as the worker runs it on a first visit of a 1,000-card arXiv
 * listing: `matchTopics` (built-in taxonomy, or built-in + user topics, or + learned topics) on
 * 1,000 real papers of arxiv-daily-ml (title + abstract + categories). Prints the median and
 * minimum ms per 1,000 cards over `runs` runs (after 5 warm-up runs), wall clock and this
 * process's CPU time, and the load average (on a shared machine the wall clock includes waiting
 * for a core). With OLD_TOPICS_LIB, another copy of lib/topics is timed in the same process, runs
 * alternating, so both see the same load (an A/B comparison).
 *
 *   node bench/topics/match-speed.mjs [runs=30] [builtin|user|learned]
 *   OLD_TOPICS_LIB=/tmp/old/lib/topics node bench/topics/match-speed.mjs 30 learned
 */
import os from 'node:os';
import { resolve } from 'node:path';
import { loadPapers } from './data.mjs';

const libs = [resolve(process.env.TOPICS_LIB ?? 'lib/topics')];
if (process.env.OLD_TOPICS_LIB) libs.push(resolve(process.env.OLD_TOPICS_LIB));
const engines = await Promise.all(libs.map((lib) => import(`${lib}/index.ts`)));
const { BUILTIN_TOPICS, trainLearnedTopic, userTopic } = engines[0];
const runs = Number(process.argv[2] ?? 30) || 30;
const mode = process.argv[3] ?? 'builtin';

const papers = loadPapers();
const card = (p) => ({ title: p.title, abstract: p.abstract, categories: p.categories });
const page = papers
  .filter((p) => p.first_seen >= '2026-01-01')
  .slice(0, 1000)
  .map(card);
const USER = [
  userTopic({ name: 'My LoRA', phrases: ['LoRA', 'low-rank adapt*', 'QLoRA'] }),
  userTopic({
    name: 'Benchmarks',
    phrases: ['*bench', 'benchmark'],
    exclude: ['benchmark results'],
  }),
  userTopic({ name: 'Sécurité', phrases: ['sécurité', 'naïve Bayes'] }),
];
const defs = mode === 'user' ? [...BUILTIN_TOPICS, ...USER] : BUILTIN_TOPICS;
let opts = {};
if (mode === 'learned') {
  const train = papers.filter((p) => p.first_seen < '2026-01-01');
  const learned = ['cs.RO', 'cs.IR', 'eess.IV'].map((tag, k) => {
    const pos = train.filter((p) => p.categories.includes(tag)).slice(0, 100);
    const neg = train.filter((p, i) => !p.categories.includes(tag) && i % 37 === k).slice(0, 500);
    return { id: `tag:${tag}`, name: tag, model: trainLearnedTopic(pos, neg) };
  });
  opts = { learned };
}
const runners = engines.map((e) => {
  const topics = e.compileTopics(defs);
  return () => {
    for (const p of page) e.matchTopics(p, topics, opts);
  };
});
for (const run of runners) for (let i = 0; i < 5; i++) run();
const ms = runners.map(() => []);
const cpu = runners.map(() => []);
const load0 = os.loadavg()[0];
for (let r = 0; r < runs; r++)
  runners.forEach((run, k) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    ms[k].push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu[k].push((c.user + c.system) / 1000);
  });
const round = (x) => Math.round(x * 100) / 100;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = [round(load0), round(os.loadavg()[0])];
libs.forEach((lib, k) =>
  console.log(
    JSON.stringify({
      lib: k === 0 ? 'new' : 'old',
      mode,
      runs,
      median: round(median(ms[k])),
      min: round(Math.min(...ms[k])),
      cpuMedian: round(median(cpu[k])),
      load,
    }),
  ),
);
