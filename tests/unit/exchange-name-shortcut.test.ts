/**
 * The export reads most author names ("Ashish Vaswani") without `@citation-js/name`'s parser, using
 * copies of the parser's particle and suffix lists to tell when it must still ask. These tests
 * guard that shortcut against an upgrade of the package: the copies must equal the installed
 * package's lists, and for every particle and suffix word (both positions, any case) and a few
 * thousand real arXiv author names, the export must read a name exactly as the parser does.
 */
import { parse as parseName } from '@citation-js/name';
import { existsSync, readFileSync, createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NAME_PARTICLES, NAME_SUFFIXES, toCslName, type CslName } from '../../lib/exchange/csl';

const ARXIV_DAILY = '/work/shared/data/arxiv-daily-ml/papers.jsonl.gz';

/**
 * The lists the installed parser uses: its lib/input.js run with its own `exports`, plus a line
 * handing back its (unexported) `particles` and `suffixes`. If a new version renames or moves
 * them this throws, which is the point: the shortcut's copies then need a look.
 */
function installedLists(): { particles: string[]; suffixes: string[] } {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('@citation-js/name')), 'input.js');
  const source = readFileSync(file, 'utf8');
  const run = new Function('exports', `${source}\n;return { particles, suffixes };`) as (
    e: object,
  ) => { particles: string[]; suffixes: string[] };
  return run({});
}

/** The parser's fields in the order its formatter joins them (to see whether it kept the text). */
const ORDER = ['dropping-particle', 'given', 'suffix', 'non-dropping-particle', 'family'] as const;
/**
 * How the export reads a two-word name when it asks the parser: the parser's reading when it keeps
 * the name's text as it is, without a suffix; otherwise the name as a literal.
 */
function parserReading(name: string): CslName {
  const p = parseName(name);
  const joined = ORDER.map((k) => p[k])
    .filter(Boolean)
    .join(' ');
  const kept = !p.literal && (p.family || p.given) && !p.suffix && joined === name;
  return kept ? p : { literal: name };
}

/** A word as written in a name: a list entry's regular-expression escapes removed ("Ph\\.D"). */
const plain = (w: string) => w.replace(/\\(.)/g, '$1');
/** A word as it is, lower case, upper case and capitalized. */
const cases = (w: string) => [
  ...new Set([w, w.toLowerCase(), w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1).toLowerCase()]),
];

describe('the export reads two-word names as @citation-js/name does', () => {
  it('keeps copies of the particle and suffix lists equal to the installed package', () => {
    const { particles, suffixes } = installedLists();
    expect([...NAME_PARTICLES]).toEqual(particles);
    expect([...NAME_SUFFIXES]).toEqual(suffixes);
  });

  it('the installed parser treats each listed word as a particle or suffix', () => {
    // Probing the parser itself, in case the lists read above are no longer the ones it matches.
    const { particles, suffixes } = installedLists();
    for (const p of particles) expect(parseName(`${plain(p)} Chen`).given).toBeUndefined();
    for (const s of suffixes) expect(parseName(`Wei ${plain(s)}`).family).not.toBe(plain(s));
  });

  it('reads every particle and suffix word, in either position and any case, as the parser does', () => {
    // The installed package's words (not our copies: a word missing from a copy must show).
    const { particles, suffixes } = installedLists();
    const words = [...particles, ...suffixes].map(plain);
    const names: string[] = [];
    for (const w of words)
      for (const c of cases(w))
        for (const other of ['Chen', 'Wei', 'Nguyen']) names.push(`${c} ${other}`, `${other} ${c}`);
    // "St." is matched as a regular expression: "St" and any character is a particle too.
    for (const c of 'ABCXYZabcexyz') names.push(`St${c} Chen`, `Chen St${c}`);
    const differ = names.filter(
      (n) => JSON.stringify(toCslName(n)) !== JSON.stringify(parserReading(n)),
    );
    expect(differ).toEqual([]);
  });

  it('writes "Stu Chen" the way the parser reads it (a literal), not as given "Stu"', () => {
    // The parser's particle "St." matches "Stu": the export wrote "Chen, Stu" for this author
    // but a literal for "Stu J. Chen", unlike every export before the shortcut.
    expect(toCslName('Stu Chen')).toEqual({ literal: 'Stu Chen' });
    expect(toCslName('Ste Wong')).toEqual({ literal: 'Ste Wong' });
    expect(toCslName('Stan Chen')).toEqual({ given: 'Stan', family: 'Chen' });
  });

  it.skipIf(!existsSync(ARXIV_DAILY))(
    'reads a few thousand real arXiv two-word author names as the parser does',
    async () => {
      // Deterministic sample: the distinct two-word names of every 7th paper, from the start.
      const names = new Set<string>();
      const lines = createInterface({ input: createReadStream(ARXIV_DAILY).pipe(createGunzip()) });
      let i = 0;
      for await (const line of lines) {
        if (i++ % 7 !== 0 || !line) continue;
        for (const a of (JSON.parse(line) as { authors: string[] }).authors) {
          const n = a.trim();
          if (/^\S+ \S+$/.test(n)) names.add(n);
        }
        if (names.size >= 4000) break;
      }
      lines.close();
      expect(names.size).toBeGreaterThanOrEqual(4000);
      const differ = [...names].filter(
        (n) => JSON.stringify(toCslName(n)) !== JSON.stringify(parserReading(n)),
      );
      expect(differ).toEqual([]);
    },
    60_000,
  );
});
