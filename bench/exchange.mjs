/**
 * Benchmark of export and import with 10,000 real papers (../shared/data/arxiv-daily-ml), measured
 * where the code ships: the built extension's options page in Chromium. Runs alone:
 *
 *   node bench/exchange.mjs
 *
 * Builds its own copy of the extension (bench/.tmp/exchange-output), then per run:
 * - import of a 10,000-paper Paper Scout backup into a fresh profile (an empty library);
 * - export of those 10,000 saved papers in every format;
 * - import of the BibTeX export into another fresh profile (10,000 entries, Citation.js);
 * - import of the same backup again into the full library (every paper compared, none changed).
 * After the first import the worker retrains learned topics and matches the stored papers again;
 * the exports and the re-import start once that is done (`settle`), and its cost is reported.
 *
 * Times are the extension's own user-timing marks (components/ExportImport.tsx): an import is
 * file chosen → preview ready, plus "Import" clicked → written (the time a person looks at the
 * preview is not counted); an export is click → file text ready. Targets: each ≤ 3,000 ms.
 * Writes bench/results/exchange.json. Exit code 1 when something broke (not for a missed target).
 *
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium), BENCH_RUNS (default 3),
 * EXCHANGE_DATA (default ../shared/data/arxiv-daily-ml/papers.jsonl.gz), EXCHANGE_PAPERS (10000),
 * BENCH_OUT (a private folder for the build and the results file, for a quick look while working:
 * BENCH_OUT/chrome-mv3 and BENCH_OUT/exchange.json instead of bench/results/exchange.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { chromiumVersion, launch } from './browser.mjs';
import { DATA, savedPapers } from './exchange-data.mjs';
import { line, summarize } from './report.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const N = Number(process.env.EXCHANGE_PAPERS ?? 10_000);
const OUT_DIR = process.env.BENCH_OUT ?? 'bench/.tmp/exchange-output';
const RESULTS = process.env.BENCH_OUT ? `${OUT_DIR}/exchange.json` : 'bench/results/exchange.json';
const EXTENSION = resolve(`${OUT_DIR}/chrome-mv3`);
const TARGET_MS = 3_000;

/** Builds the extension with the project's config into a private folder. */
async function build() {
  console.log(`Building the extension into ${OUT_DIR} …`);
  const { build: wxtBuild } = await import('wxt');
  const quiet = () => {};
  const logger = {
    level: 1,
    debug: quiet,
    log: quiet,
    info: quiet,
    success: quiet,
    warn: quiet,
    error: console.error,
    fatal: console.error,
  };
  await wxtBuild({ outDir: OUT_DIR, logger });
}

/** A Paper Scout backup of the first N papers of the data set, every one saved. */
function makeBackup() {
  const papers = savedPapers(N);
  const body = papers.map((p) => `      ${JSON.stringify(p)}`).join(',\n');
  return `{"format":"paper-scout-backup","version":1,"exportedAt":"2026-01-01T00:00:00.000Z","app":{"name":"Paper Scout"},"scope":"all","counts":{"papers":${papers.length}},"tables":{"papers":[\n${body}\n]}}\n`;
}

/** The extension's marks (`paper-scout:exchange:…`) on the page. */
const marks = (page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('paper-scout:exchange:'))
      .map((m) => ({ name: m.name.slice('paper-scout:exchange:'.length), t: m.startTime })),
  );
const last = (ms, name) => ms.filter((m) => m.name === name).at(-1)?.t;

async function openOptions(context) {
  const [worker] = context.serviceWorkers();
  const id = new URL(worker.url()).host;
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/options.html#export`);
  await page.locator('section.exchange').waitFor();
  // CPU time of the extension's renderer process (the options page and the background worker run
  // in it): unlike wall time, it does not grow when other programs share the cores.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  page.cpu = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'ProcessTime')?.value ?? NaN) * 1000;
  };
  return page;
}

const TMP = resolve(`${OUT_DIR}/exchange-files`);

