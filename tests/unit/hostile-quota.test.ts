/**
 * Storage full: every way IndexedDB (through Dexie) reports a full disk or exhausted quota reaches
 * the user as the router's clear 'quota' message, and nothing already stored changes.
 *
 * IndexedDB reports it three ways, each simulated here on fake-indexeddb:
 * - the store refuses the write at once (`put` throws a QuotaExceededError DOMException);
 * - the write request fails (its error event carries the QuotaExceededError, Dexie reports a
 *   BulkError listing it);
 * - the transaction aborts when it commits (Chromium's way: the requests succeed, then the
 *   transaction's `abort` event carries the QuotaExceededError; see content/browser/indexed_db/
 *   instance/transaction.cc, "Encountered disk full while committing transaction").
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import { PaperScoutDB } from '../../lib/db';

const EXT = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
const content: SenderInfo = { id: EXT, url: 'https://huggingface.co/papers', tab: { id: 3 } };
const popup: SenderInfo = { id: EXT, url: `${ORIGIN}popup.html` };
const QUOTA_MESSAGE = /no room left for Paper Scout.*Nothing stored was changed/;

const paper = (n: number, title = `A Paper Number ${n}`) => ({
  arxivId: `2401.0000${n}`,
  title,
  url: `https://huggingface.co/papers/2401.0000${n}`,
});
const page = (loadId: string) => ({
  url: 'https://huggingface.co/papers',
  site: 'huggingface',
  kind: 'daily',
  listing: true,
  loadId,
});

type Mode = 'the store refuses the put' | 'the put request fails' | 'the commit aborts';
const MODES: Mode[] = ['the store refuses the put', 'the put request fails', 'the commit aborts'];

/** fake-indexeddb's internals the simulation relies on (checked before use). */
interface FakeStore {
  name: string;
  transaction: FakeTx;
}
interface FakeTx {
  mode: string;
  _state: string;
  _requests: { request: { readyState: string } }[];
  _abort(name: string | null): void;
  _start(): void;
  _execRequestAsync(r: { operation: () => unknown; source: unknown }): unknown;
  __wrote?: boolean;
}

const storeProto = IDBObjectStore.prototype as unknown as Record<string, unknown>;
const txProto = IDBTransaction.prototype as unknown as Record<string, unknown>;
const originals = {
  put: storeProto.put as (...a: unknown[]) => unknown,
  add: storeProto.add as (...a: unknown[]) => unknown,
  delete: storeProto.delete as (...a: unknown[]) => unknown,
  start: txProto._start as () => void,
};

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** Makes every write fail the way `mode` says, until `restore()`. */
function fillDisk(mode: Mode): void {
  expect(typeof originals.start, 'fake-indexeddb internals changed').toBe('function');
  for (const op of ['put', 'add', 'delete'] as const) {
    const original = originals[op];
    storeProto[op] = function (this: FakeStore, ...args: unknown[]) {
      if (mode === 'the store refuses the put') throw quotaError();
      if (mode === 'the put request fails') {
        return this.transaction._execRequestAsync({
          operation: () => {
            throw quotaError();
          },
          source: this,
        });
      }
      this.transaction.__wrote = true;
      return original.apply(this, args);
    };
  }
  if (mode === 'the commit aborts') {
    txProto._start = function (this: FakeTx) {
      const idle = this._requests.every((r) => r.request.readyState === 'done');
      if (this.__wrote && idle && this._state !== 'finished') {
        this.__wrote = false;
        this._abort('QuotaExceededError');
        return;
      }
      originals.start.call(this);
    };
  }
}

function restoreDisk(): void {
  storeProto.put = originals.put;
  storeProto.add = originals.add;
  storeProto.delete = originals.delete;
  txProto._start = originals.start;
}

let env: RouterEnv;
let n = 0;

/** Everything stored, table by table. */
async function dump(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of env.db.tables) out[t.name] = await t.toArray();
  return out;
}

