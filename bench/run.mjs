/**
 * `npm run bench`: builds the extension, loads it in Chromium (fresh temporary profile) and
 * measures how fast it annotates real and real-made big pages, what the worker spends recording a
 * 1,000-card page, and how big the content script is. Prints PASS/FAIL per figure, writes
 * bench/results/latest.json (+ a dated copy) and the table of BENCHMARKS.md.
 *
 * Exit code: 0 even when a target is missed; 1 when a page never got its expected cards (or
 * anything else broke), so a broken harness never passes for a result.
 *
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium), BENCH_RUNS (default 15 per figure),
 * BENCH_OUT (build folder, default bench/.tmp/output), BENCH_ONLY (comma-separated series keys of
 * SERIES, e.g. `hf500,repeat`: a quick look while working; nothing is written then).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromiumVersion, launch, visit } from './browser.mjs';
import { idbFloor } from './floor.mjs';
import { arxivListing, expectedCards, hfPage, readPage } from './pages.mjs';
import { line, summarize, updateMarkdown, writeResults } from './report.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** The extension, built by this script with the project's config into a private folder. */
const OUT = process.env.BENCH_OUT ?? 'bench/.tmp/output';
const EXTENSION = resolve(OUT, 'chrome-mv3');
/** Series to run (all when unset); a partial run prints its figures but writes no results. */
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const CONTENT_SCRIPTS = `${EXTENSION}/content-scripts`;

const HF_DAILY = 'huggingface/daily-papers-2026-07.html';
const ARXIV_SEARCH = 'arxiv/search-abstract-distributed-systems-size200-2025-12.html';
const URL = {
  hfDaily: 'https://huggingface.co/papers',
  // Month pages are where Hugging Face shows hundreds of cards.
  hfMonth: 'https://huggingface.co/papers/month/2026-07',
  arxivSearch:
    'https://arxiv.org/search/?searchtype=abstract&query=distributed+systems&abstracts=show&size=200&order=',
  arxivNew: 'https://arxiv.org/list/cond-mat.mtrl-sci/new',
};