/** Imports `text` from the options page; returns the phases (ms) and the counts of the preview. */
async function importFile(page, name, text) {
  await page.evaluate(() => performance.clearMarks());
  // A path, not a buffer: Chromium reads the file itself (a buffer would be copied into the page
  // by Playwright, a long task that is not Paper Scout's).
  mkdirSync(TMP, { recursive: true });
  const path = `${TMP}/${name}`;
  writeFileSync(path, text);
  const cpu0 = await page.cpu();
  await page.locator('input[name="import-file"]').setInputFiles(path);
  const preview = page.locator('[data-report="preview"]');
  await preview.or(page.locator('[data-error="import"]')).waitFor({ timeout: 300_000 });
  if (await page.locator('[data-error="import"]').count())
    throw new Error(await page.locator('[data-error="import"]').innerText());
  const cells = await preview.locator('tr[data-table="papers"] td').allInnerTexts();
  await page.locator('button[data-action="import"]').click();
  await page.locator('[data-report="done"]').waitFor({ timeout: 300_000 });
  const cpu2 = await page.cpu();
  const m = await marks(page);
  const start = last(m, 'import:start');
  const phases = {
    parse: last(m, 'import:parsed') - start,
    stage: last(m, 'import:staged') - last(m, 'import:parsed'),
    preview: last(m, 'import:preview') - last(m, 'import:staged'),
    commit: last(m, 'import:done') - last(m, 'import:commit'),
  };
  const total = last(m, 'import:preview') - start + phases.commit;
  // The preview is clicked at once, so cpu1 → click adds next to nothing.
  return { total, cpu: cpu2 - cpu0, phases, counts: cells.map((c) => Number(c.replace(/,/g, ''))) };
}

/**
 * Waits until the extension's process is idle (under 30 ms of CPU in each of eight straight
 * half-seconds: the retraining starts 2 s after the import, lib/topics/store.ts scheduleLearning;
 * at most 90 s), and returns the CPU it spent meanwhile and how long that took.
 * An import of tagged papers makes the worker retrain the learned topics and match every stored
 * paper again (lib/topics/store.ts learnTopics → refreshTopics, in chunks). Export and re-import
 * measured while that runs would count its CPU as theirs (re-import 1.9 s → 6.0 s wall when it
 * came in, 2ca31dd), so they wait for it, and its cost is a figure of its own.
 */
async function settle(page) {
  const t0 = Date.now();
  const cpu0 = await page.cpu();
  let prev = cpu0;
  let quiet = 0;
  let lastBusy = t0;
  while (quiet < 8 && Date.now() - t0 < 90_000) {
    await new Promise((ok) => setTimeout(ok, 500));
    const c = await page.cpu();
    if (c - prev < 30) quiet++;
    else {
      quiet = 0;
      lastBusy = Date.now();
    }
    prev = c;
  }
  return { cpu: prev - cpu0, ms: lastBusy - t0 };
}

/** Exports in `format` from the options page; returns the time and the downloaded text. */
async function exportFile(page, format) {
  await page.evaluate(() => performance.clearMarks());
  if (format !== 'backup') await page.locator('select[name="format"]').selectOption(format);
  const button = page.locator(
    format === 'backup' ? 'button[data-action="backup"]' : 'button[data-action="export"]',
  );
  await page.waitForFunction(
    (sel) => !document.querySelector(sel)?.disabled,
    format === 'backup' ? 'button[data-action="backup"]' : 'button[data-action="export"]',
  );
  const cpu0 = await page.cpu();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 300_000 }),
    button.click(),
  ]);
  const cpu = (await page.cpu()) - cpu0;
  const text = readFileSync(await download.path(), 'utf8');
  const m = await marks(page);
  return { ms: last(m, 'export:done') - last(m, 'export:start'), cpu, text };
}

