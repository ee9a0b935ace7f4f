/**
 * Built-in taxonomy vs hand labels (tests/fixtures/topics/labeled-*.json).
 *
 *   node bench/topics/taxonomy-eval.mjs [test|dev] [--errors] [--json]
 *
 * Shown badges = matchTopics(paper, BUILTIN_TOPICS) (top 3 above threshold). Reports micro
 * precision/recall of shown badges, per-topic precision/recall with support, and (--errors) every
 * false positive and false negative with the matcher's reasons.
 */
import { readFileSync } from 'node:fs';
import { BUILTIN_TOPICS, compileTopics, matchTopics, scoreTopics } from '../../lib/topics/index.ts';

/** Loads a labelled set. */
export function loadLabeled(split) {
  const path = new URL(`../../tests/fixtures/topics/labeled-${split}-papers.json`, import.meta.url);
  return JSON.parse(readFileSync(path, 'utf8')).papers;
}

/** Evaluates shown badges (limit 3) and all above-threshold topics against labels. */
export function evaluateTaxonomy(papers, opts = {}) {
  const compiled = compileTopics(BUILTIN_TOPICS);
  const per = new Map(BUILTIN_TOPICS.map((t) => [t.id, { tp: 0, fp: 0, fn: 0, support: 0 }]));
  let tp = 0;
  let fp = 0;
  let tpAll = 0;
  let fpAll = 0;
  let papersWithBadge = 0;
  const errors = [];
  for (const p of papers) {
    const paper = { title: p.title, abstract: p.abstract, categories: p.categories };
    const shown = matchTopics(paper, compiled, opts);
    const all = scoreTopics(paper, compiled, opts);
    const truth = new Set(p.topics);
    if (shown.length) papersWithBadge++;
    for (const t of truth) per.get(t).support++;
    for (const m of shown) {
      if (truth.has(m.id)) {
        tp++;
        per.get(m.id).tp++;
      } else {
        fp++;
        per.get(m.id).fp++;
        errors.push({
          kind: 'FP',
          id: p.id,
          topic: m.id,
          score: m.score,
          why: m.why,
          title: p.title,
        });
      }
    }
    for (const m of all) {
      if (truth.has(m.id)) tpAll++;
      else fpAll++;
    }
    const shownIds = new Set(shown.map((m) => m.id));
    for (const t of truth) {
      if (shownIds.has(t)) continue;
      per.get(t).fn++;
      const s = all.find((m) => m.id === t);
      errors.push({
        kind: s ? 'FN(cut)' : 'FN',
        id: p.id,
        topic: t,
        score: s?.score ?? 0,
        why: s?.why ?? [],
        title: p.title,
      });
    }
  }
  const labels = papers.reduce((n, p) => n + p.topics.length, 0);
  return {
    papers: papers.length,
    labels,
    badges: tp + fp,
    papersWithBadge,
    precision: tp / Math.max(1, tp + fp),
    recall: tp / Math.max(1, labels),
    aboveThreshold: {
      badges: tpAll + fpAll,
      precision: tpAll / Math.max(1, tpAll + fpAll),
      recall: tpAll / Math.max(1, labels),
    },
    perTopic: [...per].map(([id, s]) => ({
      id,
      support: s.support,
      shown: s.tp + s.fp,
      tp: s.tp,
      precision: s.tp + s.fp ? s.tp / (s.tp + s.fp) : null,
      recall: s.support ? s.tp / s.support : null,
    })),
    errors,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const split = process.argv[2] ?? 'dev';
  const r = evaluateTaxonomy(loadLabeled(split));
  if (process.argv.includes('--json')) console.log(JSON.stringify(r, null, 1));
  else {
    const f = (x) => (x == null ? '  -  ' : x.toFixed(2));
    console.log(
      `${split}: ${r.papers} papers, ${r.labels} labels, ${r.badges} badges shown on ${r.papersWithBadge} papers`,
    );
    console.log(`shown (top 3): precision ${f(r.precision)} recall ${f(r.recall)}`);
    console.log(
      `all above threshold: ${r.aboveThreshold.badges} badges, precision ${f(r.aboveThreshold.precision)} recall ${f(r.aboveThreshold.recall)}`,
    );
    for (const t of r.perTopic.filter((t) => t.support || t.shown))
      console.log(
        `  ${t.id.padEnd(24)} support ${String(t.support).padStart(3)} shown ${String(t.shown).padStart(3)}  P ${f(t.precision)}  R ${f(t.recall)}`,
      );
    if (process.argv.includes('--errors'))
      for (const e of r.errors.sort((a, b) => a.topic.localeCompare(b.topic)))
        console.log(
          `${e.kind.padEnd(7)} ${e.topic.padEnd(22)} ${e.score.toFixed(1).padStart(4)} ${e.id} ${JSON.stringify(e.why)} | ${e.title.slice(0, 90)}`,
        );
  }
}