beforeEach(async () => {
  const db = new PaperScoutDB(`quota-${n++}`);
  await db.open();
  env = { db, extensionId: EXT, extensionOrigin: ORIGIN, notify: () => {} };
  // A library worth protecting: papers seen, two saved, one with a note and tags.
  const seen = await handleMessage(
    { type: 'cards/seen', page: page('first'), cards: [1, 2, 3, 4].map((i) => paper(i)) },
    content,
    env,
  );
  expect(seen.ok).toBe(true);
  for (const i of [1, 2]) {
    const r = await handleMessage(
      { type: 'paper/setSaved', site: 'huggingface', saved: true, paper: paper(i) },
      content,
      env,
    );
    expect(r.ok).toBe(true);
  }
  await db.papers.update('arxiv:2401.00001', { note: 'my precious note', tags: ['keep'] });
});

afterEach(() => restoreDisk());

/** Writes a user (or a page load) can cause, from where they come. */
const WRITES: Array<[string, unknown, SenderInfo]> = [
  [
    'saving a new paper from a card',
    { type: 'paper/setSaved', site: 'huggingface', saved: true, paper: paper(3) },
    content,
  ],
  [
    'unsaving from a card',
    { type: 'paper/setSaved', site: 'huggingface', saved: false, paper: paper(1) },
    content,
  ],
  [
    'unsaving from the popup',
    { type: 'paper/setSavedById', id: 'arxiv:2401.00002', saved: false },
    popup,
  ],
  [
    'editing a note',
    { type: 'paper/annotate', id: 'arxiv:2401.00001', note: 'half-written replacement' },
    popup,
  ],
  ['turning history off', { type: 'settings/set', settings: { historyEnabled: false } }, popup],
  ['clearing history', { type: 'history/clear' }, popup],
];

describe.each(MODES)('disk full (%s)', (mode) => {
  it.each(WRITES)('%s: a clear quota message, nothing stored changes', async (_name, msg, from) => {
    const before = await dump();
    fillDisk(mode);
    const res = await handleMessage(msg, from, env);
    restoreDisk();
    expect(res).toMatchObject({ ok: false, error: { code: 'quota' } });
    if (!res.ok) expect(res.error.message).toMatch(QUOTA_MESSAGE);
    expect(await dump()).toEqual(before);
    // Once there is room again, the same request goes through: nothing was left half-open.
    const again = await handleMessage(msg, from, env);
    expect(again.ok).toBe(true);
  });
});

describe.each(MODES)('page load with the disk full (%s)', (mode) => {
  it('shows what is stored (saved stays saved), records nothing, fails nothing', async () => {
    const before = await dump();
    fillDisk(mode);
    const res = await handleMessage(
      {
        type: 'cards/seen',
        page: page('second'),
        cards: [paper(1), paper(3), paper(6, 'A Brand New Paper Title')],
      },
      content,
      env,
    );
    restoreDisk();
    expect(res).toMatchObject({
      ok: true,
      value: {
        cards: [
          { id: 'arxiv:2401.00001', saved: true, seen: true },
          { id: 'arxiv:2401.00003', saved: false, seen: true },
          { id: 'arxiv:2401.00006', saved: false, seen: false },
        ],
      },
    });
    expect(await dump()).toEqual(before);
  });
});

describe('the simulation itself', () => {
  it.each(MODES)('%s: fails writes, not reads', async (mode) => {
    fillDisk(mode);
    await expect(env.db.papers.get('arxiv:2401.00001')).resolves.toMatchObject({
      note: 'my precious note',
    });
    await expect(
      env.db.transaction('rw', env.db.settings, () => env.db.settings.put({ key: 'x', value: 1 })),
    ).rejects.toBeTruthy();
    restoreDisk();
    await env.db.settings.put({ key: 'x', value: 1 });
    expect(await env.db.settings.get('x')).toEqual({ key: 'x', value: 1 });
  });
});
