/**
 * The background's message handling: forged, malformed and out-of-place messages are refused with
 * a clear error and change nothing; valid ones are answered with serializable results.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import type { ChangedNotice, RulesChangedNotice } from '../../lib/messages';

const EXT = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
let env: RouterEnv;
let notices: (ChangedNotice | RulesChangedNotice)[];
let n = 0;

beforeEach(async () => {
  notices = [];
  const db = new PaperScoutDB(`router-${n++}`);
  await db.open();
  env = { db, extensionId: EXT, extensionOrigin: ORIGIN, notify: (x) => notices.push(x) };
});

const content: SenderInfo = { id: EXT, url: 'https://huggingface.co/papers', tab: { id: 3 } };
const popup: SenderInfo = { id: EXT, url: `${ORIGIN}popup.html` };
const save = {
  type: 'paper/setSaved',
  site: 'huggingface',
  saved: true,
  paper: {
    arxivId: '2401.00001',
    title: 'A Paper',
    url: 'https://huggingface.co/papers/2401.00001',
  },
};

describe('handleMessage', () => {
  it('saves from a content script, notifies tabs, and the reply survives structured cloning', async () => {
    const res = await handleMessage(save, content, env);
    expect(structuredClone(res)).toEqual({
      ok: true,
      value: { id: 'arxiv:2401.00001', saved: true },
    });
    expect(notices).toHaveLength(1);
  });

  it.each([
    ['another extension', { ...content, id: 'someone-else' }],
    ['no sender url', { id: EXT }],
    [
      'a page that is not a supported site',
      { id: EXT, url: 'https://evil.example/papers', tab: { id: 1 } },
    ],
  ])('refuses a message from %s', async (_name, sender) => {
    const res = await handleMessage(save, sender as SenderInfo, env);
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await env.db.papers.count()).toBe(0);
  });

  it('refuses settings and history requests from content scripts', async () => {
    const res = await handleMessage({ type: 'history/clear' }, content, env);
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses cards/seen whose page claims another site than its sender', async () => {
    const res = await handleMessage(
      {
        type: 'cards/seen',
        page: {
          url: 'https://arxiv.org/list/cs/new',
          site: 'arxiv',
          kind: 'list-new',
          listing: true,
          loadId: 'x',
        },
        cards: [],
      },
      content,
      env,
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it.each([
    ['not an object', 'hello'],
    ['unknown type', { type: 'db/drop' }],
    ['missing fields', { type: 'paper/setSaved' }],
    ['a javascript: url', { ...save, paper: { ...save.paper, url: 'javascript:alert(1)' } }],
    ['a bogus arXiv id', { ...save, paper: { ...save.paper, arxivId: '../../etc' } }],
    ['a huge title', { ...save, paper: { ...save.paper, title: 'x'.repeat(50_000) } }],
    ['wrong types', { ...save, saved: 'yes' }],
  ])('rejects %s with a clear error and writes nothing', async (_name, msg) => {
    const res = await handleMessage(msg, content, env);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('invalid');
      expect(res.error.message).toMatch(/Invalid message/);
    }
    expect(await env.db.papers.count()).toBe(0);
  });

  it('answers settings from the popup', async () => {
    const res = await handleMessage({ type: 'settings/get' }, popup, env);
    expect(res).toEqual({ ok: true, value: { historyEnabled: true, historyCap: 100_000 } });
  });

  it('unsaves by id from the popup and says when the paper does not exist', async () => {
    await handleMessage(save, content, env);
    const res = await handleMessage(
      { type: 'paper/setSavedById', id: 'arxiv:2401.00001', saved: false },
      popup,
      env,
    );
    expect(res).toEqual({ ok: true, value: { id: 'arxiv:2401.00001', saved: false } });
    const missing = await handleMessage(
      { type: 'paper/setSavedById', id: 'arxiv:9999.99999', saved: false },
      popup,
      env,
    );
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
