// @vitest-environment node
/**
 * Google Scholar adapter: URL detection, the small parsers it is built from, and card reading on
 * the real saved pages (tests/fixtures/pages/scholar) plus hand-written snippets for what those
 * pages do not show (arXiv/DOI links, profile blocks, hostile text). The generic fixture test
 * (fixtures.test.ts) checks the exact card lists.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { canonicalKey, type PaperCandidate } from '../../../lib/paper';
import { matchPage } from '../../../lib/sites/registry';
import {
  SCHOLAR_HOSTS,
  citationCount,
  arxivIdFromUrl,
  doiFromUrl,
  parseAuthorLine,
  scholar,
} from '../../../lib/sites/scholar';
import type { PageMatch } from '../../../lib/sites/types';
import { FIXTURE_ROOT, loadDocument } from './fixture-harness';

const SEARCH_URL = 'https://scholar.google.com/scholar?hl=en&q=x';
const RESULTS: PageMatch = { site: 'scholar', kind: 'results', listing: true };

/** A hand-written page (not a real capture) parsed the way the fixture harness parses pages. */
function page(body: string, url = SEARCH_URL): Document {
  const window = new Window({
    url,
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true },
  });
  const doc = window.document as unknown as Document;
  doc.write(`<!doctype html><html><body><div id="gs_res_ccl_mid">${body}</div></body></html>`);
  return doc;
}

/** Cards and candidates of a page. */
function read(doc: Document) {
  const cards = scholar.findCards(doc, RESULTS);
  const candidates = cards.map((c) => scholar.readCard(c, RESULTS, doc));
  return { cards, candidates };
}

/** One 2026-style result block (hand-written, modelled on results-2026-09.html). */
function card2026(opts: {
  cid?: string;
  h3: string;
  authors?: string;
  side?: string;
  cites?: string;
}): string {
  return (
    `<div class="gs_r gs_or gs_scl"${opts.cid ? ` data-cid="${opts.cid}"` : ''}>` +
    (opts.side
      ? `<div class="gs_ggs gs_fl"><div class="gs_ggsd"><div class="gs_or_ggsm">${opts.side}</div></div></div>`
      : '') +
    `<div class="gs_ri"><h3 class="gs_rt">${opts.h3}</h3>` +
    (opts.authors !== undefined ? `<div class="gs_a">${opts.authors}</div>` : '') +
    `<div class="gs_rs">… a snippet …</div>` +
    `<div class="gs_fl gs_flb">${opts.cites ?? ''}<a href="/scholar?q=related:x">Related articles</a></div>` +
    `</div></div>`
  );
}

describe('matches', () => {
  it('names each Scholar domain with the /scholar path only', () => {
    expect(SCHOLAR_HOSTS.length).toBeGreaterThanOrEqual(25);
    expect(scholar.matches).toContain('https://scholar.google.com/scholar*');
    expect(scholar.matches).toContain('https://scholar.google.co.jp/scholar*');
    for (const m of scholar.matches) {
      expect(m).toMatch(/^https:\/\/scholar\.google\.[a-z.]+\/scholar\*$/);
    }
    expect(new Set(scholar.matches).size).toBe(scholar.matches.length);
  });
});

