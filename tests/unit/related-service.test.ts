/**
 * Related papers in the background (lib/related/service.ts) through the message router, against
 * fake-indexeddb: papers seen on a page are indexed after the reply, "For you" ranks seen unsaved
 * papers by closeness to what was saved with the reason, the index survives a worker restart
 * (same answers), "Not interested" is remembered, the cards close to a saved
 * paper get their "related" marks, and forged or misplaced requests are refused. A restart loads
 * the index's snapshot plus the rows changed since it (a damaged snapshot: rebuilt from the
 * papers; a store of version 1, with rows only: loaded from them, then snapshotted).
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import type { RelatedMarksNotice, Replies, WireCandidate } from '../../lib/messages';
import { RelatedService, RelatedStore } from '../../lib/related/service';

const EXT = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
const content: SenderInfo = { id: EXT, url: 'https://arxiv.org/list/cs.LG/new', tab: { id: 7 } };
const popup: SenderInfo = { id: EXT, url: `${ORIGIN}popup.html` };

let n = 0;
let db: PaperScoutDB;
let storeName: string;
let env: RouterEnv;
let marks: RelatedMarksNotice[];

function makeEnv(): RouterEnv {
  return {
    db,
    extensionId: EXT,
    extensionOrigin: ORIGIN,
    notify: () => {},
    related: new RelatedService(db, new RelatedStore(storeName)),
    notifyTab: (_tab, notice) => marks.push(notice),
  };
}

beforeEach(async () => {
  db = new PaperScoutDB(`related-${n}`);
  storeName = `related-index-${n++}`;
  await db.open();
  marks = [];
  env = makeEnv();
});

const DIFFUSION = [
  'Denoising diffusion models generate images by reversing a gradual noising process; we study score matching and sampling schedules for image synthesis.',
  'Latent diffusion models for high resolution image synthesis with classifier-free guidance and fast samplers of the reverse diffusion process.',
  'Video diffusion models extend image diffusion to temporal generation with denoising score networks and guidance.',
  'Consistency models distill diffusion samplers into one-step image generation while keeping the denoising quality of diffusion.',
];
const RL = [
  'Offline reinforcement learning learns policies from fixed datasets; we propose conservative value estimation for Q-learning without environment interaction.',
  'Policy gradient methods for reinforcement learning with reward shaping and value baselines in continuous control benchmarks.',
  'Model-based reinforcement learning plans with a learned world model to improve sample efficiency of policy optimization.',
];
const id = (i: number) => `2401.${String(i).padStart(5, '0')}`;
const cards: WireCandidate[] = [...DIFFUSION, ...RL].map((abstract, i) => ({
  arxivId: id(i + 1),
  title: `${i < DIFFUSION.length ? 'Diffusion' : 'Reinforcement learning'} study number ${i + 1}`,
  abstract,
  authors: [`Author ${i}`],
  url: `https://arxiv.org/abs/${id(i + 1)}`,
}));

const page = (loadId: string) => ({
  url: 'https://arxiv.org/list/cs.LG/new',
  site: 'arxiv' as const,
  kind: 'list-new',
  listing: true,
  loadId,
});

/** "For you" through the router, typed. */
async function forYou(tag?: string): Promise<Replies['related/forYou']> {
  const res = await handleMessage({ type: 'related/forYou', tag }, popup, env);
  if (!res.ok) throw new Error(res.error.message);
  return res.value as Replies['related/forYou'];
}

async function seeAndSave(savedIdx: number[]): Promise<void> {
  const res = await handleMessage({ type: 'cards/seen', page: page('a'), cards }, content, env);
  expect(res.ok).toBe(true);
  for (const i of savedIdx) {
    const r = await handleMessage(
      { type: 'paper/setSavedById', id: `arxiv:${id(i + 1)}`, saved: true },
      popup,
      env,
    );
    expect(r.ok).toBe(true);
  }
  await env.related!.settled();
}

