/**
 * Speed and size of the topic engine.
 *
 * - Badges for a 200-card page: compile the built-in taxonomy once, then `matchTopics` on 200 real
 *   papers (title + abstract + categories), with and without 5 learned topics.
 * - Training a learned topic on 1,000 real papers (100 positives, 900 negatives).
 * - Bytes the matcher + taxonomy would add to a bundle (rolldown, minified, gzip -9), and the
 *   serialized size of a learned model.
 *
 *   node bench/topics/speed.mjs
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUILTIN_TOPICS, compileTopics, matchTopics } from '../../lib/topics/index.ts';
import { predictLearned, rng, trainLearnedTopic } from '../../lib/topics/learned.ts';
import { loadPapers } from './data.mjs';

const median = (xs) => {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.floor(a.length / 2)];
};
const pct = (xs, q) => {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.floor(q * a.length))];
};
const round = (x) => Math.round(x * 100) / 100;

/**
 * Times fn `runs` times (in batches of 5) after `warmup` runs, in milliseconds: wall clock
 * (median, min, p95) and this process's CPU time per run (user + system, V8's GC threads
 * included), the lowest batch's. On a shared machine the wall clock includes waiting for a core
 * and every figure is inflated; the minima are the closest to an idle machine.
 */
function time(fn, runs = 30, warmup = 3) {
  for (let i = 0; i < warmup; i++) fn();
  const out = [];
  const cpu = [];
  for (let done = 0; done < runs;) {
    const n = Math.min(5, runs - done);
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      fn();
      out.push(performance.now() - t0);
    }
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / n);
    done += n;
  }
  return {
    median: round(median(out)),
    p95: round(pct(out, 0.95)),
    min: round(Math.min(...out)),
    cpuPerRun: round(Math.min(...cpu)),
    cpuPerRunMedian: round(median(cpu)),
  };
}

function sample(list, n, seed) {
  const r = rng(seed);
  const a = list.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/** Minified + gzipped size of an entry module, bundled with rolldown (already a dependency). */
async function bundleSize(code, name) {
  const { build } = await import('rolldown');
  const dir = mkdtempSync(join(tmpdir(), 'topics-size-'));
  try {
    const entry = join(dir, `${name}.mjs`);
    writeFileSync(entry, code);
    const out = await build({
      input: entry,
      write: false,
      output: { format: 'esm', minify: true },
      logLevel: 'silent',
    });
    const js = out.output[0].code;
    return { raw: js.length, gzip: gzipSync(js, { level: 9 }).length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measure(papers = loadPapers()) {
  const test = papers.filter((p) => p.first_seen >= '2026-01-01');
  const train = papers.filter((p) => p.first_seen < '2026-01-01');
  const page = sample(test, 200, 42).map((p) => ({
    title: p.title,
    abstract: p.abstract,
    categories: p.categories,
  }));

  const compile = time(() => compileTopics(BUILTIN_TOPICS), 20, 2);
  // Cold: the first page after compiling (JIT not warm), as in a fresh service worker.
  const t0 = performance.now();
  const fresh = compileTopics(BUILTIN_TOPICS);
  for (const p of page) matchTopics(p, fresh);
  const cold = round(performance.now() - t0);
  const compiled = compileTopics(BUILTIN_TOPICS);
  const builtin = time(() => {
    for (const p of page) matchTopics(p, compiled);
  });

  // Five learned topics (arXiv categories as stand-in tags), 100 positives + 900 negatives each.
  const tags = ['cs.RO', 'cs.IR', 'cs.GR', 'eess.IV', 'cs.CR'];
  const learned = tags.map((tag, i) => {
    const pos = sample(
      train.filter((p) => p.categories.includes(tag)),
      100,
      i + 1,
    );
    const neg = sample(
      train.filter((p) => !p.categories.includes(tag)),
      900,
      i + 11,
    );
    return { id: `tag:${tag}`, name: tag, model: trainLearnedTopic(pos, neg), pos, neg };
  });
  const withLearned = time(() => {
    for (const p of page) matchTopics(p, compiled, { learned });
  });
  const predictOnly = time(() => {
    for (const p of page) for (const t of learned) predictLearned(t.model, p);
  });
  const train1000 = time(() => trainLearnedTopic(learned[0].pos, learned[0].neg), 5, 1);
  const train5 = time(() => trainLearnedTopic(learned[0].pos.slice(0, 5), learned[0].neg), 5, 1);
  const modelJson = JSON.stringify(learned[0].model);

  const lib = resolve('lib/topics');
  const full = await bundleSize(
    `import { matchTopics, compileTopics, BUILTIN_TOPICS } from ${JSON.stringify(`${lib}/index.ts`)};\n` +
      `globalThis.m = (p) => matchTopics(p, compileTopics(BUILTIN_TOPICS));\n`,
    'full',
  );
  // What a content script would need: the matcher and the taxonomy without descriptions.
  const slim = BUILTIN_TOPICS.map(({ description: _d, ...t }) => t);
  const slimJson = JSON.stringify(slim);
  const matcherOnly = await bundleSize(
    `import { matchTopics, compileTopics } from ${JSON.stringify(`${lib}/match.ts`)};\n` +
      `const T = ${slimJson};\nglobalThis.m = (p) => matchTopics(p, compileTopics(T));\n`,
    'slim',
  );
  const taxonomyFile = readFileSync(`${lib}/taxonomy.json`);

  return {
    loadAverage: os.loadavg().map((x) => round(x)),
    cores: os.cpus().length,
    pageCards: page.length,
    compileMs: compile,
    coldFirstPageMs: cold,
    builtinPageMs: builtin,
    builtinPlus5LearnedPageMs: withLearned,
    learnedPredict5x200Ms: predictOnly,
    trainLearned1000Ms: train1000,
    trainLearned5pos900negMs: train5,
    learnedModelJsonBytes: modelJson.length,
    learnedModelJsonGzipBytes: gzipSync(modelJson, { level: 9 }).length,
    bundle: {
      matcherLearnedAndFullTaxonomy: full,
      matcherAndSlimTaxonomy: matcherOnly,
      taxonomyJson: { raw: taxonomyFile.length, gzip: gzipSync(taxonomyFile, { level: 9 }).length },
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measure(), null, 1));
}
