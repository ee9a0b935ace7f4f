import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_TOPICS,
  compileTopics,
  matchTopics,
  predictLearned,
  trainLearnedTopic,
  userTopic,
  validateTopic,
  type TopicPaper,
} from '../../lib/topics';

const builtin = compileTopics(BUILTIN_TOPICS);
const ids = (paper: TopicPaper) => matchTopics(paper, builtin).map((m) => m.id);

describe('built-in taxonomy (lib/topics/taxonomy.json)', () => {
  it('has at least 40 valid topics with unique ids, names, descriptions and phrases', () => {
    expect(BUILTIN_TOPICS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BUILTIN_TOPICS.map((t) => t.id)).size).toBe(BUILTIN_TOPICS.length);
    for (const t of BUILTIN_TOPICS) {
      expect(validateTopic(t), t.id).toEqual([]);
      expect(t.description?.length, t.id).toBeGreaterThan(20);
      expect(t.name.length, t.id).toBeLessThanOrEqual(24);
      expect(Array.isArray(t.categories), t.id).toBe(true);
    }
  });
});

describe('matchTopics: built-in topics', () => {
  it('badges a paper by its title and says why', () => {
    const m = matchTopics(
      {
        title: 'Direct Preference Optimization for Aligning Diffusion Models',
        abstract: 'We fine-tune text-to-image diffusion models on human preference data.',
      },
      builtin,
    );
    const byId = Object.fromEntries(m.map((x) => [x.id, x]));
    expect(byId.alignment?.why[0]).toBe('Direct Preference Optimization');
    expect(byId.diffusion?.why).toContain('Diffusion Models');
    expect(m.every((x) => x.kind === 'builtin' && x.score >= 3)).toBe(true);
  });

  it('shows at most three badges, broad topics last', () => {
    const paper = {
      title:
        'Retrieval-Augmented Generation and LoRA Fine-Tuning of Large Language Models for ' +
        'Clinical Notes',
      abstract: 'RAG over electronic health records with low-rank adaptation of LLMs.',
    };
    const all = matchTopics(paper, builtin, { limit: 10 });
    expect(all.map((x) => x.id).sort()).toEqual(['clinical-nlp', 'llm', 'peft', 'rag']);
    // The broad "LLMs" topic comes last, so the default three leave it out.
    expect(all.at(-1)?.id).toBe('llm');
    expect(matchTopics(paper, builtin).map((x) => x.id)).not.toContain('llm');
  });

  it('exclusions cancel an ambiguous phrase ("diffusion MRI" is not a diffusion model)', () => {
    const p = {
      title: 'Diffusion MRI tractography of the developing brain',
      abstract: 'Diffusion-weighted imaging and diffusion MRI of 300 infants.',
    };
    expect(ids(p)).not.toContain('diffusion');
    expect(ids({ title: 'Latent Diffusion Models for MRI synthesis' })).toContain('diffusion');
  });

  it('X-ray diffraction is materials science, a chest X-ray is medical imaging', () => {
    const materials = {
      title: 'A Neural Network to Analyse Powder X-ray Diffraction Data',
      abstract:
        'Quantitative analysis of powder X-ray diffraction patterns of multiphase materials, ' +
        'demonstrated on X-ray diffraction tomography of a solid oxide fuel cell.',
    };
    expect(ids(materials)).not.toContain('medical-imaging');
    expect(
      ids({
        title: 'Detecting pneumonia in chest X-ray images',
        abstract: 'A classifier for X-ray images of 5,000 patients.',
      }),
    ).toContain('medical-imaging');
  });

  it('matches acronyms with their case, plurals, hyphenation and wildcards', () => {
    expect(ids({ title: 'Better RAG for long documents' })).toContain('rag');
    expect(ids({ title: 'A rag doll physics simulator' })).not.toContain('rag');
    expect(ids({ title: 'Scaling Mixture-of-Experts' })).toContain('moe');
    expect(ids({ title: 'Post-training quantization of LLMs' })).toContain('model-compression');
    expect(ids({ title: 'Fine tuning with low rank adaptation' })).toContain('peft');
    // YOLOv* matches any version.
    expect(ids({ title: 'YOLOv12 for drone detection' })).toContain('object-detection');
  });

  it('needs more than one weak mention in the abstract', () => {
    const p = {
      title: 'A study of optimizers',
      abstract: 'Unlike reinforcement learning, we use plain gradient descent.',
    };
    expect(ids(p)).not.toContain('reinforcement-learning');
  });

  it('uses site keywords like the title and arXiv categories as supporting evidence', () => {
    expect(ids({ title: 'A new method', keywords: ['Gaussian splatting'] })).toContain(
      'neural-rendering',
    );
    const m = matchTopics(
      {
        title: 'Learning to grasp from demonstrations',
        abstract: 'A robot arm learns grasping policies.',
        categories: ['cs.RO', 'cs.LG'],
      },
      builtin,
    );
    const robotics = m.find((x) => x.id === 'robotics');
    expect(robotics?.why).toContain('arXiv cs.RO');
  });

  it('gives nothing for a paper with no topic words', () => {
    expect(matchTopics({ title: 'On the history of the abacus' }, builtin)).toEqual([]);
  });

  it('accepts plain definitions (compiled once and cached)', () => {
    const m = matchTopics({ title: 'Graph Neural Networks for molecules' }, BUILTIN_TOPICS);
    expect(m.map((x) => x.id)).toContain('graph-learning');
  });
});

