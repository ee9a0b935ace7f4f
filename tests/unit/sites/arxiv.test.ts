// @vitest-environment node
/**
 * arXiv adapter beyond the real saved pages (those run in fixtures.test.ts): page kinds as a
 * table of URLs, the pre-2024 `span.list-identifier` listing markup (hand-written page, no real
 * copy exists), MathJax-rendered titles, hostile text, partial cards, abs/search fallbacks.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { arxiv } from '../../../lib/sites/arxiv';
import { canonicalKey, type PaperCandidate } from '../../../lib/paper';
import type { PageMatch } from '../../../lib/sites/types';
import { FIXTURE_ROOT, loadDocument } from './fixture-harness';

const HANDWRITTEN = join(FIXTURE_ROOT, '../handwritten/arxiv');

/** A document parsed from `html` whose address is `url` (scripts never run). */
function docFrom(html: string, url: string): Document {
  const window = new Window({
    url,
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
    },
  });
  const doc = window.document as unknown as Document;
  doc.write(html);
  return doc;
}

/** detect() for a URL string, throwing when the adapter does not know the page. */
function pageOf(url: string): PageMatch {
  const page = arxiv.detect(new URL(url));
  if (!page) throw new Error(`not an arXiv page: ${url}`);
  return page;
}

/** findCards + readCard over a whole document, nulls dropped (what the content script keeps). */
function readAll(doc: Document, url: string): PaperCandidate[] {
  const page = pageOf(url);
  return arxiv
    .findCards(doc, page)
    .map((card) => arxiv.readCard(card, page, doc))
    .filter((c): c is PaperCandidate => c !== null);
}

describe('matches', () => {
  it('covers arxiv.org and www.arxiv.org over https', () => {
    expect(arxiv.matches).toEqual(['https://arxiv.org/*', 'https://www.arxiv.org/*']);
  });
});