describe('detect', () => {
  const table: Array<[string, string | null]> = [
    ['https://scholar.google.com/scholar?hl=en&q=deep+learning', 'results'],
    ['https://scholar.google.co.jp/scholar?hl=en&cluster=5362332738201102290&num=1', 'results'],
    ['https://scholar.google.de/scholar?cites=1290425714414184502&as_sdt=2005&hl=de', 'results'],
    ['https://scholar.google.com/scholar?start=10&q=x&hl=en&as_sdt=0,5', 'results'],
    ['https://scholar.google.com.au/scholar?q=x', 'results'],
    ['https://scholar.google.fr/scholar?hl=fr&as_sdt=0%2C5&q=apprentissage&btnG=', 'results'],
    ['https://scholar.google.co.jp/scholar?hl=ja&cites=5362332738201102290', 'results'],
    ['https://scholar.google.com.vn/scholar?hl=vi&q=x', 'results'],
    ['https://scholar.google.co.id/scholar?cluster=1&hl=id', 'results'],
    ['https://scholar.google.com/scholar?hl=en&as_q=graph&as_epq=&as_oq=&as_occt=any', 'results'],
    ['https://scholar.google.com/scholar?as_epq=deep+learning&as_ylo=2020', 'results'],
    ['https://scholar.google.com/scholar?as_sauthors=bengio&hl=en', 'results'],
    ['https://scholar.google.com/scholar?as_q=&as_epq=&as_ylo=2020', null],
    ['https://SCHOLAR.GOOGLE.COM/scholar?q=x', 'results'],
    ['https://scholar.google.com/scholar?q=x#d=gs_cit', 'results'],
    ['https://scholar.google.com/scholar?hl=en', null],
    ['https://scholar.google.com/scholar?q=', null],
    ['https://scholar.google.com/', null],
    ['https://scholar.google.com/citations?user=kukA0LcAAAAJ&hl=en', null],
    ['https://scholar.google.com/citations?view_op=search_authors&mauthors=bengio', null],
    ['https://scholar.google.com/scholar_alerts?view_op=list_alerts', null],
    ['https://scholar.google.com/scholar_lookup?title=x', null],
    ['https://www.google.com/scholar?q=x', null],
    ['https://www.google.com/search?q=x', null],
    ['https://google.com/scholar?q=x', null],
    ['https://scholar.google.com.evil.org/scholar?q=x', null],
    ['https://evil.org/scholar.google.com/scholar?q=x', null],
    ['https://scholar.google.example/scholar?q=x', null],
    ['https://notscholar.google.com/scholar?q=x', null],
  ];
  it.each(table)('%s → %s', (url, kind) => {
    expect(scholar.detect(new URL(url))?.kind ?? null).toBe(kind);
  });

  it('accepts every listed host and marks result pages as listings', () => {
    for (const host of SCHOLAR_HOSTS) {
      expect(scholar.detect(new URL(`https://${host}/scholar?q=x`))).toEqual(RESULTS);
    }
  });

  it('is what the registry picks for a Scholar URL', () => {
    expect(matchPage('https://scholar.google.fr/scholar?q=x')?.adapter.id).toBe('scholar');
  });
});

describe('doiFromUrl', () => {
  const table: Array<[string, string | null]> = [
    ['https://doi.org/10.1038/nature14539', '10.1038/nature14539'],
    ['http://dx.doi.org/10.1145/1553374.1553380', '10.1145/1553374.1553380'],
    ['https://link.springer.com/article/10.1007/s10994-019-05855-6', '10.1007/s10994-019-05855-6'],
    [
      'https://link.springer.com/article/10.1007%2Fs10994-019-05855-6',
      '10.1007/s10994-019-05855-6',
    ],
    [
      'https://link.springer.com/chapter/10.1007/978-3-319-10590-1_53',
      '10.1007/978-3-319-10590-1_53',
    ],
    [
      'https://link.springer.com/content/pdf/10.1007/s10994-019-05855-6.pdf',
      '10.1007/s10994-019-05855-6',
    ],
    ['https://dl.acm.org/doi/10.1145/3292500.3330701', '10.1145/3292500.3330701'],
    ['https://dl.acm.org/doi/abs/10.1145/3292500.3330701', '10.1145/3292500.3330701'],
    ['https://dl.acm.org/doi/pdf/10.1145/3292500.3330701', '10.1145/3292500.3330701'],
    ['https://onlinelibrary.wiley.com/doi/abs/10.1002/anie.201915678', '10.1002/anie.201915678'],
    ['https://onlinelibrary.wiley.com/doi/10.1002/cphc.200800380/full', '10.1002/cphc.200800380'],
    ['https://pubs.acs.org/doi/abs/10.1021/ef100623e', '10.1021/ef100623e'],
    [
      'https://www.tandfonline.com/doi/full/10.1080/01621459.2017.1285773?scroll=top',
      '10.1080/01621459.2017.1285773',
    ],
    [
      'https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0123456',
      '10.1371/journal.pone.0123456',
    ],
    ['https://www.sciencedirect.com/science/article/pii/S0926669013004196', null],
    ['http://dl.acm.org/citation.cfm?id=1658424', null],
    ['https://citeseerx.ist.psu.edu/viewdoc/download?doi=10.1.1.178.4356&rep=rep1&type=pdf', null],
    ['https://www.mdpi.com/1996-1073/10/4/502', null],
    [
      'https://oulurepo.oulu.fi/bitstream/handle/10024/28453/nbnfi-fe202002044527.pdf?sequence=1',
      null,
    ],
    ['not a url', null],
  ];
  it.each(table)('%s → %s', (url, doi) => {
    expect(doiFromUrl(url)).toBe(doi);
  });
});

