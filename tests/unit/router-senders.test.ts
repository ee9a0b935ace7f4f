/**
 * Who may send what (lib/background/router.ts): every request type from a content script on a
 * supported page, from one on any other page, and from the extension's own pages; and the
 * forgeries a content script could try with the requests it may send (another paper's note,
 * another user's rule, another site's address). Each refusal changes nothing stored.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import type { RequestType } from '../../lib/messages';
import { storedSightings } from './helpers/sightings';

const EXT = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
const content: SenderInfo = { id: EXT, url: 'https://arxiv.org/list/cs.LG/new', tab: { id: 3 } };
const elsewhere: SenderInfo = { id: EXT, url: 'https://evil.example/list', tab: { id: 4 } };
const options: SenderInfo = { id: EXT, url: `${ORIGIN}options.html` };

let env: RouterEnv;
let n = 0;
beforeEach(async () => {
  const db = new PaperScoutDB(`router-senders-${n++}`);
  await db.open();
  env = {
    db,
    extensionId: EXT,
    extensionOrigin: ORIGIN,
    notify: () => {},
    showTopic: () => Promise.resolve('popup'),
  };
});

const card = (arxivId: string, title: string) => ({
  arxivId,
  title,
  url: `https://arxiv.org/abs/${arxivId}`,
});
const page = {
  url: 'https://arxiv.org/list/cs.LG/new',
  site: 'arxiv',
  kind: 'list-new',
  listing: true,
  loadId: 'l1',
};
const rule = {
  name: 'Diffusion',
  kind: 'words',
  terms: ['diffusion'],
  exclude: [],
  color: '#aa0000',
  paused: false,
};
const ID = 'abcdefgh-0000-0000-0000-000000000000';

/** A valid message of every request type. */
const EXAMPLES: Record<RequestType, Record<string, unknown>> = {
  'cards/seen': { type: 'cards/seen', page, cards: [card('2401.00001', 'A')] },
  'paper/setSaved': {
    type: 'paper/setSaved',
    paper: card('2401.00001', 'A'),
    site: 'arxiv',
    saved: true,
  },
  'paper/setSavedById': { type: 'paper/setSavedById', id: 'arxiv:2401.00001', saved: false },
  'settings/get': { type: 'settings/get' },
  'settings/set': { type: 'settings/set', settings: { historyEnabled: false } },
  'history/clear': { type: 'history/clear' },
  'rules/list': { type: 'rules/list' },
  'rules/save': { type: 'rules/save', rule },
  'rules/delete': { type: 'rules/delete', id: 'r1' },
  'highlights/read': { type: 'highlights/read' },
  'paper/get': {
    type: 'paper/get',
    id: 'arxiv:2401.00001',
    card: { paper: card('2401.00001', 'A'), site: 'arxiv' },
  },
  'paper/annotate': {
    type: 'paper/annotate',
    id: 'arxiv:2401.00001',
    note: 'n',
    card: { paper: card('2401.00001', 'A'), site: 'arxiv' },
  },
  'papers/bulk': { type: 'papers/bulk', ids: ['arxiv:2401.00001'], op: { kind: 'unsave' } },
  'papers/restore': { type: 'papers/restore', items: [] },
  'import/begin': { type: 'import/begin', mode: 'backup', source: 'x.json' },
  'import/stage': { type: 'import/stage', importId: ID, table: 'papers', offset: 0, rows: [] },
  'import/preview': { type: 'import/preview', importId: ID },
  'import/commit': { type: 'import/commit', importId: ID },
  'import/cancel': { type: 'import/cancel', importId: ID },
  'import/ping': { type: 'import/ping', importId: ID },
  'topics/show': { type: 'topics/show', topic: 'Diffusion' },
  'topics/getUser': { type: 'topics/getUser' },
  'topics/setUser': { type: 'topics/setUser', topics: [] },
  'related/forYou': { type: 'related/forYou' },
  'related/similar': { type: 'related/similar', id: 'arxiv:2401.00001' },
  'related/dismiss': { type: 'related/dismiss', id: 'arxiv:2401.00001' },
};
/** What a card needs: everything else is the extension's pages' alone. */
const CONTENT_MAY = new Set<RequestType>([
  'cards/seen',
  'paper/setSaved',
  'paper/get',
  'paper/annotate',
  'rules/save',
  'topics/show',
]);
const PAGE_MAY_NOT = new Set<RequestType>(['cards/seen', 'topics/show']);
const TYPES = Object.keys(EXAMPLES) as RequestType[];

describe('who may send each request', () => {
  it.each(TYPES)('%s', async (type) => {
    const msg = EXAMPLES[type];
    const code = async (from: SenderInfo) => {
      const res = await handleMessage(structuredClone(msg), from, env);
      return res.ok ? 'ok' : res.error.code;
    };
    expect(await code(elsewhere)).toBe('forbidden');
    expect(await code({ ...options, id: 'another-extension' })).toBe('forbidden');
    if (CONTENT_MAY.has(type)) expect(await code(content)).not.toBe('forbidden');
    else expect(await code(content)).toBe('forbidden');
    if (PAGE_MAY_NOT.has(type)) expect(await code(options)).toBe('forbidden');
    else expect(await code(options)).not.toBe('forbidden');
  });
});

