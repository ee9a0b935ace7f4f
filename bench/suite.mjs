/**
 * `npm run bench`: every benchmark of the project, one after the other (they share two cores, so
 * never in parallel), then one summary table in BENCHMARKS.md (between `<!-- suite:start -->` and
 * `<!-- suite:end -->`): area, figure, target, result, pass, date of the run.
 *
 * Each part writes its own machine-readable results under bench/results/ and can run alone:
 *
 * | part        | script                     | writes                                           |
 * | ----------- | -------------------------- | ------------------------------------------------ |
 * | pages       | bench/run.mjs              | latest.json, <date>.json, BENCHMARKS.md §pages   |
 * | rules       | bench/rules.mjs            | rules.json                                       |
 * | readinglist | bench/readinglist.mjs      | readinglist.json                                 |
 * | exchange    | bench/exchange.mjs         | exchange.json                                    |
 * | topics      | bench/topics/run.mjs       | topics.json, topics.md                           |
 * | related     | bench/related/run.mjs      | related.json, related.md                         |
 *
 * `npm run bench -- --only pages,rules` runs some parts; the summary is always made from every
 * results file (each row names the date its figure was measured).
 *
 * Exit code: 1 when a part broke (its script failed), 0 otherwise, also when a target is missed
 * (a missed target is a result, printed as FAIL).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** The parts, in the order they run: cheap and independent first. */
export const PARTS = [
  { id: 'pages', args: ['bench/run.mjs'] },
  { id: 'rules', args: ['bench/rules.mjs'] },
  { id: 'topics', args: ['bench/topics/run.mjs'] },
  { id: 'readinglist', args: ['bench/readinglist.mjs'] },
  { id: 'exchange', args: ['bench/exchange.mjs'] },
  { id: 'related', args: ['--expose-gc', 'bench/related/run.mjs'] },
];

const read = (file) => {
  const path = `bench/results/${file}`;
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
};
const day = (d) => (typeof d === 'string' ? d.slice(0, 10) : '—');
const r3 = (x) => Math.round(x * 1000) / 1000;
const r1 = (x) => Math.round(x * 10) / 10;

/**
 * A summary row. `better` says which way the target points: 'lower' (a time, a size) or 'higher'
 * (a quality score). `pass` is null when the figure has no target.
 */
function row(area, date, { figure, target = null, better = 'lower', value, unit, note }) {
  const ok = value !== null && value !== undefined && Number.isFinite(value);
  const pass =
    target === null || !ok ? null : better === 'lower' ? value <= target : value >= target;
  return { area, date, figure, target, better, value: ok ? value : null, unit, note, pass };
}

