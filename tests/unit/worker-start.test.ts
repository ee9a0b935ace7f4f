/**
 * The worker as the browser starts it (lib/background/start.ts) with a stand-in `browser`: the
 * toolbar badge is the browser's memory, not the extension's (Chromium starts with an empty badge
 * after a restart or an extension update), so a worker started for a new browser session or a new
 * version shows the unread highlights the database holds, without waiting for a page to add one.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;
const event = () => {
  const listeners: Listener[] = [];
  return {
    listeners,
    addListener: (l: Listener) => void listeners.push(l),
    removeListener: () => {},
    hasListener: () => false,
  };
};
const fake = vi.hoisted(() => ({ badge: [] as string[] }));
const events = vi.hoisted(() => ({}) as Record<string, ReturnType<typeof event>>);

vi.mock('wxt/browser', () => {
  const ev = (name: string) => (events[name] = event());
  return {
    browser: {
      runtime: {
        id: 'abcdefghijklmnop',
        getURL: (p: string) => `chrome-extension://abcdefghijklmnop${p}`,
        onMessage: ev('onMessage'),
        onStartup: ev('onStartup'),
        onInstalled: ev('onInstalled'),
      },
      action: {
        setBadgeBackgroundColor: async () => {},
        setBadgeText: async ({ text }: { text: string }) => void fake.badge.push(text),
        setPopup: async () => {},
        openPopup: async () => {},
      },
      tabs: { query: async () => [], sendMessage: async () => undefined, create: async () => ({}) },
    },
  };
});

const { getDb } = await import('../../lib/db');
const { startBackground } = await import('../../lib/background/start');

describe('worker start', () => {
  it('shows the stored unread highlights on the badge when the browser starts or updates it', async () => {
    const db = getDb();
    const now = Date.now();
    await db.rules.put({
      id: 'r1',
      name: 'diffusion',
      kind: 'words',
      terms: ['diffusion'],
      exclude: [],
      color: '#aa3300',
      paused: false,
      createdAt: now,
      updatedAt: now,
    });
    // The highlighted papers exist (a hit of a paper that does not is not counted).
    await db.papers.bulkPut(
      ['2401.00001', '2401.00002'].map((id) => ({
        id: `arxiv:${id}`,
        aliases: [],
        titleKey: `diffusion paper ${id}`,
        title: `Diffusion paper ${id}`,
        authors: [],
        urls: {},
        firstSeenAt: now,
        lastSeenAt: now,
        updatedAt: now,
      })),
    );
    await db.hits.bulkPut([
      { paperId: 'arxiv:2401.00001', ruleId: 'r1', terms: ['diffusion'], at: now },
      { paperId: 'arxiv:2401.00002', ruleId: 'r1', terms: ['diffusion'], at: now },
    ]);

    startBackground();
    // The browser starts a new session (or installs a new version): the events a worker gets.
    for (const l of events.onStartup?.listeners ?? []) l();
    for (const l of events.onInstalled?.listeners ?? []) l({ reason: 'update' });
    await vi.waitFor(() => expect(fake.badge.at(-1)).toBe('2'), { timeout: 2_000 });
  });

  it('listens for import rows on the bulk channel from the start, and answers on their port', async () => {
    // A service worker's global has `clients`; the listener must be there before any event.
    const added: [string, (e: unknown) => void][] = [];
    const g = globalThis as unknown as Record<string, unknown>;
    const had = { clients: g.clients, add: g.addEventListener };
    g.clients = {};
    g.addEventListener = (type: string, l: (e: unknown) => void) => void added.push([type, l]);
    try {
      startBackground();
    } finally {
      g.clients = had.clients;
      g.addEventListener = had.add;
    }
    const onMessage = added.find(([t]) => t === 'message')?.[1];
    expect(onMessage).toBeTypeOf('function');
    const answer = await new Promise((resolve) =>
      onMessage!({
        data: { request: { type: 'history/clear' } },
        ports: [{ postMessage: resolve }],
        source: { url: 'chrome-extension://abcdefghijklmnop/options.html' },
      }),
    );
    // Only import rows travel this way: anything else is refused, and nothing is cleared.
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await getDb().papers.count()).toBe(2);
  });
});
