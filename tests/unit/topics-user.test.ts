/**
 * The user's own topics through the worker (lib/topics/store.ts, the router): stored after
 * validation, hostile or broken topics refused with the reason and nothing replaced, matched on
 * the cards of the next page (shown first), and a badge click opening the filtered reading list
 * only when our content script asks.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import type { CardState, Replies } from '../../lib/messages';
import { invalidateTopics, learnTopics } from '../../lib/topics/store';

const EXT = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
const content: SenderInfo = { id: EXT, url: 'https://arxiv.org/list/cs.LG/new', tab: { id: 2 } };
const options: SenderInfo = { id: EXT, url: `${ORIGIN}options.html` };

let n = 0;
let env: RouterEnv;
let shown: string[];
let notices: string[];

beforeEach(async () => {
  invalidateTopics(); // the worker's compiled set belongs to its one database; each test has its own
  const db = new PaperScoutDB(`topics-user-${n++}`);
  await db.open();
  shown = [];
  notices = [];
  env = {
    db,
    extensionId: EXT,
    extensionOrigin: ORIGIN,
    notify: (x) => notices.push(x.type),
    showTopic: async (t) => {
      shown.push(t);
      return 'popup';
    },
  };
});

const setUser = (topics: unknown) =>
  handleMessage({ type: 'topics/setUser', topics }, options, env);

/** The badges a card of `title` gets on an arXiv listing (as the paper `arxivId`). */
async function badgesOf(title: string, arxivId = '2401.00001'): Promise<CardState['badges']> {
  const res = await handleMessage(
    {
      type: 'cards/seen',
      page: {
        url: 'https://arxiv.org/list/cs.LG/new',
        site: 'arxiv',
        kind: 'list-new',
        listing: true,
        loadId: `l${Math.random()}`,
      },
      cards: [{ arxivId, title, url: `https://arxiv.org/abs/${arxivId}` }],
    },
    content,
    env,
  );
  if (!res.ok) throw new Error(res.error.message);
  return (res.value as Replies['cards/seen']).cards[0]!.badges;
}

describe('user topics', () => {
  it('are stored, badge the next cards that use their phrases, and come first', async () => {
    const title = 'Selective State Space Models for Reinforcement Learning Agents';
    expect((await badgesOf(title)).some((b) => b.kind === 'user')).toBe(false);
    const res = await setUser([{ name: 'SSMs', phrases: ['state space model*', 'mamba'] }]);
    expect(res).toMatchObject({ ok: true, value: { topics: [{ id: 'user:ssms', name: 'SSMs' }] } });
    expect(notices).toContain('rules/changed'); // open tabs ask for their badges again
    const badges = await badgesOf(title);
    expect(badges[0]).toMatchObject({ id: 'user:ssms', name: 'SSMs', kind: 'user' });
    expect(badges[0]!.why.join(' ')).toMatch(/State Space Models/i);
    const got = await handleMessage({ type: 'topics/getUser' }, options, env);
    expect(got).toMatchObject({ ok: true, value: { topics: [{ id: 'user:ssms' }] } });
  });

  it.each([
    ['a phrase without a word', [{ name: 'Empty', phrases: ['***'] }]],
    ['a short wildcard', [{ name: 'Wild', phrases: ['a*'] }]],
    [
      'two topics of one name',
      [
        { name: 'Same', phrases: ['alpha'] },
        { name: 'same', phrases: ['beta'] },
      ],
    ],
    ['no phrases', [{ name: 'Nothing', phrases: [] }]],
    ['a 10,000-character phrase', [{ name: 'Long', phrases: ['x'.repeat(10_000)] }]],
    ['a name that is not text', [{ name: { toString: 1 }, phrases: ['a b c'] }]],
  ])('are refused with the reason for %s, keeping what was stored', async (_why, topics) => {
    await setUser([{ name: 'Kept', phrases: ['kept phrase'] }]);
    const res = await setUser(topics);
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const got = await handleMessage({ type: 'topics/getUser' }, options, env);
    expect(got).toMatchObject({ ok: true, value: { topics: [{ id: 'user:kept' }] } });
  });

  it('keep a hostile name as text', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const res = await setUser([{ name, phrases: ['graph neural'] }]);
    expect(res.ok).toBe(true);
    const badges = await badgesOf('Graph Neural Networks at Scale');
    expect(badges.find((b) => b.kind === 'user')?.name).toBe(name);
  });

  it('are only changed from extension pages; a badge click only from our content script', async () => {
    expect(await handleMessage({ type: 'topics/setUser', topics: [] }, content, env)).toMatchObject(
      { ok: false, error: { code: 'forbidden' } },
    );
    expect(await handleMessage({ type: 'topics/show', topic: 'rlhf' }, options, env)).toMatchObject(
      { ok: false, error: { code: 'forbidden' } },
    );
    expect(shown).toEqual([]);
    const res = await handleMessage({ type: 'topics/show', topic: 'rlhf' }, content, env);
    expect(res).toEqual({ ok: true, value: { opened: 'popup' } });
    expect(shown).toEqual(['rlhf']);
  });
});

