/**
 * Related papers across a merge of records: a paper seen on Google Scholar (no id yet,
 * a provisional `title:` record) and later on arXiv becomes one record under its arXiv id. A
 * saved paper that moved must not come back as a suggestion, and a dismissed one must stay
 * dismissed.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import type { PageInfo, Replies, WireCandidate } from '../../lib/messages';
import { RelatedService, RelatedStore } from '../../lib/related/service';

const EXT = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
const arxivTab: SenderInfo = { id: EXT, url: 'https://arxiv.org/list/cs.LG/new', tab: { id: 7 } };
const scholarTab: SenderInfo = {
  id: EXT,
  url: 'https://scholar.google.com/scholar?q=diffusion',
  tab: { id: 8 },
};
const popup: SenderInfo = { id: EXT, url: `${ORIGIN}popup.html` };

let n = 0;
let db: PaperScoutDB;
let storeName: string;
let env: RouterEnv;

const makeEnv = (): RouterEnv => ({
  db,
  extensionId: EXT,
  extensionOrigin: ORIGIN,
  notify: () => {},
  related: new RelatedService(db, new RelatedStore(storeName)),
  notifyTab: () => {},
});

beforeEach(async () => {
  db = new PaperScoutDB(`related-merges-${n}`);
  storeName = `related-merges-index-${n++}`;
  await db.open();
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
];
const TITLES = [
  'Denoising diffusion for image synthesis revisited',
  'Latent diffusion with guidance at high resolution',
  'Video diffusion with temporal denoising networks',
  'Consistency distillation of diffusion samplers',
  'Conservative offline reinforcement learning',
  'Policy gradients with reward shaping',
];
const aid = (i: number) => `2401.${String(i + 1).padStart(5, '0')}`;
const arxivCard = (i: number): WireCandidate => ({
  arxivId: aid(i),
  title: TITLES[i]!,
  abstract: [...DIFFUSION, ...RL][i],
  authors: [`Author ${i}`],
  url: `https://arxiv.org/abs/${aid(i)}`,
});
/** The same paper as Scholar shows it: no id. */
const scholarCard = (i: number): WireCandidate => ({
  title: TITLES[i]!,
  abstract: [...DIFFUSION, ...RL][i],
  authors: [`Author ${i}`],
  url: `https://scholar.example/${i}`,
});

const page = (url: string, site: PageInfo['site'], loadId: string): PageInfo => ({
  url,
  site,
  kind: site === 'arxiv' ? 'list-new' : 'results',
  listing: true,
  loadId,
});

async function seen(sender: SenderInfo, p: PageInfo, cards: WireCandidate[]) {
  const res = await handleMessage({ type: 'cards/seen', page: p, cards }, sender, env);
  if (!res.ok) throw new Error(res.error.message);
  await env.related!.settled();
  return (res.value as Replies['cards/seen']).cards;
}

async function forYou(): Promise<Replies['related/forYou']> {
  const res = await handleMessage({ type: 'related/forYou' }, popup, env);
  if (!res.ok) throw new Error(res.error.message);
  return res.value as Replies['related/forYou'];
}

const scholarPage = page(scholarTab.url!, 'scholar', 's1');
const arxivPage = (l: string) => page(arxivTab.url!, 'arxiv', l);

describe('related papers after records merge', () => {
  it('a saved paper that moved to its arXiv id is not suggested back to the user', async () => {
    // Paper 1 seen and saved on Scholar (provisional record); the others seen on arXiv.
    const [s] = await seen(scholarTab, scholarPage, [scholarCard(1)]);
    expect(s!.id.startsWith('title:')).toBe(true);
    expect(
      (await handleMessage({ type: 'paper/setSavedById', id: s!.id, saved: true }, popup, env)).ok,
    ).toBe(true);
    await seen(arxivTab, arxivPage('a'), [0, 2, 3, 4, 5].map(arxivCard));
    expect((await forYou()).items.length).toBeGreaterThan(0); // the popup was opened once
    // The saved paper's arXiv card: its record moves to arxiv:2401.00002 (still saved).
    const [moved] = await seen(arxivTab, arxivPage('b'), [arxivCard(1)]);
    expect(moved!.id).toBe(`arxiv:${aid(1)}`);
    expect(moved!.saved).toBe(true);
    const { items } = await forYou();
    expect(items.map((x) => x.id)).not.toContain(`arxiv:${aid(1)}`);
    expect(items.every((x) => !x.saved)).toBe(true);
  });

  it('a dismissed paper stays dismissed once its record moved to its arXiv id', async () => {
    await seen(arxivTab, arxivPage('a'), [0, 2, 4, 5].map(arxivCard));
    await handleMessage(
      { type: 'paper/setSavedById', id: `arxiv:${aid(0)}`, saved: true },
      popup,
      env,
    );
    const [s] = await seen(scholarTab, scholarPage, [scholarCard(1)]);
    expect((await forYou()).items.map((x) => x.id)).toContain(s!.id);
    await handleMessage({ type: 'related/dismiss', id: s!.id }, popup, env);
    expect((await forYou()).items.map((x) => x.id)).not.toContain(s!.id);
    // Seen on arXiv now: the same paper, under its arXiv id.
    const [moved] = await seen(arxivTab, arxivPage('b'), [arxivCard(1)]);
    expect(moved!.id).toBe(`arxiv:${aid(1)}`);
    expect((await forYou()).items.map((x) => x.id)).not.toContain(`arxiv:${aid(1)}`);
    // …after a worker restart too.
    env = makeEnv();
    expect((await forYou()).items.map((x) => x.id)).not.toContain(`arxiv:${aid(1)}`);
    // "Undo" on it (its current id) takes the dismissal back.
    await handleMessage({ type: 'related/dismiss', id: `arxiv:${aid(1)}`, undo: true }, popup, env);
    expect((await forYou()).items.map((x) => x.id)).toContain(`arxiv:${aid(1)}`);
  });
});