describe('user topics', () => {
  const mine = userTopic({
    name: 'Sparse attention',
    phrases: ['sparse attention', 'block-sparse'],
    exclude: ['sparse attention maps'],
  });

  it('validates and builds an id', () => {
    expect(mine.id).toBe('user:sparse-attention');
    expect(mine.kind).toBe('user');
    expect(() => userTopic({ name: '', phrases: ['x'] })).toThrow();
    expect(() => userTopic({ name: 'X', phrases: ['  '] })).toThrow();
    expect(() => userTopic({ name: 'X', phrases: ['ab*'] })).toThrow(/3 letters/);
  });

  it('matches one phrase anywhere and comes first', () => {
    const set = compileTopics([...BUILTIN_TOPICS, mine]);
    const m = matchTopics(
      {
        title: 'Efficient LLM inference with KV cache compression and speculative decoding',
        abstract: 'We combine block-sparse kernels with a draft model.',
      },
      set,
    );
    expect(m[0]).toMatchObject({ id: 'user:sparse-attention', kind: 'user' });
    expect(m[0]?.why).toEqual(['block-sparse']);
    expect(m.length).toBeLessThanOrEqual(3);
  });

  it('respects its exclusions', () => {
    const set = compileTopics([mine]);
    expect(matchTopics({ title: 'Visualizing sparse attention maps' }, set)).toEqual([]);
  });
});

it('matches the same in ASCII and accented text, at the start, end and middle of a field', () => {
  const t = userTopic({
    name: 'Bridges',
    phrases: ['Schrödinger bridge', 'reward model', 'quantiz*', '*bench', 'policy'],
  });
  const set = compileTopics([t]);
  const why = (title: string) => matchTopics({ title }, set)[0]?.why ?? [];
  expect(why('Schrödinger Bridges')).toEqual(['Schrodinger Bridges']);
  expect(why('Schrodinger bridges, fast')).toEqual(['Schrodinger bridges']);
  expect(why('Über reward models')).toEqual(['reward models']);
  expect(why('reward-model')).toEqual(['reward-model']);
  expect(why('Naïve post-training quantization')).toEqual(['quantization']);
  expect(why('CodeBench: à coding test')).toEqual(['CodeBench']);
  expect(why('Policies')).toEqual(['Policies']);
  expect(why('reward')).toEqual([]);
  expect(why('reward modeling')).toEqual([]);
  expect(why('rewardmodel')).toEqual([]);
});

it('finds every phrase of a common first word, in fields of any length', () => {
  // Twelve phrases start with "graph": the matcher searches that word's second words by halves.
  const seconds =
    'attention,coloring,cut,diffusion,embedding,kernel,layout,matching,mining,pooling,sampling,transformer';
  const t = userTopic({ name: 'Graphs', phrases: seconds.split(',').map((w) => `graph ${w}`) });
  const set = compileTopics([t]);
  const why = (paper: TopicPaper) => matchTopics(paper, set)[0]?.why ?? [];
  for (const w of seconds.split(','))
    expect(why({ title: `Fast GRAPH ${w}s` }), w).toEqual([`GRAPH ${w}s`]);
  expect(why({ title: 'graph' })).toEqual([]);
  expect(why({ title: 'graph transformers graph' })).toEqual(['graph transformers']);
  // A phrase at the very start and the very end of a 60,000-character abstract (ASCII and not).
  const filler = 'we study a novel method on many tasks. '.repeat(1500);
  for (const pad of [filler, `${filler}é `]) {
    expect(why({ title: 'x', abstract: `${pad}graph kernels` })).toEqual(['graph kernels']);
    expect(why({ title: 'x', abstract: `graph-cut ${pad}` })).toEqual(['graph-cut']);
    expect(why({ title: 'x', keywords: ['y', `${pad}graph mining`] })).toEqual(['graph mining']);
  }
});

