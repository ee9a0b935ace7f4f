/**
 * Summaries of the runs, and where they go: bench/results/latest.json, a dated copy, and the
 * table between the markers of BENCHMARKS.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const round = (x) => Math.round(x * 10) / 10;

/**
 * One figure (an optional `note` is shown next to its result). `samples` are the per-run values (ms), or one value (a size); `value` is their median.
 * `error` (a broken page) leaves every number null: a broken harness must not look like a result.
 * @param {{ id: string, figure: string, target: number | null, unit: string, samples?: number[], error?: string }} f
 */
export function summarize({ id, figure, target, unit, samples = [], error }) {
  if (error || !samples.length) {
    return {
      id,
      figure,
      target,
      value: null,
      unit,
      runs: 0,
      median: null,
      p95: null,
      min: null,
      max: null,
      pass: null,
      error: error ?? 'no runs',
    };
  }
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = round(s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2);
  const p95 = round(s[Math.ceil(0.95 * s.length) - 1]); // nearest rank
  return {
    id,
    figure,
    target,
    value: median,
    unit,
    runs: s.length,
    median,
    p95,
    min: round(s[0]),
    max: round(s.at(-1)),
    pass: target === null ? null : median <= target,
  };
}

/** The line `npm run bench` prints for a figure. */
export function line(r) {
  const tag = r.error ? 'ERROR' : r.pass === null ? 'INFO ' : r.pass ? 'PASS ' : 'FAIL ';
  const target = r.target === null ? '' : ` (target ≤ ${r.target} ${r.unit})`;
  const value = r.error
    ? r.error
    : `${r.value} ${r.unit}${r.runs > 1 ? ` median, p95 ${r.p95}, min ${r.min}, max ${r.max}, ${r.runs} runs` : ''}`;
  return `${tag} ${r.id}: ${value}${r.note ? ` (${r.note})` : ''}${target}`;
}

/** Writes bench/results/latest.json and bench/results/<date>.json. */
export function writeResults(results, machine, date) {
  mkdirSync('bench/results', { recursive: true });
  const json = `${JSON.stringify({ date, machine, results }, null, 2)}\n`;
  writeFileSync('bench/results/latest.json', json);
  writeFileSync(`bench/results/${date}.json`, json);
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** The Markdown table of the results (figure, target, result, pass), with machine and date. */
function table(results, machine, date) {
  const cell = (s) => String(s).replaceAll('|', '\\|');
  const rows = results.map((r) => {
    const target = r.target === null ? '—' : `≤ ${r.target} ${r.unit}`;
    const result = r.error
      ? `**error:** ${r.error}`
      : r.runs > 1
        ? `${r.median} ${r.unit} (p95 ${r.p95}, min ${r.min}, max ${r.max}; ${r.runs} runs${r.note ? `; ${r.note}` : ''})`
        : `${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`;
    const pass = r.error ? 'error' : r.pass === null ? '—' : r.pass ? 'pass' : '**FAIL**';
    return `| ${cell(r.figure)} | ${target} | ${cell(result)} | ${pass} |`;
  });
  return [
    `Measured ${date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), ` +
      `${machine.os}, Node ${machine.node}, Chromium ${machine.chromium}; ` +
      `load average ${machine.loadBefore} before, ${machine.loadAfter} after.`,
    '',
    '| Figure | Target | Result (median) | Pass |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Replaces the table between the markers of BENCHMARKS.md (adds the markers if missing). */
export async function updateMarkdown(results, machine, date, file = 'BENCHMARKS.md') {
  let md = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  if (!md.includes(START) || !md.includes(END)) md = `${md.trimEnd()}\n\n${START}\n${END}\n`;
  const head = md.slice(0, md.indexOf(START) + START.length);
  const tail = md.slice(md.indexOf(END));
  md = `${head}\n\n${table(results, machine, date)}\n\n${tail}`;
  // `npm run lint` checks Markdown with Prettier: write the table the way Prettier would.
  try {
    const prettier = await import('prettier');
    md = await prettier.format(md, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    // Prettier missing: the unaligned table is still valid Markdown.
  }
  writeFileSync(file, md);
}
