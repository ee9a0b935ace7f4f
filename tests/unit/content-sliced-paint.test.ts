// @vitest-environment happy-dom
/**
 * A big listing is read and painted in slices (lib/content/controller.ts): the page gets a turn
 * between slices, so a researcher scrolling a 1,000-entry arXiv listing while it loads feels no
 * freeze. The cards in view get their states first, every card gets its state in the end, the
 * latest answer for a card wins, and stopping the content script stops the slices.
 *
 * Every turn the content script gives the page (`scheduler.yield`, an animation frame) is held
 * here until the test lets it go, so what is painted before and after a turn is exact.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Request } from '../../lib/messages';
// @ts-expect-error -- a plain .mjs module of the benchmark (the big page is made from a real one)
import { arxivListing } from '../../bench/pages.mjs';

type Seen = Extract<Request, { type: 'cards/seen' }>;
const sent: Request[] = [];
/** Answers to `cards/seen`, in order; each waits until the test releases it. */
const answers: Array<{ req: Seen; release: (saved: boolean) => void }> = [];

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: Request) => {
    sent.push(req);
    if (req.type === 'cards/seen') {
      const saved = await new Promise<boolean>((release) => answers.push({ req, release }));
      return {
        ok: true,
        value: {
          cards: req.cards.map((c) => ({
            id: `arxiv:${c.arxivId}`,
            saved,
            seen: false,
            isNew: true,
            newVersion: false,
            highlights: [],
            badges: [],
          })),
        },
      };
    }
    return { ok: false, error: { code: 'internal', message: 'not in this test' } };
  }),
}));

const { startContent, HOST_TAG, MARK_STATES } = await import('../../lib/content/controller');
const { arxiv } = await import('../../lib/sites/arxiv');

const URL = 'https://arxiv.org/list/cond-mat.mtrl-sci/new';
const N = 300;

/** Turns given to the page and not yet over (a `scheduler.yield` or an animation frame). */
let turns: Array<() => void> = [];
/** Turns the content script asked for so far. */
let turnsAsked = 0;

/** Ends every pending turn, and lets the tasks they started run. */
async function endTurns(): Promise<void> {
  const now = turns;
  turns = [];
  for (const end of now) end();
  await new Promise((r) => setTimeout(r, 0));
}

/** Ends turns until `done()` holds (fails after many). */
async function runUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !done(); i++) await endTurns();
  expect(done()).toBe(true);
}

let contexts = 0;
const newContext = () => new ContentScriptContext(`sliced-${++contexts}`);

const hosts = () => [...document.querySelectorAll(HOST_TAG)];
/** A host shows the full bar (its state painted) once it has the Note button. */
const painted = (h: Element) => !!h.shadowRoot?.querySelector('button[data-action="note"]');
const paintedCount = () => hosts().filter(painted).length;
const pressed = (h: Element) =>
  h.shadowRoot?.querySelector('button[data-action="save"]')?.getAttribute('aria-pressed');
const statesMarks = () => performance.getEntriesByName(MARK_STATES) as PerformanceMark[];

