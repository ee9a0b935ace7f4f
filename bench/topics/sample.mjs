/**
 * Picks the papers to hand-label for the built-in taxonomy evaluation, deterministically: the
 * test split (first_seen ≥ 2026-01-01) ordered by sha1(id), first N. A disjoint tuning ("dev")
 * sample comes the same way from the training split (first_seen < 2026-01-01).
 *
 *   node bench/topics/sample.mjs test 250 > /tmp/test-sample.txt
 *   node bench/topics/sample.mjs dev 150 > /tmp/dev-sample.txt
 *
 * Prints each paper's id, categories, title and abstract for a human to read and label.
 */
import { createHash } from 'node:crypto';
import { loadPapers } from './data.mjs';

const [split = 'test', n = '250', format = 'text'] = process.argv.slice(2);
const papers = loadPapers().filter((p) =>
  split === 'test' ? p.first_seen >= '2026-01-01' : p.first_seen < '2026-01-01',
);
const sha1 = (s) => createHash('sha1').update(s).digest('hex');
const picked = papers
  .map((p) => ({ p, h: sha1(p.id) }))
  .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
  .slice(0, Number(n))
  .map((x) => x.p);
if (format === 'json') console.log(JSON.stringify(picked.map((p) => p.id)));
else
  picked.forEach((p, i) =>
    console.log(`#${i} ${p.id} [${p.categories.join(' ')}]\nT: ${p.title}\nA: ${p.abstract}\n`),
  );
