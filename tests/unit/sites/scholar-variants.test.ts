// @vitest-environment node
/**
 * Google Scholar result cards in states and variants the saved pages do not show, each derived
 * from a real saved page (tests/fixtures/pages/scholar) by the change its comment names.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { canonicalKey } from '../../../lib/paper';
import { acl } from '../../../lib/sites/acl';
import { aclIdFromUrl, arxivIdFromUrl, scholar } from '../../../lib/sites/scholar';
import type { PageMatch } from '../../../lib/sites/types';
import { FIXTURE_ROOT, loadDocument } from './fixture-harness';

const RESULTS: PageMatch = { site: 'scholar', kind: 'results', listing: true };

const load = (name: string, url: string) => loadDocument(join(FIXTURE_ROOT, 'scholar', name), url);

/**
 * What the saved pages' own click handler does to a result link on a click or right-click
 * (inline script of search-learning-deep-architectures-for-ai-2016-05.html, same in the 2026
 * pages' script): when `data-clk` carries `&scisig=` (signed-in pages do), the href becomes
 * `<origin>/scholar_url?url=<encodeURIComponent(href)>&<data-clk>&ws=<w>x<h>` and data-clk goes.
 */
function clickThrough(a: Element, origin: string): void {
  const href = a.getAttribute('href') ?? '';
  const clk = a.getAttribute('data-clk') ?? '';
  a.setAttribute(
    'href',
    `${origin}/scholar_url?url=${encodeURIComponent(href)}&${clk}&ws=1280x800`,
  );
  a.removeAttribute('data-clk');
}

describe('Scholar click-through links (scholar_url?url=…)', () => {
  it('a right-clicked title link still names the same paper (2016 cluster page)', () => {
    // Derived from cluster-5362332738201102290-2016-05.html: `&scisig=…` added to the title
    // link's data-clk (as on a signed-in page), then the page's rewrite applied to it.
    const url = 'https://scholar.google.co.jp/scholar?hl=en&cluster=5362332738201102290&num=1';
    const doc = load('cluster-5362332738201102290-2016-05.html', url);
    const [card] = scholar.findCards(doc, RESULTS);
    const before = scholar.readCard(card!, RESULTS, doc);
    const identity = scholar.cardIdentity(card!);
    const link = card!.querySelector('h3.gs_rt a[href]')!;
    link.setAttribute('data-clk', `${link.getAttribute('data-clk')}&scisig=AAGBfm0AAAAAV5`);
    clickThrough(link, 'https://scholar.google.co.jp');
    expect(link.getAttribute('href')).toMatch(/^https:\/\/scholar\.google\.co\.jp\/scholar_url\?/);

    const after = scholar.readCard(card!, RESULTS, doc);
    // Before the fix the card became another record, keyed by the wrapper address.
    expect(canonicalKey(after!)).toBe(canonicalKey(before!));
    expect(after?.url).toBe('http://www.nature.com/nature/journal/v521/n7553/abs/nature14539.html');
    // Same identity: the content script does not tear the card's UI down and re-read it.
    expect(scholar.cardIdentity(card!)).toBe(identity);
  });

  it('a clicked arXiv title or [PDF] link keeps the arXiv key and the PDF address (2026 page)', () => {
    // Derived from results-2026-09.html, card 0: its title link and [PDF] side link pointed at
    // arXiv instead of sciencedirect/academia.edu, then both wrapped as the page's script does.
    const doc = load(
      'results-2026-09.html',
      'https://scholar.google.com/scholar?hl=en&q=microwave+dielectric+properties+biomass',
    );
    const card = scholar.findCards(doc, RESULTS)[0]!;
    const title = card.querySelector('h3.gs_rt a[href]')!;
    const side = card.querySelector('.gs_ggs a[href]')!;
    title.setAttribute('href', 'https://arxiv.org/abs/2401.01234');
    side.setAttribute('href', 'https://arxiv.org/pdf/2401.01234v2');
    for (const a of [title, side]) clickThrough(a, 'https://scholar.google.com');

    const c = scholar.readCard(card, RESULTS, doc);
    expect(canonicalKey(c!)).toBe('arxiv:2401.01234');
    expect(c?.url).toBe('https://arxiv.org/abs/2401.01234');
    expect(c?.pdfUrl).toBe('https://arxiv.org/pdf/2401.01234v2');
  });

  it('a wrapped DOI link keeps the DOI key', () => {
    // Derived from results-2026-09.html, card 9 (pubs.acs.org DOI link), title link wrapped.
    const doc = load(
      'results-2026-09.html',
      'https://scholar.google.com/scholar?hl=en&q=microwave+dielectric+properties+biomass',
    );
    const card = scholar.findCards(doc, RESULTS)[9]!;
    const link = card.querySelector('h3.gs_rt a[href]')!;
    const href = link.getAttribute('href');
    clickThrough(link, 'https://scholar.google.com');
    const c = scholar.readCard(card, RESULTS, doc);
    expect(canonicalKey(c!)).toBe('doi:10.1021/ef100623e');
    expect(c?.url).toBe(href);
  });

  it('a scholar_url link on another host is not unwrapped', () => {
    const doc = load(
      'results-2026-09.html',
      'https://scholar.google.com/scholar?hl=en&q=microwave+dielectric+properties+biomass',
    );
    const card = scholar.findCards(doc, RESULTS)[1]!;
    card
      .querySelector('h3.gs_rt a[href]')!
      .setAttribute(
        'href',
        'https://evil.example/scholar_url?url=https%3A%2F%2Farxiv.org%2Fabs%2F2401.01234',
      );
    const c = scholar.readCard(card, RESULTS, doc);
    expect(c?.arxivId).toBeUndefined();
    expect(c?.url).toMatch(/^https:\/\/evil\.example\/scholar_url/);
  });
});

