/**
 * Reading-list benchmark: 10,000 saved papers (the first 10,000 of
 * ../shared/data/arxiv-daily-ml/papers.jsonl.gz), the built extension in Chromium, and what a
 * person waits for:
 *
 * - popup open → first rows painted (target ≤ 200 ms): a fresh popup page, from its navigation
 *   start to the `paper-scout:list-painted` mark (set after the frame with the first rows);
 * - one search keystroke (target ≤ 30 ms): a real key press in the search box, from the input
 *   event to its results painted (`paper-scout:search` measure), once the index is built; every
 *   keystroke of several queries;
 * - saving a note (target ≤ 20 ms): a key typed in the popup's note editor, from the autosave
 *   firing (after its 400 ms debounce, which is not counted) to the background's reply
 *   (`paper-scout:note-save` measure);
 * - for information: popup open → every row loaded, and → every row indexed for search.
 *
 * Setup only (not measured) writes the 10,000 records straight into IndexedDB from the popup page.
 *
 * Run alone: `node bench/readinglist.mjs` (builds into bench/.tmp/readinglist, writes
 * bench/results/readinglist.json). From another script: `import { benchReadingList } from
 * './readinglist.mjs'` and `await benchReadingList({ runs })` → the figures (same shape as
 * bench/report.mjs `summarize`). Environment: CHROMIUM_PATH, BENCH_RUNS (default 15).
 */
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DATA = resolve('../shared/data/arxiv-daily-ml/papers.jsonl.gz');
const DATA_FALLBACK = '/work/shared/data/arxiv-daily-ml/papers.jsonl.gz';
const OUT_DIR = resolve('bench/.tmp/readinglist');
const EXTENSION = join(OUT_DIR, 'chrome-mv3');
const RESULTS = resolve('bench/results/readinglist.json');
const PAPERS = 10_000;
const QUERIES = ['diffusion', 'graph neural', 'reinforcement learning', 'zhang', 'llm agents'];

const round = (x) => Math.round(x * 10) / 10;

/** One figure, shaped as bench/report.mjs `summarize` makes them. */
function summarize({ id, figure, target, unit = 'ms', samples }) {
  const s = [...samples].sort((a, b) => a - b);
  if (!s.length)
    return { id, figure, target, unit, value: null, runs: 0, pass: null, error: 'no runs' };
  const mid = s.length >> 1;
  const median = round(s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2);
  return {
    id,
    figure,
    target,
    value: median,
    unit,
    runs: s.length,
    median,
    p95: round(s[Math.ceil(0.95 * s.length) - 1]),
    min: round(s[0]),
    max: round(s.at(-1)),
    pass: target === null ? null : median <= target,
  };
}

/** Builds the extension with the project's config into a private folder. */
async function build() {
  const { build: wxtBuild } = await import('wxt');
  await wxtBuild({ outDir: OUT_DIR });
}

/** The first `n` papers of the data set, as stored records (saved, newest first by file order). */
async function readPapers(n) {
  let file = DATA;
  try {
    execFileSync('test', ['-r', file]);
  } catch {
    file = DATA_FALLBACK;
  }
  const rl = readline.createInterface({ input: createReadStream(file).pipe(createGunzip()) });
  const out = [];
  const now = Date.now();
  for await (const line of rl) {
    if (!line.trim()) continue;
    const p = JSON.parse(line);
    const i = out.length;
    out.push({
      id: `arxiv:${p.id}`,
      aliases: [],
      titleKey: String(p.title).toLowerCase(),
      title: p.title,
      abstract: p.abstract,
      authors: p.authors ?? [],
      categories: p.categories,
      arxivId: p.id,
      date: p.first_seen,
      urls: { arxiv: `https://arxiv.org/abs/${p.id}` },
      savedFrom: 'arxiv',
      savedAt: now - i * 60_000,
      state: ['inbox', 'to-read', 'reading', 'done'][i % 4],
      tags: i % 7 === 0 ? ['later'] : undefined,
      note: i % 10 === 0 ? `Note ${i}: compare with the baseline in table ${i % 9}` : undefined,
      firstSeenAt: now - i * 60_000,
      lastSeenAt: now - i * 60_000,
      updatedAt: now - i * 60_000,
    });
    if (out.length >= n) break;
  }
  rl.close();
  for (const r of out) for (const k of Object.keys(r)) if (r[k] === undefined) delete r[k];
  return out;
}