/** What each series loads, and what each timing is. */
const SERIES = {
  hf31: 'HF daily page, 31 real cards',
  hf500: 'HF page, 500 cloned real cards',
  search: 'arXiv search, 200 real results',
  repeat: 'arXiv /new listing, 1,000 cloned real entries, repeat visit',
  first: 'arXiv /new listing, 1,000 cloned real entries, first visit',
  firstOff:
    'Floor: arXiv /new listing, 1,000 cloned real entries, first visit with sighting history off (the same reads, matching and answer; nothing stored)',
  floor:
    'Floor: bare IndexedDB puts of the 1,000 paper records a first visit stores, with their sightings as 1,000 rows (no Dexie, no other work)',
};
const WHAT = {
  mounted: 'start → all toggles mounted',
  states: 'start → states painted',
  worker: 'worker time recording the cards (message received → reply sent)',
  commit: 'worker time recording the cards (message received → write committed)',
  cpu: "worker thread's CPU time (Linux schedstat), navigation → states painted",
  cpuAfter:
    "worker thread's CPU time (Linux schedstat) in the second after the states (work after the reply)",
  sampled:
    "worker main-thread busy time sampled by V8's profiler (visits of their own), navigation → states painted",
  sampledAfter:
    "worker main-thread busy time sampled by V8's profiler (visits of their own) in the second after the states",
  longTask: 'longest main-thread task of the page after start (0: none of 50 ms or more)',
  papers: 'worker main-thread time issuing the paper puts',
  both: 'worker main-thread time issuing all 2,000 puts',
  floorCommit: 'first put issued → committed',
  oneIssue:
    'all 2,000 as one record instead (a batched design): worker main-thread time issuing its put',
  oneCommit: 'all 2,000 as one record instead (a batched design): put issued → committed',
  foldIssue:
    'the 1,000 papers each holding its sighting (as a first visit stores them since f4423e6): worker main-thread time issuing the 1,000 puts',
  foldCommit:
    'the 1,000 papers each holding its sighting (as a first visit stores them since f4423e6): first put issued → committed',
};
/** The timed figures: id, series, timing, target (ms; null: no target, shown for reference). */
const TIMINGS = [
  ['hf-31-mounted', 'hf31', 'mounted', null],
  ['hf-31-states', 'hf31', 'states', null],
  ['hf-500-mounted', 'hf500', 'mounted', 100],
  ['hf-500-states', 'hf500', 'states', null],
  ['hf-500-longest-task', 'hf500', 'longTask', null],
  ['arxiv-search-200-mounted', 'search', 'mounted', null],
  ['arxiv-search-200-states', 'search', 'states', null],
  ['arxiv-list-1000-mounted', 'repeat', 'mounted', 150],
  ['arxiv-list-1000-states', 'repeat', 'states', null],
  ['arxiv-list-1000-first-states', 'first', 'states', null],
  ['arxiv-list-1000-first-longest-task', 'first', 'longTask', null],
  ['worker-1000-first', 'first', 'worker', 50],
  ['worker-1000-repeat', 'repeat', 'worker', 50],
  ['worker-1000-first-commit', 'first', 'commit', 50],
  ['worker-1000-repeat-commit', 'repeat', 'commit', 50],
  ['worker-1000-first-cpu', 'first', 'cpu', 50],
  ['worker-1000-repeat-cpu', 'repeat', 'cpu', 50],
  ['worker-1000-first-cpu-after', 'first', 'cpuAfter', null],
  ['worker-1000-repeat-cpu-after', 'repeat', 'cpuAfter', null],
  ['worker-1000-first-cpu-sampled', 'first', 'sampled', null],
  ['worker-1000-repeat-cpu-sampled', 'repeat', 'sampled', null],
  ['worker-1000-first-cpu-after-sampled', 'first', 'sampledAfter', null],
  ['worker-1000-repeat-cpu-after-sampled', 'repeat', 'sampledAfter', null],
  ['floor-1000-history-off-reply', 'firstOff', 'worker', null],
  ['floor-1000-history-off-commit', 'firstOff', 'commit', null],
  ['floor-1000-history-off-cpu', 'firstOff', 'cpu', null],
  ['floor-1000-history-off-cpu-sampled', 'firstOff', 'sampled', null],
  ['floor-1000-papers-issue', 'floor', 'papers', null],
  ['floor-1000-issue', 'floor', 'both', null],
  ['floor-1000-commit', 'floor', 'floorCommit', null],
  ['floor-1000-one-record-issue', 'floor', 'oneIssue', null],
  ['floor-1000-one-record-commit', 'floor', 'oneCommit', null],
  ['floor-1000-folded-issue', 'floor', 'foldIssue', null],
  ['floor-1000-folded-commit', 'floor', 'foldCommit', null],
];
/**
 * Series whose visits also measure the worker's CPU: its thread's CPU time on each visit, and
 * V8's profiler on a visit of its own after each (the profiler costs the worker time, which the
 * thread's figure must not include).
 */
const PROFILED = new Set(['repeat', 'first', 'firstOff']);
/** Why the CPU figures are the profiler's, when they are (no /proc: not Linux). */
const NO_PROC = "no /proc here: V8 profiler's sampled busy time instead of the thread's CPU time";

/** Builds the extension every time (a few seconds), so the numbers are always of the sources. */
function build() {
  console.log('Building the extension (wxt build -c bench/wxt.config.mjs) …');
  try {
    execFileSync(resolve('node_modules/.bin/wxt'), ['build', '-c', 'bench/wxt.config.mjs'], {
      stdio: 'pipe',
      env: { ...process.env, BENCH_OUT: OUT },
    });
  } catch (e) {
    process.stderr.write(e.stdout ?? '');
    process.stderr.write(e.stderr ?? '');
    throw new Error('wxt build failed', { cause: e });
  }
}

/**
 * Visits a page `warmup` + RUNS times, each in a fresh tab; the warm-up visits (first load of the
 * page: JIT, code cache, papers not yet known) are not counted. `page(i)` gives visit i's URL, HTML.
 * In a PROFILED series each visit measures the worker thread's CPU time and is followed by one
 * with the profiler attached (`page(warmup + RUNS + i)`: a first visit stays a first visit), whose
 * figures are the `sampled` ones; without /proc the profiler is on every visit and gives both.
 * @returns {Promise<Record<'mounted' | 'states' | 'worker' | 'commit' | 'cpu' | 'cpuAfter' | 'sampled' | 'sampledAfter' | 'longTask', number[]> & { error?: string, cpuError?: string }>}
 */
