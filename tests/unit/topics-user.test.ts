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

const EXT = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
const content: SenderInfo = { id: EXT, url: 'https://arxiv.org/list/cs.LG/new', tab: { id: 2 } };
const options: SenderInfo = { id: EXT, url: `${ORIGIN}options.html` };

let n = 0;
let env: RouterEnv;
let shown: string[];
let notices: string[];

beforeEach(async () => {
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

async function badgesOf(title: string): Promise<CardState['badges']> {
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
      cards: [{ arxivId: '2401.00001', title, url: 'https://arxiv.org/abs/2401.00001' }],
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
