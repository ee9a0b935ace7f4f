/**
 * Words as the reading list's search sees them (lib/search.ts indexes with these functions), and
 * highlighting that agrees with the index. Free of the search library, so the popup's page
 * (which highlights, and never indexes) does not load it.
 */

/** Indexed fields (lib/search.ts weighs them). */
export const FIELDS = ['title', 'tags', 'note', 'authors', 'abstract', 'ids'] as const;
/** An indexed field. */
export type Field = (typeof FIELDS)[number];
/** Bit of a field in a set of matched fields (lib/liststore.ts `results.fields`). */
export const fieldBit = (f: Field): number => 1 << FIELDS.indexOf(f);
/** A word: letters, digits and combining marks (hyphens, apostrophes, spaces split words). */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** English words too common to be worth indexing (they would match nearly every abstract). */
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it its of on or our that the their this to was we were which with'.split(
    ' ',
  ),
);

/**
 * Letters that Unicode does not decompose into a base letter and an accent, as people type them
 * without one ("Łukasz" is searched as "lukasz", "Søgaard" as "sogaard", "Kıraç" as "kirac").
 */
const UNDECOMPOSED: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ı: 'i',
  ŀ: 'l',
  ŧ: 't',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};
const UNDECOMPOSED_RE = /[łøđðħıŀŧßæœþ]/g;

/** `s` (lower-cased, accents off) with those letters as people type them without an accent. */
export const plainLetters = (s: string): string =>
  s.replace(UNDECOMPOSED_RE, (c) => UNDECOMPOSED[c] ?? c);

/** A word as indexed and compared: accents removed, lower case. */
export function fold(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(UNDECOMPOSED_RE, (c) => UNDECOMPOSED[c] ?? c);
}

/** The indexed form of a word, or null for a stop word. */
export function processTerm(word: string): string | null {
  const t = fold(word);
  return t && !STOP_WORDS.has(t) ? t : null;
}

/** The words of a text. */
export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Words, and words joined by hyphens ("fine-tuning", "state-of-the-art") as one piece. */
export const PIECE = /[\p{L}\p{N}\p{M}]+(?:[-\u2010\u2011][\p{L}\p{N}\p{M}]+)*/gu;
const HYPHENS = /[-\u2010\u2011]/g;

/** A hyphenated piece closed up ("Pre-training" → "Pretraining"); the piece itself otherwise. */
export const closedUp = (piece: string): string => piece.replace(HYPHENS, '');

/**
 * The terms a text is indexed by: its words, and each hyphenated compound closed up as well, so
 * "Pre-training" is found by "pretraining" (and, with lib/search.ts, "finetuning" by "fine-tuning").
 */
export function indexTokens(text: string): string[] {
  const out = tokenize(text);
  for (const m of text.matchAll(PIECE)) if (m[0] !== closedUp(m[0])) out.push(closedUp(m[0]));
  return out;
}

/** Where the matched words of a text are: a compound whose closed form matched, whole. */
function* matchedSpans(text: string, terms: ReadonlySet<string>): Generator<[number, number]> {
  for (const p of text.matchAll(PIECE)) {
    if (p[0] !== closedUp(p[0]) && terms.has(fold(closedUp(p[0])))) {
      yield [p.index, p.index + p[0].length];
      continue;
    }
    for (const m of p[0].matchAll(WORD))
      if (terms.has(fold(m[0]))) yield [p.index + m.index, p.index + m.index + m[0].length];
  }
}

/** A piece of text, marked when it is a matched word. */
export interface Segment {
  text: string;
  mark: boolean;
}

/** Splits `text` into plain and matched pieces (adjacent plain pieces merged). */
export function highlight(text: string, terms: ReadonlySet<string>): Segment[] {
  if (!terms.size || !text) return [{ text, mark: false }];
  const out: Segment[] = [];
  let last = 0;
  for (const [start, end] of matchedSpans(text, terms)) {
    if (start > last) out.push({ text: text.slice(last, start), mark: false });
    out.push({ text: text.slice(start, end), mark: true });
    last = end;
  }
  if (last < text.length) out.push({ text: text.slice(last), mark: false });
  return out;
}

/**
 * A short excerpt of `text` around its first matched word (for a match in an abstract), cut at
 * word boundaries, with ellipses where it was cut. Undefined when no word matches.
 */
export function snippet(
  text: string,
  terms: ReadonlySet<string>,
  length = 160,
): string | undefined {
  for (const [at, to] of matchedSpans(text, terms)) {
    // A few words of context before the match: a row shows the excerpt's beginning.
    let start = Math.max(0, at - Math.min(30, Math.floor(length / 3)));
    let end = Math.min(text.length, start + length);
    start = Math.max(0, end - length);
    if (start > 0) {
      const space = text.indexOf(' ', start);
      if (space !== -1 && space < at) start = space + 1;
    }
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > to) end = space;
    }
    return `${start > 0 ? '… ' : ''}${text.slice(start, end).trim()}${end < text.length ? ' …' : ''}`;
  }
  return undefined;
}
