/**
 * Files as real tools write them, and round trips of our own exports: Google Scholar's "and others",
 * DBLP's accented dotless i, braced tags with separators, RIS with "@name (" in a value, EndNote's
 * CONF records, and a conference paper's venue in RIS.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../lib/db';
import { formatBibtex, formatRis } from '../../lib/exchange/citation';
import { parseImport } from '../../lib/exchange/import';
import { assignCitationKeys } from '../../lib/exchange/keys';
import { paper } from './exchange-helpers';

const records = async (text: string, name: string) =>
  (await parseImport(text, name, { now: 1 })).tables.get('papers')! as unknown as PaperRecord[];

describe('BibTeX from real tools', () => {
  it('“and others” (Google Scholar, long author lists) is “et al.”, not an author named “others”', async () => {
    const bib = `@article{brown2020language,
  title={Language models are few-shot learners},
  author={Brown, Tom and Mann, Benjamin and Ryder, Nick and others},
  journal={Advances in neural information processing systems},
  volume={33},
  pages={1877--1901},
  year={2020}
}
@inproceedings{k2, title = {X y z}, author = {M{\\"u}ller, Hans and others}, year = 2021}
`;
    const [a, b] = await records(bib, 'scholar.bib');
    expect(a!.authors).toEqual(['Tom Brown', 'Benjamin Mann', 'Nick Ryder']);
    expect(b!.authors).toEqual(['Hans Müller']);
  });

  it("DBLP’s {\\'{\\i}} is í (U+00ED), not a dotless ı with a combining accent", async () => {
    const bib = `@inproceedings{DBLP:conf/osdi/AbadiBCCDDDGIIK16,
  author    = {Mart{\\'{\\i}}n Abadi and
               Jos{\\'{e}} Hern{\\'{a}}ndez{-}Orallo},
  title     = {Ingenier{\\'{\\i}}a de {TensorFlow}},
  year      = {2016},
}
@misc{z, title = {Ram{\\'\\i}rez}, author = {Ram{\\'\\i}rez, Jos{\\'e}}, year = 2016}
`;
    const [a, b] = await records(bib, 'dblp.bib');
    expect(a!.authors).toEqual(['Martín Abadi', 'José Hernández-Orallo']);
    expect(a!.title).toBe('Ingeniería de TensorFlow');
    expect(b!.title).toBe('Ramírez');
    expect(b!.authors).toEqual(['José Ramírez']);
  });

  it('round trip: a tag with a comma or semicolon stays one tag (the export braces it)', async () => {
    const p = paper({
      id: 'doi:10.1000/x',
      doi: '10.1000/x',
      title: 'A paper',
      authors: ['Ada Lovelace'],
      year: 2020,
      tags: ['to read, later', 'a;b', 'Müller, {x}', 'plain'],
    });
    const out = formatBibtex([p], assignCitationKeys([p]));
    expect(out).toContain('keywords = {{to read, later}, {a;b},');
    const [r] = await records(out, 'x.bib');
    expect(r!.tags).toEqual(['to read, later', 'a;b', 'Müller, {x}', 'plain']);
  });
});

describe('RIS from real tools', () => {
  it('a valid RIS file whose text has “@name (” or a BibTeX snippet is read as RIS, not refused as BibTeX', async () => {
    const ris = [
      'TY  - JOUR',
      'TI  - Scaling laws for neural language models',
      'AU  - Kaplan, Jared',
      'PY  - 2020',
      'AB  - We thank @OpenAI (and others) for compute.',
      'DO  - 10.1000/xyz',
      'ER  - ',
      '',
    ].join('\n');
    const [r] = await records(ris, 'wos.ris');
    expect(r!.doi).toBe('10.1000/xyz');

    // Paper Scout's own RIS export of a note holding a BibTeX entry.
    const p = paper({
      id: 'doi:10.1000/y',
      doi: '10.1000/y',
      title: 'Noted paper',
      authors: ['Ada Lovelace'],
      year: 2020,
      note: 'cite as @article{lovelace1843, title={Notes}}',
    });
    const [back] = await records(formatRis([p], assignCitationKeys([p])), 'papers.ris');
    expect(back!.id).toBe('doi:10.1000/y');
    expect(back!.note).toBe(p.note);
  });

  it('TY  - CONF with PY (EndNote, Mendeley) keeps its year', async () => {
    const ris = [
      'TY  - CONF',
      'AU  - Kingma, Diederik P.',
      'AU  - Ba, Jimmy',
      'TI  - Adam: A Method for Stochastic Optimization',
      'T2  - International Conference on Learning Representations',
      'PY  - 2015',
      'UR  - https://arxiv.org/abs/1412.6980',
      'ER  - ',
      '',
    ].join('\r\n');
    const [r] = await records(ris, 'endnote.ris');
    expect(r!.year).toBe(2015);
  });

  it('round trip: a conference paper keeps its venue (exported as C3)', async () => {
    const p = paper({
      id: 'doi:10.1145/3292500.3330701',
      doi: '10.1145/3292500.3330701',
      title: 'A conference paper',
      authors: ['Ada Lovelace'],
      venue: 'Proceedings of the 25th ACM SIGKDD Conference',
      year: 2019,
    });
    const out = formatRis([p], assignCitationKeys([p]));
    expect(out).toContain('TY  - CPAPER');
    const [r] = await records(out, 'x.ris');
    expect(r!.venue).toBe('Proceedings of the 25th ACM SIGKDD Conference');
  });
});
