/**
 * Text → words, shared by the phrase matcher and the learned-topic classifier. Accents are
 * dropped (NFKD, combining marks removed), words are runs of letters and digits, so punctuation
 * and hyphens never matter ("fine-tuning" = "fine tuning").
 */

const MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** Drops accents, keeps case (so acronyms can be matched with their case). */
export function deaccent(s: string): string {
  // Most paper text is ASCII: nothing to do then.
  if (ASCII.test(s)) return s;
  // NFKD would turn "ﬁ" into "fi" and "²" into "2": fine for matching.
  return s.normalize('NFKD').replace(MARKS, '');
}

/** A word of a text: `w` lower-cased, `raw` with its case, offsets in `deaccent(text)`. */
export interface Token {
  w: string;
  raw: string;
  start: number;
  end: number;
}

/** Whether a UTF-16 unit is an ASCII letter or digit. */
const isAsciiWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);

/** Splits a (deaccented) text into tokens. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // Most paper text is ASCII: words are then runs of [A-Za-z0-9], found without the regex.
  if (ASCII.test(text)) {
    const n = text.length;
    let i = 0;
    while (i < n) {
      while (i < n && !isAsciiWordChar(text.charCodeAt(i))) i++;
      if (i >= n) break;
      const start = i;
      while (i < n && isAsciiWordChar(text.charCodeAt(i))) i++;
      const raw = text.slice(start, i);
      out.push({ w: raw.toLowerCase(), raw, start, end: i });
    }
    return out;
  }
  for (const m of text.matchAll(WORD)) {
    out.push({ w: m[0].toLowerCase(), raw: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Lower-cased words of a text, accents dropped (for the classifier). */
export function words(text: string): string[] {
  return (deaccent(text).toLowerCase().match(WORD) ?? []) as string[];
}
