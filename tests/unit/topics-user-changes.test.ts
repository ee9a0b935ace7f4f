/**
 * User-visible behaviour of user and learned topics: a deleted or edited user topic
 * leaves the stored papers (the reading list's topic filter reads `PaperRecord.topics`); topics
 * named in a non-Latin script can coexist; a learned topic is never suggested on a paper that
 * carries its tag spelled in another case (tags are one tag whatever their case elsewhere).
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import type { CardState, Replies } from '../../lib/messages';
import { refreshTopics } from '../../lib/library';
import { paper } from './exchange-helpers';
import { invalidateTopics, learnTopics } from '../../lib/topics/store';

const EXT = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
const content: SenderInfo = { id: EXT, url: 'https://arxiv.org/list/cs.LG/new', tab: { id: 2 } };
const options: SenderInfo = { id: EXT, url: `${ORIGIN}options.html` };

let n = 0;
let env: RouterEnv;
let db: PaperScoutDB;

beforeEach(async () => {
  invalidateTopics();
  db = new PaperScoutDB(`topics-user-${n++}`);
  await db.open();
  env = { db, extensionId: EXT, extensionOrigin: ORIGIN, notify: () => {} };
});

const setUser = (topics: unknown) =>
  handleMessage({ type: 'topics/setUser', topics }, options, env);

async function see(title: string, arxivId = '2401.00001'): Promise<CardState['badges']> {
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

const TITLE = 'Zebrafish locomotion under a microscope';

describe('a user topic deleted or edited', () => {
  it('leaves the stored paper once deleted (the popup topic filter no longer lists it)', async () => {
    expect((await setUser([{ name: 'Fish', phrases: ['zebrafish'] }])).ok).toBe(true);
    expect((await see(TITLE)).map((b) => b.id)).toContain('user:fish');
    expect((await db.papers.get('arxiv:2401.00001'))?.topics).toContain('user:fish');
    await handleMessage(
      { type: 'paper/setSavedById', id: 'arxiv:2401.00001', saved: true },
      options,
      env,
    );
    expect((await setUser([])).ok).toBe(true);
    // Not on the stored paper any more, even before its card is seen again…
    expect((await db.papers.get('arxiv:2401.00001'))?.topics ?? []).not.toContain('user:fish');
    // …and not after its card shows no badge at all.
    expect(await see(TITLE)).toEqual([]);
    expect((await db.papers.get('arxiv:2401.00001'))?.topics ?? []).not.toContain('user:fish');
  });

  it('reaches the stored papers once its phrases change', async () => {
    await setUser([{ name: 'Fish', phrases: ['zebrafish'] }]);
    await see(TITLE);
    await setUser([{ name: 'Fish', phrases: ['salmon'] }]);
    expect((await db.papers.get('arxiv:2401.00001'))?.topics ?? []).not.toContain('user:fish');
    await see('Salmon migration tracked by satellites', '2401.00002');
    await setUser([{ name: 'Fish', phrases: ['zebrafish'] }]);
    expect((await db.papers.get('arxiv:2401.00001'))?.topics).toContain('user:fish');
    expect((await db.papers.get('arxiv:2401.00002'))?.topics ?? []).not.toContain('user:fish');
  });
});

describe('user topics named in another script', () => {
  it('two topics of different names (Chinese, Russian, C++ / C#) are both kept', async () => {
    const res = await setUser([
      { name: '图神经网络', phrases: ['graph neural network'] },
      { name: '强化学习', phrases: ['reinforcement learning'] },
      { name: 'Графы', phrases: ['graph'] },
      { name: 'C++', phrases: ['cpp'] },
      { name: 'C#', phrases: ['csharp'] },
    ]);
    expect(res.ok).toBe(true);
    const ids = (res as { value: { topics: { id: string }[] } }).value.topics.map((t) => t.id);
    expect(new Set(ids).size).toBe(5);
    // Still one topic whatever the case.
    expect(
      (
        await setUser([
          { name: 'Графы', phrases: ['a'] },
          { name: 'графы', phrases: ['b'] },
        ])
      ).ok,
    ).toBe(false);
  });
});

describe('learned topics and tags of another case', () => {
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
  async function save(titles: string[], tag: string | null, from: number) {
    for (const [i, title] of titles.entries()) {
      const id = `2402.${String(from + i).padStart(5, '0')}`;
      await handleMessage(
        {
          type: 'paper/setSaved',
          site: 'arxiv',
          saved: true,
          paper: {
            arxivId: id,
            title,
            abstract: `${title}. We study it.`,
            url: `https://arxiv.org/abs/${id}`,
          },
        },
        content,
        env,
      );
      if (tag)
        await handleMessage(
          { type: 'paper/annotate', id: `arxiv:${id}`, tags: [tag] },
          options,
          env,
        );
    }
  }

  it('is not suggested on a paper tagged "Diffusion" when it learned "diffusion"', async () => {
    await save(diffusion.slice(0, 5), 'diffusion', 1);
    await save(other, null, 100);
    expect(await learnTopics(db)).toEqual(['diffusion']);
    // A sixth paper tagged with a capital (the user's typing; the reading list's tag filter and
    // the tag box's suggestions treat it as the same tag). Learning runs again after the change.
    await save(['Masked diffusion models for image generation and denoising'], 'Diffusion', 6);
    await learnTopics(db);
    const badges = await see(
      'Masked diffusion models for image generation and denoising',
      '2402.00006',
    );
    expect(badges.map((b) => b.id.toLowerCase())).not.toContain('tag:diffusion');
  });

  it('counts "Diffusion" and "diffusion" as one tag (3 + 2 papers are 5)', async () => {
    await save(diffusion.slice(0, 3), 'diffusion', 1);
    await save(diffusion.slice(3, 5), 'Diffusion', 4);
    await save(other, null, 100);
    expect((await learnTopics(db)).map((t) => t.toLowerCase())).toEqual(['diffusion']);
  });

  it('reaches a paper stored before it was learned (topic rules and the topic filter read it)', async () => {
    // Seen (not saved, not tagged) before there was anything to learn: no learned topic yet.
    const masked = 'Masked diffusion models for image generation and denoising';
    const card = {
      arxivId: '2402.00900',
      title: masked,
      abstract: `${diffusion.slice(0, 5).join('. ')}.`,
      url: 'https://arxiv.org/abs/2402.00900',
    };
    const page = { url: content.url!, site: 'arxiv', kind: 'list-new', listing: true };
    const seen = await handleMessage(
      { type: 'cards/seen', page: { ...page, loadId: 'before' }, cards: [card] },
      content,
      env,
    );
    expect(seen.ok).toBe(true);
    expect((await db.papers.get('arxiv:2402.00900'))?.topics ?? []).not.toContain('tag:diffusion');
    await save(diffusion.slice(0, 5), 'diffusion', 1);
    // Enough other saved papers that the seen one is not taken as a negative example.
    await db.papers.bulkPut(
      Array.from({ length: 240 }, (_, i) =>
        paper({
          id: `arxiv:2403.${String(i).padStart(5, '0')}`,
          title: `${other[i % other.length]} ${i}`,
          abstract: `${other[i % other.length]}. We study it.`,
          savedAt: 1_700_000_000_000 + i,
        }),
      ),
    );
    let refreshed: Promise<number> | undefined;
    expect(await learnTopics(db, () => (refreshed = refreshTopics(db)))).toEqual(['diffusion']);
    await refreshed;
    expect((await db.papers.get('arxiv:2402.00900'))?.topics).toContain('tag:diffusion');
    // Nothing changed since: no second refresh.
    refreshed = undefined;
    await learnTopics(db, () => (refreshed = refreshTopics(db)));
    expect(refreshed).toBeUndefined();
  });
});
