/**
 * The papers of the export/import benchmarks: the first `n` papers of the arxiv-daily-ml data set
 * as saved records, as a Paper Scout backup holds them (a third tagged, a tenth with a note, every
 * reading state). Shared by bench/exchange.mjs (the browser) and bench/exchange-node/run.mjs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** The data set: EXCHANGE_DATA, else ../shared (from the project root), else /work/shared. */
export const DATA = [
  process.env.EXCHANGE_DATA,
  '../shared/data/arxiv-daily-ml/papers.jsonl.gz',
  '/work/shared/data/arxiv-daily-ml/papers.jsonl.gz',
].find((p) => p && existsSync(p));

/** The first `n` papers of DATA as saved records. */
export function savedPapers(n) {
  if (!DATA) throw new Error('No data set: set EXCHANGE_DATA to papers.jsonl.gz');
  const lines = gunzipSync(readFileSync(DATA))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, n);
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const states = ['inbox', 'to-read', 'reading', 'done'];
  return lines.map((l, i) => {
    const p = JSON.parse(l);
    const seen = Date.parse(p.first_seen) || t0;
    const titleKey = p.title
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    const r = {
      id: `arxiv:${p.id}`,
      aliases: [],
      titleKey,
      title: p.title,
      abstract: p.abstract.slice(0, 20_000),
      authors: p.authors.slice(0, 5000),
      date: p.first_seen,
      year: Number(p.first_seen.slice(0, 4)),
      categories: p.categories.slice(0, 64),
      arxivId: p.id,
      urls: { arxiv: `https://arxiv.org/abs/${p.id}` },
      savedFrom: 'arxiv',
      savedAt: seen + 3_600_000,
      state: states[i % 4],
      firstSeenAt: seen,
      lastSeenAt: seen,
      updatedAt: seen + 3_600_000,
    };
    if (i % 3 === 0) r.tags = [p.categories[0], i % 2 ? 'to cite' : 'read later'].filter(Boolean);
    if (i % 10 === 0) r.note = `Notes on ${p.id}: ${p.abstract.slice(0, 300)}`;
    return r;
  });
}
