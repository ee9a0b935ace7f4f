/**
 * Citation keys for BibTeX: Google Scholar's familiar `vaswani2017attention` (first author's family
 * name, year, first word of the title that is not a stop word), or the key a BibTeX import brought.
 *
 * Unique: two papers with the same key get letters after the first (`…attentiona`, `…attentionb`).
 * Stable: keys are assigned over the papers exported *and* every saved paper, saved papers first,
 * each group oldest first (`firstSeenAt`, then id). So a saved paper's key never depends on which
 * papers an export selects, and adding papers later never changes the keys of papers added before.
 */
import { cslNameOf } from './csl';
import type { PaperRecord } from '../db';
import { CITATION_KEY } from './citation-key';

const STOP = new Set(
  'a an the on of in for and to with from by at as is are via towards toward into over under using what when why how do does can we our your its this that these those not no yes be or'.split(
    ' ',
  ),
);

const PRINTABLE_ASCII = /^[ -~]*$/;

/** Lower-case ASCII letters and digits of `s` (accents dropped: Müller → muller). */
function ascii(s: string): string {
  // Most words and names are ASCII already: nothing to decompose or transliterate.
  if (PRINTABLE_ASCII.test(s)) return s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æ]/gi, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The family name of a display name ("Jean-Pierre van der Berg" → "Berg"). */
function familyOf(author: string): string {
  // Most names are "Given Family": the last word, no parser needed.
  if (!/,|\s\p{Ll}|\s(jr|sr|ii|iii|iv)\.?$/iu.test(author.trim()))
    return author.trim().split(/\s+/).pop() ?? author;
  const n = cslNameOf(author);
  return n.family ?? (n.literal ? n.literal.split(/\s+/).pop() : undefined) ?? author;
}

/** The key a paper would get without collisions (`vaswani2017attention`). */
export function baseKey(p: Pick<PaperRecord, 'authors' | 'year' | 'date' | 'title'>): string {
  const first = p.authors[0];
  const family = (first && ascii(familyOf(first))) || 'anon';
  const year = p.year ?? (p.date ? Number(/^(\d{4})/.exec(p.date)?.[1]) || undefined : undefined);
  // The first word that is not a stop word, else the first word (read only as far as needed).
  let firstWord: string | undefined;
  let word: string | undefined;
  for (const part of p.title
    .slice(0, 300)
    .replace(/\\[a-zA-Z]+/g, (m) => ` ${m.slice(1)} `)
    .split(/[^\p{L}\p{N}]+/u)) {
    const w = ascii(part);
    if (!w) continue;
    firstWord ??= w;
    if (!STOP.has(w)) {
      word = w;
      break;
    }
  }
  word ??= firstWord ?? '';
  return `${family.slice(0, 40)}${year ?? ''}${word.slice(0, 30)}`;
}

function suffix(n: number): string {
  // 1 → a, 26 → z, 27 → aa …
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26))
    s = String.fromCharCode(97 + ((k - 1) % 26)) + s;
  return s;
}

type Keyed = Pick<PaperRecord, 'id' | 'authors' | 'year' | 'date' | 'title' | 'firstSeenAt'> & {
  citationKey?: unknown;
  savedAt?: number;
};

/**
 * Unique, stable keys for `papers` (by id), given the `saved` papers of the library.
 * @param papers the papers exported
 * @param saved every saved paper (may overlap `papers`)
 */
export function assignCitationKeys(
  papers: readonly Keyed[],
  saved: readonly Keyed[] = [],
): Map<string, string> {
  const all = new Map<string, { p: Keyed; rank: number }>();
  for (const p of saved) all.set(p.id, { p, rank: 0 });
  for (const p of papers)
    if (!all.has(p.id)) all.set(p.id, { p, rank: p.savedAt !== undefined ? 0 : 1 });
  const order = [...all.values()].sort(
    (a, b) =>
      a.rank - b.rank ||
      a.p.firstSeenAt - b.p.firstSeenAt ||
      (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0),
  );
  const taken = new Set<string>();
  const keys = new Map<string, string>();
  // Keys brought by an import first: they are what the person's LaTeX documents cite.
  for (const { p } of order) {
    const k = p.citationKey;
    if (typeof k === 'string' && CITATION_KEY.test(k) && !taken.has(k.toLowerCase())) {
      taken.add(k.toLowerCase());
      keys.set(p.id, k);
    }
  }
  const next = new Map<string, number>(); // base key → next suffix to try
  for (const { p } of order) {
    if (keys.has(p.id)) continue;
    const base = baseKey(p);
    let n = next.get(base) ?? 0;
    let k = n ? base + suffix(n) : base;
    while (taken.has(k)) k = base + suffix(++n);
    next.set(base, n + 1);
    taken.add(k);
    keys.set(p.id, k);
  }
  const out = new Map<string, string>();
  for (const p of papers) out.set(p.id, keys.get(p.id)!);
  return out;
}
