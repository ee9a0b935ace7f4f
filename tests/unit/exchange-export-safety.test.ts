/**
 * Exported files the reading tool parses as meant: an author name holding the word "and" stays one
 * name in BibTeX, braces in a URL or DOI keep the entry balanced, a URL is not repeated as
 * howpublished, and a citation key with backticks stays one Markdown code span.
 */
import 'fake-indexeddb/auto';
import { plugins } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../lib/db';
import { formatBibtex } from '../../lib/exchange/citation';
import { assignCitationKeys } from '../../lib/exchange/keys';
import { formatMarkdown } from '../../lib/exchange/text-formats';
import { paper } from './exchange-helpers';

const P = (over: Partial<PaperRecord>): PaperRecord =>
  paper({
    id: 'arxiv:2401.00001',
    arxivId: '2401.00001',
    title: 'Attention Is All You Need',
    titleKey: 'attention is all you need',
    authors: ['Ashish Vaswani'],
    year: 2017,
    date: '2017-06-12',
    categories: ['cs.CL'],
    ...over,
  });
const bib = (p: PaperRecord) => formatBibtex([p], assignCitationKeys([p]));
/** What Citation.js (a BibTeX reader) reads: CSL items. */
const readBack = (text: string) =>
  plugins.input.chain(text, { forceType: '@biblatex/text', generateGraph: false }) as {
    author?: unknown[];
    URL?: string;
    title?: string;
  }[];
/** BibTeX's brace counting: every field value's braces balance (depth never below 0). */
function bracesBalance(entry: string): boolean {
  let depth = 0;
  for (const c of entry) {
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * The names of a BibTeX name list as BibTeX (bibtex.web's num.names$/format.name$) and biber
 * (btparse's bt_split_list) split it: at every white-space delimited "and", in any case, outside
 * braces.
 */
function bibtexNames(field: string): string[] {
  const names: string[][] = [[]];
  let depth = 0;
  let word = '';
  const flush = () => {
    if (!word) return;
    if (depth === 0 && /^and$/i.test(word)) names.push([]);
    else names.at(-1)!.push(word);
    word = '';
  };
  for (const c of field) {
    if (c === '{') depth++;
    else if (c === '}') depth--;
    if (/\s/.test(c) && depth === 0) flush();
    else word += c;
  }
  flush();
  return names.map((n) => n.join(' '));
}
const authorField = (out: string) => /^ {2}author = \{(.*)\},$/m.exec(out)![1]!;

describe('BibTeX author lists', () => {
  it('a name with the word "and" stays one author (BibTeX splits at every "and" word)', () => {
    const p = P({ authors: ['Ashish Vaswani', 'Procter and Gamble', 'Noam Shazeer'] });
    // Written as "Vaswani, Ashish and and Gamble, Procter and Shazeer, Noam": BibTeX reads four
    // names, the second empty and the third "Gamble, Procter".
    const names = bibtexNames(authorField(bib(p)));
    expect(names).toHaveLength(3);
    expect(names[1]).toMatch(/Procter/);
    expect(names[1]).toMatch(/Gamble/);
  });

  it('a given name "And" (BibTeX’s "and" is case-insensitive) stays part of the name', () => {
    const p = P({ authors: ['Sanjay And Kumar', 'Noam Shazeer'] });
    const out = bib(p);
    expect(bibtexNames(authorField(out))).toHaveLength(2);
    // Citation.js reads "Kumar, Sanjay" and "and Shazeer, Noam" (the particle "and").
    const [item] = readBack(out);
    expect(item!.author).toEqual([
      { given: 'Sanjay And', family: 'Kumar' },
      { given: 'Noam', family: 'Shazeer' },
    ]);
  });
});

describe('BibTeX url', () => {
  const scholar = (u: string) =>
    P({ arxivId: undefined, id: 'title:x', urls: { scholar: u }, savedFrom: 'scholar' });

  it('a URL with a brace keeps the entry’s braces balanced', () => {
    const out = bib(scholar('https://scholar.google.com/scholar?q=a}b'));
    expect(bracesBalance(out)).toBe(true);
    const [item] = readBack(out);
    expect(item!.URL).toMatch(/^https:\/\/scholar\.google\.com\/scholar\?q=a(\}|%7D)b$/);
  });

  it('a DOI with a brace (normalizeDoi keeps any non-space) keeps the braces balanced', () => {
    const out = bib(P({ arxivId: undefined, id: 'doi:10.1234/a}b', doi: '10.1234/a}b' }));
    expect(bracesBalance(out)).toBe(true);
    expect(readBack(out)).toHaveLength(1);
  });

  it('a URL with & % _ # ~ is not written a second time as howpublished', () => {
    const out = bib(scholar('https://scholar.google.com/scholar?cluster=123&hl=en'));
    expect(out).toContain('url = {https://scholar.google.com/scholar?cluster=123&hl=en}');
    expect(out).not.toContain('howpublished');
  });
});

describe('Markdown citation key', () => {
  it('a key with a backtick (valid in BibTeX, kept on import) cannot end the code span', () => {
    const p = P({ savedAt: 1 });
    const out = formatMarkdown([p], new Map([[p.id, 'a`<b>x</b>']]));
    const ids = out.split('\n').find((l) => l.startsWith('  arXiv:'))!;
    // CommonMark: a code span opened by N backticks closes at the next run of exactly N.
    const m = /^ {2}arXiv:2401\.00001 · (`+)( ?)(.*?)\2\1(?!`)/.exec(ids);
    expect(m?.[3]).toBe('a`<b>x</b>');
  });
});
