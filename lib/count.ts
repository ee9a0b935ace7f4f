/**
 * Counts as the user reads numbers: their own locale's digits and separators ("12,345" in
 * English, "12.345" in German, "12 345" in French), for the counts and percentages the
 * extension's pages show.
 */

/** One formatter for every count (building one costs more than formatting with it). */
let format: Intl.NumberFormat | undefined;

/**
 * `n` formatted in the browser's locale (`undefined`: the one the user chose for the browser),
 * with its thousands separators.
 */
export function formatCount(n: number): string {
  format ??= new Intl.NumberFormat(undefined);
  return format.format(n);
}

/** One formatter for every position (a line, an entry, a row of a file), as for counts. */
let position: Intl.NumberFormat | undefined;

/**
 * A place in a file — line 12345, entry 3, row 7 — in the browser's digits but without thousands
 * separators: the user looks it up in an editor, whose line numbers have none ("line 12345" in
 * English and German, "line ١٢٣٤٥" in Arabic, where the message's other numbers are Arabic too).
 */
export function formatPosition(n: number): string {
  position ??= new Intl.NumberFormat(undefined, { useGrouping: false });
  return position.format(n);
}

/** One formatter for every percentage, as for counts. */
let percent: Intl.NumberFormat | undefined;

/**
 * `fraction` (0.73) as a whole percentage in the browser's locale: "73%" in English, "73 %" in
 * German and French (where the sign is spaced).
 */
export function formatPercent(fraction: number): string {
  percent ??= new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
  return percent.format(fraction);
}

/**
 * `n` and a noun, the noun plural unless `n` is 1: "1 paper", "1,234 papers" (English words, as
 * every text of the extension; the count in the browser's locale).
 */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