describe('arXiv copies among a result’s links', () => {
  const url = 'https://scholar.google.com/scholar?hl=en&q=microwave+dielectric+properties+biomass';

  it.each([
    ['https://arxiv.org/html/2401.01234v1', { id: '2401.01234', version: 1 }],
    ['https://arxiv.org/html/2401.01234v2/', { id: '2401.01234', version: 2 }],
    ['https://arxiv.org/html/2401.01234v1/x1.png', { id: '2401.01234', version: 1 }],
    ['https://ar5iv.labs.arxiv.org/html/1206.5538', { id: '1206.5538' }],
    ['https://ar5iv.org/abs/1206.5538', { id: '1206.5538' }],
    ['https://arxiv.org/abs/hep-th/9901001v2', { id: 'hep-th/9901001', version: 2 }],
    ['https://arxiv.org/html/', null],
    ['https://arxiv.org/help/2401.01234', null],
    ['https://ar5iv.org.evil.example/abs/1206.5538', null],
  ])('arxivIdFromUrl(%s)', (href, expected) => {
    expect(arxivIdFromUrl(href)).toEqual(expected);
  });

  it('an "[HTML] arxiv.org" side link gives the arXiv key', () => {
    // Derived from results-2026-09.html, card 3 (side link "[HTML] mdpi.com"): the side link's
    // href changed to arXiv's HTML rendering, as Scholar shows for papers with an HTML version.
    const doc = load('results-2026-09.html', url);
    const card = scholar.findCards(doc, RESULTS)[3]!;
    card
      .querySelector('.gs_ggs a[href]')!
      .setAttribute('href', 'https://arxiv.org/html/2401.01234v1');
    const c = scholar.readCard(card, RESULTS, doc);
    expect(canonicalKey(c!)).toBe('arxiv:2401.01234');
    expect(c?.pdfUrl).toBeUndefined();
  });

  it('a second full-text link to arXiv gives the arXiv key; the PDF is the first [PDF] link', () => {
    // Derived from results-2026-09.html, card 0: a library link ("Find it@…", no label) put
    // before its "[PDF] academia.edu" link and a "[PDF] arxiv.org" one after it, each in its own
    // div.gs_or_ggsm as the first one is.
    const doc = load('results-2026-09.html', url);
    const card = scholar.findCards(doc, RESULTS)[0]!;
    const box = card.querySelector('.gs_ggsd')!;
    const academia = card.querySelector('.gs_ggs a[href]')!.getAttribute('href');
    box.insertAdjacentHTML(
      'afterbegin',
      '<div class="gs_or_ggsm"><a href="https://library.example.edu/openurl?sid=google">Find it@Example</a></div>',
    );
    box.insertAdjacentHTML(
      'beforeend',
      '<div class="gs_or_ggsm"><a href="https://arxiv.org/pdf/2401.01234"><span class="gs_ctg2">[PDF]</span> arxiv.org</a></div>',
    );
    const c = scholar.readCard(card, RESULTS, doc);
    expect(canonicalKey(c!)).toBe('arxiv:2401.01234');
    expect(c?.pdfUrl).toBe(academia);
  });

  it('a DOI in a second full-text link keys the result by it', () => {
    // Derived from results-2026-09.html, card 2 (sciencedirect title link without a DOI): a
    // second side link to the publisher's DOI page added after its [PDF] link.
    const doc = load('results-2026-09.html', url);
    const card = scholar.findCards(doc, RESULTS)[2]!;
    card
      .querySelector('.gs_ggsd')!
      .insertAdjacentHTML(
        'beforeend',
        '<div class="gs_or_ggsm"><a href="https://doi.org/10.1016/j.fuproc.2017.06.006">[HTML] doi.org</a></div>',
      );
    expect(canonicalKey(scholar.readCard(card, RESULTS, doc)!)).toBe(
      'doi:10.1016/j.fuproc.2017.06.006',
    );
  });
});