describe('detect', () => {
  const table: Array<[url: string, kind: string | null]> = [
    // /new
    ['https://arxiv.org/list/cond-mat.mtrl-sci/new', 'list-new'],
    ['https://arxiv.org/list/cond-mat.mtrl-sci/new/', 'list-new'],
    ['https://arxiv.org/list/cs.LG/new?skip=0&show=2000', 'list-new'],
    ['https://arxiv.org/list/cond-mat.mtrl-sci/new?skip=0&show=1000', 'list-new'],
    ['https://arxiv.org/list/hep-th/new', 'list-new'],
    ['https://arxiv.org/list/cs/new#item46', 'list-new'],
    ['https://www.arxiv.org/list/astro-ph.CO/new', 'list-new'],
    ['https://www.arxiv.org/list/math.AG/new/?skip=25&show=25', 'list-new'],
    // /recent and /pastweek
    ['https://arxiv.org/list/cs.AI/recent', 'list-recent'],
    ['https://arxiv.org/list/cs.AI/recent/', 'list-recent'],
    ['https://arxiv.org/list/cond-mat.mtrl-sci/recent?skip=0&show=2000', 'list-recent'],
    ['https://arxiv.org/list/quant-ph/pastweek?skip=25&show=25', 'list-recent'],
    ['https://arxiv.org/list/physics.optics/pastweek', 'list-recent'],
    ['https://www.arxiv.org/list/math/recent', 'list-recent'],
    // month (and year) listings
    ['https://arxiv.org/list/cs/2301?skip=0&show=3', 'list-month'],
    ['https://arxiv.org/list/cs/9101', 'list-month'],
    ['https://arxiv.org/list/cs/2301/', 'list-month'],
    ['https://arxiv.org/list/cs.LG/2024-06', 'list-month'],
    ['https://arxiv.org/list/cs.LG/2024-06?skip=0&show=50', 'list-month'],
    ['https://arxiv.org/list/hep-th/99', 'list-month'],
    ['https://arxiv.org/list/math/23/', 'list-month'],
    ['https://arxiv.org/list/stat.ML/2023', 'list-month'],
    ['https://www.arxiv.org/list/cond-mat.str-el/2502?skip=100&show=100', 'list-month'],
    // what arxiv-browse's get_listing also accepts: `current`, YYYYMM, YYYY-M, and the form target
    ['https://arxiv.org/list/cs.LG/current', 'list-month'],
    ['https://arxiv.org/list/cs.LG/current?skip=0&show=250', 'list-month'],
    ['https://arxiv.org/list/cs/202301', 'list-month'],
    ['https://arxiv.org/list/cs/2023-1', 'list-month'],
    ['https://arxiv.org/list/math.GT/2003-12/', 'list-month'],
    ['https://arxiv.org/list?archive=cs&year=2023&month=01&submit=Go', 'list-month'],
    ['https://arxiv.org/list/?archive=hep-th&year=99&month=all', 'list-month'],
    ['https://arxiv.org/list?archive=cs', null],
    ['https://arxiv.org/list?archive=cs&year=x', null],
    ['https://arxiv.org/list?archive=%3Cscript%3E&year=2023', null],
    // catch-up listings (catchup.html renders the /new sections with the same item_list macro)
    ['https://arxiv.org/catchup/cs/2024-01-01', 'list-catchup'],
    ['https://arxiv.org/catchup/cs.LG/2026-07-01?abs=True&page=2', 'list-catchup'],
    ['https://arxiv.org/catchup/cond-mat.mtrl-sci/2026-07-01/', 'list-catchup'],
    ['https://arxiv.org/catchup/grp_physics/2026-07-01?abs=True', 'list-catchup'],
    ['https://arxiv.org/catchup/grp_cs/2026-07-01', null],
    ['https://arxiv.org/catchup/cs/2026-7-1', null],
    ['https://arxiv.org/catchup', null],
    ['https://arxiv.org/catchup/cs/yesterday', null],
    // abs pages
    ['https://arxiv.org/abs/2609.22268', 'abs'],
    ['https://arxiv.org/abs/2609.22268/', 'abs'],
    ['https://arxiv.org/abs/0906.2112v3', 'abs'],
    ['https://arxiv.org/abs/2401.00001v12', 'abs'],
    ['https://arxiv.org/abs/2501.12345?context=cs', 'abs'],
    ['https://arxiv.org/abs/1706.03762v7#', 'abs'],
    ['https://arxiv.org/abs/0704.0001', 'abs'],
    ['https://arxiv.org/abs/hep-th/9901001', 'abs'],
    ['https://arxiv.org/abs/hep-th/9901001v2', 'abs'],
    ['https://arxiv.org/abs/math.AG/0601001', 'abs'],
    // the legacy address arxiv-browse still renders without a redirect
    ['https://arxiv.org/abs?id=0906.2112', 'abs'],
    ['https://arxiv.org/abs?id=hep-th/9901001v2', 'abs'],
    ['https://arxiv.org/abs?id=not-an-id', null],
    // bare_abs's other legacy forms: archive + papernum, and an old-style id as a bare parameter
    ['https://arxiv.org/abs?archive=hep-th&papernum=9901001', 'abs'],
    ['https://arxiv.org/abs?archive=math.AG&papernum=0601001v2', 'abs'],
    ['https://arxiv.org/abs?hep-th/9901001', 'abs'],
    ['https://arxiv.org/abs?math.GT/0309136', 'abs'],
    ['https://arxiv.org/abs?archive=hep-th', null],
    ['https://arxiv.org/abs?archive=hep-th&papernum=99', null],
    ['https://arxiv.org/abs?archive=%3Cb%3E&papernum=9901001', null],
    ['https://arxiv.org/abs?hep-th/9901001=x', null],
    ['https://arxiv.org/abs?2401.00001', null],
    ['https://arxiv.org/abs', null],
    ['https://arxiv.org/abs/cond-mat/0102536v1/', 'abs'],
    ['https://arxiv.org/abs/math.GT/0309136', 'abs'],
    ['https://arxiv.org/abs/math.GT/0309136v3', 'abs'],
    ['https://arxiv.org/abs/q-alg/9701001', 'abs'],
    ['https://arxiv.org/abs/2401.12345?fmt=txt', 'abs'],
    ['https://arxiv.org/abs/0704.0001v2', 'abs'],
    ['https://www.arxiv.org/abs/2609.22268', 'abs'],
    // search (results, author search in an archive, the advanced form with or without results)
    [
      'https://arxiv.org/search/?searchtype=abstract&query=distributed+systems&abstracts=show&size=200&order=',
      'search',
    ],
    ['https://arxiv.org/search/?query=transformers&searchtype=all&source=header', 'search'],
    ['https://arxiv.org/search/?query=x&searchtype=all&start=200', 'search'],
    ['https://arxiv.org/search/cs?searchtype=author&query=Hinton,+G', 'search'],
    ['https://arxiv.org/search/cond-mat?searchtype=author&query=Andrieux,+T', 'search'],
    ['https://arxiv.org/search/advanced', 'search'],
    [
      'https://arxiv.org/search/advanced?advanced=1&terms-0-term=graph&terms-0-field=title&size=50&order=-announced_date_first',
      'search',
    ],
    ['https://arxiv.org/search/', 'search'],
    ['https://arxiv.org/search', 'search'],
    ['https://www.arxiv.org/search/?query=x&searchtype=all', 'search'],
    // arxiv-search ui.py: `/search/<archives>` takes a comma-separated list of archives, and
    // `/search/advanced/<groups_or_archives>` is the advanced form (and its results, same
    // search_results macro) with archives preselected
    ['https://arxiv.org/search/cs,math?query=graph&searchtype=all', 'search'],
    ['https://arxiv.org/search/cond-mat,physics?searchtype=author&query=Doe,+J', 'search'],
    ['https://arxiv.org/search/advanced/physics', 'search'],
    [
      'https://arxiv.org/search/advanced/cs?advanced=1&terms-0-term=graph&terms-0-field=title&size=50',
      'search',
    ],
    ['https://arxiv.org/search/advanced/cs,math,stat/', 'search'],
    ['https://arxiv.org/search/advanced/cs/extra', null],
    ['https://arxiv.org/search/cs/math', null],
    ['https://arxiv.org/search/cs,', null],
    // nothing to do
    ['https://arxiv.org/', null],
    ['https://www.arxiv.org/', null],
    ['https://arxiv.org/pdf/2401.00001', null],
    ['https://arxiv.org/pdf/2401.00001v2', null],
    // /html/<id>: a LaTeXML paper (no cards there) or an HTML-source submission such as a
    // proceedings index, whose "LIST:"/"ABS:" lines arXiv renders as listing cards
    ['https://arxiv.org/html/2401.00001v1', 'list-html'],
    ['https://arxiv.org/html/2311.08012', 'list-html'],
    ['https://arxiv.org/html/2311.08012v2/', 'list-html'],
    ['https://arxiv.org/html/2311.08012v1/accepted.html', 'list-html'],
    ['https://arxiv.org/html/hep-th/9901001v1', 'list-html'],
    ['https://arxiv.org/html/2401.00001v1/x1.png', null],
    ['https://arxiv.org/html/2401.00001v1/extra/page.html', null],
    ['https://arxiv.org/html/', null],
    ['https://arxiv.org/html/not-an-id', null],
    ['https://arxiv.org/format/2401.00001', null],
    ['https://arxiv.org/abs/', null],
    ['https://arxiv.org/abs/not-an-id', null],
    ['https://arxiv.org/abs/2401.00001/extra', null],
    ['https://arxiv.org/list/cs', null],
    ['https://arxiv.org/list/cs/new/extra', null],
    ['https://arxiv.org/list/cs/12345', null],
    ['https://arxiv.org/list/cs/1', null],
    ['https://arxiv.org/list/cs/2023-123', null],
    // author pages (arxiv-browse list/author.html renders the listings' item_list): once refused
    // here, now read like any listing; their feeds stay refused
    ['https://arxiv.org/a/hinton_g_1', 'list-author'],
    ['https://arxiv.org/a/hinton_g_1.html', 'list-author'],
    ['https://arxiv.org/a/0000-0002-1825-0097', 'list-author'],
    ['https://www.arxiv.org/a/einstein_a_1/', 'list-author'],
    ['https://arxiv.org/a/hinton_g_1.atom', null],
    ['https://arxiv.org/a/hinton_g_1.atom2', null],
    ['https://arxiv.org/a/hinton_g_1.json', null],
    ['https://arxiv.org/a/', null],
    ['https://arxiv.org/a/hinton_g_1/extra', null],
    ['https://export.arxiv.org/abs/2401.00001', null],
    ['https://arxiv.org.example.com/abs/2401.00001', null],
    ['https://info.arxiv.org/help/api/index.html', null],
    ['https://huggingface.co/papers/2401.00001', null],
  ];

  it.each(table)('%s → %s', (url, kind) => {
    const page = arxiv.detect(new URL(url));
    if (kind === null) {
      expect(page).toBeNull();
    } else {
      expect(page).toEqual({ site: 'arxiv', kind, listing: kind !== 'abs' });
    }
  });
});

