/**
 * The topic matcher's speed-ups must not change a single badge: every card gets the same topics,
 * scores, why lists and order as with the matcher before them. `oldMatchTopics` below is the
 * previous `matchTopics` (lib/topics/match.ts before learned topics were scored from the words the
 * phrase scan had split): phrase topics through `scoreTopics`, learned topics through
 * `termCounts` (a string per word) and the previous `scoreLearnedSet`, kept only here.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_TOPICS,
  compileTopics,
  matchTopics,
  predictLearned,
  scoreTopics,
  trainLearnedTopic,
  userTopic,
  type CompiledTopics,
  type LearnedModel,
  type LearnedTopic,
  type MatchOptions,
  type TopicMatch,
  type TopicPaper,
} from '../../lib/topics';
import { compileLearned, termCounts, type LearnedSet } from '../../lib/topics/learned';
import { words } from '../../lib/topics/text';

// ---- the previous matcher (reference) -------------------------------------------------------

function oldScoreLearnedSet(set: LearnedSet, c: Map<string, number>): Float64Array {
  const K = set.models.length;
  const dot = new Float64Array(K);
  const corr = new Float64Array(K);
  let sumTf2 = 0;
  for (const [term, n] of c) {
    const f = n === 1 ? 1 : 1 + Math.log(n);
    sumTf2 += f * f;
    const packed = set.index.get(term);
    if (!packed) continue;
    for (let q = 0; q < packed.length; q += 3) {
      const k = packed[q]!;
      const idf = packed[q + 1]!;
      const rest = set.models[k]!.restIdf;
      dot[k]! += packed[q + 2]! * f * idf;
      corr[k]! += f * f * (idf * idf - rest * rest);
    }
  }
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const m = set.models[k]!;
    const norm = Math.sqrt(m.restIdf * m.restIdf * sumTf2 + corr[k]!) || 1;
    out[k] = 1 / (1 + Math.exp(-(m.b + dot[k]! / norm)));
  }
  return out;
}

type OldGroup = {
  topics: LearnedTopic[];
  set: LearnedSet;
  opts: { bigrams: boolean; meta: boolean };
};
const oldGroupCache = new WeakMap<readonly LearnedTopic[], OldGroup[]>();

function oldLearnedGroups(learned: readonly LearnedTopic[]): OldGroup[] {
  const had = oldGroupCache.get(learned);
  if (had) return had;
  const by = new Map<string, LearnedTopic[]>();
  for (const t of learned) {
    const key = `${t.model.bigrams}/${t.model.meta}`;
    const list = by.get(key);
    if (list) list.push(t);
    else by.set(key, [t]);
  }
  const groups = [...by.values()].map((topics) => ({
    topics,
    set: compileLearned(topics.map((t) => t.model)),
    opts: { bigrams: topics[0]!.model.bigrams, meta: topics[0]!.model.meta },
  }));
  oldGroupCache.set(learned, groups);
  return groups;
}

const NO_LEARNED: LearnedTopic[] = [];
const BROAD = new Set(BUILTIN_TOPICS.filter((t) => t.broad).map((t) => t.id));

function oldMatchTopics(
  paper: TopicPaper,
  c: CompiledTopics,
  opts: MatchOptions = {},
): TopicMatch[] {
  const ranked: Array<{ m: TopicMatch; rank: number }> = [];
  for (const m of scoreTopics(paper, c, opts)) {
    const need = m.kind === 'user' ? (opts.userThreshold ?? 1.5) : (opts.threshold ?? 3);
    let rank = m.score / need;
    if (m.kind === 'user') rank += 100;
    else if (BROAD.has(m.id)) rank -= 100;
    ranked.push({ m, rank });
  }
  let split: { title: string[]; abstract: string[] } | undefined;
  for (const { topics: group, set, opts: fo } of oldLearnedGroups(opts.learned ?? NO_LEARNED)) {
    split ??= { title: words(paper.title ?? ''), abstract: words(paper.abstract ?? '') };
    const counts = termCounts(paper, fo, split);
    const scores = oldScoreLearnedSet(set, counts);
    group.forEach((t, k) => {
      const score = scores[k]!;
      if (score < t.model.threshold) return;
      const why = predictLearned(t.model, counts, { explain: true }).why;
      ranked.push({
        m: { id: t.id, name: t.name, kind: 'learned', score, why },
        rank: score / t.model.threshold,
      });
    });
  }
  ranked.sort((a, b) => b.rank - a.rank || a.m.id.localeCompare(b.m.id));
  const out: TopicMatch[] = [];
  const ids = new Set<string>();
  for (const { m } of ranked) {
    if (ids.has(m.id)) continue;
    ids.add(m.id);
    out.push(m);
    if (out.length >= (opts.limit ?? 3)) break;
  }
  return out;
}

// ---- data ------------------------------------------------------------------------------------

interface RealPaper {
  title: string;
  abstract: string;
  categories: string[];
}

/** The bench data set (74,728 real arXiv papers), when this machine has it. */
const DATA = process.env.ARXIV_DAILY_ML ?? '/work/shared/data/arxiv-daily-ml/papers.jsonl.gz';

