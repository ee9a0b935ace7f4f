/**
 * The toolbar badge (how many highlighted papers are new) follows every request that changes that
 * number, not only the ones that add highlights: clearing history, turning history off and
 * importing a backup remove or bring hits, and so does the history cap's delayed prune after a
 * page is recorded; the badge must say so at once (it kept counting papers that were gone until
 * the next highlighted page).
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import { unreadHighlights } from '../../lib/rules/store';

const EXT = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
const content: SenderInfo = { id: EXT, url: 'https://huggingface.co/papers', tab: { id: 3 } };
const popup: SenderInfo = { id: EXT, url: `${ORIGIN}options.html` };

let env: RouterEnv;
/** What the toolbar shows: the count as of the last `updateBadge` (as lib/background/start.ts). */
let badge: number;
let pending: Promise<void>;
let n = 0;

const card = (i: number) => ({
  arxivId: `2401.0000${i}`,
  title: `Diffusion models for paper ${i}`,
  url: `https://huggingface.co/papers/2401.0000${i}`,
});

async function ask(msg: unknown, from: SenderInfo) {
  const res = await handleMessage(msg, from, env);
  expect(res.ok, JSON.stringify(res)).toBe(true);
  await pending;
  return res;
}

beforeEach(async () => {
  const db = new PaperScoutDB(`badge-${n++}`);
  await db.open();
  badge = 0;
  pending = Promise.resolve();
  env = {
    db,
    extensionId: EXT,
    extensionOrigin: ORIGIN,
    notify: () => {},
    updateBadge: () => {
      pending = unreadHighlights(db).then((c) => {
        badge = c;
      });
    },
  };
  await ask(
    {
      type: 'rules/save',
      rule: { id: 'r1', name: 'diffusion', kind: 'words', terms: ['diffusion'], color: '#aa3300' },
    },
    popup,
  );
  await ask(
    {
      type: 'cards/seen',
      page: {
        url: 'https://huggingface.co/papers',
        site: 'huggingface',
        kind: 'daily',
        listing: true,
        loadId: 'a',
      },
      cards: [card(1), card(2)],
    },
    content,
  );
  expect(badge).toBe(2);
});

describe('toolbar badge', () => {
  it('is cleared when history is cleared (the highlighted papers are gone)', async () => {
    await ask({ type: 'history/clear' }, popup);
    expect(await unreadHighlights(env.db)).toBe(0);
    expect(badge).toBe(0);
  });

  it('is cleared when history is turned off (which clears it)', async () => {
    await ask({ type: 'settings/set', settings: { historyEnabled: false } }, popup);
    expect(await unreadHighlights(env.db)).toBe(0);
    expect(badge).toBe(0);
  });

  it('drops the highlights the history cap prunes a little after a page is recorded', async () => {
    await ask({ type: 'settings/set', settings: { historyCap: 100 } }, popup);
    expect(badge).toBe(2);
    // 99 more papers, none highlighted: 101 papers, one over the cap. The least recently seen
    // (a highlighted paper of the first page) goes, a couple of seconds later.
    const cards = Array.from({ length: 99 }, (_, i) => ({
      arxivId: `2402.${String(10000 + i)}`,
      title: `Sparse attention study ${i}`,
      url: `https://huggingface.co/papers/2402.${String(10000 + i)}`,
    }));
    await new Promise((r) => setTimeout(r, 5));
    await ask(
      {
        type: 'cards/seen',
        page: {
          url: 'https://huggingface.co/papers?date=2024-02-01',
          site: 'huggingface',
          kind: 'daily',
          listing: true,
          loadId: 'b',
        },
        cards,
      },
      content,
    );
    await vi.waitFor(async () => expect(await env.db.papers.count()).toBe(100), {
      timeout: 5_000,
      interval: 100,
    });
    await vi.waitFor(async () => {
      await pending;
      expect(badge).toBe(1);
    });
    expect(await unreadHighlights(env.db)).toBe(1);
  });

  it('counts the highlights a backup import brings', async () => {
    const begin = await ask(
      { type: 'import/begin', mode: 'backup', source: 'backup.json', dbVersion: 4 },
      popup,
    );
    const importId = (begin as { value: { importId: string } }).value.importId;
    const now = Date.now();
    const paper = {
      id: 'arxiv:2401.00009',
      aliases: [],
      titleKey: 'diffusion models for paper 9',
      title: 'Diffusion models for paper 9',
      authors: [],
      urls: { huggingface: 'https://huggingface.co/papers/2401.00009' },
      arxivId: '2401.00009',
      firstSeenAt: now,
      lastSeenAt: now,
      updatedAt: now,
    };
    await ask({ type: 'import/stage', importId, table: 'papers', offset: 0, rows: [paper] }, popup);
    await ask(
      {
        type: 'import/stage',
        importId,
        table: 'hits',
        offset: 0,
        rows: [{ paperId: paper.id, ruleId: 'r1', terms: ['Diffusion'], at: now + 1 }],
      },
      popup,
    );
    await ask({ type: 'import/commit', importId }, popup);
    expect(await unreadHighlights(env.db)).toBe(3);
    expect(badge).toBe(3);
  });
});
