/**
 * The BibTeX import's speed work must not change a single stored byte. 1,500 real arXiv papers
 * (arxiv-daily-ml: every one of the first 30,000 with accents, TeX math or symbols, then every
 * 20th, up to 1,500) exported by Paper Scout, the hand-written files of real tools
 * (tests/fixtures/import/handwritten/*.bib) and awkward hand-typed entries (LaTeX accents in every
 * form, braces, name particles and suffixes, "and others", macros, missing fields, skipped entries)
 * are imported into an empty library; the sha256 of every stored row and of the report must equal
 * the value computed before the speed work (hard-coded below).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PaperRecord } from '../../lib/db';
import { formatBibtex } from '../../lib/exchange/citation';
import { assignCitationKeys } from '../../lib/exchange/keys';
import { dump, importText, newDb, paper } from './exchange-helpers';

const ARXIV_DAILY = '/work/shared/data/arxiv-daily-ml/papers.jsonl.gz';
const HANDWRITTEN = 'tests/fixtures/import/handwritten';

/** The real papers, as saved records (tags and notes on some, as people add them). */
function realPapers(): PaperRecord[] {
  const lines = gunzipSync(readFileSync(ARXIV_DAILY)).toString('utf8').split('\n').slice(0, 30_000);
  const all = lines.filter(Boolean).map(
    (l) =>
      JSON.parse(l) as {
        id: string;
        title: string;
        abstract: string;
        authors: string[];
        categories: string[];
        first_seen: string;
      },
  );
  const awkward = (p: (typeof all)[number]) =>
    /[^\x20-\x7e]|[$\\{}<>]/.test(`${p.title} ${p.authors.join(' ')} ${p.abstract}`);
  const picked = all.filter(awkward).slice(0, 1_000);
  const chosen = new Set(picked);
  for (let i = 0; i < all.length && picked.length < 1_500; i += 20)
    if (!chosen.has(all[i]!)) picked.push(all[i]!);
  return picked.map((p, i) => {
    const seen = Date.parse(p.first_seen);
    const r: PaperRecord = {
      id: `arxiv:${p.id}`,
      aliases: [],
      titleKey: p.title.toLowerCase(),
      title: p.title,
      abstract: p.abstract,
      authors: p.authors,
      date: p.first_seen,
      year: Number(p.first_seen.slice(0, 4)),
      categories: p.categories,
      arxivId: p.id,
      urls: { arxiv: `https://arxiv.org/abs/${p.id}` },
      savedFrom: 'arxiv',
      savedAt: seen,
      firstSeenAt: seen,
      lastSeenAt: seen,
      updatedAt: seen,
    };
    if (i % 3 === 0) r.tags = [p.categories[0]!, i % 2 ? 'to cite, later' : 'read; now'];
    if (i % 7 === 0) r.note = `Notes on ${p.id}:\n\n${p.abstract.slice(0, 200)} — “good” <i>x</i>`;
    return r;
  });
}