async function series(browser, key, n, page, warmup = 1) {
  const out = {
    mounted: [],
    states: [],
    worker: [],
    commit: [],
    cpu: [],
    cpuAfter: [],
    sampled: [],
    sampledAfter: [],
    longTask: [],
  };
  if (quitting) return out;
  if (ONLY && !ONLY.includes(key)) return { ...out, skipped: true };
  process.stdout.write(`${SERIES[key]}: `);
  try {
    for (let i = 0; i < warmup + RUNS && !quitting; i++) {
      const measured = PROFILED.has(key);
      const threadCpu = measured && browser.thread.available;
      const [url, html] = page(i);
      browser.serve(url, html);
      const r = await visit(
        browser.context,
        url,
        n,
        undefined,
        measured && !threadCpu ? browser.cpu : null,
        threadCpu ? browser.thread : null,
      );
      if (measured && !threadCpu) [r.cpu, r.cpuAfter] = [r.sampled, r.sampledAfter];
      if (threadCpu) {
        const [url, html] = page(warmup + RUNS + i);
        browser.serve(url, html);
        const p = await visit(browser.context, url, n, undefined, browser.cpu);
        [r.sampled, r.sampledAfter] = [p.sampled, p.sampledAfter];
      }
      if (r.cpuError) out.cpuError ??= r.cpuError;
      if (i < warmup) continue;
      for (const k of Object.keys(out))
        if (Array.isArray(out[k]) && r[k] !== undefined) out[k].push(r[k]);
      process.stdout.write('.');
    }
    console.log(' done');
  } catch (e) {
    out.error = e.message;
    if (!quitting) console.log(` broken\n  ${e.message}`);
  }
  return out;
}

/**
 * Turns sighting history on or off the way a stored setting does, without clearing it (the
 * options page's switch also clears the history; the floor series after this one needs none of
 * it, and what it reads stays as the first-visit series left it).
 */
async function setHistory(browser, on) {
  const worker = browser.context
    .serviceWorkers()
    .find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) throw new Error('no service worker');
  await worker.evaluate(async (on) => {
    const open = indexedDB.open('paper-scout');
    const db = await new Promise((ok, no) => {
      open.onsuccess = () => ok(open.result);
      open.onerror = () => no(open.error);
    });
    const tx = db.transaction('settings', 'readwrite');
    tx.objectStore('settings').put({ key: 'historyEnabled', value: on });
    await new Promise((ok, no) => {
      tx.oncomplete = () => ok();
      tx.onabort = tx.onerror = () => no(tx.error ?? new Error('aborted'));
    });
    db.close();
  }, on);
}

/** The IndexedDB floor (bench/floor.mjs), as a series of the timings above. */
async function floorSeries(browser) {
  if (quitting) return {};
  process.stdout.write(`${SERIES.floor}: `);
  const r = await idbFloor(browser.context, RUNS);
  console.log(r.error ? ` broken\n  ${r.error}` : ' done');
  // Named as WHAT names them ("commit" alone is the visits' figure).
  const { commit, ...figures } = r;
  return { ...figures, floorCommit: commit };
}