describe('ACL Anthology papers on Scholar', () => {
  const url = 'https://scholar.google.com/scholar?hl=en&q=morphological+inflection';

  it.each([
    ['https://aclanthology.org/W19-4201/', 'W19-4201'],
    ['https://aclanthology.org/W19-4201.pdf', 'W19-4201'],
    ['https://aclanthology.org/2022.in2writing-1.1.pdf', '2022.in2writing-1.1'],
    ['https://aclanthology.org/2023.acl-long.1v2.pdf', '2023.acl-long.1'],
    ['https://www.aclweb.org/anthology/W19-4201.pdf', 'W19-4201'],
    ['http://aclweb.org/anthology/P19-1001', 'P19-1001'],
    ['https://www.aclweb.org/anthology/P/P16/P16-1001.pdf', 'P16-1001'],
    ['https://doi.org/10.18653/v1/W19-4201', 'W19-4201'],
    ['https://doi.org/10.18653/v1/2023.acl-long.1', '2023.acl-long.1'],
    ['https://doi.org/10.18653/v1/p19-1001', 'P19-1001'],
    ['https://aclanthology.org/2023.acl-long.0.pdf', null], // front matter
    ['https://aclanthology.org/W19-4200/', null], // front matter
    ['https://aclanthology.org/volumes/2023.acl-long/', null],
    ['https://aclanthology.org/people/a/andreas-madsack/', null],
    ['https://doi.org/10.18653/v1/2023.acl-long', null],
    ['https://doi.org/10.1162/tacl_a_00001', null],
    ['https://aclanthology.org.evil.example/W19-4201/', null],
    ['https://evil.example/anthology/W19-4201.pdf', null],
  ])('aclIdFromUrl(%s)', (href, expected) => {
    expect(aclIdFromUrl(href)).toBe(expected);
  });

  it('a result linking the Anthology is keyed as the Anthology pages key that paper', () => {
    // Derived from results-2026-09.html, card 2: its title link replaced by the old aclweb.org
    // PDF address Scholar still shows for 2019 workshop papers; the paper is W19-4201, a card of
    // the real ACL author page people-andreas-madsack-2026-07.html.
    const doc = load('results-2026-09.html', url);
    const card = scholar.findCards(doc, RESULTS)[2]!;
    card
      .querySelector('h3.gs_rt a[href]')!
      .setAttribute('href', 'https://www.aclweb.org/anthology/W19-4201.pdf');
    const c = scholar.readCard(card, RESULTS, doc);
    expect(c?.aclId).toBe('W19-4201');

    const aclUrl = 'https://aclanthology.org/people/andreas-madsack/';
    const aclDoc = loadDocument(
      join(FIXTURE_ROOT, 'acl', 'people-andreas-madsack-2026-07.html'),
      aclUrl,
    );
    const aclPage = acl.detect(new URL(aclUrl))!;
    const keys = acl
      .findCards(aclDoc, aclPage)
      .map((el) => canonicalKey(acl.readCard(el, aclPage, aclDoc)!));
    expect(keys).toContain(canonicalKey(c!));
  });

  it('a result with an Anthology DOI carries the Anthology id too', () => {
    // Derived from results-2026-09.html, card 9: its pubs.acs.org DOI link replaced by the
    // Anthology DOI of W19-4201.
    const doc = load('results-2026-09.html', url);
    const card = scholar.findCards(doc, RESULTS)[9]!;
    card
      .querySelector('h3.gs_rt a[href]')!
      .setAttribute('href', 'https://doi.org/10.18653/v1/W19-4201');
    const c = scholar.readCard(card, RESULTS, doc);
    expect(canonicalKey(c!)).toBe('doi:10.18653/v1/w19-4201');
    // The library files a candidate under its Anthology id as well (lib/library.ts candidateKeys).
    expect(c?.aclId).toBe('W19-4201');
  });
});

