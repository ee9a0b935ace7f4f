/** Loads arxiv-daily-ml (EVAL_PROTOCOL.md): 74,728 papers, one JSON object per line, gzipped. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const DATA =
  process.env.ARXIV_DAILY_ML ?? '/work/shared/data/arxiv-daily-ml/papers.jsonl.gz';

/** @returns {Array<{id:string,title:string,abstract:string,categories:string[],primary_category:string,first_seen:string}>} */
export function loadPapers(path = DATA) {
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** The EVAL_PROTOCOL §3 time split. */
export const isTest = (p) => p.first_seen >= '2026-01-01';