describe('sliced reading and painting of a big listing', () => {
  let stop: () => void = () => {};

  beforeEach(() => {
    sent.length = 0;
    answers.length = 0;
    turns = [];
    turnsAsked = 0;
    performance.clearMarks();
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(URL);
    const html: string = arxivListing(N, '3001').html;
    document.body.innerHTML = (/<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? '').replace(
      /<script\b[\s\S]*?<\/script>/gi,
      '',
    );
    vi.stubGlobal('scheduler', {
      yield: () => {
        turnsAsked++;
        return new Promise<void>((r) => turns.push(r));
      },
    });
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
      turnsAsked++;
      turns.push(() => cb(performance.now()));
      return turnsAsked;
    });
  });
  afterEach(async () => {
    stop();
    for (const a of answers) a.release(false);
    await endTurns();
    vi.unstubAllGlobals();
    Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
  });

  /** Starts the content script and lets it read the cards until its `cards/seen` is sent. */
  async function startAndReport(): Promise<void> {
    stop = startContent(newContext(), [arxiv]);
    expect(hosts()).toHaveLength(N);
    await vi.waitFor(() => expect(turnsAsked + answers.length).toBeGreaterThan(0));
    await runUntil(() => answers.length === 1);
  }

  it('reads the cards over several tasks, then reports them all in one message', async () => {
    stop = startContent(newContext(), [arxiv]);
    // The read starts a task after the toggles were mounted, and gives the page turns.
    await vi.waitFor(() => expect(turnsAsked).toBeGreaterThan(0));
    expect(answers).toHaveLength(0);
    await runUntil(() => answers.length === 1);
    const seen = sent.filter((r): r is Seen => r.type === 'cards/seen');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.cards).toHaveLength(N);
    expect(seen[0]!.cards.every((c) => c.authors?.length && c.abstract)).toBe(true);
  });

  it('paints the first cards before giving the page a turn, and every card in the end', async () => {
    await startAndReport();
    const asked = turnsAsked;
    answers[0]!.release(true);
    await vi.waitFor(() => expect(painted(hosts()[0]!)).toBe(true));
    // The first slice: the top of the listing is painted, the rest waits for a later task.
    const first = paintedCount();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(N);
    expect(hosts().slice(0, first).every(painted)).toBe(true);
    expect(turnsAsked).toBeGreaterThan(asked);
    expect(statesMarks()).toHaveLength(0);
    await runUntil(() => paintedCount() === N && statesMarks().length > 0);
    expect(hosts().every((h) => pressed(h) === 'true')).toBe(true);
    // Set once, after the last card was painted (the bench counts its detail).
    expect(statesMarks().map((m) => m.detail)).toEqual([N]);
  });

  it('scrolled down the listing, the cards in view are painted first', async () => {
    const cards = arxiv.findCards(document, arxiv.detect(new window.URL(URL))!);
    // Card i spans [100·i, 100·i + 100) in the page; the user scrolled to 15,000 (card 150).
    Object.defineProperty(window, 'scrollY', { value: 15_000, configurable: true });
    cards.forEach((c, i) => {
      c.getBoundingClientRect = () =>
        ({ top: i * 100 - 15_000, bottom: i * 100 + 100 - 15_000 }) as DOMRect;
    });
    await startAndReport();
    answers[0]!.release(false);
    await vi.waitFor(() => expect(paintedCount()).toBeGreaterThan(0));
    const all = hosts();
    expect(painted(all[150]!)).toBe(true);
    expect(painted(all[149]!)).toBe(false);
    expect(painted(all[0]!)).toBe(false);
    await runUntil(() => paintedCount() === N && statesMarks().length > 0);
  });

  it('a later answer wins over an older one still being painted', async () => {
    await startAndReport();
    answers[0]!.release(false);
    await vi.waitFor(() => expect(paintedCount()).toBeGreaterThan(0));
    expect(paintedCount()).toBeLessThan(N);
    // Watch rules changed: every card is asked for again, and the new answer says "saved".
    await fakeBrowser.runtime.onMessage.trigger({ type: 'rules/changed' }, {}, () => {});
    await runUntil(() => answers.length === 2);
    answers[1]!.release(true);
    await runUntil(() => paintedCount() === N && statesMarks().length > 0);
    await endTurns();
    expect(hosts().filter((h) => pressed(h) !== 'true')).toEqual([]);
  });

  it('stop() halts the painting: nothing is painted or marked after it', async () => {
    await startAndReport();
    answers[0]!.release(false);
    await vi.waitFor(() => expect(paintedCount()).toBeGreaterThan(0));
    const kept = hosts();
    expect(kept.filter(painted).length).toBeLessThan(N);
    stop();
    // Every card's UI is gone, and no later slice renders a bar into a removed host.
    expect(hosts()).toHaveLength(0);
    for (let i = 0; i < 20; i++) await endTurns();
    expect(kept.filter(painted)).toEqual([]);
    expect(statesMarks()).toHaveLength(0);
  });
});
