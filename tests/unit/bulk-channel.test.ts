/**
 * The bulk channel (lib/background/channel.ts, `sendBulk` in lib/rpc.ts): an import's rows reach
 * the worker by `postMessage` with a reply port, are checked by the same router as any message,
 * and import the same library; anything else on the channel is refused and writes nothing; where
 * there is no service worker to post to, the rows go as ordinary messages.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const sent: unknown[] = [];
/** The worker's answer to an ordinary message: pings say whether the session lives. */
const runtime = vi.hoisted(() => ({ alive: true }));
vi.mock('wxt/browser', () => ({
  browser: {
    runtime: {
      getURL: (path: string) => `chrome-extension://abcdefghijklmnop${path}`,
      sendMessage: async (m: { type?: string }) => {
        if (m.type === 'import/ping') return { ok: true, value: { alive: runtime.alive } };
        sent.push(m);
        return { ok: true, value: { via: 'runtime' } };
      },
    },
  },
}));

const { channelListener } = await import('../../lib/background/channel');
const { handleMessage } = await import('../../lib/background/router');
const { send, sendBulk } = await import('../../lib/rpc');
const { parseImport, stageImport, commitImport } = await import('../../lib/exchange/import');
const { dump, envOf, importText, newDb, ORIGIN, sender } = await import('./exchange-helpers');

type Listener = ReturnType<typeof channelListener>;

/** Posts `request` to `listener` as the page at `url` would; resolves with the port's answer. */
function post(listener: Listener, request: unknown, url: unknown = `${ORIGIN}options.html`) {
  return new Promise<unknown>((resolve) => {
    const waits: Promise<unknown>[] = [];
    listener({
      data: structuredClone({ request }),
      ports: [{ postMessage: (m: unknown) => resolve(structuredClone(m)) }],
      source: { url },
      waitUntil: (p) => void waits.push(p),
    });
  });
}

const BIB = `@article{a,
  title = {Sparse Attention for Long Documents},
  author = {Chen, Ada and Lovelace, Grace},
  year = {2024},
  eprint = {2401.00001},
  archivePrefix = {arXiv}
}
@inproceedings{b,
  title = {Graph Networks Without Labels},
  author = {Hopper, Linus},
  year = {2023},
  doi = {10.1145/3580305.3599001}
}
`;