async function main() {
  build();
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium: chromiumVersion(),
    /** 1-minute load average before and after: other work on the machine skews the numbers. */
    loadBefore: Math.round(os.loadavg()[0] * 100) / 100,
  };
  const date = new Date().toISOString().slice(0, 10);
  if (machine.loadBefore > machine.cores) {
    console.warn(
      `WARNING: load average ${machine.loadBefore} on ${machine.cores} cores: other work will skew the numbers.`,
    );
  }

  const hf500 = hfPage(500, '3002').html;
  // (Pages are made even for skipped series: a second or two, and the code stays one path.)
  const list1000 = arxivListing(1000, '3003').html;
  const browser = (open = await launch(EXTENSION));
  const browserThread = browser.thread.available;
  if (!browserThread) console.warn(`WARNING: ${NO_PROC}.`);
  let s;
  try {
    const daily = readPage(HF_DAILY);
    const search = readPage(ARXIV_SEARCH);
    s = {
      hf31: await series(browser, 'hf31', expectedCards(HF_DAILY), () => [URL.hfDaily, daily]),
      hf500: await series(browser, 'hf500', 500, () => [URL.hfMonth, hf500]),
      search: await series(browser, 'search', expectedCards(ARXIV_SEARCH), () => [
        URL.arxivSearch,
        search,
      ]),
      // After the warm-up visit every measured one is a repeat visit: same page, papers known.
      repeat: await series(browser, 'repeat', 1000, () => [URL.arxivNew, list1000]),
      // Each run a page never visited (its own URL) of 1,000 papers never seen (own ids), so no
      // warm-up: the browser and worker are warm by now.
      first: await series(
        browser,
        'first',
        1000,
        (i) => [`${URL.arxivNew}?run=${i}`, arxivListing(1000, '3001', i * 1000 + 1).html],
        0,
      ),
      // Read from what the first-visit series stored: it needs that series' records.
      floor:
        ONLY && !(ONLY.includes('floor') && ONLY.includes('first'))
          ? { skipped: true }
          : await floorSeries(browser),
      // Last (it turns history off): what a first visit costs the worker when it stores nothing
      // at all, the part of the first-visit figures no way of storing can remove.
      firstOff:
        ONLY && !ONLY.includes('firstOff')
          ? { skipped: true }
          : await (async () => {
              // (One visit first, so the database exists even when this series runs alone.)
              if (ONLY) {
                const url = `${URL.arxivNew}?off=warm`;
                browser.serve(url, arxivListing(1000, '3005').html);
                await visit(browser.context, url, 1000);
              }
              await setHistory(browser, false);
              return series(
                browser,
                'firstOff',
                1000,
                (i) => [`${URL.arxivNew}?off=${i}`, arxivListing(1000, '3004', i * 1000 + 1).html],
                1,
              );
            })(),
    };
  } finally {
    await browser.close();
  }

  if (quitting) return 2; // interrupted: no results from a half-done run
  machine.loadAfter = Math.round(os.loadavg()[0] * 100) / 100;
  const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10;
  // One content script per site (or one for all): each page loads one, so each has the target.
  const sizes = readdirSync(CONTENT_SCRIPTS)
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const code = readFileSync(`${CONTENT_SCRIPTS}/${f}`);
      return {
        ...summarize({
          id: `content-script-${f.replace(/\.js$/, '')}`,
          figure: `Content script ${f}, gzip -9`,
          target: 25,
          unit: 'KB',
          samples: [kb(gzipSync(code, { level: 9 }).length)],
        }),
        note: `raw ${kb(code.length)} KB`,
      };
    });
  const results = [
    ...TIMINGS.filter(([, key]) => !s[key].skipped).map(([id, key, what, target]) => {
      const threadFigure = what === 'cpu' || what === 'cpuAfter';
      const r = summarize({
        id,
        figure: `${SERIES[key]}: ${WHAT[what]}`,
        target,
        unit: 'ms',
        samples: s[key][what],
        // A visit whose worker thread was not found has no figure: the series' figure says why.
        error: s[key].error ?? (threadFigure ? s[key].cpuError : undefined),
      });
      return threadFigure && !browserThread ? { ...r, note: NO_PROC } : r;
    }),
    ...sizes,
  ];

  console.log('');
  for (const r of results) console.log(line(r));
  if (ONLY) return results.some((r) => r.error) ? 1 : 0;
  writeResults(results, machine, date);
  await updateMarkdown(results, machine, date);
  console.log(`\nWrote bench/results/latest.json, bench/results/${date}.json and BENCHMARKS.md.`);
  return results.some((r) => r.error) ? 1 : 0;
}

/** The running browser, closed on every way out (also Ctrl-C and the watchdog). */
let open = null;
let quitting = false;
const quit = (code, why) => {
  quitting = true;
  console.error(`\nbench: ${why}`);
  void Promise.resolve(open?.close()).finally(() => process.exit(code));
};
process
  .once('SIGINT', () => quit(130, 'interrupted'))
  .once('SIGTERM', () => quit(143, 'terminated'));
// Every visit has its own timeout; this only stops a browser or driver that hangs outright.
const watchdog = setTimeout(() => quit(2, 'gave up after 20 minutes'), 20 * 60_000).unref();

main().then(
  (code) => {
    clearTimeout(watchdog);
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