/** The first `n` papers of the data set, or the 500 hand-labelled fixture papers without it. */
async function realPapers(n: number): Promise<RealPaper[]> {
  if (!existsSync(DATA)) {
    const read = (f: string) =>
      (JSON.parse(readFileSync(`tests/fixtures/topics/${f}`, 'utf8')) as { papers: RealPaper[] })
        .papers;
    return [...read('labeled-dev-papers.json'), ...read('labeled-test-papers.json')];
  }
  const out: RealPaper[] = [];
  const lines = createInterface({ input: createReadStream(DATA).pipe(createGunzip()) });
  for await (const line of lines) {
    if (!line) continue;
    const p = JSON.parse(line) as RealPaper;
    out.push({ title: p.title, abstract: p.abstract, categories: p.categories });
    if (out.length >= n) break;
  }
  lines.close();
  return out;
}

const USER = [
  userTopic({ name: 'My LoRA', phrases: ['LoRA', 'low-rank adapt*', 'QLoRA'] }),
  userTopic({
    name: 'Benchmarks',
    phrases: ['*bench', 'benchmark', 'leaderboard'],
    exclude: ['benchmark results'],
  }),
  userTopic({ name: 'Sécurité', phrases: ['sécurité', 'naïve Bayes', 'Schrödinger bridge'] }),
  userTopic({ name: 'Graphs', phrases: ['graph neural network', 'GNN'], exclude: ['GNN-free'] }),
  userTopic({ name: 'Regex (a+b)*', phrases: ['C++', 'a.*b', '(x|y)', '[^z]', 'f(x)$'] }),
  userTopic({ name: 'שפה', phrases: ['מודל שפה', 'تعلم الآلة'] }),
];

/** Site keywords for every third paper (fragments of its abstract), as a Hugging Face card. */
const keywordsOf = (p: RealPaper, i: number) =>
  i % 3 === 0
    ? p.abstract
        .split(/[,.;]\s*/)
        .filter((s) => s.length > 3 && s.length < 40)
        .slice(0, 4)
    : undefined;

/** Non-ASCII put into a paper: accents that deaccent to ASCII, and text that stays non-ASCII. */
function accented(p: RealPaper, i: number): TopicPaper {
  const to = [
    [/e/g, 'é'],
    [/o/g, 'Ö'],
    [/ fi/g, ' ﬁ'],
    [/ and /g, ' – and '],
    [/ the /g, ' 模型 the '],
  ] as const;
  const [re, s] = to[i % to.length]!;
  const title = i % 2 ? p.title.toUpperCase() : p.title;
  return {
    title: i % 4 === 1 ? title : title.replace(re, s),
    abstract: i % 4 === 2 ? p.abstract : p.abstract.replace(re, s),
    categories: p.categories,
  };
}

// ---- tests -----------------------------------------------------------------------------------

let papers: RealPaper[] = [];
let learned: LearnedTopic[] = [];
const builtin = compileTopics(BUILTIN_TOPICS);
const withUser = compileTopics([...BUILTIN_TOPICS, ...USER]);

beforeAll(async () => {
  papers = await realPapers(6000);
  // Learned topics as the worker trains them (categories stand in for tags), on other papers.
  const train = papers.slice(0, 3000);
  learned = ['cs.RO', 'cs.IR', 'eess.IV', 'cs.CR'].map((tag, k) => {
    const pos = train.filter((p) => p.categories.includes(tag)).slice(0, 80);
    const neg = train.filter((p, i) => !p.categories.includes(tag) && i % 7 === k).slice(0, 300);
    return { id: `tag:${tag}`, name: tag, model: trainLearnedTopic(pos, neg) };
  });
}, 120_000);

/** Each paper's badges (all of them: a limit of 8) by the new and the previous matcher. */
function compare(list: TopicPaper[], c: CompiledTopics, opts: MatchOptions): number {
  let badges = 0;
  list.forEach((p, i) => {
    const now = matchTopics(p, c, opts);
    const before = oldMatchTopics(p, c, opts);
    if (JSON.stringify(now) !== JSON.stringify(before))
      expect({ i, title: p.title, now }).toEqual({ i, title: p.title, now: before });
    badges += now.length;
  });
  return badges;
}

