/**
 * Node harness for the BibTeX import of the browser bench (bench/exchange.mjs): the same export of
 * the first N papers of arxiv-daily-ml, read by parseImport ("parse") and planned + written into an
 * empty fake-indexeddb library by runImport ("commit", dry run = "plan"). Prints medians of `runs`
 * runs (CPU time of the process; WALL=1 for wall time) and the load average. PARSE_ONLY=1 times the parse alone (for `node --cpu-prof`).
 *
 *   node --expose-gc bench/exchange-node/run.mjs [runs=10] [papers=10000]
 *   OLD_ROOT=/tmp/old node bench/exchange-node/run.mjs   # and another checkout's lib/, runs alternating
 */
import os from 'node:os';
import { resolve } from 'node:path';
import { rolldown } from 'rolldown';
import { savedPapers } from '../exchange-data.mjs';

const runs = Number(process.argv[2] ?? 10) || 10;
const N = Number(process.argv[3] ?? 10_000) || 10_000;
const roots = [resolve(process.env.LIB_ROOT ?? '.')];
if (process.env.OLD_ROOT) roots.push(resolve(process.env.OLD_ROOT));

/** lib/ of `root` bundled for Node (rolldown, which the build uses), imported. */
async function load(root) {
  const out = resolve(
    `bench/.tmp/exchange-node-${Buffer.from(root).toString('hex').slice(-16)}.mjs`,
  );
  const bundle = await rolldown({
    input: `${root}/bench/exchange-node/entry.ts`,
    platform: 'node',
    logLevel: 'silent',
    cwd: resolve('.'),
  });
  await bundle.write({ file: out, format: 'esm', codeSplitting: false });
  return import(out);
}
const libs = await Promise.all(roots.map(load));
const m = libs[0];

const ps = savedPapers(N);
const text = m.formatBibtex(ps, m.assignCitationKeys(ps));
const NOW = 1_800_000_000_000;
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const staged = (parsed) => {
  const schema = m.schemaFor('papers');
  return parsed.tables.get('papers').map((r, i) => {
    const raw = { ...r };
    const where = raw.$where;
    delete raw.$where;
    return { row: schema.parse(raw), where, n: i };
  });
};
let dbn = 0;
// CPU time of this process (ms): on a shared machine wall time includes waiting for a core.
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const clock = process.env.WALL ? () => performance.now() : cpuNow;
/** One import's times (ms, CPU unless WALL=1) with library `lib`. */
async function once(lib) {
  const performance = { now: clock };
  // With --expose-gc, each run starts from a collected heap (less noise from the other's garbage).
  globalThis.gc?.();
  const t0 = performance.now();
  const parsed = await lib.parseImport(text, 'export.bib', { now: NOW });
  const t1 = performance.now();
  if (process.env.PARSE_ONLY) return { parse: t1 - t0 };
  const rows = staged(parsed);
  const db = new lib.PaperScoutDB(`bench-${dbn++}`);
  await db.open();
  const s = () => ({ mode: 'citations', tables: new Map([['papers', rows]]), issues: [] });
  const t2 = performance.now();
  await lib.runImport(db, s(), { dryRun: true, now: NOW });
  const t3 = performance.now();
  await lib.runImport(db, s(), { dryRun: false, now: NOW });
  const t4 = performance.now();
  await db.delete(); // fake-indexeddb keeps a database in memory until deleted
  return { parse: t1 - t0, plan: t3 - t2, commit: t4 - t3 };
}
const times = libs.map(() => ({ parse: [], plan: [], commit: [] }));
const load0 = os.loadavg()[0];
// Runs alternate between the libraries (an A/B comparison sees the same load); one warm-up each.
for (let r = 0; r < runs + 1; r++) {
  for (let k = 0; k < libs.length; k++) {
    const t = await once(libs[k]);
    if (r) for (const [name, ms] of Object.entries(t)) times[k][name].push(ms);
  }
}
const f = (a) => `median ${median(a).toFixed(0)} ms (min ${Math.min(...a).toFixed(0)})`;
console.log(`${N} entries, ${runs} runs, load ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`);
roots.forEach((root, k) => {
  console.log(root);
  for (const [name, v] of Object.entries(times[k]))
    if (v.length) console.log(`  ${name.padEnd(7)} ${f(v)}`);
});
