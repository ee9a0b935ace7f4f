/**
 * The background worker killed in the middle of a write, at every possible point: the database
 * afterwards holds the state before the request or the state after it, never a mix.
 *
 * How: each request is first run normally (the "after" state). Then, for k = 1, 2, …, a fresh copy
 * of the same library runs it again and the worker "dies" at its k-th write operation (put, add,
 * delete, clear, cursor update/delete): every open transaction is aborted, as the browser does
 * when a worker's process goes away, and no later write can happen. The database is then opened
 * again, as a restarted worker would, and must equal "before" or "after". The loop ends when a run
 * finishes before its k-th write. Time is frozen so both runs stamp the same times.
 *
 * The end-to-end counterpart (tests/e2e/faults.spec.ts) kills the real worker in Chromium.
 */
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import { PaperScoutDB } from '../../lib/db';

const EXT = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
const hf: SenderInfo = { id: EXT, url: 'https://huggingface.co/papers', tab: { id: 1 } };
const arxivTab: SenderInfo = { id: EXT, url: 'https://arxiv.org/list/cs.CV/new', tab: { id: 2 } };
const scholarTab: SenderInfo = {
  id: EXT,
  url: 'https://scholar.google.com/scholar?q=residual',
  tab: { id: 3 },
};
const popup: SenderInfo = { id: EXT, url: `${ORIGIN}popup.html` };

const T0 = Date.UTC(2026, 8, 1, 12);
const T1 = T0 + 86_400_000;

const RESNET = 'Deep Residual Learning for Image Recognition';
const hfPaper = (n: number) => ({
  arxivId: `2401.0000${n}`,
  title: `Hugging Face Paper Number ${n}`,
  url: `https://huggingface.co/papers/2401.0000${n}`,
});
const scholarResnet = { title: RESNET, url: 'https://scholar.google.com/scholar?cluster=1' };
const arxivResnet = {
  arxivId: '1512.03385',
  title: RESNET,
  url: 'https://arxiv.org/abs/1512.03385',
  abstract: 'Deeper neural networks are more difficult to train.',
};
const pageOf = (sender: SenderInfo, site: string, loadId: string) => ({
  url: sender.url!,
  site,
  kind: 'listing',
  listing: true,
  loadId,
});

// ---------------------------------------------------------------------------------------------
// The simulated crash (fake-indexeddb's prototypes are the globals `fake-indexeddb/auto` installs).
// ---------------------------------------------------------------------------------------------

interface FakeTx {
  abort(): void;
  _state: string;
  db: { _rawDatabase: { transactions: FakeTx[] } };
}

const WRITE_OPS: Array<[Record<string, unknown>, string]> = [
  [IDBObjectStore.prototype as unknown as Record<string, unknown>, 'put'],
  [IDBObjectStore.prototype as unknown as Record<string, unknown>, 'add'],
  [IDBObjectStore.prototype as unknown as Record<string, unknown>, 'delete'],
  [IDBObjectStore.prototype as unknown as Record<string, unknown>, 'clear'],
  [IDBCursor.prototype as unknown as Record<string, unknown>, 'update'],
  [IDBCursor.prototype as unknown as Record<string, unknown>, 'delete'],
];
const originals = WRITE_OPS.map(([proto, op]) => proto[op] as (...a: unknown[]) => unknown);

const crash = { armedAt: 0, writes: 0, dead: false };

function txOf(target: unknown): FakeTx | undefined {
  const t = target as { transaction?: FakeTx; request?: { transaction?: FakeTx } };
  return t.transaction ?? t.request?.transaction;
}

beforeAll(() => {
  WRITE_OPS.forEach(([proto, op], i) => {
    const original = originals[i]!;
    proto[op] = function (this: unknown, ...args: unknown[]) {
      if (crash.armedAt && !crash.dead && ++crash.writes >= crash.armedAt) {
        crash.dead = true;
        // The process is gone: nothing in flight commits.
        const tx = txOf(this);
        for (const open of tx?.db._rawDatabase.transactions ?? [])
          if (open._state !== 'finished') open.abort();
      }
      if (crash.dead) throw new DOMException('The worker was killed.', 'UnknownError');
      return original.apply(this, args);
    };
  });
});
afterAll(() => {
  WRITE_OPS.forEach(([proto, op], i) => (proto[op] = originals[i]));
});

// ---------------------------------------------------------------------------------------------
// A library to protect, built the same way every time.
// ---------------------------------------------------------------------------------------------

let dbCount = 0;
const open: PaperScoutDB[] = [];

function envFor(db: PaperScoutDB): RouterEnv {
  return { db, extensionId: EXT, extensionOrigin: ORIGIN, notify: () => {} };
}

async function ask(env: RouterEnv, msg: unknown, from: SenderInfo) {
  const res = await handleMessage(msg, from, env);
  expect(res, JSON.stringify(msg).slice(0, 200)).toMatchObject({ ok: true });
  return res;
}

