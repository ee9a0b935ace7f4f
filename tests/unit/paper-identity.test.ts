/**
 * Identity edge cases of lib/paper.ts on inputs real pages and files contain.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { recordCards, setSaved } from '../../lib/library';
import type { PageInfo } from '../../lib/messages';
import { canonicalKey, normalizeTitle, parseArxivId } from '../../lib/paper';
import { arxivIdFromUrl } from '../../lib/sites/scholar';

describe('normalizeTitle', () => {
  it('compares its own documented example equal: "$\\alpha$-Nets: {GAN}s" and "α-nets GANs"', () => {
    expect(normalizeTitle('$\\alpha$-Nets: {GAN}s')).toBe(normalizeTitle('α-nets GANs'));
  });

  it('treats TeX Greek commands as the letters pages render (arXiv TeX source vs Scholar text)', () => {
    expect(normalizeTitle('$\\beta$-VAE: Learning Basic Visual Concepts')).toBe(
      normalizeTitle('β-VAE: Learning Basic Visual Concepts'),
    );
    expect(normalizeTitle('$\\Delta$-Networks for $\\varepsilon$-Nets')).toBe(
      normalizeTitle('Δ-Networks for ε-Nets'),
    );
  });

  it('unwraps nested commands: \\textit{\\textbf{Deep}} is Deep', () => {
    expect(normalizeTitle('\\textit{\\textbf{Deep}} Residual Nets')).toBe('deep residual nets');
    expect(normalizeTitle('\\emph{\\texttt{GPT}} Models Are Few-Shot')).toBe(
      'gpt models are few shot',
    );
  });

  it('keeps a command written with empty braces: \\LaTeX{} is LaTeX', () => {
    expect(normalizeTitle('\\LaTeX{} Tables for Scientific Papers')).toBe(
      normalizeTitle('LaTeX Tables for Scientific Papers'),
    );
  });
});

describe('parseArxivId: old-style ids with a subject class', () => {
  it('drops the subject class as arXiv does (math.GT/0309136 is math/0309136)', () => {
    expect(parseArxivId('math.GT/0309136')?.id).toBe('math/0309136');
    expect(parseArxivId('arXiv:math.DG/0211159v1')).toEqual({ id: 'math/0211159', version: 1 });
    expect(canonicalKey({ arxivId: parseArxivId('cs.LG/0101001')!.id, title: 'x' })).toBe(
      canonicalKey({ arxivId: parseArxivId('cs/0101001')!.id, title: 'x' }),
    );
  });

  it('a Scholar link to arxiv.org/abs/math.DG/0211159 names the arXiv page’s paper math/0211159', () => {
    expect(arxivIdFromUrl('https://arxiv.org/abs/math.DG/0211159')?.id).toBe('math/0211159');
  });
});

describe('short titles are not identities', () => {
  const scholarPage: PageInfo = {
    url: 'https://scholar.google.com/scholar?q=introduction',
    site: 'scholar',
    kind: 'results',
    listing: true,
    loadId: 's1',
  };

  it('two different id-less papers titled "Introduction" stay two records', async () => {
    const db = new PaperScoutDB('paper-identity-short');
    await db.open();
    await setSaved(
      db,
      { title: 'Introduction', url: 'https://link.springer.com/chapter/a', authors: ['A Smith'] },
      'scholar',
      true,
    );
    const [other] = await recordCards(db, scholarPage, [
      { title: 'Introduction', url: 'https://www.jstor.org/stable/b', authors: ['B Jones'] },
    ]);
    expect(other?.saved).toBe(false);
    expect(await db.papers.count()).toBe(2);
  });
});

describe('arXiv ids are not read out of other numbers', () => {
  it('a Taylor & Francis BibTeX eprint (a DOI link, no eprinttype) names no arXiv paper', async () => {
    const { parseImport } = await import('../../lib/exchange/import');
    const bib = `@article{doi:10.1080/01621459.2017.1285773,
author = {David M. Blei and Alp Kucukelbir and Jon D. McAuliffe},
title = {Variational Inference: A Review for Statisticians},
journal = {Journal of the American Statistical Association},
volume = {112},
number = {518},
pages = {859-877},
year = {2017},
publisher = {Taylor & Francis},
doi = {10.1080/01621459.2017.1285773},
URL = {https://doi.org/10.1080/01621459.2017.1285773},
eprint = {https://doi.org/10.1080/01621459.2017.1285773}
}`;
    const papers = (await parseImport(bib, 'tandf.bib', { now: 1 })).tables.get('papers')!;
    expect(papers.map((p) => (p as { id: string }).id)).toEqual([
      'doi:10.1080/01621459.2017.1285773',
    ]);
  });

  it('parseArxivId needs the id to stand alone and be a real yymm', () => {
    expect(parseArxivId('https://doi.org/10.1080/01621459.2017.1285773')).toBeNull();
    expect(parseArxivId('10.1234/5678.1234')).toBeNull();
    expect(parseArxivId('2413.00001')).toBeNull(); // month 13
    expect(parseArxivId('0703.0001')).toBeNull(); // new-style ids start at 0704
    expect(parseArxivId('1501.0001')).toBeNull(); // 5-digit numbers from 1501
    expect(parseArxivId('1412.99999')).toBeNull(); // 4-digit numbers before 1501
    // Still read: every real form.
    expect(parseArxivId('arXiv:2401.00001v2')).toEqual({ id: '2401.00001', version: 2 });
    expect(parseArxivId('2401.00001 [cs.LG]')).toEqual({ id: '2401.00001' });
    expect(parseArxivId('https://arxiv.org/pdf/2401.00001v3.pdf')).toEqual({
      id: '2401.00001',
      version: 3,
    });
    expect(parseArxivId('arxiv.org/abs/2401.00001#')).toEqual({ id: '2401.00001' });
    expect(parseArxivId('/html/2411.19270v2')).toEqual({ id: '2411.19270', version: 2 });
    expect(parseArxivId('0704.0001')).toEqual({ id: '0704.0001' });
    expect(parseArxivId('1412.9999')).toEqual({ id: '1412.9999' });
    expect(parseArxivId('ARXIV:1501.00001')).toEqual({ id: '1501.00001' });
    expect(parseArxivId('arXiv.2301.00303')).toEqual({ id: '2301.00303' });
  });
});