describe('learned topics', () => {
  const diffusion = [
    'Denoising diffusion models for image synthesis with classifier-free guidance',
    'Latent diffusion for high resolution image generation with fast samplers',
    'Video diffusion models with temporal denoising and score matching',
    'Consistency distillation of diffusion samplers for one-step image generation',
    'Diffusion transformers scale denoising image generation to billions of parameters',
    'Score-based generative modeling of images through stochastic differential equations and denoising',
  ];
  const other = [
    'Offline reinforcement learning with conservative value estimation',
    'Policy gradient methods with reward shaping for continuous control',
    'Retrieval augmented language models answer open-domain questions',
    'Graph neural networks for molecule property prediction',
    'Speech recognition with self-supervised audio encoders',
    'Federated learning under client heterogeneity and privacy budgets',
  ];

  async function saveTagged(titles: string[], tag: string | null, from: number) {
    for (const [i, title] of titles.entries()) {
      const id = `2402.${String(from + i).padStart(5, '0')}`;
      const r = await handleMessage(
        {
          type: 'paper/setSaved',
          site: 'arxiv',
          saved: true,
          paper: {
            arxivId: id,
            title,
            abstract: `${title}. We study this problem in depth.`,
            url: `https://arxiv.org/abs/${id}`,
          },
        },
        content,
        env,
      );
      expect(r.ok).toBe(true);
      if (tag)
        await handleMessage(
          { type: 'paper/annotate', id: `arxiv:${id}`, tags: [tag] },
          options,
          env,
        );
    }
  }

  it('a tag with 5+ saved papers becomes a suggested badge on new cards, styled apart', async () => {
    const learned: string[] = [];
    env.tagsChanged = () => learned.push('scheduled');
    await saveTagged(diffusion.slice(0, 4), 'diffusion', 1);
    await saveTagged(other, null, 100);
    expect(await learnTopics(env.db)).toEqual([]); // 4 papers: not yet
    expect(learned.length).toBeGreaterThan(0); // tag changes schedule learning
    await saveTagged(diffusion.slice(4), 'diffusion', 5);
    expect(await learnTopics(env.db)).toEqual(['diffusion']);
    const badges = await badgesOf('Masked Diffusion Models for Image Generation and Denoising');
    expect(badges.find((b) => b.id === 'tag:diffusion')).toMatchObject({
      kind: 'learned',
      name: 'diffusion',
    });
    expect(
      (await badgesOf('Offline Reinforcement Learning from Human Preferences')).map((b) => b.id),
    ).not.toContain('tag:diffusion');
  });

  it('is never suggested on a paper that already carries the tag', async () => {
    await saveTagged(diffusion, 'diffusion', 1);
    await saveTagged(other, null, 100);
    await learnTopics(env.db);
    const badges = await badgesOf(diffusion[0]!, '2402.00001');
    expect(badges.map((b) => b.id)).not.toContain('tag:diffusion');
  });
});