/** A deterministic synthetic corpus: topic papers use topic words, others use other words. */
function corpus(n: number, rate: number, seed = 7): Array<TopicPaper & { pos: boolean }> {
  let s = seed;
  const r = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const topic = ['reward', 'policy', 'agent', 'environment', 'return', 'exploration'];
  const other = ['image', 'segmentation', 'pixel', 'mask', 'encoder', 'convolution', 'dataset'];
  const common = ['we', 'propose', 'model', 'results', 'method', 'training', 'performance'];
  const pick = (xs: string[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: n }, () => {
    const pos = r() < rate;
    const words = Array.from({ length: 60 }, () =>
      r() < 0.3 ? pick(pos ? topic : other) : pick(common),
    );
    return { title: words.slice(0, 8).join(' '), abstract: words.join(' '), pos };
  });
}

describe('learned topics', () => {
  it('learns from 5 positives and scores new papers, with the words that decided it', () => {
    const train = corpus(400, 0.05);
    const pos = train.filter((p) => p.pos).slice(0, 5);
    const neg = train.filter((p) => !p.pos).slice(0, 200);
    const model = trainLearnedTopic(pos, neg);
    const test = corpus(200, 0.3, 99);
    const hit = test.filter((p) => predictLearned(model, p).score >= model.threshold);
    const precision = hit.filter((p) => p.pos).length / Math.max(1, hit.length);
    const recall = hit.filter((p) => p.pos).length / test.filter((p) => p.pos).length;
    expect(precision).toBeGreaterThan(0.9);
    expect(recall).toBeGreaterThan(0.5);
    const why = predictLearned(
      model,
      test.find((p) => p.pos)!,
    ).why;
    expect(why.some((w) => /reward|policy|agent|environment|return|exploration/.test(w))).toBe(
      true,
    );
  });

  it('is plain, deterministic data that survives a JSON round trip', () => {
    const train = corpus(300, 0.1);
    const a = trainLearnedTopic(
      train.filter((p) => p.pos),
      train.filter((p) => !p.pos),
    );
    const b = trainLearnedTopic(
      train.filter((p) => p.pos),
      train.filter((p) => !p.pos),
    );
    expect(b).toEqual(a);
    const copy = JSON.parse(JSON.stringify(a));
    const p = corpus(1, 1, 3)[0]!;
    expect(predictLearned(copy, p)).toEqual(predictLearned(a, p));
    expect(a.terms.length).toBeLessThanOrEqual(3000);
  });

  it('trains on 1,000 papers well within a second', () => {
    const train = corpus(1000, 0.1);
    const t0 = performance.now();
    trainLearnedTopic(
      train.filter((p) => p.pos),
      train.filter((p) => !p.pos),
    );
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('joins the badges of matchTopics as kind "learned"', () => {
    const train = corpus(400, 0.1);
    const model = trainLearnedTopic(
      train.filter((p) => p.pos),
      train.filter((p) => !p.pos),
    );
    const p = corpus(50, 1, 5)[0]!;
    const m = matchTopics(p, builtin, { learned: [{ id: 'tag:rl', name: 'my RL', model }] });
    expect(m.find((x) => x.id === 'tag:rl')).toMatchObject({ kind: 'learned', name: 'my RL' });
  });
});

describe('hand-labelled test papers (tests/fixtures/topics/labeled-test-papers.json)', () => {
  const data = JSON.parse(
    readFileSync(new URL('../fixtures/topics/labeled-test-papers.json', import.meta.url), 'utf8'),
  ) as {
    papers: Array<{
      id: string;
      first_seen: string;
      title: string;
      abstract: string;
      categories: string[];
      topics: string[];
    }>;
  };
  const known = new Set(BUILTIN_TOPICS.map((t) => t.id));

  it('has at least 200 papers of the test split, labelled with taxonomy ids', () => {
    expect(data.papers.length).toBeGreaterThanOrEqual(200);
    for (const p of data.papers) {
      expect(p.first_seen >= '2026-01-01', p.id).toBe(true);
      for (const t of p.topics) expect(known.has(t), `${p.id} ${t}`).toBe(true);
    }
  });

  it('badges shown keep precision at or above 0.85', () => {
    let tp = 0;
    let shown = 0;
    for (const p of data.papers) {
      for (const m of matchTopics(p, builtin)) {
        shown++;
        if (p.topics.includes(m.id)) tp++;
      }
    }
    expect(shown).toBeGreaterThan(300);
    expect(tp / shown).toBeGreaterThanOrEqual(0.85);
  });
});