describe('pre-2024 listing markup (dt > span.list-identifier, h3 before each dl)', () => {
  const url = 'https://arxiv.org/list/cs/new';
  const doc = loadDocument(join(HANDWRITTEN, 'list-new-pre2024-span-list-identifier.html'), url);
  const page = pageOf(url);
  const cards = arxiv.findCards(doc, page);
  const papers = cards.map((c) => arxiv.readCard(c, page, doc));

  it('is not the markup of any real fixture (so it needs this hand-written page)', () => {
    expect(doc.querySelectorAll('span.list-identifier')).toHaveLength(4);
    expect(doc.querySelectorAll('dl > h3')).toHaveLength(0);
  });

  it('finds every card, in order, with its section', () => {
    expect(papers.map((p) => p && canonicalKey(p))).toEqual([
      'arxiv:2303.00001',
      'arxiv:2303.00002',
      'arxiv:2303.00003',
      'arxiv:cs/0601001',
    ]);
    expect(papers.map((p) => p?.section)).toEqual(['new', 'new', 'cross', 'replacement']);
  });

  it('reads title, authors, categories, abstract and links', () => {
    expect(papers[0]).toEqual({
      arxivId: '2303.00001',
      title: 'A Hand-Written Test Paper on $\\ell_1$ Regularisation',
      authors: ['Alice Example', 'Bob C. Sample'],
      categories: ['cs.LG', 'math.OC'],
      abstract: 'We study an invented problem and report invented results.',
      url: 'https://arxiv.org/abs/2303.00001',
      pdfUrl: 'https://arxiv.org/pdf/2303.00001',
      section: 'new',
    });
    expect(papers[2]?.categories).toEqual(['math.OC', 'cs.LG']);
    expect(papers[3]).toMatchObject({
      arxivId: 'cs/0601001',
      title: 'An Invented Old-Style Identifier Paper',
      venue: 'Invented Journal 1 (2006) 1-10',
      url: 'https://arxiv.org/abs/cs/0601001',
      pdfUrl: 'https://arxiv.org/pdf/cs/0601001',
    });
    // No "View HTML" link in this markup, so no version; no abstract on the replacement.
    expect(papers.every((p) => p?.version === undefined)).toBe(true);
    expect(papers[3]?.abstract).toBeUndefined();
  });

  it('mounts after the title and identifies cards by their abstract link', () => {
    for (const card of cards) {
      const mount = arxiv.mountPoint(card, page);
      expect(mount?.position).toBe('after');
      expect(mount?.anchor.matches('dd div.list-title')).toBe(true);
      expect(mount?.anchor.parentElement?.parentElement).toBe(card.nextElementSibling);
    }
    expect(cards.map((c) => arxiv.cardIdentity(c))).toEqual([
      '/abs/2303.00001',
      '/abs/2303.00002',
      '/abs/2303.00003',
      '/abs/cs/0601001',
    ]);
  });

  it('does not set a section outside /new', () => {
    const recent = 'https://arxiv.org/list/cs/recent';
    expect(readAll(doc, recent).map((p) => p.section)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('template branches no real page shows (hand-made from arxiv-browse list_macros)', () => {
  const file = join(HANDWRITTEN, 'list-template-branches-2026.html');

  it('reads a /new page past its first screen: continued heading, sections named by the dt', () => {
    const url = 'https://arxiv.org/list/cs/new?skip=25&show=25';
    const papers = readAll(loadDocument(file, url), url);
    expect(papers.map((p) => canonicalKey(p))).toEqual([
      'arxiv:2607.00026',
      'arxiv:2607.00027',
      'arxiv:2606.01234',
      'arxiv:hep-th/9901001',
    ]);
    expect(papers.map((p) => p.section)).toEqual(['new', 'new', 'cross', 'replacement']);
    expect(papers[0]).toEqual({
      arxivId: '2607.00026',
      version: 1,
      title: 'An Invented Paper Whose Author List Is Unavailable',
      categories: ['cs.LG'],
      venue: 'Invented Journal 1 (2026) 1-12',
      url: 'https://arxiv.org/abs/2607.00026',
      pdfUrl: 'https://arxiv.org/pdf/2607.00026',
      section: 'new',
    });
    // Withdrawn: no pdf or html link in its dt, still a card with its title and author.
    expect(papers[1]).toMatchObject({
      title: 'A Withdrawn Invented Paper',
      authors: ['Alice Example'],
    });
    expect(papers[1]?.version).toBeUndefined();
    expect(papers[2]).toMatchObject({
      authors: ['Bob Sample', 'Carol Tester'],
      categories: ['math.OC', 'cs.LG'],
    });
    expect(papers[3]).toMatchObject({
      arxivId: 'hep-th/9901001',
      version: 3,
      categories: ['hep-th', 'cs.LG'],
      url: 'https://arxiv.org/abs/hep-th/9901001',
    });
    expect(papers.every((p) => p.abstract === undefined)).toBe(true);
  });

  it('reads the same markup on /catchup with sections, and on other listings without', () => {
    const catchup = 'https://arxiv.org/catchup/cs/2026-07-01?abs=False&page=2';
    expect(readAll(loadDocument(file, catchup), catchup).map((p) => p.section)).toEqual([
      'new',
      'new',
      'cross',
      'replacement',
    ]);
    for (const url of [
      'https://arxiv.org/list/cs/recent?skip=25&show=25',
      'https://arxiv.org/list/cs/pastweek?skip=0&show=50',
      'https://arxiv.org/list/cs/current',
      'https://arxiv.org/list/cs/2607',
      'https://arxiv.org/list/cs/2026',
      'https://arxiv.org/list?archive=cs&year=2026&month=07',
    ]) {
      const papers = readAll(loadDocument(file, url), url);
      expect(papers, url).toHaveLength(4);
      expect(
        papers.map((p) => p.section),
        url,
      ).toEqual([undefined, undefined, undefined, undefined]);
    }
  });
});

/** Collapses white space like cleanText (hostile text has none to collapse, but be exact). */
function cleanSpaces(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A 2024+ listing with the given `dt`/`dd` markup inside one `dl#articles`. */
function listing(body: string): string {
  return `<!DOCTYPE html><html><body><div id="dlpage"><dl id="articles">
    <h3>New submissions (showing 3 of 3 entries)</h3>${body}</dl></div></body></html>`;
}

function dt(id: string): string {
  return `<dt><a name="item1">[1]</a>
    <a href="/abs/${id}" title="Abstract" id="${id}">arXiv:${id}</a>
    [<a href="/pdf/${id}" title="Download PDF" id="pdf-${id}">pdf</a>]</dt>`;
}

function dd(titleHtml: string): string {
  return `<dd><div class="meta">
    <div class="list-title mathjax"><span class="descriptor">Title:</span>${titleHtml}</div>
    <div class="list-subjects"><span class="descriptor">Subjects:</span>
      <span class="primary-subject">Machine Learning (cs.LG)</span></div>
    </div></dd>`;
}

describe('listing cards (2024+ markup, built in a test document)', () => {
  const url = 'https://arxiv.org/list/cs.LG/new';

  it('returns a hostile title as plain text and creates no element from it', () => {
    const doc = docFrom(listing(dt('2401.00001') + dd('placeholder')), url);
    const hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"> & "quotes"';
    const titleDiv = doc.querySelector('div.list-title');
    const textNode = titleDiv?.lastChild;
    if (!textNode) throw new Error('fixture markup');
    textNode.textContent = hostile;
    const [paper] = readAll(doc, url);
    expect(paper?.title).toBe(cleanSpaces(hostile));
    expect(doc.querySelector('dd script, dd img')).toBeNull();
  });

  it('skips a dt without a following dd and a dd without a title, without throwing', () => {
    const html = listing(
      dt('2401.00001') + // no dd: the next element is another dt
        dt('2401.00002') +
        '<dd><div class="meta"><div class="list-authors"><a>Nobody</a></div></div></dd>' +
        dt('2401.00003') +
        dd('A Readable Paper') +
        dt('2401.00004'), // last dt, nothing after it
    );
    const doc = docFrom(html, url);
    const page = pageOf(url);
    const cards = arxiv.findCards(doc, page);
    expect(cards.map((c) => arxiv.cardIdentity(c))).toEqual(['/abs/2401.00002', '/abs/2401.00003']);
    expect(() => cards.map((c) => arxiv.readCard(c, page, doc))).not.toThrow();
    expect(readAll(doc, url).map((p) => [p.arxivId, p.title])).toEqual([
      ['2401.00003', 'A Readable Paper'],
    ]);
    // Called directly on cards findCards would not return, readCard and mountPoint give null.
    const lone = doc.querySelectorAll('dt')[3];
    if (!lone) throw new Error('fixture markup');
    expect(arxiv.readCard(lone, page, doc)).toBeNull();
    expect(arxiv.mountPoint(lone, page)).toBeNull();
  });

  it('ignores dts without an abstract link (glossaries and other dl markup)', () => {
    const doc = docFrom(
      listing('<dt>Term</dt><dd>Definition</dd>' + dt('2401.00005') + dd('T')),
      url,
    );
    expect(readAll(doc, url).map((p) => p.arxivId)).toEqual(['2401.00005']);
  });

  it('reads the TeX source of a title MathJax 2 has typeset', () => {
    // What MathJax 2.7 leaves in the DOM for "Ga$_2$O$_3$ films": preview, rendered glyphs,
    // assistive MathML, and the TeX kept in a math/tex script.
    const rendered =
      'Ga<span class="MathJax_Preview" style="display: none;"></span>' +
      '<span class="mjx-chtml MathJax_CHTML" id="MathJax-Element-1-Frame"><span class="mjx-math">' +
      '<span class="mjx-msubsup"><span class="mjx-sub">2</span></span></span>' +
      '<span class="MJX_Assistive_MathML"><math><msub><mi></mi><mn>2</mn></msub></math></span></span>' +
      '<script type="math/tex" id="MathJax-Element-1">_2</script>O' +
      '<span class="MathJax_Preview"></span><span class="MathJax" id="MathJax-Element-2-Frame">' +
      '<nobr>3</nobr></span><script type="math/tex" id="MathJax-Element-2">_3</script> films';
    const doc = docFrom(listing(dt('2401.00006') + dd(rendered)), url);
    expect(readAll(doc, url)[0]?.title).toBe('Ga$_2$O$_3$ films');
  });

  it('takes the version from the "View HTML" link of the same paper only', () => {
    const withHtml = dt('2411.19270').replace(
      '</dt>',
      '<a href="https://arxiv.org/html/2411.19270v2" title="View HTML">html</a></dt>',
    );
    const otherPaper = dt('2411.19271').replace(
      '</dt>',
      '<a href="https://arxiv.org/html/2411.19999v4" title="View HTML">html</a></dt>',
    );
    const doc = docFrom(listing(withHtml + dd('A') + otherPaper + dd('B')), url);
    expect(readAll(doc, url).map((p) => p.version)).toEqual([2, undefined]);
  });
});

describe('abs page fallbacks (built in a test document)', () => {
  function absPage(head: string, abs: string): string {
    return `<!DOCTYPE html><html><head>${head}</head><body><div id="content-inner">
      <div id="abs">${abs}</div></div></body></html>`;
  }
  const title = '<h1 class="title mathjax"><span class="descriptor">Title:</span>A Paper</h1>';

  it('reads the journal DOI from td.doi, never the DataCite arXiv DOI', () => {
    const html = absPage(
      '<meta name="citation_arxiv_id" content="1805.06142" />',
      `${title}<div class="metatable"><table><tr>
        <td class="tablecell label">DOI:</td>
        <td class="tablecell doi"><a href="https://doi.org/10.2140/agt.2024.24.1">https://doi.org/10.2140/agt.2024.24.1</a></td>
      </tr><tr><td class="tablecell arxivdoi">
        <a href="https://doi.org/10.48550/arXiv.1805.06142" id="arxiv-doi-link">https://doi.org/10.48550/arXiv.1805.06142</a>
      </td></tr></table></div>`,
    );
    const url = 'https://arxiv.org/abs/1805.06142';
    const doc = docFrom(html, url);
    const [paper] = readAll(doc, url);
    expect(paper?.doi).toBe('10.2140/agt.2024.24.1');
    expect(paper && canonicalKey(paper)).toBe('arxiv:1805.06142');

    const noJournal = docFrom(
      absPage(
        '',
        `${title}<table><tr><td class="tablecell arxivdoi"><a href="https://doi.org/10.48550/arXiv.1805.06142">https://doi.org/10.48550/arXiv.1805.06142</a></td></tr></table>`,
      ),
      url,
    );
    expect(readAll(noJournal, url)[0]?.doi).toBeUndefined();
  });

  it('falls back to the address for id and version, and to citation_author metas for authors', () => {
    const url = 'https://arxiv.org/abs/hep-th/9901001v2';
    const doc = docFrom(
      absPage(
        '<meta name="citation_author" content="Doe, Jane" /><meta name="citation_author" content="Roe, R." />' +
          '<meta name="citation_date" content="1999/01/04" />',
        title,
      ),
      url,
    );
    expect(readAll(doc, url)).toEqual([
      {
        arxivId: 'hep-th/9901001',
        version: 2,
        url: 'https://arxiv.org/abs/hep-th/9901001',
        pdfUrl: 'https://arxiv.org/pdf/hep-th/9901001',
        title: 'A Paper',
        authors: ['Jane Doe', 'R. Roe'],
        date: '1999-01-04',
      },
    ]);
  });

  it('finds the paper block by h1.title when there is no div#abs, and mounts after the title', () => {
    const url = 'https://arxiv.org/abs/2401.00001';
    const doc = docFrom(
      `<html><body><main><section class="paper">${title}<blockquote class="abstract mathjax"><span class="descriptor">Abstract:</span> Text.</blockquote></section></main></body></html>`,
      url,
    );
    const page = pageOf(url);
    const cards = arxiv.findCards(doc, page);
    expect(cards).toHaveLength(1);
    const card = cards[0];
    if (!card) throw new Error('no card');
    expect(arxiv.readCard(card, page, doc)).toMatchObject({
      arxivId: '2401.00001',
      title: 'A Paper',
      abstract: 'Text.',
    });
    const mount = arxiv.mountPoint(card, page);
    expect(mount?.anchor.tagName).toBe('H1');
    expect(mount?.position).toBe('after');
  });

  it('finds no card on a page without a title (e.g. an error page)', () => {
    const url = 'https://arxiv.org/abs/2401.99999';
    const doc = docFrom(
      '<html><body><h1>Article identifier not recognized</h1></body></html>',
      url,
    );
    expect(arxiv.findCards(doc, pageOf(url))).toEqual([]);
  });
});

describe('search results (built in a test document)', () => {
  const url = 'https://arxiv.org/search/?query=graph&searchtype=title';

  it('reads a result with search-hit spans, a DOI tag and no abstract', () => {
    const doc = docFrom(
      `<html><body><ol class="breathe-horizontal"><li class="arxiv-result">
        <div class="is-marginless">
          <p class="list-title is-inline-block"><a href="https://arxiv.org/abs/2512.10701">arXiv:2512.10701</a></p>
          <div class="tags is-inline-block">
            <span class="tag is-small is-link">cs.LG</span>
            <span class="tag is-small is-grey">cs.DC</span>
          </div>
          <div class="is-inline-block"><div class="tags has-addons">
            <span class="tag is-dark is-size-7">doi</span>
            <span class="tag is-light is-size-7"><a href="https://doi.org/10.1145/3773274.3774931">10.1145/3773274.3774931 <i></i></a></span>
          </div></div>
        </div>
        <p class="title is-5 mathjax">
          Hybrid <span class="search-hit mathjax">Graph</span> Learning
        </p>
        <p class="is-size-7"><span>Submitted</span> 9 March, 2025; <span>originally announced</span> March 2025.</p>
      </li><li class="arxiv-result"><p class="title is-5">No id link</p></li></ol></body></html>`,
      url,
    );
    const page = pageOf(url);
    const cards = arxiv.findCards(doc, page);
    expect(cards).toHaveLength(2);
    expect(cards.map((c) => arxiv.readCard(c, page, doc))).toEqual([
      {
        arxivId: '2512.10701',
        url: 'https://arxiv.org/abs/2512.10701',
        pdfUrl: 'https://arxiv.org/pdf/2512.10701',
        title: 'Hybrid Graph Learning',
        categories: ['cs.LG', 'cs.DC'],
        doi: '10.1145/3773274.3774931',
        date: '2025-03-09',
      },
      null,
    ]);
    expect(arxiv.cardIdentity(cards[0] as Element)).toBe('https://arxiv.org/abs/2512.10701');
    expect(arxiv.cardIdentity(cards[1] as Element)).toBeNull();
    expect(arxiv.mountPoint(cards[0] as Element, page)?.anchor.matches('p.title')).toBe(true);
  });

  it('reads old-style ids, a superseded version and a cut author list (search-macros branches)', () => {
    // As arxiv-search's search_results macro renders them: `is_current` false → the versioned id
    // and a "Latest version" link to another version; more than 25 authors → ", et al. (…)".
    const authors = Array.from(
      { length: 25 },
      (_, i) => `<a href="/search/?searchtype=author&amp;query=A${i}">F${i} L${i}</a>`,
    ).join(', ');
    const doc = docFrom(
      `<html><body><ol class="breathe-horizontal" start="1">
      <li class="arxiv-result"><div class="is-marginless">
        <p class="list-title is-inline-block"><a href="https://arxiv.org/abs/math/0309136v1">arXiv:math/0309136v1</a>
          <span>&nbsp;[<a href="https://arxiv.org/pdf/math/0309136v1">pdf</a>, <a href="https://arxiv.org/ps/math/0309136v1">ps</a>, <a href="https://arxiv.org/format/math/0309136v1">other</a>]&nbsp;</span></p>
        <div class="tags is-inline-block"><span class="tag is-small is-link tooltip is-tooltip-top" data-tooltip="Geometric Topology">math.GT</span>
          <span class="tag is-small search-hit tooltip is-tooltip-top" data-tooltip="Algebraic Geometry">math.AG</span></div></div>
        <p class="title is-5 mathjax">An Invented Old-Style Topology Paper</p>
        <p class="authors"><span class="has-text-black-bis has-text-weight-semibold">Authors:</span> ${authors}, et al. (7 additional authors not shown)</p>
        <p class="is-size-7"><span class="has-text-black-bis has-text-weight-semibold">Submitted</span> 9 September, 2003; <span class="has-text-black-bis has-text-weight-semibold">originally announced</span> September 2003.
          <span class="has-text-weight-bold">Latest version:</span> <a href="https://arxiv.org/abs/math/0309136v3">math/0309136v3</a>.</p>
      </li>
      <li class="arxiv-result"><div class="is-marginless">
        <p class="list-title is-inline-block"><a href="https://arxiv.org/abs/hep-th/9901001">arXiv:hep-th/9901001</a></p>
        <div class="tags is-inline-block"><span class="tag is-small is-link">hep-th</span></div></div>
        <p class="title is-5 mathjax">An Invented String Theory Paper</p>
        <p class="authors"><span>Authors:</span></p>
      </li></ol></body></html>`,
      url,
    );
    const page = pageOf(url);
    const papers = arxiv.findCards(doc, page).map((c) => arxiv.readCard(c, page, doc));
    expect(papers.map((p) => p && canonicalKey(p))).toEqual([
      'arxiv:math/0309136',
      'arxiv:hep-th/9901001',
    ]);
    expect(papers[0]).toMatchObject({
      arxivId: 'math/0309136',
      version: 1,
      categories: ['math.GT', 'math.AG'],
      date: '2003-09-09',
      url: 'https://arxiv.org/abs/math/0309136',
      pdfUrl: 'https://arxiv.org/pdf/math/0309136',
    });
    expect(papers[0]?.authors).toHaveLength(25);
    expect(papers[1]).toEqual({
      arxivId: 'hep-th/9901001',
      title: 'An Invented String Theory Paper',
      categories: ['hep-th'],
      url: 'https://arxiv.org/abs/hep-th/9901001',
      pdfUrl: 'https://arxiv.org/pdf/hep-th/9901001',
    });
  });

  it('reads the full abstract without its "△ Less" toggle, and the version from its id', () => {
    const doc = docFrom(
      `<html><body><li class="arxiv-result">
        <p class="list-title"><a href="https://arxiv.org/abs/2512.03003">arXiv:2512.03003</a></p>
        <p class="title is-5 mathjax">T</p>
        <p class="abstract mathjax"><span class="search-hit">Abstract</span>:
          <span class="abstract-short" id="2512.03003v3-abstract-short">&hellip;short <a>&#9661; More</a></span>
          <span class="abstract-full" id="2512.03003v3-abstract-full" style="display: none;">
            Full text with <span class="search-hit mathjax">graph</span> hits.
            <a class="is-size-7" onclick="x()">&#9651; Less</a>
          </span></p>
      </li></body></html>`,
      url,
    );
    expect(readAll(doc, url)[0]).toMatchObject({
      abstract: 'Full text with graph hits.',
      version: 3,
    });
  });
});

describe('HTML-source pages at /html/<id> (proceedings index, derived from a real listing)', () => {
  const url = 'https://arxiv.org/html/2610.00001v1';
  const doc = loadDocument(join(HANDWRITTEN, 'html-proceedings-index-2026.html'), url);

  it('reads each ABS:/LIST: item as a card, with its abstract only where arXiv shows one', () => {
    const papers = readAll(doc, url);
    expect(papers.map((p) => canonicalKey(p))).toEqual(['arxiv:2609.22268', 'arxiv:2609.22461']);
    expect(papers[0]).toMatchObject({
      title:
        'Efficient spectral Galerkin framework for nonlinear transient heat transfer in finite domains',
      authors: ['Théo Andrieux', 'Andreas Ntinos', 'Manas V. Upadhyay'],
      categories: ['cond-mat.mtrl-sci'],
      version: 1,
    });
    expect(papers[0]?.abstract).toMatch(/^Accurately modelling the temporal evolution/);
    expect(papers[1]).toMatchObject({
      title: 'Laser-Ablated Au Electrodes with Preferred Orientation and Flat Interface on Oxides',
      venue: 'Current Applied Physics 92, 162 (2026)',
      categories: ['cond-mat.mtrl-sci', 'cond-mat.mes-hall', 'cond-mat.other'],
    });
    expect(papers[1]?.abstract).toBeUndefined();
    expect(papers.map((p) => p.section)).toEqual([undefined, undefined]);
  });

  it('mounts each card after its title', () => {
    const page = pageOf(url);
    const cards = arxiv.findCards(doc, page);
    expect(cards).toHaveLength(2);
    for (const card of cards) {
      expect(arxiv.mountPoint(card, page)?.anchor.matches('dd div.list-title')).toBe(true);
    }
  });
});

describe('author pages (same item_list markup as listings)', () => {
  it('reads the cards of a listing served as an author page, without sections', () => {
    // list/author.html renders `list_macros.item_list(abstracts, '')`: the real month listing's
    // dt/dd cards are that markup, so the real page is read here at an author page address.
    const url = 'https://arxiv.org/a/example_a_1';
    const doc = loadDocument(
      join(FIXTURE_ROOT, 'arxiv/list-cs-2301-month-show3-2024-06-reformatted.html'),
      url,
    );
    const monthUrl = 'https://arxiv.org/list/cs/2301?skip=0&show=3';
    const asMonth = readAll(doc, monthUrl);
    expect(asMonth).toHaveLength(3);
    expect(readAll(doc, url)).toEqual(asMonth);
    expect(pageOf(url).listing).toBe(true);
  });
});

describe('search results at other search addresses (real saved results page)', () => {
  // The same search_results macro renders /search/<archives> and /search/advanced[/<archives>].
  it.each([
    'https://arxiv.org/search/cs,cond-mat?searchtype=abstract&query=distributed+systems&abstracts=show&size=200',
    'https://arxiv.org/search/advanced/cs?advanced=1&terms-0-term=distributed+systems&terms-0-field=abstract&size=200',
  ])('%s', (url) => {
    const doc = loadDocument(
      join(FIXTURE_ROOT, 'arxiv/search-abstract-distributed-systems-size200-2025-12.html'),
      url,
    );
    const papers = readAll(doc, url);
    expect(papers).toHaveLength(200);
    expect(papers[0] && canonicalKey(papers[0])).toBe('arxiv:2512.03003');
  });
});

describe('pages without cards', () => {
  it('finds nothing on listings, abs and search pages of other markup', () => {
    const doc = docFrom('<html><body><p>Nothing here</p></body></html>', 'https://arxiv.org/');
    for (const url of [
      'https://arxiv.org/list/cs/new',
      'https://arxiv.org/abs/2401.00001',
      'https://arxiv.org/search/?query=x',
    ]) {
      expect(arxiv.findCards(doc, pageOf(url))).toEqual([]);
    }
  });
});