describe('Scholar page kinds', () => {
  const table: Array<[string, string | null]> = [
    // "My library": the user's saved papers, listed with the result cards of a search.
    ['https://scholar.google.com/scholar?scilib=1&hl=en', 'results'],
    ['https://scholar.google.se/scholar?scilib=1&hl=en&as_sdt=0,5', 'results'],
    ['https://scholar.google.com/scholar?scilib=1&scioq=&hl=en&as_sdt=0,5', 'results'],
    ['https://scholar.google.com/scholar?scilib=2&hl=en', 'results'],
    ['https://scholar.google.com/scholar?scilib=&hl=en', null],
    // Refused on purpose: an author profile lists its papers in another markup (tr.gsc_a_tr, no
    // gs_r cards) under /citations, a path the extension does not even run on (see matches).
    ['https://scholar.google.com/citations?user=kukA0LcAAAAJ&hl=en&oi=ao', null],
    ['https://scholar.google.com/citations?user=kukA0LcAAAAJ&hl=en&cstart=20&pagesize=80', null],
    [
      'https://scholar.google.com/citations?view_op=view_citation&hl=en&user=kukA0LcAAAAJ&citation_for_view=kukA0LcAAAAJ:u5HHmVD_uO8C',
      null,
    ],
    ['https://scholar.google.com/scholar_url?url=https%3A%2F%2Farxiv.org%2Fabs%2F1206.5538', null],
    ['https://scholar.google.com/scholar?q=related:x6BpcW0wpHwJ:scholar.google.com/', 'results'],
  ];
  it.each(table)('%s → %s', (url, kind) => {
    expect(scholar.detect(new URL(url))?.kind ?? null).toBe(kind);
  });

  it('My library shows the same cards as a search', () => {
    // The real results-2026-09.html served at a My library address (a library page lists the
    // user's papers in the same div.gs_r.gs_or.gs_scl cards).
    const libraryUrl = 'https://scholar.google.com/scholar?scilib=1&hl=en';
    const page = scholar.detect(new URL(libraryUrl));
    expect(page).toEqual(RESULTS);
    const doc = load('results-2026-09.html', libraryUrl);
    expect(scholar.findCards(doc, page!)).toHaveLength(10);
  });
});
