/**
 * Evaluation data: arxiv-daily-ml (74,728 arXiv papers, CC0 metadata) and CSFCube (CC BY-NC 4.0:
 * evaluation only; nothing here is imported by lib/ or shipped). Paths from ../shared/data.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const DATA_DIR = resolve(
  process.env.PAPER_SCOUT_DATA ??
    (existsSync('/work/shared/data') ? '/work/shared/data' : '../shared/data'),
);

/** @returns {{ id: string, title: string, abstract: string, authors: string[], categories: string[], primary_category: string, first_seen: string }[]} */
export function loadArxiv(limit = Infinity) {
  const text = gunzipSync(readFileSync(`${DATA_DIR}/arxiv-daily-ml/papers.jsonl.gz`)).toString(
    'utf8',
  );
  const out = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    out.push(JSON.parse(line));
    if (out.length >= limit) break;
  }
  return out;
}

/** Indices of papers ordered by sha1(id) hex (EVAL_PROTOCOL §1): test = [0, 2000), dev = [2000, 4000). */
export function sha1Order(papers) {
  const h = papers.map((p, i) => [createHash('sha1').update(p.id).digest('hex'), i]);
  h.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return h.map((x) => x[1]);
}

export const FACETS = ['background', 'method', 'result'];

export function loadCsfcube() {
  const dir = `${DATA_DIR}/csfcube`;
  const papers = readFileSync(`${dir}/papers.jsonl`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const anns = {};
  for (const f of FACETS)
    anns[f] = JSON.parse(readFileSync(`${dir}/test-pid2anns-csfcube-${f}.json`, 'utf8'));
  const folds = JSON.parse(readFileSync(`${dir}/evaluation_splits.json`, 'utf8'));
  return { papers, anns, folds };
}
