/**
 * Text → words, shared by the phrase matcher and the learned-topic classifier. Accents are
 * dropped (NFKD, combining marks removed), words are runs of letters and digits, so punctuation
 * and hyphens never matter ("fine-tuning" = "fine tuning").
 */

const MARKS = /\p{M}+/gu;
/** A word: a run of letters and digits. */
export const WORD = /[\p{L}\p{N}]+/gu;
/** Text of ASCII only (most paper text: the fast paths). */
// eslint-disable-next-line no-control-regex
export const ASCII = /^[\x00-\x7f]*$/;

/** Drops accents, keeps case (so acronyms can be matched with their case). */
export function deaccent(s: string): string {
  // Most paper text is ASCII: nothing to do then.
  if (ASCII.test(s)) return s;
  // NFKD would turn "ﬁ" into "fi" and "²" into "2": fine for matching.
  return s.normalize('NFKD').replace(MARKS, '');
}

/** Whether a UTF-16 unit is an ASCII letter or digit (a word unit of ASCII text). */
export const isAsciiWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);

/** Lower-cased words of a text, accents dropped (for the classifier). */
export function words(text: string): string[] {
  return (deaccent(text).toLowerCase().match(WORD) ?? []) as string[];
}