describe('topic badges are the same as with the previous matcher', () => {
  it('on thousands of real papers: built-in, user and learned topics', () => {
    expect(papers.length).toBeGreaterThanOrEqual(existsSync(DATA) ? 6000 : 500);
    const cards = papers.map((p) => ({ ...p }));
    const learnedShown = (list: TopicPaper[]) =>
      list.reduce(
        (n, p) =>
          n +
          matchTopics(p, builtin, { learned, limit: 8 }).filter((m) => m.kind === 'learned').length,
        0,
      );
    expect(compare(cards, builtin, {})).toBeGreaterThan(cards.length / 2);
    expect(compare(cards, builtin, { learned, limit: 8 })).toBeGreaterThan(0);
    // The learned topics are shown on some papers (their why lists are compared too).
    expect(learnedShown(cards)).toBeGreaterThan(cards.length / 100);
    const withKeywords = papers.map((p, i) => ({ ...p, keywords: keywordsOf(p, i) }));
    compare(withKeywords, withUser, { learned, limit: 8 });
  }, 120_000);

  it('without why lists (the topic refresh): the same badges, in the same order', () => {
    const opts = { learned, limit: 3 };
    let learnedSeen = 0;
    for (const p of papers.slice(0, 2000)) {
      const full = matchTopics(p, withUser, opts);
      const bare = matchTopics(p, withUser, { ...opts, why: false });
      expect(bare.map((m) => [m.id, m.score])).toEqual(full.map((m) => [m.id, m.score]));
      for (const m of bare.filter((b) => b.kind === 'learned')) {
        learnedSeen++;
        expect(m.why).toEqual([]);
      }
    }
    expect(learnedSeen).toBeGreaterThan(0);
  });

  it('with accents, other scripts and upper-case titles (the non-ASCII paths)', () => {
    const list = papers.filter((_, i) => i % 3 === 0).map(accented);
    compare(list, withUser, { learned, limit: 8 });
  }, 60_000);

  it('with learned models of other feature options (word pairs, no categories)', () => {
    const train = papers.slice(0, 2000);
    const pos = train.filter((p) => p.categories.includes('cs.RO')).slice(0, 60);
    const neg = train.filter((p) => !p.categories.includes('cs.RO')).slice(0, 200);
    const other: LearnedTopic[] = [
      { id: 'tag:pairs', name: 'pairs', model: trainLearnedTopic(pos, neg, { bigrams: true }) },
      { id: 'tag:nometa', name: 'no meta', model: trainLearnedTopic(pos, neg, { meta: false }) },
      ...learned.slice(0, 1),
    ];
    compare(papers.slice(3000, 4500), builtin, { learned: other, limit: 8 });
  }, 60_000);

  it('on hostile input: empty, 100 kB, right-to-left, regex characters, stop words and numbers', () => {
    const long = 'Robot grasping with diffusion policies, 3D and the LoRA. '.repeat(1800);
    const hostile: TopicPaper[] = [
      { title: '' },
      { title: '', abstract: '' },
      { title: ' ', abstract: ' \n\t ', categories: [], keywords: [] },
      { title: long, abstract: long, categories: ['cs.RO', 'cs.RO'] },
      { title: 'x'.repeat(100_000) },
      { title: long.slice(0, 50_000) + ' é', abstract: 'robot' },
      { title: 'מודל שפה גדול לרובוטים', abstract: 'تعلم الآلة للروبوتات robot grasping' },
      { title: 'a.*b (x|y) [^z] f(x)$ C++ \\d+ $1 ^', abstract: '((((((((((a+)+)+)+)+)+)+)+)+)+' },
      { title: 'THE A AN OF 2024 1 x y Robot ROBOT robot', abstract: 'The 12 345 a b robot.' },
      { title: 'Robot\u0000Arm\uFFFD\uD800 grasp', abstract: '\u202Erobot\u202C grasping' },
      { title: 'robot', abstract: 'robot', categories: ['cs.RO'], keywords: ['robot', 'Robot'] },
    ];
    const everything = [...learned, { id: 'tag:x', name: 'x', model: learned[0]!.model }];
    for (const c of [builtin, withUser])
      for (const opts of [{}, { learned, limit: 8 }, { learned: everything, limit: 8 }])
        compare(hostile, c, opts);
  }, 60_000);

  it('tells apart words whose hashes collide (they are compared, not trusted)', () => {
    // Two ASCII words with the same 30-bit FNV-1a hash, found by a birthday search.
    const hash = (w: string) => {
      let h = 0x811c9dc5 | 0;
      for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
      return h & 0x3fffffff;
    };
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const w = `w${i.toString(36)}`;
      const had = seen.get(hash(w));
      if (had) pair = [had, w];
      else seen.set(hash(w), w);
    }
    const [a, b] = pair;
    expect(hash(a)).toBe(hash(b));
    const model: LearnedModel = {
      v: 1,
      terms: [a, 'robot'],
      idf: [2, 1.5],
      w: [3, 0.5],
      b: -1,
      restIdf: 1.2,
      threshold: 0.3,
      meta: false,
      bigrams: false,
      trainedOn: { positives: 5, negatives: 5 },
    };
    const topics: LearnedTopic[] = [{ id: 'tag:a', name: 'a', model }];
    const list: TopicPaper[] = [
      { title: `${a} robot`, abstract: `${b} ${b} ${a}` },
      { title: `${b} robot`, abstract: `${b} ${b}` },
      { title: `${b.toUpperCase()}`, abstract: `${a.toUpperCase()} robot` },
    ];
    compare(list, builtin, { learned: topics });
    const score = (p: TopicPaper) => matchTopics(p, builtin, { learned: topics })[0]?.score ?? 0;
    expect(score(list[1]!)).toBeLessThan(score(list[0]!));
  });
});