describe('arxivIdFromUrl', () => {
  const table: Array<[string, { id: string; version?: number } | null]> = [
    ['https://arxiv.org/abs/1206.5538', { id: '1206.5538' }],
    ['https://arxiv.org/abs/1206.5538v3', { id: '1206.5538', version: 3 }],
    ['https://arxiv.org/pdf/2401.00001v2.pdf', { id: '2401.00001', version: 2 }],
    ['http://arxiv.org/pdf/2401.00001', { id: '2401.00001' }],
    ['https://www.arxiv.org/abs/2401.12345', { id: '2401.12345' }],
    ['https://export.arxiv.org/abs/hep-th/9901001', { id: 'hep-th/9901001' }],
    ['https://arxiv.org/list/cs.LG/new', null],
    ['https://arxiv.org.evil.org/abs/2401.00001', null],
    ['https://evil.org/abs/2401.00001', null],
    ['https://www.semanticscholar.org/arxiv/2401.00001', null],
    ['not a url', null],
  ];
  it.each(table)('%s', (url, expected) => {
    expect(arxivIdFromUrl(url)).toEqual(expected);
  });
});

describe('parseAuthorLine', () => {
  it.each([
    [
      'Y Bengio, AC Courville, P Vincent - CoRR, abs/1206.5538, 2012',
      {
        authors: ['Y Bengio', 'AC Courville', 'P Vincent'],
        venue: 'CoRR, abs/1206.5538',
        year: 2012,
      },
    ],
    [
      'AA Salema, YK Yeow, K Ishaque, FN Ani… - Industrial Crops and …, 2013 - Elsevier',
      {
        authors: ['AA Salema', 'YK Yeow', 'K Ishaque', 'FN Ani'],
        venue: 'Industrial Crops and …',
        year: 2013,
      },
    ],
    [
      'Y Bengio - Foundations and trends® in Machine Learning, 2009 - dl.acm.org',
      { authors: ['Y Bengio'], venue: 'Foundations and trends® in Machine Learning', year: 2009 },
    ],
    [
      'DP Kingma, J Ba - arXiv preprint arXiv:1412.6980, 2014 - arxiv.org',
      { authors: ['DP Kingma', 'J Ba'], venue: 'arXiv preprint arXiv:1412.6980', year: 2014 },
    ],
    [
      'J Smith-Jones, A Lee - Nature, 2015',
      { authors: ['J Smith-Jones', 'A Lee'], venue: 'Nature', year: 2015 },
    ],
    [
      'J Smith\u00a0- Nature, 2015\u00a0- nature.com',
      { authors: ['J Smith'], venue: 'Nature', year: 2015 },
    ],
    ['J Smith - 2015 - example.org', { authors: ['J Smith'], year: 2015 }],
    ['J Smith - books.google.com', { authors: ['J Smith'] }],
    ['… - Nature, 2015 - nature.com', { authors: [], venue: 'Nature', year: 2015 }],
    ['', { authors: [] }],
  ])('%s', (line, expected) => {
    expect(parseAuthorLine(line)).toEqual(expected);
  });
});