describe('the worker end of the bulk channel', () => {
  it('imports a file whose rows came over the channel exactly as over messages', async () => {
    const db = await newDb();
    const env = envOf(db);
    const viaMessages = sender(env);
    const listener = channelListener(env, handleMessage);
    // The rows over the channel, everything else as messages (what the options page does).
    const mixed = (async (req: { type: string }) =>
      req.type === 'import/stage'
        ? post(listener, req)
        : viaMessages(req as never)) as typeof viaMessages;
    const parsed = await parseImport(BIB, 'refs.bib', { now: 1_800_000_000_000 });
    const id = await stageImport(parsed, mixed);
    const report = await commitImport(id, parsed, mixed);
    expect(report.tables.papers).toMatchObject({ added: 2 });

    const other = await newDb();
    await importText(other, BIB, 'refs.bib', 1_800_000_000_000);
    expect(await dump(db)).toEqual(await dump(other));
  });

  it('refuses every other request, and a stage for a session that does not exist', async () => {
    const db = await newDb();
    const env = envOf(db);
    const listener = channelListener(env, handleMessage);
    for (const request of [
      { type: 'paper/setSavedById', id: 'arxiv:2401.00001', saved: true },
      { type: 'import/commit', importId: 'x' },
      { type: 'history/clear' },
      null,
      'import/stage',
    ]) {
      expect(await post(listener, request)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    const stage = {
      type: 'import/stage',
      importId: 'abcdefgh-0000-0000-0000-000000000000',
      table: 'papers',
      offset: 0,
      rows: [],
    };
    expect(await post(listener, stage)).toMatchObject({ ok: false });
    expect(await db.papers.count()).toBe(0);
  });

  it('is refused for a sender that is not one of our pages, and ignored without a port', async () => {
    const db = await newDb();
    const env = envOf(db);
    const calls: unknown[] = [];
    const listener = channelListener(env, (raw, from, e) => {
      calls.push(from);
      return handleMessage(raw, from, e);
    });
    const stage = { type: 'import/stage', importId: 'x', table: 'papers', offset: 0, rows: [] };
    // The router's sender check applies: an address outside the extension is refused.
    expect(await post(listener, stage, 'https://evil.example/')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // No reply port, or no sender address: nobody to answer, nothing done.
    listener({ data: { request: stage }, ports: [], source: { url: `${ORIGIN}options.html` } });
    listener({
      data: { request: stage },
      ports: [{ postMessage: () => calls.push('answered') }],
      source: null,
    });
    expect(calls).toEqual([{ id: env.extensionId, url: 'https://evil.example/' }]);
  });

  it('answers an internal error when the handler throws', async () => {
    const db = await newDb();
    const listener = channelListener(envOf(db), () => Promise.reject(new Error('boom')));
    const stage = { type: 'import/stage', importId: 'x', table: 'papers', offset: 0, rows: [] };
    expect(await post(listener, stage)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('boom') },
    });
  });
});

describe('sendBulk, the page end', () => {
  const realNavigator = globalThis.navigator;
  const at = (origin: string) =>
    Object.defineProperty(globalThis, 'location', { value: { origin }, configurable: true });
  beforeEach(() => {
    sent.length = 0;
    // One of our own pages (the options page).
    at('chrome-extension://abcdefghijklmnop');
  });
  afterEach(() => {
    Object.defineProperty(globalThis, 'navigator', { value: realNavigator, configurable: true });
    Reflect.deleteProperty(globalThis, 'location');
  });
  const withWorker = (worker: unknown) =>
    Object.defineProperty(globalThis, 'navigator', {
      value: { serviceWorker: { getRegistration: async () => ({ active: worker }) } },
      configurable: true,
    });
  const stage = {
    type: 'import/stage' as const,
    importId: 'x',
    table: 'papers',
    offset: 0,
    rows: [],
  };

  it('posts the request with a port and resolves with the answer', async () => {
    const posted: unknown[] = [];
    withWorker({
      postMessage: (m: { request: unknown }, [port]: MessagePort[]) => {
        posted.push(m.request);
        port!.postMessage({ ok: true, value: { via: 'channel' } });
      },
    });
    expect(await sendBulk(stage)).toEqual({ ok: true, value: { via: 'channel' } });
    expect(posted).toEqual([stage]);
    expect(sent).toEqual([]);
  });

  it('is what send() uses for import rows on our pages; elsewhere nothing is posted', async () => {
    const posted: unknown[] = [];
    withWorker({
      postMessage: (m: { request: unknown }, [port]: MessagePort[]) => {
        posted.push(m.request);
        port!.postMessage({ ok: true, value: { via: 'channel' } });
      },
    });
    expect(await send(stage)).toEqual({ ok: true, value: { via: 'channel' } });
    expect(await send({ type: 'settings/get' })).toEqual({ ok: true, value: { via: 'runtime' } });
    // A content script's navigator.serviceWorker is the web page's own: never posted to.
    at('https://huggingface.co');
    expect(await send(stage)).toEqual({ ok: true, value: { via: 'runtime' } });
    expect(await sendBulk(stage)).toEqual({ ok: true, value: { via: 'runtime' } });
    expect(posted).toEqual([stage]);
    expect(sent).toEqual([{ type: 'settings/get' }, stage, stage]);
  });

  it('sends an ordinary message where there is no worker to post to, or posting fails', async () => {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
    expect(await sendBulk(stage)).toEqual({ ok: true, value: { via: 'runtime' } });
    withWorker(null);
    expect(await sendBulk(stage)).toEqual({ ok: true, value: { via: 'runtime' } });
    withWorker({
      postMessage: () => {
        throw new DOMException('could not clone', 'DataCloneError');
      },
    });
    expect(await sendBulk(stage)).toEqual({ ok: true, value: { via: 'runtime' } });
    expect(sent).toEqual([stage, stage, stage]);
  });

  it('says the worker stopped when the session is lost while it waits (the worker was stopped)', async () => {
    vi.useFakeTimers();
    try {
      runtime.alive = false;
      withWorker({ postMessage: () => {} });
      const r = sendBulk(stage);
      await vi.advanceTimersByTimeAsync(5_001);
      expect(await r).toMatchObject({
        ok: false,
        error: { code: 'internal', message: expect.stringContaining('stopped before answering') },
      });
    } finally {
      runtime.alive = true;
      vi.useRealTimers();
    }
  });

  it('waits for a busy worker whose session lives, up to a limit', async () => {
    vi.useFakeTimers();
    try {
      let port: MessagePort | undefined;
      withWorker({ postMessage: (_m: unknown, [p]: MessagePort[]) => (port = p) });
      const slow = sendBulk(stage);
      await vi.advanceTimersByTimeAsync(30_000);
      port!.postMessage({ ok: true, value: { staged: 0 } });
      await vi.advanceTimersByTimeAsync(10);
      expect(await slow).toEqual({ ok: true, value: { staged: 0 } });

      withWorker({ postMessage: () => {} });
      const never = sendBulk(stage);
      await vi.advanceTimersByTimeAsync(120_001);
      expect(await never).toMatchObject({
        ok: false,
        error: { code: 'internal', message: expect.stringContaining('stopped before answering') },
      });
    } finally {
      vi.useRealTimers();
    }
  });
});