/** Per part: its rows, read from its results file (a missing file gives one row saying so). */
const EXTRACT = {
  pages() {
    const j = read('latest.json');
    if (!j) return null;
    return j.results.map((r) =>
      row('Content script & worker', j.date, {
        figure: r.figure,
        target: r.target,
        value: r.value,
        unit: r.unit,
        note: r.runs > 1 ? `median of ${r.runs}, p95 ${r.p95}` : r.note,
      }),
    );
  },
  rules() {
    const j = read('rules.json');
    if (!j) return null;
    return [
      row('Watch rules', j.date, {
        figure: j.figure,
        target: j.target,
        value: j.value ?? j.median,
        unit: j.unit,
        note: `median of ${j.runs}, p95 ${j.p95}`,
      }),
    ];
  },
  readinglist() {
    const j = read('readinglist.json');
    if (!j) return null;
    return j.figures.map((r) =>
      row('Reading list', j.date, {
        figure: r.figure,
        target: r.target,
        value: r.value,
        unit: r.unit,
        note: r.runs > 1 ? `median of ${r.runs}, p95 ${r.p95}` : undefined,
      }),
    );
  },
  exchange() {
    const j = read('exchange.json');
    if (!j) return null;
    // Every figure with a target (export and import per format); the rest stay in the JSON.
    return j.results
      .filter((r) => r.target !== null && r.target !== undefined)
      .map((r) =>
        row('Export & import', j.date, {
          figure: r.figure,
          target: r.target,
          value: r.value,
          unit: r.unit,
          note: r.runs > 1 ? `median of ${r.runs}` : undefined,
        }),
      );
  },
  topics() {
    const j = read('topics.json');
    if (!j) return null;
    const out = [];
    const tax = j.taxonomy?.test;
    if (tax) {
      out.push(
        row('Topic badges', j.date, {
          figure: `Built-in taxonomy: precision of the badges shown (${tax.papers} labeled test papers)`,
          target: 0.85,
          better: 'higher',
          value: r3(tax.precision),
          unit: '',
          note: `recall ${r3(tax.recall)}`,
        }),
      );
    }
    for (const r of j.learned?.rows ?? []) {
      const lr = r.logreg?.macroF1?.mean;
      const base = Math.max(r.centroid?.macroF1?.mean ?? 0, r.majority?.macroF1?.mean ?? 0);
      if (lr === undefined) continue;
      out.push(
        row('Topic badges', j.date, {
          figure: `Learned topics, arXiv time split (10 classes), ${r.perClass} per class: macro-F1`,
          better: 'higher',
          value: r3(lr),
          unit: '',
          note: `× ${Math.round((lr / base) * 100) / 100} of the best baseline in the same run (TF-IDF centroid or majority class, ${r3(base)}); accuracy ${r3(r.logreg.accuracy.mean)}`,
        }),
      );
    }
    const s = j.speed;
    if (s?.builtinPageMs) {
      out.push(
        row('Topic badges', j.date, {
          figure: `Badges for a ${s.pageCards}-card page (CPU per run)`,
          target: 30,
          value: r1(s.builtinPageMs.cpuPerRunMedian ?? s.builtinPageMs.median),
          unit: 'ms',
        }),
      );
    }
    if (s?.trainLearned1000Ms) {
      out.push(
        row('Topic badges', j.date, {
          figure: 'Training a learned topic on 1,000 papers (CPU)',
          target: 1000,
          value: r1(s.trainLearned1000Ms.cpuPerRunMedian ?? s.trainLearned1000Ms.median),
          unit: 'ms',
        }),
      );
    }
    return out;
  },
  related() {
    const j = read('related.json');
    if (!j) return null;
    const out = [];
    const m = j.arxiv?.methods ?? {};
    const same = (k) => m[k]?.micro?.['same@10'];
    const ours = same('ours');
    const rivals = Object.entries(m)
      .filter(([k]) => /asl|svm|unigram/i.test(k))
      .map(([k, v]) => [v.label ?? k, v.micro?.['same@10']])
      .filter(([, v]) => typeof v === 'number');
    if (typeof ours === 'number') {
      out.push(
        row('Related papers', j.date, {
          figure: 'arXiv proxy: P@10 same primary category (74,728 papers)',
          target: 0.72,
          better: 'higher',
          value: r3(ours),
          unit: '',
          note: rivals.map(([k, v]) => `× ${r3(ours / v)} of ${k} ${r3(v)}`).join('; '),
        }),
      );
    }
    const c = j.csfcube?.methods ?? {};
    const map = (k) => c[k]?.all?.map;
    const oursMap = map('oursTuned') ?? map('ours');
    const cRivals = Object.entries(c)
      .filter(([k]) => /asl|svm|unigram/i.test(k))
      .map(([k, v]) => [v.label ?? k, v.all?.map])
      .filter(([, v]) => typeof v === 'number');
    if (typeof oursMap === 'number') {
      out.push(
        row('Related papers', j.date, {
          figure: 'CSFCube expert grades: MAP, 2-fold protocol',
          target: 0.38,
          better: 'higher',
          value: r3(oursMap),
          unit: '',
          note: cRivals.map(([k, v]) => `× ${r3(oursMap / v)} of ${k} ${r3(v)}`).join('; '),
        }),
      );
    }
    const sp = j.speed ?? {};
    const p95 = (x) => x?.wallMs?.p95 ?? x?.cpuMs?.p95;
    if (sp.paperQuery) {
      out.push(
        row('Related papers', j.date, {
          figure: 'Top-10 for a paper, p95',
          target: 50,
          value: r1(p95(sp.paperQuery)),
          unit: 'ms',
        }),
      );
    }
    const tag = sp.tagQuery?.top2 ?? sp.tagQuery?.centroid;
    if (tag) {
      out.push(
        row('Related papers', j.date, {
          figure: 'Top-10 for a tag of 5 papers, p95',
          target: 50,
          value: r1(p95(tag)),
          unit: 'ms',
        }),
      );
    }
    if (sp.ingest) {
      out.push(
        row('Related papers', j.date, {
          figure: `Adding a 50-card page to the index (${sp.ingest.indexSize ?? '?'} papers), p95`,
          target: 20,
          value: r1(p95(sp.ingest)),
          unit: 'ms',
        }),
      );
    }
    if (sp.build) {
      out.push(
        row('Related papers', j.date, {
          figure: `Index build from scratch, ${sp.build.papers} papers`,
          target: 20,
          value: r1(sp.build.totalWallMs / 1000),
          unit: 's',
          note: `CPU ${r1(sp.build.totalCpuMs / 1000)} s`,
        }),
      );
    }
    if (sp.memory) {
      out.push(
        row('Related papers', j.date, {
          figure: 'Index memory after the build (JS heap + typed arrays)',
          value: r1((sp.memory.heapUsedMB ?? 0) + (sp.memory.arrayBuffersMB ?? 0)),
          unit: 'MB',
        }),
      );
    }
    if (sp.stored) {
      out.push(
        row('Related papers', j.date, {
          // The steady state is one snapshot + the meta row (the per-paper rows only hold what
          // changed since the last snapshot); older results have rows only.
          figure: 'Index stored in IndexedDB (structured clone: snapshot + meta)',
          value: r1(
            (sp.stored.snapshotStructuredCloneMB ?? sp.stored.rowsStructuredCloneMB ?? 0) +
              (sp.stored.metaStructuredCloneMB ?? 0),
          ),
          unit: 'MB',
        }),
      );
    }
    return out;
  },
};