describe('cards on the real pages', () => {
  const load = (name: string, url: string) =>
    loadDocument(join(FIXTURE_ROOT, 'scholar', name), url);

  it('2016 [CITATION] result: no title link, title without the tag, arXiv id from the CoRR venue', () => {
    const url =
      'https://scholar.google.co.jp/scholar?q=%22Unsupervised+feature+learning+and+deep+learning%3A+A+review+and+new+perspectives%22&btnG=&hl=en';
    const doc = load('search-unsupervised-feature-learning-review-2016-05.html', url);
    const { cards, candidates } = read(doc);
    expect(cards).toHaveLength(1);
    const c = candidates[0];
    expect(c?.title).toBe(
      'Unsupervised feature learning and deep learning: A review and new perspectives',
    );
    // No title link: the URL is Scholar's own versions page for the paper (cites id = cluster id).
    expect(c?.url).toBe('https://scholar.google.co.jp/scholar?cluster=1290425714414184502');
    expect(c?.arxivId).toBe('1206.5538');
    expect(c?.abstract).toBeUndefined();
    expect(scholar.cardIdentity(cards[0] as Element)).toBe(c?.title);
  });

  it('2016 result with a [PDF] side link', () => {
    const url =
      'https://scholar.google.co.jp/scholar?hl=en&q=%22Learning+deep+architectures+for+AI%22&as_ylo=&as_yhi=&start=&num=';
    const { cards, candidates } = read(
      load('search-learning-deep-architectures-for-ai-2016-05.html', url),
    );
    expect(candidates[0]?.pdfUrl).toMatch(/^http:\/\/sanghv\.com\/.*\.pdf$/);
    expect(candidates[0]?.url).toBe('http://dl.acm.org/citation.cfm?id=1658424');
    // The snippet starts with "Abstract" but is cut ("…"): it must not be stored as the abstract.
    expect(candidates[0]?.abstract).toBeUndefined();
    expect(scholar.cardIdentity(cards[0] as Element)).toBe(
      'http://dl.acm.org/citation.cfm?id=1658424',
    );
  });

  it('2026 results: data-cid identity, [PDF] vs [HTML] side links, DOI from a pubs.acs.org link', () => {
    const doc = load(
      'results-2026-09.html',
      'https://scholar.google.com/scholar?hl=en&q=microwave+dielectric+properties+biomass',
    );
    const { cards, candidates } = read(doc);
    expect(cards).toHaveLength(10);
    expect(cards.map((c) => scholar.cardIdentity(c))[0]).toBe('x6BpcW0wpHwJ');
    expect(candidates[0]?.pdfUrl).toMatch(/^https:\/\/www\.academia\.edu\/download\/.*\.pdf$/);
    // Card 3's side link is "[HTML] mdpi.com": not a PDF.
    expect(candidates[3]?.title).toBe(
      'Dielectric properties of biomass/biochar mixtures at microwave frequencies',
    );
    expect(candidates[3]?.pdfUrl).toBeUndefined();
    expect(candidates[9]?.doi).toBe('10.1021/ef100623e');
    expect(candidates[0]?.venue).toBe('Industrial Crops and …');
    expect(candidates.every((c) => c?.abstract === undefined)).toBe(true);
    // The alert button block (div.gs_r.gs_alrt_btm) is not a card.
    expect(doc.querySelectorAll('.gs_r').length).toBe(11);
    for (const card of cards) {
      const mp = scholar.mountPoint(card, RESULTS);
      expect(mp?.anchor.matches('h3.gs_rt')).toBe(true);
      expect(mp?.position).toBe('after');
      expect(card.contains(mp?.anchor ?? null)).toBe(true);
    }
  });
});