/** A fresh database holding: papers seen on two pages, saved ones, notes, tags, a provisional record. */
async function seeded(): Promise<PaperScoutDB> {
  vi.setSystemTime(T0);
  const db = new PaperScoutDB(`crash-${dbCount++}`);
  open.push(db);
  await db.open();
  const env = envFor(db);
  await ask(
    env,
    { type: 'cards/seen', page: pageOf(hf, 'huggingface', 'a'), cards: [1, 2, 3, 4].map(hfPaper) },
    hf,
  );
  await ask(
    env,
    { type: 'cards/seen', page: pageOf(scholarTab, 'scholar', 'b'), cards: [scholarResnet] },
    scholarTab,
  );
  for (const [paper, site, from] of [
    [hfPaper(1), 'huggingface', hf],
    [hfPaper(2), 'huggingface', hf],
    [scholarResnet, 'scholar', scholarTab],
  ] as const)
    await ask(env, { type: 'paper/setSaved', site, saved: true, paper }, from);
  await db.papers.update('arxiv:2401.00001', { note: 'note on paper 1', tags: ['vision', 'read'] });
  await db.papers
    .where('titleKey')
    .equals(RESNET.toLowerCase())
    .modify({
      note: 'my notes on ResNet',
      tags: ['classic'],
    });
  vi.setSystemTime(T1);
  return db;
}

async function dump(db: PaperScoutDB): Promise<Record<string, unknown[]>> {
  // Read through a new connection, as the restarted worker would.
  const fresh = new PaperScoutDB(db.name);
  open.push(fresh);
  await fresh.open();
  const out: Record<string, unknown[]> = {};
  for (const t of fresh.tables) out[t.name] = await t.toArray();
  fresh.close();
  return out;
}

/** Which tables differ between two dumps (for a readable failure). */
function differing(a: Record<string, unknown[]>, b: Record<string, unknown[]>): string[] {
  return Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

afterEach(() => {
  crash.armedAt = 0;
  crash.writes = 0;
  crash.dead = false;
  for (const db of open.splice(0)) db.close();
});

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterAll(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------------------------
// The requests.
// ---------------------------------------------------------------------------------------------

const REQUESTS: Array<[string, unknown, SenderInfo]> = [
  [
    'saving a paper from a card',
    { type: 'paper/setSaved', site: 'huggingface', saved: true, paper: hfPaper(3) },
    hf,
  ],
  [
    'unsaving from a card',
    { type: 'paper/setSaved', site: 'huggingface', saved: false, paper: hfPaper(1) },
    hf,
  ],
  [
    'saving a card that reveals the arXiv id of a provisional record (records merge)',
    { type: 'paper/setSaved', site: 'arxiv', saved: true, paper: arxivResnet },
    arxivTab,
  ],
  [
    'a page load whose cards merge records and record sightings',
    {
      type: 'cards/seen',
      page: pageOf(arxivTab, 'arxiv', 'c'),
      cards: [arxivResnet, { ...hfPaper(2), url: 'https://arxiv.org/abs/2401.00002' }],
    },
    arxivTab,
  ],
  [
    'unsaving from the popup',
    { type: 'paper/setSavedById', id: 'arxiv:2401.00002', saved: false },
    popup,
  ],
  [
    'editing a note from the popup',
    {
      type: 'paper/annotate',
      id: 'arxiv:2401.00001',
      note: 'rewritten note',
      tags: ['vision'],
      state: 'reading',
    },
    popup,
  ],
  [
    'writing a note on a card of an unsaved paper (saves it too)',
    {
      type: 'paper/annotate',
      id: 'arxiv:2401.00004',
      note: 'first thoughts',
      card: { paper: hfPaper(4), site: 'huggingface' },
    },
    hf,
  ],
  [
    'a bulk tag over the reading list',
    {
      type: 'papers/bulk',
      ids: ['arxiv:2401.00001', 'arxiv:2401.00002'],
      op: { kind: 'addTag', tag: 'batch' },
    },
    popup,
  ],
  [
    'turning history off (clears it)',
    { type: 'settings/set', settings: { historyEnabled: false } },
    popup,
  ],
  ['clearing history', { type: 'history/clear' }, popup],
  [
    'saving a watch rule (it re-matches every stored paper)',
    {
      type: 'rules/save',
      // An explicit id: a new rule's id is random, which would make every run's "after" differ.
      rule: {
        id: 'r-resnet',
        name: 'resnet',
        kind: 'words',
        terms: ['residual', 'paper'],
        exclude: [],
        color: '#aa3300',
      },
    },
    popup,
  ],
];

describe('worker killed mid-request', () => {
  it.each(REQUESTS)('%s: old state or new, never a mix', async (_name, msg, from) => {
    const reference = await seeded();
    const before = await dump(reference);
    await ask(envFor(reference), msg, from);
    const after = await dump(reference);
    expect(after, 'the request changes something').not.toEqual(before);

    for (let k = 1; k < 200; k++) {
      const db = await seeded();
      crash.armedAt = k;
      crash.writes = 0;
      crash.dead = false;
      await handleMessage(msg, from, envFor(db));
      const died = crash.dead;
      crash.armedAt = 0;
      crash.dead = false;
      const state = await dump(db);
      const outcome =
        JSON.stringify(state) === JSON.stringify(before)
          ? 'old'
          : JSON.stringify(state) === JSON.stringify(after)
            ? 'new'
            : `a mix: ${differing(state, before).join(', ')} changed, ${differing(state, after).join(', ')} not as after`;
      expect(outcome, `killed at write ${k}`).toMatch(/^(old|new)$/);
      if (died) expect(outcome, `killed at write ${k}`).toBe('old');
      if (!died) break; // the request made fewer than k writes: every point was tried
    }
  });
});