/** Entries typed by hand the ways people and tools write them. */
const AWKWARD = String.raw`
@string{neurips = "Advances in Neural Information Processing Systems"}
@String(acl = {Proceedings of the {ACL}})
@article{accents1,
  author = {M{\"u}ller, J{\"o}rg and Sch{\"{o}}lkopf, Bernhard and Erd\H{o}s, Paul and {\L}ukasz Kaiser and Ga{\"e}l Varoquaux and Jos{\'e} Hern{\'a}ndez{-}Orallo},
  title = {{\"U}ber {B}ayesian {Na\"ive} Methods: {\AE}sthetics of {\ss}-Stra{\ss}e and \c{C}elik's {\v{S}}koda},
  journal = neurips,
  year = 2019, month = dec,
}
@inproceedings{particles,
  author = {van der Berg, Jan and de la Fontaine, Jean and Ludwig van Beethoven and von Neumann, John and Martin Luther King, Jr. and King, Jr., Martin and Procter and Gamble and {Google DeepMind} and Brown, Tom and others},
  title = {Particles, Suffixes and {Corporate} Authors},
  booktitle = acl # { 2021},
  year = {2021},
  doi = {10.18653/v1/2021.acl-long.1},
  pages = {1--10},
}
@misc{math1,
  title = {$O(n^2)$ Attention Is $\alpha$-Approximate: {\em Sub-quadratic} Transformers with $\mathcal{L}_{1}$ loss -- and more --- even ${'``'}quoted'' text},
  author = {Smith, A.},
  eprint = {2301.00001}, archivePrefix = {arXiv}, primaryClass = {cs.LG},
  abstract = {We show that $x < y$ and \textless{}tags\textgreater{} 50\% of the time \& more. \emph{Really}.

A second paragraph with {\'e}t{\'e}.},
  keywords = {{to read, later}; transformers, attention},
  annote = {My note.

Second paragraph.},
  note = {arXiv:2301.00001 [cs.LG]},
}
@misc{missing1, title = {Only a Title Here}}
@misc{missing2, author = {Nobody, A.}, year = 2020}
@article{missing3, title = {}, author = {X, Y}}
@book{weird-type:with.colons,
  title = "Double-quoted {V}alue with \"{o}",
  author = "Anne O'Neil and d'Alembert, Jean",
  date = {2020-05-17},
  url = {https://example.org/a_b%20c?x=1&y=2},
  publisher = {Someone},
  isbn = {978-3-16-148410-0},
}
@COMMENT{ignored}
@preamble{"\newcommand{\noopsort}[1]{}"}
@phdthesis{thesis,
  title = {{A {Nested {Brace}} Title}},
  author = {{\'A}lvarez, {\'I}{\~n}igo and {\O}stergaard, S{\o}ren},
  school = {Universidad},
  year = {2018},
  month = {7},
  keywords = {a, b; c},
}
@misc{dup1, title = {A Shared Title About Many Things}, author = {A, B}, year = 2020, doi = {10.1/a}}
@misc{dup2, title = {A shared title about many things}, author = {A, B and C, D}, year = 2020, abstract = {Filled in later.}}
@misc{arxivnote, title = {Zotero Style Preprint}, author = {Doe, Jane}, year = {2022}, note = {arXiv: 2203.07687}, url = {https://arxiv.org/abs/2203.07687v2}}
`;

describe('BibTeX import: stored rows unchanged by the speed work', () => {
  afterEach(() => void vi.useRealTimers());

  it.skipIf(!existsSync(ARXIV_DAILY))(
    '1,500 real papers plus real tools’ files and awkward entries store the same bytes',
    async () => {
      // The worker stamps new records with the time of the commit: a fixed clock (timers stay real).
      vi.useFakeTimers({ toFake: ['Date'], now: 1_800_000_000_000 });
      const papers = realPapers();
      expect(papers).toHaveLength(1_500);
      const files = readdirSync(HANDWRITTEN)
        .filter((f) => f.endsWith('.bib'))
        .sort()
        .map((f) => readFileSync(join(HANDWRITTEN, f), 'utf8'));
      const text = [formatBibtex(papers, assignCitationKeys(papers)), ...files, AWKWARD].join('\n');
      const db = await newDb();
      const { preview, report } = await importText(db, text, 'library.bib', 1_800_000_000_000);
      const stored = await dump(db);
      expect(stored.papers!.length).toBeGreaterThan(1_500);
      const sha = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');
      expect({
        rows: sha(stored),
        reports: sha([preview, report].map((r) => ({ ...r, ms: 0 }))),
      }).toEqual({
        rows: 'c57dd147fafc126d6544bf4a03ab9ba6df54c01ee7f20e17d0a160a63bb1e994',
        reports: '58fe1cff3bf5d28c6cf5209397710efb65434dd4e695ce820cf5ba82dbfb8873',
      });
    },
    120_000,
  );
});

describe('BibTeX import into an empty library: no lookups that cannot find anything', () => {
  it('asks no index for aliases or titles (10,000 ids sorted and looked up for nothing)', async () => {
    const papers = Array.from({ length: 300 }, (_, i) =>
      paper({
        id: `doi:10.1000/p${i}`,
        doi: `10.1000/p${i}`,
        title: `A Study of Things Number ${i}`,
        year: 2024,
      }),
    );
    const db = await newDb();
    const where = vi.spyOn(db.papers, 'where');
    const { report } = await importText(
      db,
      formatBibtex(papers, assignCitationKeys(papers)),
      'x.bib',
    );
    expect(report.tables.papers).toMatchObject({ added: 300, merged: 0 });
    expect(await db.papers.count()).toBe(300);
    expect(where).not.toHaveBeenCalled();
  });
});
