/**
 * `normalizeTitle` answers most titles (all ASCII, no `\`) in one pass over their characters
 * instead of the regex chain (lib/paper.ts `asciiTitleKey`). Title keys are stored (`titleKey`)
 * and matched across sites and imports, so the fast path must give exactly what the chain gives:
 * these tests compare it with a copy of the chain as it was before the fast path, on every title
 * of a real data set, random ASCII text and hand-written awkward titles.
 */
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { normalizeTitle } from '../../lib/paper';

const ARXIV_DAILY = '/work/shared/data/arxiv-daily-ml/papers.jsonl.gz';

/** TeX Greek letter commands, as lib/paper.ts had them. */
const GREEK: Record<string, string> = Object.fromEntries(
  [
    'alpha',
    'beta',
    'gamma',
    'delta',
    'epsilon',
    'zeta',
    'eta',
    'theta',
    'iota',
    'kappa',
    'lambda',
    'mu',
    'nu',
    'xi',
    'omicron',
    'pi',
    'rho',
    'sigma',
    'tau',
    'upsilon',
    'phi',
    'chi',
    'psi',
    'omega',
  ].flatMap((name, i) => {
    const lower = String.fromCodePoint(0x3b1 + i + (i >= 17 ? 1 : 0));
    return [
      [name, lower],
      [name[0]!.toUpperCase() + name.slice(1), lower.toUpperCase()],
    ];
  }),
);
const greek = (cmd: string): string | undefined =>
  GREEK[cmd.startsWith('var') ? cmd.slice(3) : cmd];

/** `normalizeTitle` before the fast path, copied verbatim: the reference. */
function referenceNormalizeTitle(title: string): string {
  let t = title;
  if (t.includes('\\')) {
    for (let prev = ''; prev !== t;) {
      prev = t;
      t = t.replace(/\\([a-zA-Z]+)\*?\s*\{([^{}]*)\}/g, (_, cmd: string, arg: string) =>
        arg ? arg : (greek(cmd) ?? ` ${cmd} `),
      );
    }
    t = t.replace(/\\([a-zA-Z]+)/g, (whole, cmd: string) => greek(cmd) ?? whole);
  }
  return t
    .replace(/\\([a-zA-Z]+)/g, ' $1 ')
    .replace(/[{}$^_~]/g, '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The titles whose keys differ from the reference's, with both keys. */
function differing(titles: Iterable<string>): { title: string; got: string; want: string }[] {
  const out: { title: string; got: string; want: string }[] = [];
  for (const title of titles) {
    const got = normalizeTitle(title);
    const want = referenceNormalizeTitle(title);
    if (got !== want) out.push({ title, got, want });
  }
  return out;
}

const AWKWARD = [
  '',
  ' ',
  '\t\n',
  '...',
  '{}$^_~',
  '{}',
  '$$',
  '---',
  '  Leading and trailing  ',
  '\tTabs\tand\nnew\r\nlines\f',
  'a_b',
  'x^2 + y^2',
  'a _ b',
  'a-_-b',
  '_leading underscore',
  'trailing tilde~',
  'Cost ~ O(n log n)',
  '$k$-Means++ Clustering',
  '{GAN}s: {B}ayesian {N}etworks',
  'ALL CAPS TITLE 2024',
  'MiXeD cAsE, Punctuation! (And) [Brackets] <tags> "quotes" \'single\' `tick`',
  '@#%&*|/?;:=+,.',
  '100% of 3.14 is 3,14',
  'Z a z A @ [ ` { 0 9 : /',
  '\u0000control\u0001chars\u007f',
  'Caf\u00e9 na\u00efve r\u00e9sum\u00e9',
  'Cafe\u0301 combining accent',
  '\u03b1-Nets and \u0394-Networks',
  '\u03a3\u03c3\u03c2 Greek sigma',
  '$\\alpha$-Nets: {GAN}s',
  '\\emph{Deep} Learning',
  '\\LaTeX{} Tables',
  'back\\slash alone \\',
  'En\u2013dash and em\u2014dash',
  '\u201cCurly quotes\u201d and \u2018single\u2019',
  'Non\u00a0breaking\u2009thin\u3000ideographic spaces',
  '\ufb01ne ligature \ufb02ow',
  'Full\uff37idth \uff21\uff22\uff23',
  'Superscript x\u00b2 and \u00bd fraction',
  '\u2160 roman numeral, \u2460 circled',
  '\u6df1\u5ea6\u5b66\u4e60 Chinese title',
  'Emoji \ud83d\ude80 rocket',
  'Lone surrogate \ud800 here',
  '\u0130stanbul dotted I',
  'Stra\u00dfe sharp s',
  'ASCII then \u00e9',
  'x'.repeat(4_096),
  'y'.repeat(4_097),
  'Word '.repeat(1_000),
];

describe('normalizeTitle fast path gives what the full normalization gives', () => {
  it('on hand-written awkward titles (accents, Greek, LaTeX, a_b, x^2, white space, punctuation)', () => {
    expect(differing(AWKWARD)).toEqual([]);
  });

  it('on random ASCII text, with the characters it treats specially over-represented', () => {
    const ch = fc.oneof(
      fc.constantFrom(...'{}$^_~ \t\n-.,:;()[]@`AZaz09\u0000\u007f'.split('')),
      fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 80 }), (chars) => {
        const t = chars.join('');
        expect(normalizeTitle(t)).toBe(referenceNormalizeTitle(t));
      }),
      { numRuns: 5_000, seed: 20_261_207 },
    );
  });

  it.skipIf(!existsSync(ARXIV_DAILY))(
    'on every title of the arxiv-daily-ml data set (74,728 real arXiv titles)',
    () => {
      const titles = gunzipSync(readFileSync(ARXIV_DAILY))
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { title: string }).title);
      expect(titles.length).toBeGreaterThan(70_000);
      expect(differing(titles)).toEqual([]);
    },
    60_000,
  );
});

describe('normalizeTitle cost', () => {
  afterEach(() => vi.restoreAllMocks());

  it('keys an all-ASCII title without the Unicode normalization (the dear part of the chain)', () => {
    const nfkd = vi.spyOn(String.prototype, 'normalize');
    expect(normalizeTitle('Attention Is All You Need: $k$-NN {GAN}s, x^2')).toBe(
      'attention is all you need k nn gans x2',
    );
    expect(nfkd).not.toHaveBeenCalled();
    // Anything else still takes the full path.
    expect(normalizeTitle('Caf\u00e9 Models')).toBe('cafe models');
    expect(nfkd).toHaveBeenCalled();
  });
});