describe('forgeries from a content script', () => {
  it('a card cannot write the note, tags or state of another saved paper', async () => {
    // The user's own saved paper, with a note.
    await handleMessage(EXAMPLES['paper/setSaved'], content, env);
    await handleMessage(
      { type: 'paper/annotate', id: 'arxiv:2401.00001', note: 'my notes', tags: ['thesis'] },
      options,
      env,
    );
    const before = await env.db.papers.toArray();
    // A card showing paper 2402.00002 names 2401.00001 as the paper to annotate.
    const res = await handleMessage(
      {
        type: 'paper/annotate',
        id: 'arxiv:2401.00001',
        note: 'overwritten',
        tags: [],
        state: 'done',
        card: { paper: card('2402.00002', 'Something Else Entirely'), site: 'arxiv' },
      },
      content,
      env,
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await env.db.papers.toArray()).toEqual(before);
  });

  it('a card cannot read the note and tags of a paper it does not show', async () => {
    await handleMessage(EXAMPLES['paper/setSaved'], content, env);
    await handleMessage(
      { type: 'paper/annotate', id: 'arxiv:2401.00001', note: 'my private notes', tags: ['job'] },
      options,
      env,
    );
    // A card showing paper 2402.00002 (or no card at all) asks for 2401.00001's note.
    const other = await handleMessage(
      {
        type: 'paper/get',
        id: 'arxiv:2401.00001',
        card: { paper: card('2402.00002', 'Something Else Entirely'), site: 'arxiv' },
      },
      content,
      env,
    );
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(JSON.stringify(other)).not.toContain('private');
    const bare = await handleMessage({ type: 'paper/get', id: 'arxiv:2401.00001' }, content, env);
    expect(bare).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(JSON.stringify(bare)).not.toContain('private');
    // A card of another site than its page's is refused too.
    const site = await handleMessage(
      { ...EXAMPLES['paper/get'], card: { paper: card('2401.00001', 'A'), site: 'huggingface' } },
      content,
      env,
    );
    expect(site).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The card showing the paper gets it; the reading list (no card) gets any paper.
    for (const [msg, from] of [
      [EXAMPLES['paper/get'], content],
      [{ type: 'paper/get', id: 'arxiv:2401.00001' }, options],
    ] as const)
      expect(await handleMessage(msg, from, env)).toMatchObject({
        ok: true,
        value: { paper: { note: 'my private notes', tags: ['job'] }, allTags: ['job'] },
      });
  });

  it('a title-only card reads the note of the saved paper its title matched', async () => {
    const scholar: SenderInfo = { id: EXT, url: 'https://scholar.google.com/scholar?q=x', tab: {} };
    const bare = { title: 'Attention Is All You Need', url: 'https://papers.nips.cc/paper/7181' };
    const saved = await handleMessage(
      { type: 'paper/setSaved', paper: bare, site: 'scholar', saved: true },
      scholar,
      env,
    );
    const id = saved.ok ? (saved.value as { id: string }).id : '';
    await handleMessage({ type: 'paper/annotate', id, note: 'read' }, options, env);
    const other = { title: 'Attention Is All You Need', url: 'https://scholar.example/other' };
    const res = await handleMessage(
      { type: 'paper/get', id, card: { paper: other, site: 'scholar' } },
      scholar,
      env,
    );
    expect(res).toMatchObject({ ok: true, value: { paper: { id, note: 'read' } } });
  });

  it('a card still annotates its own saved paper, also when a title match gave it its id', async () => {
    // A title-only card (Scholar) saved first; a later card with the arXiv id keeps its record.
    const scholar: SenderInfo = { id: EXT, url: 'https://scholar.google.com/scholar?q=x', tab: {} };
    const bare = { title: 'Attention Is All You Need', url: 'https://papers.nips.cc/paper/7181' };
    const saved = await handleMessage(
      { type: 'paper/setSaved', paper: bare, site: 'scholar', saved: true },
      scholar,
      env,
    );
    expect(saved.ok).toBe(true);
    const id = saved.ok ? (saved.value as { id: string }).id : '';
    const res = await handleMessage(
      { type: 'paper/annotate', id, note: 'read', card: { paper: bare, site: 'scholar' } },
      scholar,
      env,
    );
    expect(res).toMatchObject({ ok: true, value: { note: 'read' } });
    const byId = await handleMessage(
      {
        type: 'paper/annotate',
        id: 'arxiv:2401.00001',
        note: 'mine',
        card: { paper: card('2401.00001', 'A'), site: 'arxiv' },
      },
      content,
      env,
    );
    expect(byId).toMatchObject({ ok: true, value: { note: 'mine' } });
  });

  it('a card can create a watch rule but not change or pause an existing one', async () => {
    const made = await handleMessage(
      { type: 'rules/save', rule: { ...rule, id: 'r1' } },
      options,
      env,
    );
    expect(made.ok).toBe(true);
    const before = await env.db.rules.toArray();
    const res = await handleMessage(
      { type: 'rules/save', rule: { ...rule, id: 'r1', terms: ['x'], paused: true } },
      content,
      env,
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await env.db.rules.toArray()).toEqual(before);
    const fromCard = await handleMessage({ type: 'rules/save', rule }, content, env);
    expect(fromCard.ok).toBe(true);
    expect(await env.db.rules.count()).toBe(2);
  });

  it('cards/seen from an arXiv page cannot record its sightings under another address', async () => {
    const res = await handleMessage(
      { ...EXAMPLES['cards/seen'], page: { ...page, url: 'https://evil.example/arxiv.org/list' } },
      content,
      env,
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await storedSightings(env.db)).length).toBe(0);
    expect(await env.db.visits.count()).toBe(0);
    // Its own address (shortened or not) is fine.
    const own = await handleMessage(
      {
        ...EXAMPLES['cards/seen'],
        page: { ...page, url: 'https://arxiv.org/list/cs.LG/new?skip=0' },
      },
      content,
      env,
    );
    expect(own.ok).toBe(true);
  });
});
