/**
 * Counts as the user reads numbers: their own locale's digits and separators ("12,345" in
 * English, "12.345" in German, "12 345" in French), for the popup's counts.
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