async function launch() {
  const profile = mkdtempSync(join(os.tmpdir(), 'paper-scout-rl-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
      '--no-sandbox',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker');
  const id = new URL(worker.url()).host;
  return {
    context,
    popupUrl: `chrome-extension://${id}/popup.html`,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Writes the records into the extension's database (setup; the popup created its schema). */
async function load(context, popupUrl, records) {
  const page = await context.newPage();
  await page.goto(popupUrl);
  await page.locator('[data-empty="saved"]').waitFor({ timeout: 30_000 });
  for (let i = 0; i < records.length; i += 2_000) {
    await page.evaluate(
      (chunk) =>
        new Promise((res, rej) => {
          const open = indexedDB.open('paper-scout');
          open.onerror = () => rej(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('papers', 'readwrite');
            for (const r of chunk) tx.objectStore('papers').put(r);
            tx.oncomplete = () => {
              open.result.close();
              res(null);
            };
            tx.onerror = () => rej(tx.error);
          };
        }),
      records.slice(i, i + 2_000),
    );
  }
  await page.close();
}

const entry = (page, name) =>
  page.evaluate(
    (name) => performance.getEntriesByName(name).map((e) => ({ t: e.startTime, d: e.duration })),
    name,
  );

async function waitEntries(page, name, n, timeout = 60_000) {
  await page.waitForFunction(
    ([name, n]) => performance.getEntriesByName(name).length >= n,
    [name, n],
    {
      timeout,
      polling: 20,
    },
  );
}

/** Opens the popup: ms to first rows painted, to every row loaded, to every row indexed. */
async function openOnce(context, popupUrl, waitSaved = false) {
  const page = await context.newPage();
  try {
    await page.goto(popupUrl, { waitUntil: 'commit' });
    await waitEntries(page, 'paper-scout:list-painted', 1);
    await waitEntries(page, 'paper-scout:list-loaded', 1);
    await waitEntries(page, 'paper-scout:list-indexed', 1, 120_000);
    if (waitSaved) await waitEntries(page, 'paper-scout:index-saved', 1, 120_000);
    if (process.env.BENCH_DEBUG) {
      const all = await page.evaluate(() =>
        performance
          .getEntries()
          .filter((e) => e.entryType !== 'resource' || e.name.includes('.js'))
          .map(
            (e) =>
              `${e.entryType} ${e.name.split('/').pop()} @${Math.round(e.startTime)} +${Math.round(e.duration)}`,
          ),
      );
      console.log(all.join('\n'));
    }
    const [painted] = await entry(page, 'paper-scout:list-painted');
    const [loaded] = await entry(page, 'paper-scout:list-loaded');
    const [indexed] = await entry(page, 'paper-scout:list-indexed');
    const rows = await page.locator('[data-list="saved"] [data-paper-id]').count();
    if (!rows) throw new Error('the popup shows no rows');
    return { painted: painted.t, loaded: loaded.t, indexed: indexed.t };
  } finally {
    await page.close();
  }
}

/** Types the queries key by key; ms from each key's input event to its results painted. */
async function keystrokes(context, popupUrl) {
  const page = await context.newPage();
  const samples = [];
  try {
    await page.goto(popupUrl);
    await waitEntries(page, 'paper-scout:list-indexed', 1, 120_000);
    const search = page.locator('input[type="search"]').first();
    let n = 0;
    for (const q of QUERIES) {
      // Clearing the box is a search too (for ''): its measure must land before the measures are
      // cleared, or it would count as the query's first keystroke (and push out its last one).
      const cleared = (await entry(page, 'paper-scout:search')).length + 1;
      const typed = await search.inputValue();
      await search.fill('');
      if (typed) await waitEntries(page, 'paper-scout:search', cleared);
      await search.focus();
      await page.evaluate(() => performance.clearMeasures('paper-scout:search'));
      n = 0;
      for (const ch of q) {
        await page.keyboard.press(ch === ' ' ? 'Space' : ch);
        await waitEntries(page, 'paper-scout:search', ++n);
      }
      const list = await entry(page, 'paper-scout:search');
      list.forEach((e, i) => samples.push({ typed: q.slice(0, i + 1), ms: round(e.d) }));
    }
    return samples;
  } finally {
    await page.close();
  }
}

/** Types into the popup's note editor; ms from each autosave to the background's reply. */
async function noteSaves(context, popupUrl, runs) {
  const page = await context.newPage();
  try {
    await page.goto(popupUrl);
    await waitEntries(page, 'paper-scout:list-loaded', 1);
    await page.locator('[data-list="saved"] [data-index="0"]').waitFor();
    await page.keyboard.press('e');
    const editor = page.locator('.rl-editor textarea');
    await editor.waitFor();
    await page.waitForFunction(() => !document.querySelector('.rl-editor textarea')?.disabled);
    await editor.focus();
    for (let i = 1; i <= runs + 1; i++) {
      await page.keyboard.type(i % 5 ? 'x' : ' ');
      await waitEntries(page, 'paper-scout:note-save', i);
    }
    return (await entry(page, 'paper-scout:note-save')).slice(1).map((e) => e.d);
  } finally {
    await page.close();
  }
}

/** Every keystroke of the last run, with what the search box held (for the results file). */
let lastKeystrokes = [];

/** Runs the benchmark on a built extension; returns its figures. */
export async function benchReadingList({
  runs = Number(process.env.BENCH_RUNS ?? 15),
  skipBuild = false,
} = {}) {
  if (!skipBuild) await build();
  const records = await readPapers(PAPERS);
  const b = await launch();
  try {
    await load(b.context, b.popupUrl, records);
    // Warm-up: the first open compiles, fills caches, and builds and saves the search index.
    await openOnce(b.context, b.popupUrl, true);
    const opens = [];
    for (let i = 0; i < runs; i++) opens.push(await openOnce(b.context, b.popupUrl));
    const typed = await keystrokes(b.context, b.popupUrl);
    const keys = typed.map((k) => k.ms);
    lastKeystrokes = typed;
    const notes = await noteSaves(b.context, b.popupUrl, Math.max(runs, 10));
    const n = records.length.toLocaleString('en');
    return [
      summarize({
        id: 'rl-open',
        figure: `Popup open → first rows painted, ${n} saved papers`,
        target: 200,
        samples: opens.map((o) => o.painted),
      }),
      summarize({
        id: 'rl-keystroke',
        figure: `Search keystroke → results painted, ${n} papers (${keys.length} keys)`,
        target: 30,
        samples: keys,
      }),
      summarize({
        id: 'rl-note',
        figure: 'Saving a note (autosave → stored, after the debounce)',
        target: 20,
        samples: notes,
      }),
      summarize({
        id: 'rl-loaded',
        figure: `Popup open → all ${n} rows loaded (worker)`,
        target: null,
        samples: opens.map((o) => o.loaded),
      }),
      summarize({
        id: 'rl-indexed',
        figure: `Popup open → all ${n} papers indexed for search (worker)`,
        target: null,
        samples: opens.map((o) => o.indexed),
      }),
    ];
  } finally {
    await b.close();
  }
}

async function main() {
  const figures = await benchReadingList();
  for (const f of figures) {
    const tag = f.pass === null ? 'INFO ' : f.pass ? 'PASS ' : 'FAIL ';
    const target = f.target === null ? '' : ` (target ≤ ${f.target} ms)`;
    console.log(
      `${tag} ${f.figure}: median ${f.median} ms, p95 ${f.p95}, min ${f.min}, max ${f.max}, ${f.runs} runs${target}`,
    );
  }
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    /** Load averages (1, 5, 15 min) when the run ended: other work on the machine skews it. */
    load: os.loadavg().map((x) => round(x)),
  };
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ date: new Date().toISOString(), machine, figures, keystrokes: lastKeystrokes }, null, 2)}\n`,
  );
  console.log(`Wrote ${RESULTS}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