async function main() {
  await build();
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium: chromiumVersion(),
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 10) / 10),
  };
  const backup = makeBackup();
  console.log(
    `Data: ${N.toLocaleString('en')} papers from ${DATA} (backup ${(backup.length / 2 ** 20).toFixed(1)} MB)`,
  );
  const FORMATS = ['backup', 'bibtex', 'ris', 'csljson', 'csv', 'markdown'];
  const s = {
    importBackup: [],
    importBibtex: [],
    reimport: [],
    afterImport: [],
    phases: {},
    export: Object.fromEntries(FORMATS.map((f) => [f, []])),
    sizes: {},
    cpu: {},
  };
  const cpu = (k, v) => (s.cpu[k] ??= []).push(Math.round(v));
  const errors = {};
  const phase = (key, p) =>
    Object.entries(p).forEach(([k, v]) => (s.phases[`${key}-${k}`] ??= []).push(v));
  for (let run = 0; run < RUNS; run++) {
    process.stdout.write(`Run ${run + 1}/${RUNS}: `);
    let bib;
    const a = await launch(EXTENSION);
    try {
      const page = await openOptions(a.context);
      const r = await importFile(page, 'paper-scout.backup.json', backup);
      if (r.counts[0] !== N) throw new Error(`backup import added ${r.counts[0]} papers, not ${N}`);
      s.importBackup.push(r.total);
      cpu('import-backup', r.cpu);
      phase('import-backup', r.phases);
      process.stdout.write('import ');
      const after = await settle(page);
      s.afterImport.push(after.ms);
      cpu('after-import-backup', after.cpu);
      process.stdout.write('settled ');
      await page
        .locator('button[data-action="export"]')
        .filter({ hasText: N.toLocaleString('en') })
        .waitFor({ timeout: 120_000 });
      for (const f of FORMATS) {
        const e = await exportFile(page, f);
        s.export[f].push(e.ms);
        cpu(`export-${f}`, e.cpu);
        s.sizes[f] = e.text.length;
        if (f === 'bibtex') bib = e.text;
        process.stdout.write(`${f} `);
      }
      const again = await importFile(page, 'paper-scout.backup.json', backup);
      if (again.counts[2] !== N)
        throw new Error(`re-import: ${again.counts[2]} unchanged, not ${N}`);
      s.reimport.push(again.total);
      cpu('reimport-backup', again.cpu);
      phase('reimport', again.phases);
      process.stdout.write('re-import ');
    } catch (e) {
      errors.a = e.message;
      console.log(`broken: ${e.message}`);
    } finally {
      await a.close();
    }
    if (bib) {
      const b = await launch(EXTENSION);
      try {
        const page = await openOptions(b.context);
        const r = await importFile(page, 'paper-scout.bib', bib);
        if (r.counts[0] !== N)
          throw new Error(`BibTeX import added ${r.counts[0]} papers, not ${N}`);
        s.importBibtex.push(r.total);
        cpu('import-bibtex', r.cpu);
        phase('import-bibtex', r.phases);
        process.stdout.write('bibtex-import');
      } catch (e) {
        errors.b = e.message;
        console.log(`broken: ${e.message}`);
      } finally {
        await b.close();
      }
    }
    console.log('');
  }
  machine.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 10) / 10);
  const n = N.toLocaleString('en');
  const ms = (id, figure, samples, target = TARGET_MS, error) =>
    summarize({ id, figure, target, unit: 'ms', samples, error });
  const results = [
    ms(
      'import-backup-10k',
      `Import of a ${n}-paper backup into an empty library (parse, check, preview, write)`,
      s.importBackup,
      TARGET_MS,
      errors.a,
    ),
    ...FORMATS.map((f) =>
      ms(
        `export-${f}-10k`,
        `Export of ${n} saved papers as ${f}`,
        s.export[f],
        TARGET_MS,
        errors.a,
      ),
    ),
    ms(
      'import-bibtex-10k',
      `Import of the ${n}-entry BibTeX export into an empty library`,
      s.importBibtex,
      TARGET_MS,
      errors.b,
    ),
    ms(
      'reimport-backup-10k',
      `Import of the same backup into the full library (${n} compared, none changed)`,
      s.reimport,
      TARGET_MS,
      errors.a,
    ),
    ms(
      'after-import-backup-10k',
      `After the backup import: the worker's background work (learned topics retrained, every stored paper matched again) until idle, wall`,
      s.afterImport,
      null,
      errors.a,
    ),
    ...Object.entries(s.cpu).map(([k, v]) =>
      ms(
        `cpu-${k}-10k`,
        `CPU time of the extension process (page + worker): ${k}`,
        v,
        // Background work nobody waits for has no target of its own (it is reported).
        k.startsWith('after-') ? null : TARGET_MS,
      ),
    ),
    ...Object.entries(s.phases).map(([k, v]) => ms(`phase-${k}`, `Phase (wall): ${k}`, v, null)),
    ...Object.entries(s.sizes).map(([f, b]) =>
      summarize({
        id: `size-${f}`,
        figure: `Size of the ${f} export`,
        target: null,
        unit: 'KB',
        samples: [Math.round(b / 102.4) / 10],
      }),
    ),
  ];
  console.log('');
  for (const r of results) console.log(line(r));
  mkdirSync(dirname(RESULTS), { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ date, machine, papers: N, data: DATA, runs: RUNS, environment: 'Chromium with the built extension (options page; background worker for checks and writes)', results }, null, 2)}\n`,
  );
  console.log(
    `\nWrote ${RESULTS} (load average ${machine.loadAverageAtStart.join(' ')} at start, ${machine.loadAverageAtEnd.join(' ')} at end, ${machine.cores} cores).`,
  );
  return Object.keys(errors).length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