const fmt = (v, unit) => (v === null ? '—' : `${v}${unit ? ` ${unit}` : ''}`);
const esc = (s) => String(s ?? '').replaceAll('|', '\\|');

/** The summary table (Markdown) from every results file. */
export function summaryTable() {
  const rows = [];
  const missing = [];
  for (const part of PARTS) {
    const r = EXTRACT[part.id]();
    if (r === null) missing.push(part.id);
    else rows.push(...r);
  }
  const lines = [
    '| Area | Figure | Target | Result | Pass | Measured | Note |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${esc(r.area)} | ${esc(r.figure)} | ${r.target === null ? '—' : `${r.better === 'lower' ? '≤' : '≥'} ${fmt(r.target, r.unit)}`} | ${fmt(r.value, r.unit)} | ${r.pass === null ? '—' : r.pass ? 'pass' : '**FAIL**'} | ${day(r.date)} | ${esc(r.note)} |`,
    ),
  ];
  if (missing.length) lines.push('', `No results yet for: ${missing.join(', ')}.`);
  return { rows, markdown: lines.join('\n') };
}

/** Writes the summary between the suite markers of BENCHMARKS.md, formatted as Prettier would. */
async function writeSummary(markdown, machine) {
  const file = 'BENCHMARKS.md';
  const text = readFileSync(file, 'utf8');
  const start = '<!-- suite:start -->';
  const end = '<!-- suite:end -->';
  const block = `${start}\n\n${machine}\n\n${markdown}\n\n${end}`;
  const i = text.indexOf(start);
  const k = text.indexOf(end);
  let next =
    i >= 0 && k > i
      ? `${text.slice(0, i)}${block}${text.slice(k + end.length)}`
      : `${text}\n${block}\n`;
  // `npm run lint` checks Markdown with Prettier.
  try {
    const prettier = await import('prettier');
    next = await prettier.format(next, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    // Prettier missing: the unaligned table is still valid Markdown.
  }
  writeFileSync(file, next);
}

async function main() {
  const argv = process.argv.slice(2);
  const onlyArg = argv.find((a) => a.startsWith('--only'));
  const only = (onlyArg?.includes('=') ? onlyArg.split('=')[1] : argv[argv.indexOf('--only') + 1])
    ?.split(',')
    .filter(Boolean);
  const summaryOnly = argv.includes('--summary');
  const broken = [];
  const timings = [];
  for (const part of PARTS) {
    if (summaryOnly || (only && !only.includes(part.id))) continue;
    console.log(`\n=== bench: ${part.id} (node ${part.args.join(' ')}) ===\n`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, part.args, { stdio: 'inherit' });
    timings.push(`${part.id} ${Math.round((Date.now() - t0) / 1000)} s`);
    if (r.status !== 0) broken.push(`${part.id} (exit ${r.status ?? r.signal})`);
  }
  const machine = `Summary of every benchmark (\`npm run bench\`), made ${new Date().toISOString().slice(0, 10)} on ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB), Node ${process.version}; each row's date says when its figure was measured. Details per part below and in bench/results/.`;
  const { rows, markdown } = summaryTable();
  await writeSummary(markdown, machine);
  console.log('\n=== bench: summary ===\n');
  for (const r of rows) {
    const tag = r.pass === null ? 'INFO ' : r.pass ? 'PASS ' : 'FAIL ';
    console.log(
      `${tag} [${r.area}] ${r.figure}: ${fmt(r.value, r.unit)}${r.target === null ? '' : ` (target ${r.better === 'lower' ? '≤' : '≥'} ${fmt(r.target, r.unit)})`}`,
    );
  }
  if (timings.length) console.log(`\nRan: ${timings.join(', ')}.`);
  console.log('Wrote the summary table of BENCHMARKS.md.');
  if (broken.length) {
    console.error(`Broken: ${broken.join(', ')}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
