/**
 * Reads the records of a RIS file (`TY  - ` … `ER  - `), line by line, keeping each record's line
 * so errors and skipped entries can name it. A line that is not a tag continues the previous tag's
 * value (long abstracts are wrapped that way). Broken structure is an error naming the record and
 * line: a record not ended before the next `TY`, a file cut off inside a record, tags or text
 * outside any record.
 * @see https://en.wikipedia.org/wiki/RIS_(file_format)
 */
import { formatCount, formatPosition } from '../count';
import { ExchangeError } from './errors';

/** One RIS record: its tags in file order (a repeated tag keeps every value). */
export interface RisRecord {
  /** 1-based number of the record in the file. */
  n: number;
  /** 1-based line of its TY tag. */
  line: number;
  tags: Record<string, string[]>;
}

/** Longest value accepted (a whole abstract is a few thousand characters). */
export const MAX_RIS_VALUE = 200_000;

const TAG_LINE = /^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$/;

/** All records of `text`. Throws ExchangeError naming the record and line when it is broken. */
export function scanRis(text: string): RisRecord[] {
  const records: RisRecord[] = [];
  let cur: RisRecord | undefined;
  let lastTag: string | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = i + 1;
    const t = raw.trimEnd();
    const m = TAG_LINE.exec(t);
    if (!m) {
      if (!t.trim()) continue;
      if (cur && lastTag) {
        const vals = cur.tags[lastTag]!;
        vals[vals.length - 1] = `${vals[vals.length - 1]} ${t.trim()}`;
        if (vals[vals.length - 1]!.length > MAX_RIS_VALUE) tooLong(cur, lastTag, line);
        continue;
      }
      throw new ExchangeError(
        cur
          ? `RIS record ${formatPosition(cur.n)} (line ${formatPosition(cur.line)}): line ${formatPosition(line)} is neither a tag (“XY  - value”) nor the continuation of one.`
          : `Line ${formatPosition(line)} is outside any RIS record (records start with “TY  - ”): “${t.trim().slice(0, 60)}”.`,
        line,
      );
    }
    const tag = m[1]!;
    const value = (m[2] ?? '').trim();
    if (tag === 'TY') {
      if (cur) {
        throw new ExchangeError(
          `RIS record ${formatPosition(cur.n)} (line ${formatPosition(cur.line)}) has no “ER  - ” line before line ${formatPosition(line)}, where the next record starts.`,
          cur.line,
        );
      }
      cur = { n: records.length + 1, line, tags: { TY: [value] } };
      lastTag = 'TY';
      continue;
    }
    if (!cur) {
      throw new ExchangeError(
        `Line ${formatPosition(line)} has the tag ${tag} outside any RIS record (records start with “TY  - ”).`,
        line,
      );
    }
    if (tag === 'ER') {
      records.push(cur);
      cur = undefined;
      lastTag = undefined;
      continue;
    }
    if (value.length > MAX_RIS_VALUE) tooLong(cur, tag, line);
    (cur.tags[tag] ??= []).push(value);
    lastTag = tag;
  }
  if (cur) {
    throw new ExchangeError(
      `RIS record ${formatPosition(cur.n)} (line ${formatPosition(cur.line)}) has no “ER  - ” line before the end of the file: the file looks cut off.`,
      cur.line,
    );
  }
  if (!records.length) {
    throw new ExchangeError(
      'No RIS records found. A RIS file has records like “TY  - JOUR” … “ER  - ”.',
    );
  }
  return records;
}

function tooLong(rec: RisRecord, tag: string, line: number): never {
  throw new ExchangeError(
    `RIS record ${formatPosition(rec.n)} (line ${formatPosition(rec.line)}): the ${tag} value at line ${formatPosition(line)} is longer than ${formatCount(MAX_RIS_VALUE)} characters; this is not a bibliography.`,
    line,
  );
}
