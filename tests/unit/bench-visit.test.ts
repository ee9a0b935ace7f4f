/**
 * bench/browser.mjs `visit`: the worker answers a page before its writes commit, so the commit's
 * measure may come after the page shows its states. A visit without the profiler (the warm-up
 * visit of `BENCH_ONLY=firstOff`) read the measures at once and broke the whole bench run with
 * "the worker committed 0 cards, expected 1000" on a busy machine. Here a fake browser whose
 * worker records the commit only on the next look.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the bench, without types
import { visit } from '../../bench/browser.mjs';

type Measure = { name: string; duration: number; detail: number };

/** A context whose page shows `n` states at once and whose worker commits one look later. */
function fakeContext(n: number) {
  const pending: Measure[][] = [
    [], // the look before the visit (forget what was left)
    [{ name: 'paper-scout:cards/seen', duration: 40, detail: n }], // states shown: reply only
    [{ name: 'paper-scout:cards/seen:commit', duration: 90, detail: n }], // committed since
  ];
  const performance = {
    entries: [] as Measure[],
    getEntriesByType() {
      return this.entries;
    },
    clearMeasures() {
      this.entries = [];
    },
  };
  const worker = {
    url: () => 'chrome-extension://abc/background.js',
    evaluate(fn: () => unknown) {
      performance.entries.push(...(pending.shift() ?? []));
      // The function runs against this fake worker's `performance`.
      const g = globalThis as { performance: unknown };
      const real = g.performance;
      g.performance = performance;
      try {
        return Promise.resolve(fn());
      } finally {
        g.performance = real;
      }
    },
  };
  const page = {
    goto: () => Promise.resolve(),
    waitForFunction: () => Promise.resolve(),
    evaluate: () =>
      Promise.resolve({ start: 0, mounted: 10, states: 20, mountedCards: n, hosts: n, errors: [] }),
    close: () => Promise.resolve(),
  };
  return { serviceWorkers: () => [worker], newPage: () => Promise.resolve(page) };
}

describe('bench visit', () => {
  it('waits for the commit measure that comes after the reply', async () => {
    const r = (await visit(fakeContext(1000), 'https://arxiv.org/list/x/new', 1000, 2_000)) as {
      worker: number;
      commit: number;
    };
    expect(r.worker).toBe(40);
    expect(r.commit).toBe(90);
  });
});

describe('bench visit, worker thread CPU', () => {
  it("reports the thread's CPU time of both spans, and no figure when the thread is gone", async () => {
    let calls = 0;
    const spans = [12.5, 3];
    const thread = {
      start() {
        // The second span's look finds no worker: its figure is missing, with the reason.
        if (calls++ === 1) throw new Error('no "ServiceWorker" thread: not running');
      },
      stop: () => spans.shift(),
    };
    const r = (await visit(
      fakeContext(1000),
      'https://arxiv.org/list/x/new',
      1000,
      2_000,
      null,
      thread,
    )) as { cpu?: number; cpuAfter?: number; cpuError?: string; sampled?: number };
    expect(r.cpu).toBe(12.5);
    expect(r.cpuAfter).toBeUndefined();
    expect(r.cpuError).toMatch(/not running/);
    expect(r.sampled).toBeUndefined(); // no profiler on this visit
  });
});
