/**
 * bench/browser.mjs reads the service worker's CPU time from /proc (the thread's schedstat) rather
 * than from V8's sampling profiler, which counted time the worker waited for a core as busy. Here
 * a fake /proc tree in a temporary folder: which thread is the worker's, what its CPU time is, and
 * that a worker that is gone or restarted gives a clear error, never a figure of 0.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the bench, without types
import * as bench from '../../bench/browser.mjs';

const { findBrowserProcess, findWorkerThread, parseSchedstat, workerThreadCpu } = bench;

let proc: string;

/** The fields after "(comm)" of a stat: field 4 (index 1) the parent, 22 (index 19) the start. */
const stat = (id: number, comm: string, ppid: number, started: number) =>
  `${id} (${comm}) ${Array.from({ length: 50 }, (_, i) => (i === 1 ? ppid : i === 19 ? started : i)).join(' ')}\n`;

/** A process of the fake /proc: its parent, command line and threads (`comm`, on-CPU ns, start). */
function proc_(
  pid: number,
  ppid: number,
  cmdline: string,
  threads: Record<number, [string, number, number]>,
) {
  mkdirSync(join(proc, String(pid), 'task'), { recursive: true });
  writeFileSync(join(proc, String(pid), 'cmdline'), `${cmdline.replaceAll(' ', '\0')}\0`);
  writeFileSync(join(proc, String(pid), 'stat'), stat(pid, 'chromium', ppid, 1));
  for (const [tid, [comm, ns, started]] of Object.entries(threads))
    thread(pid, +tid, comm, ns, started);
}

function thread(pid: number, tid: number, comm: string, ns: number, started = 100) {
  const dir = join(proc, String(pid), 'task', String(tid));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'comm'), `${comm}\n`);
  writeFileSync(join(dir, 'schedstat'), `${ns} 987654321 42\n`);
  // The comm holds a space and a ')', as a stat's parser must expect.
  writeFileSync(join(dir, 'stat'), stat(tid, comm, pid, started));
}

const CHROMIUM = '/usr/lib/chromium/chromium';
const EXTENSION = `${CHROMIUM} --type=renderer --extension-process --lang=en`;
const SW = 'ServiceWorker t)';

beforeEach(() => {
  proc = mkdtempSync(join(tmpdir(), 'fake-proc-'));
  mkdirSync(join(proc, 'self', 'task'), { recursive: true });
  // This bench's browser: its zygote, a page's renderer (a thread of the same name, not an
  // extension's) and the extension renderer with the worker.
  proc_(10, 1, `${CHROMIUM} --no-sandbox --user-data-dir=/tmp/prof-a`, {
    10: ['CrBrowserMain', 9e9, 1],
  });
  proc_(11, 10, `${CHROMIUM} --type=zygote --user-data-dir=/tmp/prof-a`, {});
  proc_(20, 11, `${CHROMIUM} --type=renderer`, { 21: [SW, 5e9, 1] });
  proc_(30, 11, EXTENSION, { 30: ['CrRendererMain', 1e9, 1], 33: [SW, 2_000_000, 7] });
  // Another Chromium on the machine (another benchmark) with an extension worker of its own.
  proc_(50, 1, `${CHROMIUM} --user-data-dir=/tmp/prof-b`, {});
  proc_(51, 50, `${CHROMIUM} --type=zygote`, {});
  proc_(60, 51, EXTENSION, { 63: [SW, 8e9, 3] });
});
afterEach(() => rmSync(proc, { recursive: true, force: true }));

describe('worker thread CPU (bench)', () => {
  it("finds the worker's thread in this browser's extension renderer only", () => {
    expect(findBrowserProcess('/tmp/prof-a', proc)).toBe('10');
    expect(findWorkerThread(proc, '10')).toEqual({ pid: '30', tid: '33', started: '7' });
    expect(findBrowserProcess('/tmp/prof-b', proc)).toBe('50');
    expect(findWorkerThread(proc, '50')).toEqual({ pid: '60', tid: '63', started: '3' });
  });

  it('refuses to guess between two browsers when it does not know which is its own', () => {
    expect(findWorkerThread(proc)).toMatch(/2 "ServiceWorker" threads .*cannot tell/);
  });

  it('reads on-CPU nanoseconds (first schedstat field), not the wait time', () => {
    expect(parseSchedstat('123456789 987654321 42\n')).toBe(123456789);
    expect(() => parseSchedstat('')).toThrow(/unreadable schedstat/);
  });

  it("gives the thread's CPU time between start and stop, in ms", () => {
    const meter = workerThreadCpu(proc, '10');
    expect(meter.available).toBe(true);
    meter.start();
    thread(30, 33, SW, 2_000_000 + 37_500_000, 7);
    expect(meter.stop()).toBeCloseTo(37.5, 6);
  });

  it('says the worker is not running instead of reporting 0', () => {
    rmSync(join(proc, '30', 'task', '33'), { recursive: true });
    const meter = workerThreadCpu(proc, '10');
    expect(() => meter.start()).toThrow(/no "ServiceWorker" thread .*not running/);
  });

  it('finds a restarted worker (a new thread) at the next start', () => {
    const meter = workerThreadCpu(proc, '10');
    meter.start();
    rmSync(join(proc, '30', 'task', '33'), { recursive: true });
    thread(30, 34, SW, 1_000_000, 9);
    expect(() => meter.stop()).toThrow(/ended during the measurement/);
    meter.start();
    thread(30, 34, SW, 4_000_000, 9);
    expect(meter.stop()).toBeCloseTo(3, 6);
  });

  it('tells a new thread that reused the id apart from the one measured', () => {
    const meter = workerThreadCpu(proc, '10');
    meter.start();
    thread(30, 33, SW, 500_000, 8); // same id, later start, counter from 0
    expect(() => meter.stop()).toThrow(/ended during the measurement/);
  });

  it('is not available where there is no /proc', () => {
    expect(workerThreadCpu(join(proc, 'missing')).available).toBe(false);
  });
});