describe('cards on hand-written snippets', () => {
  it('reads an arXiv id from the title link, the PDF link or the venue', () => {
    const doc = page(
      card2026({
        cid: 'a1',
        h3: '<a href="https://arxiv.org/abs/1706.03762v5">Attention is all you need</a>',
        authors: 'A Vaswani, N Shazeer - Advances in neural …, 2017',
      }) +
        card2026({
          cid: 'a2',
          h3: '<a href="https://proceedings.neurips.cc/paper/2017/hash/x.html">Some paper</a>',
          side: '<a href="https://arxiv.org/pdf/1706.03762"><span class="gs_ctg2">[PDF]</span> arxiv.org</a>',
          authors: 'A Vaswani - NeurIPS, 2017 - proceedings.neurips.cc',
        }) +
        card2026({
          cid: 'a3',
          h3: '<a href="https://www.semanticscholar.org/paper/abc">Adam: A method for stochastic optimization</a>',
          authors: 'DP Kingma, J Ba - arXiv preprint arXiv:1412.6980, 2014 - arxiv.org',
        }),
    );
    const { candidates } = read(doc);
    expect(candidates.map((c) => (c ? canonicalKey(c) : null))).toEqual([
      'arxiv:1706.03762',
      'arxiv:1706.03762',
      'arxiv:1412.6980',
    ]);
    expect(candidates[0]?.version).toBe(5);
    expect(candidates[1]?.pdfUrl).toBe('https://arxiv.org/pdf/1706.03762');
  });

  it('reads a DOI from a publisher link', () => {
    const doc = page(
      card2026({
        h3: '<a href="https://link.springer.com/article/10.1007/s10994-019-05855-6">A paper</a>',
        authors: 'A Author - Machine Learning, 2019 - Springer',
      }),
    );
    const c = read(doc).candidates[0] as PaperCandidate;
    expect(canonicalKey(c)).toBe('doi:10.1007/s10994-019-05855-6');
  });

  it('strips [BOOK][B] and text-only [PDF] tags from titles', () => {
    const doc = page(
      card2026({
        h3: '<span class="gs_ctu"><span class="gs_ct1">[BOOK]</span><span class="gs_ct2">[B]</span></span> <a href="https://books.example.org/x">Deep learning</a>',
      }) + card2026({ h3: '[PDF] <a href="https://example.org/y.pdf">Another title</a>' }),
    );
    expect(read(doc).candidates.map((c) => c?.title)).toEqual(['Deep learning', 'Another title']);
  });

  it('returns a hostile title as plain text and creates no element from it', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const escaped = '&lt;img src=x onerror=alert(1)&gt;';
    const doc = page(
      card2026({
        cid: 'h1',
        h3: `<a href="https://example.org/p">${escaped}</a>`,
        authors: `${escaped} - ${escaped}, 2020`,
      }),
    );
    const { candidates } = read(doc);
    expect(candidates[0]?.title).toBe(hostile);
    expect(candidates[0]?.authors).toEqual([hostile]);
    expect(doc.querySelector('img')).toBeNull();
  });

  it('handles a card with no link and no author line', () => {
    const doc = page(card2026({ h3: 'A title without any link' }));
    const { cards, candidates } = read(doc);
    expect(cards).toHaveLength(1);
    expect(candidates[0]).toEqual({ title: 'A title without any link', url: SEARCH_URL });
    expect(scholar.cardIdentity(cards[0] as Element)).toBe('A title without any link');
    expect(scholar.mountPoint(cards[0] as Element, RESULTS)?.anchor.tagName).toBe('H3');
  });

  it('ignores javascript: links and keeps "Cited by" counts', () => {
    const doc = page(
      card2026({
        h3: '<a href="javascript:alert(1)">Title</a>',
        cites: '<a href="/scholar?cites=42&hl=en" class="gs_or_cited">Cited by 1,234</a>',
      }),
    );
    const c = read(doc).candidates[0];
    expect(c?.url).toBe('https://scholar.google.com/scholar?cluster=42');
    expect(c?.citations).toBe(1234);
  });

  it('reads a result page in another interface language', () => {
    const doc = page(
      card2026({
        cid: 'de1',
        h3: '<span class="gs_ctc"><span class="gs_ct1">[BUCH]</span><span class="gs_ct2">[B]</span></span> <a href="https://example.org/buch">Ein Buch über Graphen</a>',
        authors: 'A Autor, B Autorin - Verlag, 2019 - example.org',
        cites: '<a href="/scholar?cites=7&hl=de" class="gs_or_cited">Zitiert von: 1.234</a>',
      }) +
        card2026({
          cid: 'fr1',
          h3: '[LIVRE][L] Un livre sans lien',
          cites: '<a href="/scholar?cites=8&hl=fr">Cité 12\u00a0345 fois</a>',
        }),
    );
    const { candidates } = read(doc);
    expect(candidates.map((c) => c?.title)).toEqual([
      'Ein Buch über Graphen',
      'Un livre sans lien',
    ]);
    expect(candidates.map((c) => c?.citations)).toEqual([1234, 12345]);
    expect(candidates[0]).toMatchObject({
      authors: ['A Autor', 'B Autorin'],
      venue: 'Verlag',
      year: 2019,
    });
    // No title link: the paper's versions list, built from the "Cited by" id.
    expect(candidates[1]?.url).toBe('https://scholar.google.com/scholar?cluster=8');
  });

  it('skips "User profiles for" blocks, blocks without a result body and empty titles', () => {
    const doc = page(
      '<div class="gs_r"><div class="gs_ri"><h3 class="gs_rt"><a href="/citations?view_op=search_authors&mauthors=bengio&hl=en">User profiles for <b>bengio</b></a></h3></div></div>' +
        '<div class="gs_r gs_alrt_btm gs_oph gs_ota"><a href="/scholar_alerts?view_op=create_alert_options">Create alert</a></div>' +
        card2026({
          h3: '<span class="gs_ctc"><span class="gs_ct1">[PDF]</span><span class="gs_ct2">[PDF]</span></span>',
        }) +
        card2026({ cid: 'ok', h3: '<a href="https://example.org/p">A real result</a>' }),
    );
    const { cards, candidates } = read(doc);
    expect(cards).toHaveLength(1);
    expect(candidates.map((c) => c?.title)).toEqual(['A real result']);
  });
});

describe('citationCount', () => {
  const table: Array<[string, number | undefined]> = [
    ['Cited by 139', 139],
    ['Cited by 1,234', 1234],
    ['Cited by 12,345,678', 12345678],
    ['Zitiert von: 1.234', 1234],
    ['Cité 1\u00a0234 fois', 1234],
    ['Cité 1\u202f234 fois', 1234],
    ['Citado por 12', 12],
    ['被引用次数：1234', 1234],
    ['Цитируется: 5', 5],
    ['Zitiert von: 12', 12],
    ['Cited by', undefined],
    ['', undefined],
  ];
  it.each(table)('%s → %s', (text, n) => {
    expect(citationCount(text)).toBe(n);
  });
});