describe('related papers in the worker', () => {
  it('suggests seen, unsaved papers closest to what was saved, with the reason', async () => {
    await seeAndSave([0, 1]); // two diffusion papers saved
    const { items } = await forYou();
    const ids = items.map((x) => x.id);
    expect(ids).not.toContain(`arxiv:${id(1)}`); // saved papers are not suggested
    expect(ids).not.toContain(`arxiv:${id(2)}`);
    // The other diffusion papers come before every RL paper.
    expect(ids.slice(0, 2).sort()).toEqual([`arxiv:${id(3)}`, `arxiv:${id(4)}`]);
    expect(items[0]!.nearest.length).toBeGreaterThan(0);
    expect(items[0]!.terms.join(' ')).toMatch(/diffusion/i);
  });

  it('answers the same after a worker restart, loading the index from its snapshot', async () => {
    await seeAndSave([4]);
    const before = await handleMessage({ type: 'related/forYou' }, popup, env);
    const store = new RelatedStore(storeName);
    expect(await store.snap.count()).toBe(1);
    // Rows only for papers changed since the snapshot (here: the page's, indexed again after it).
    expect(await store.rows.count()).toBe(await store.dirty.count());
    expect(await store.rows.count()).toBeLessThanOrEqual(cards.length);
    env = makeEnv(); // a new worker: same databases, nothing in memory
    const after = await handleMessage({ type: 'related/forYou' }, popup, env);
    expect(after).toEqual(before);
    expect(env.related!.loadedFrom).toBe('snapshot');
  });

  it('a restart after pages seen since the snapshot loads it plus the changed rows', async () => {
    await seeAndSave([0]);
    // A second page after the snapshot: new papers, and one paper of the first page again.
    const more: WireCandidate[] = [
      ...[5, 6].map((i) => ({
        arxivId: id(100 + i),
        title: `Diffusion follow-up ${i}`,
        abstract: `${DIFFUSION[i % DIFFUSION.length]} A follow-up on denoising samplers ${i}.`,
        authors: [`Author ${i}`],
        url: `https://arxiv.org/abs/${id(100 + i)}`,
      })),
      { ...cards[2]!, abstract: `${cards[2]!.abstract} Revised abstract.` },
    ];
    await handleMessage({ type: 'cards/seen', page: page('c'), cards: more }, content, env);
    await env.related!.settled();
    const store = new RelatedStore(storeName);
    expect(await store.dirty.count()).toBeGreaterThan(0);
    expect(await store.rows.count()).toBe(await store.dirty.count()); // only changed papers' rows
    const ask = async () => ({
      forYou: await handleMessage({ type: 'related/forYou' }, popup, env),
      similar: await handleMessage({ type: 'related/similar', id: `arxiv:${id(105)}` }, popup, env),
    });
    const before = await ask();
    expect(JSON.stringify(before.forYou)).toContain(id(105));
    env = makeEnv();
    expect(await ask()).toEqual(before);
    expect(env.related!.loadedFrom).toBe('snapshot');
  });

  it('writes a new snapshot once enough papers changed and the worker is quiet', async () => {
    const store = new RelatedStore(storeName);
    env = { ...makeEnv(), related: new RelatedService(db, store, { every: 2, delayMs: 10 }) };
    await seeAndSave([0]);
    const first = (await store.snap.get('index'))!.value;
    const more = cards.slice(0, 3).map((c) => ({ ...c, abstract: `${c.abstract} Revised.` }));
    await handleMessage({ type: 'cards/seen', page: page('d'), cards: more }, content, env);
    await env.related!.settled();
    await new Promise((r) => setTimeout(r, 100));
    await env.related!.settled();
    expect(await store.dirty.count()).toBe(0);
    const next = (await store.snap.get('index'))!.value;
    expect(next.feat.length).toBeGreaterThan(first.feat.length); // the revised abstracts are in it
  });

  it('a store with rows only (written before snapshots) loads from them, then snapshots', async () => {
    await seeAndSave([4]);
    const before = await handleMessage({ type: 'related/forYou' }, popup, env);
    const store = new RelatedStore(storeName);
    const rows = env.related!.loaded!.allRows();
    await store.snap.clear();
    await store.dirty.clear();
    await store.rows.bulkPut(rows);
    env = makeEnv();
    expect(await handleMessage({ type: 'related/forYou' }, popup, env)).toEqual(before);
    expect(env.related!.loadedFrom).toBe('rows');
    expect(await store.snap.count()).toBe(1);
    expect(await store.rows.count()).toBe(0);
    env = makeEnv();
    expect(await handleMessage({ type: 'related/forYou' }, popup, env)).toEqual(before);
    expect(env.related!.loadedFrom).toBe('snapshot');
  });

  it('a damaged snapshot is ignored: the index is rebuilt from the papers', async () => {
    await seeAndSave([4]);
    const before = await handleMessage({ type: 'related/forYou' }, popup, env);
    const store = new RelatedStore(storeName);
    const snap = (await store.snap.get('index'))!.value;
    await store.snap.put({
      key: 'index',
      value: { ...snap, feat: snap.feat.map(() => 1e9), norms: new Float32Array(3) },
    });
    env = makeEnv();
    expect(await handleMessage({ type: 'related/forYou' }, popup, env)).toEqual(before);
    expect(env.related!.loadedFrom).toBe('papers');
    // …and a good snapshot is written again for the next wake.
    env = makeEnv();
    expect(await handleMessage({ type: 'related/forYou' }, popup, env)).toEqual(before);
    expect(env.related!.loadedFrom).toBe('snapshot');
  });

  it('remembers "Not interested" and can take it back', async () => {
    await seeAndSave([0]);
    const top = (await forYou()).items[0]!.id;
    expect((await handleMessage({ type: 'related/dismiss', id: top }, popup, env)).ok).toBe(true);
    env = makeEnv();
    expect((await forYou()).items.map((x) => x.id)).not.toContain(top);
    await handleMessage({ type: 'related/dismiss', id: top, undo: true }, popup, env);
    expect((await forYou()).items.map((x) => x.id)).toContain(top);
  });

  it('marks the cards of a page that are close to a saved paper', async () => {
    await seeAndSave([0, 1]);
    marks = [];
    await handleMessage({ type: 'cards/seen', page: page('b'), cards }, content, env);
    await env.related!.settled();
    await new Promise((r) => setTimeout(r, 20));
    const marked = new Map(marks.flatMap((m) => m.marks).map((m) => [m.id, m.nearest.id]));
    expect(marked.get(`arxiv:${id(3)}`)).toMatch(/^arxiv:2401\.0000[12]$/);
    // Saved papers carry no mark; papers of another subject carry none either.
    expect(marked.has(`arxiv:${id(1)}`)).toBe(false);
    expect(marked.has(`arxiv:${id(6)}`)).toBe(false);
  });

  it('papers similar to one paper, and the tag filter', async () => {
    await seeAndSave([4]);
    await handleMessage({ type: 'paper/annotate', id: `arxiv:${id(5)}`, tags: ['rl'] }, popup, env);
    const sim = await handleMessage({ type: 'related/similar', id: `arxiv:${id(5)}` }, popup, env);
    if (!sim.ok) throw new Error(sim.error.message);
    expect((sim.value as Replies['related/similar']).items[0]!.id).toMatch(
      /^arxiv:2401\.0000[67]$/,
    );
    const tagged = await forYou('rl');
    expect(tagged.tags).toEqual(['rl']);
    expect(tagged.items[0]!.id).toMatch(/^arxiv:2401\.0000[67]$/);
  });

  it('refuses related requests from a content script and malformed ones', async () => {
    await seeAndSave([0]);
    for (const msg of [
      { type: 'related/forYou' },
      { type: 'related/dismiss', id: `arxiv:${id(2)}` },
    ]) {
      expect(await handleMessage(msg, content, env)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    for (const msg of [
      { type: 'related/dismiss' },
      { type: 'related/similar', id: 'x'.repeat(10_000) },
      { type: 'related/forYou', tag: 42 },
    ]) {
      expect(await handleMessage(msg, popup, env)).toMatchObject({
        ok: false,
        error: { code: 'invalid' },
      });
    }
    expect(await db.settings.get('related-dismissed')).toBeUndefined();
  });
});

describe('papers the history cap prunes', () => {
  it('leave the index once the prune has committed (they took suggestion slots and index memory)', async () => {
    await seeAndSave([0]);
    expect((await forYou()).items.map((x) => x.id)).toContain(`arxiv:${id(3)}`);
    const set = await handleMessage(
      { type: 'settings/set', settings: { historyCap: 100 } },
      popup,
      env,
    );
    expect(set.ok).toBe(true);
    // 100 more papers seen later: 107 in all, so the first page's unsaved papers (seen least
    // recently) are pruned a couple of seconds after this page is recorded.
    await new Promise((r) => setTimeout(r, 5));
    const later: WireCandidate[] = Array.from({ length: 100 }, (_, i) => ({
      arxivId: `2402.${String(10000 + i)}`,
      title: `Denoising diffusion sampler variant ${i}`,
      abstract: `${DIFFUSION[i % DIFFUSION.length]} Variant ${i}.`,
      url: `https://arxiv.org/abs/2402.${String(10000 + i)}`,
    }));
    const res = await handleMessage(
      {
        type: 'cards/seen',
        page: { ...page('b'), url: 'https://arxiv.org/list/cs.LG/pastweek' },
        cards: later,
      },
      content,
      env,
    );
    expect(res.ok).toBe(true);
    await vi.waitFor(async () => expect(await db.papers.count()).toBe(100), {
      timeout: 5_000,
      interval: 100,
    });
    expect(await db.papers.get(`arxiv:${id(3)}`)).toBeUndefined();
    // Suggestions never showed them (a pruned paper is dropped when described), but the index
    // kept ranking them, so each took one of the k places of "For you", and it held their
    // vectors (memory, snapshots) until history was cleared.
    await vi.waitFor(
      async () => {
        await env.related!.settled();
        const gone = [3, 4, 5, 6, 7].map((i) => `arxiv:${id(i)}`);
        expect(gone.filter((g) => env.related!.loaded!.has(g))).toEqual([]);
      },
      { timeout: 2_000, interval: 100 },
    );
    const ids = (await forYou()).items.map((x) => x.id);
    const stored = await db.papers.bulkGet(ids);
    expect(ids.filter((_, i) => !stored[i])).toEqual([]);
  }, 15_000);
});
