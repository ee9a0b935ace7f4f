/**
 * A fingerprint of the topic matcher's output, to show that a speed-up changes no badge: the sha1
 * of the JSON of every paper's `matchTopics` result (ids, kinds, scores, why, order) on all 74,728
 * papers of arxiv-daily-ml (EVAL_PROTOCOL.md), in several configurations:
 *
 * - `builtin`: the built-in taxonomy on title + abstract + categories, as an arXiv card.
 * - `user`: built-in + user topics with acronyms, `word*` / `*suffix` wildcards, an exclusion and a
 *   non-ASCII phrase; every third paper also gets site keywords (fragments of its abstract), as a
 *   Hugging Face card would.
 * - `accents`: the `user` set on a copy of every fifth paper with accents and other non-ASCII
 *   text put in (the deaccenting and non-ASCII word paths), plus upper- and lower-cased titles.
 * - `learned`: built-in + 3 learned topics (arXiv categories as stand-in tags, trained on the
 *   train split) with a limit of 5 badges.
 *
 * Optionally times `matchTopics` on 1,000 real papers (built-in taxonomy, the speed figure in
 * commit messages): `--time [runs]`.
 *
 *   node bench/topics/checksum.mjs                 # sha1 per configuration
 *   node bench/topics/checksum.mjs --time 15       # and median ms per 1,000 papers over 15 runs
 *   TOPICS_LIB=/tmp/old/lib/topics node bench/topics/checksum.mjs   # another copy of the matcher
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { loadPapers } from './data.mjs';

const lib = resolve(process.env.TOPICS_LIB ?? 'lib/topics');
const { BUILTIN_TOPICS, compileTopics, matchTopics, trainLearnedTopic, userTopic } = await import(
  `${lib}/index.ts`
);

const papers = loadPapers();
const arg = process.argv.indexOf('--time');
const timeRuns = arg >= 0 ? Number(process.argv[arg + 1] ?? 15) || 15 : 0;

const USER = [
  userTopic({ name: 'My LoRA', phrases: ['LoRA', 'low-rank adapt*', 'QLoRA'] }),
  userTopic({
    name: 'Benchmarks',
    phrases: ['*bench', 'benchmark', 'leaderboard'],
    exclude: ['benchmark results'],
  }),
  userTopic({ name: 'Quantization', phrases: ['quantiz*', 'int8', 'post-training quantization'] }),
  userTopic({ name: 'Graph neural networks', phrases: ['GNN', 'graph neural network', 'GCN'] }),
  userTopic({ name: 'Diffusion (mine)', phrases: ['diffusion model'], exclude: ['diffusion MRI'] }),
  userTopic({ name: 'Sécurité', phrases: ['sécurité', 'naïve Bayes', 'Schrödinger bridge'] }),
  userTopic({ name: 'Robots', phrases: ['robot', 'policy'] }),
];

/** Site keywords for every third paper: short fragments of its abstract. */
const keywordsOf = (p, i) =>
  i % 3 === 0
    ? p.abstract
        .split(/[,.;]\s*/)
        .filter((s) => s.length > 3 && s.length < 40)
        .slice(0, 4)
    : undefined;

/** Accents and other non-ASCII text put into a paper (deterministic). */
const ACCENTS = [
  [/e/g, 'é'],
  [/o/g, 'ö'],
  [/ fi/g, ' ﬁ'],
  [/ and /g, ' – and '],
  [/2/g, '²'],
];
function accented(p, i) {
  const [re, to] = ACCENTS[i % ACCENTS.length];
  const t = i % 2 ? p.title.toUpperCase() : p.title.toLowerCase();
  return {
    title: i % 3 ? t.replace(re, to) : t,
    abstract: p.abstract.replace(re, to),
    categories: p.categories,
  };
}

const sha1 = (xs) => {
  const h = createHash('sha1');
  for (const x of xs) h.update(`${JSON.stringify(x)}\n`);
  return h.digest('hex');
};

const builtin = compileTopics(BUILTIN_TOPICS);
const withUser = compileTopics([...BUILTIN_TOPICS, ...USER]);
const card = (p) => ({ title: p.title, abstract: p.abstract, categories: p.categories });

const train = papers.filter((p) => p.first_seen < '2026-01-01');
const learned = ['cs.RO', 'cs.IR', 'eess.IV'].map((tag, k) => {
  const pos = train.filter((p) => p.categories.includes(tag)).slice(0, 100);
  const neg = train.filter((p, i) => !p.categories.includes(tag) && i % 37 === k).slice(0, 500);
  return { id: `tag:${tag}`, name: tag, model: trainLearnedTopic(pos, neg) };
});

const out = {
  papers: papers.length,
  builtin: sha1(papers.map((p) => matchTopics(card(p), builtin))),
  user: sha1(
    papers.map((p, i) =>
      matchTopics({ ...card(p), keywords: keywordsOf(p, i) }, withUser, { limit: 6 }),
    ),
  ),
  accents: sha1(
    papers.filter((_, i) => i % 5 === 0).map((p, i) => matchTopics(accented(p, i), withUser)),
  ),
  learned: sha1(
    papers
      .filter((_, i) => i % 4 === 0)
      .map((p) => matchTopics(card(p), builtin, { learned, limit: 5 })),
  ),
};

if (timeRuns) {
  // 1,000 real papers (the test split's first 1,000 in file order), built-in taxonomy.
  const page = papers
    .filter((p) => p.first_seen >= '2026-01-01')
    .slice(0, 1000)
    .map(card);
  for (let i = 0; i < 5; i++) for (const p of page) matchTopics(p, builtin);
  const ms = [];
  for (let r = 0; r < timeRuns; r++) {
    const t0 = performance.now();
    for (const p of page) matchTopics(p, builtin);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  out.per1000 = {
    runs: timeRuns,
    median: Math.round(ms[Math.floor(ms.length / 2)] * 100) / 100,
    min: Math.round(ms[0] * 100) / 100,
  };
}
console.log(JSON.stringify(out, null, 1));
