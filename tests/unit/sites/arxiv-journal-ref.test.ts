// @vitest-environment node
/**
 * arXiv's journal reference becomes the paper's venue: the listing `Journal-ref:` line and the
 * search result's `Journal ref:` line (both on real saved pages), and the abs page's "Journal
 * reference" row. No real saved abs page has one, so that case runs on a page derived from the
 * real abs page (tests/fixtures/handwritten/arxiv/abs-2609.22268-2026-09-derived-jair-journal-ref.html,
 * which says what was changed). arXiv gives the "Report number" cell the same `jref` class; a
 * report number is not a venue.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_ROOT, loadDocument, readPage } from './fixture-harness';

const REAL = join(FIXTURE_ROOT, 'arxiv');
const HANDWRITTEN = join(FIXTURE_ROOT, '../handwritten/arxiv');

/** [key, venue] of every card that has a venue, in page order. */
function venues(file: string, url: string): Array<[string | null, string]> {
  const { candidates, keys } = readPage(loadDocument(file, url), url);
  return candidates.flatMap((c, i) => (c?.venue ? [[keys[i] ?? null, c.venue]] : []));
}

describe('journal reference → venue', () => {
  it('reads the Journal-ref line of each /new listing card that has one (real page, 13 of 101)', () => {
    // The 13 `div.list-journal-ref` lines of the page, read off the HTML with a script.
    expect(
      venues(
        join(REAL, 'list-cond-mat.mtrl-sci-new-2026-09.html'),
        'https://arxiv.org/list/cond-mat.mtrl-sci/new',
      ),
    ).toEqual([
      ['arxiv:2609.22461', 'Current Applied Physics 92, 162 (2026)'],
      [
        'arxiv:2609.22509',
        'IEEE Transactions on Electron Devices, vol. 73, no. 5, pp. 3140-3148 (2026)',
      ],
      ['arxiv:2609.24281', 'Matter. Radiat. Extremes 11, 065801 (2026)'],
      ['arxiv:2609.22937', 'Phys. Rev. Materials 10, 086202 (2026)'],
      ['arxiv:2411.19270', 'Journal of Applied Mechanics 92, no. 8 (2025): 081003'],
      ['arxiv:2604.13790', 'Acta Mechanica (2026): 1-37'],
      ['arxiv:2605.07700', 'Phys. Rev. Materials 10, 094006 (2026)'],
      [
        'arxiv:2609.21654',
        'EUPVSEC 2026 - 43rd European Photovoltaic Solar Energy Conference and Exhibition, Sep 2026, Rotterdam (NL), Netherlands',
      ],
      ['arxiv:2411.12905', 'Appl. Phys. Rev. 12, 011335 (2025)'],
      ['arxiv:2502.14026', 'Phys. Rev. B 114, 175111 (2026)'],
      ['arxiv:2603.08009', 'Phys. Rev. B 114, L171405 (2026)'],
      ['arxiv:2606.22235', 'Phys. Rev. B 114, 165416 (2026)'],
      ['arxiv:2607.03086', 'Materials Today Quantum 11, 100077 (2026)'],
    ]);
  });

  it('reads the Journal ref line of each search result that has one (real page, 7 of 200)', () => {
    expect(
      venues(
        join(REAL, 'search-abstract-distributed-systems-size200-2025-12.html'),
        'https://arxiv.org/search/?searchtype=abstract&query=distributed+systems&abstracts=show&size=200&order=',
      ),
    ).toEqual([
      ['arxiv:2512.02894', 'Physica B: Condensed Matter, 417533 (2025)'],
      [
        'arxiv:2512.04096',
        'In 2025 USENIX Annual Technical Conference (USENIX ATC 25) (pp. 1-17) 2025',
      ],
      [
        'arxiv:2512.11298',
        'in IEEE Transactions on Information Forensics and Security, vol. 20, pp. 12491-12506, 2025',
      ],
      [
        'arxiv:2512.17826',
        'Bulletin of the Malaysian Mathematical Sciences Society, Volume 46, 2023, article number 117',
      ],
      [
        'arxiv:2512.18885',
        'International Journal of Electrical Power & Energy Systems, 168 (2025) 110667',
      ],
      ['arxiv:2512.17925', 'Physica A (2025)'],
      [
        'arxiv:2512.13196',
        'Proc. 2025 IEEE 6th International Women in Technology Conference (WINTECHCON), IEEE, 2025',
      ],
    ]);
  });

  it('reads the abs page Journal reference row, not the Report number row of the same class', () => {
    const url = 'https://arxiv.org/abs/2609.22268';
    const file = join(HANDWRITTEN, 'abs-2609.22268-2026-09-derived-jair-journal-ref.html');
    const doc = loadDocument(file, url);
    // Both rows are there, both cells `td.tablecell.jref` (as arxiv-browse renders them).
    expect(doc.querySelectorAll('td.tablecell.jref')).toHaveLength(2);
    expect(venues(file, url)).toEqual([
      ['arxiv:2609.22268', 'Journal of Artificial Intelligence Research 85 (2026) 1-30'],
    ]);
  });

  it('gives no venue where a page has no journal reference (real abs pages)', () => {
    for (const [name, url] of [
      ['abs-2609.22268-2026-09.html', 'https://arxiv.org/abs/2609.22268'],
      ['abs-0906.2112v3-arxiv-browse-render-2024-02.html', 'https://arxiv.org/abs/0906.2112v3'],
    ] as const) {
      expect(venues(join(REAL, name), url), name).toEqual([]);
    }
  });
});

describe('abs page date without citation_date', () => {
  it('takes the first submission date from the dateline (arXiv writes no citation_date for JAIR papers)', () => {
    // arxiv-browse metatags.py: a JAIR journal reference with a year replaces citation_date by
    // citation_publication_date (the journal's year). The derived page has no citation_date.
    const url = 'https://arxiv.org/abs/2609.22268';
    const file = join(HANDWRITTEN, 'abs-2609.22268-2026-09-derived-jair-journal-ref.html');
    const doc = loadDocument(file, url);
    expect(doc.querySelector('meta[name="citation_date"]')).toBeNull();
    const [paper] = readPage(doc, url).candidates;
    // "[Submitted on 9 Sep 2026]", the same date the real page's citation_date gives.
    expect(paper?.date).toBe('2026-09-09');
  });

  it('gives the citation_date on both real abs templates when that meta is taken out', () => {
    for (const [name, url, date] of [
      ['abs-2609.22268-2026-09.html', 'https://arxiv.org/abs/2609.22268', '2026-09-09'],
      // "[Submitted on 11 Jun 2009 (v1), last revised 28 Mar 2012 (this version, v3)]"
      [
        'abs-0906.2112v3-arxiv-browse-render-2024-02.html',
        'https://arxiv.org/abs/0906.2112v3',
        '2009-06-11',
      ],
    ] as const) {
      const doc = loadDocument(join(REAL, name), url);
      expect(readPage(doc, url).candidates[0]?.date, name).toBe(date);
      doc.querySelector('meta[name="citation_date"]')?.remove();
      expect(readPage(doc, url).candidates[0]?.date, `${name} without citation_date`).toBe(date);
    }
  });
});
