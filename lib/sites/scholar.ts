/**
 * Google Scholar adapter: result cards on `scholar.google.<tld>/scholar?q=…` (also `cluster=` and
 * `cites=` lists and My library `scilib=1`, which use the same card markup). Author profiles
 * (`/citations?user=…`) are not read: their paper rows are another markup, on another path.
 *
 * Two markups are known from real saved pages (tests/fixtures/pages/scholar):
 * - 2016: `div.gs_r > div.gs_ri` (no data attributes on the block);
 * - 2026: `div.gs_r.gs_or.gs_scl[data-cid] > div.gs_ri`.
 * Both put the title in `h3.gs_rt`, the author/venue line in `div.gs_a` and the links ("Cited by N",
 * "All N versions") in `div.gs_fl`, so cards are selected on those shared parts only.
 *
 * Scholar shows no arXiv id or DOI as such: they are taken from the links (title link, PDF link)
 * and from the venue text ("arXiv preprint arXiv:…", DBLP's "CoRR, abs/…").
 */
import { LIMITS } from '../limits';
import { cleanText, normalizeDoi, parseArxivId, type PaperCandidate } from '../paper';
import { isAnthologyId, isFrontMatter } from './acl';
import type { MountPoint, PageMatch, SiteAdapter } from './types';

/**
 * Scholar hosts Paper Scout runs on. A list because match patterns cannot wildcard a top-level
 * domain (`https://scholar.google.*` is not a valid pattern) and Scholar redirects users to their
 * country's domain, so every domain must be named. `detect` accepts exactly these hosts, so a
 * lookalike such as `scholar.google.com.evil.org` never matches.
 */
export const SCHOLAR_HOSTS: readonly string[] = [
  'scholar.google.com',
  'scholar.google.co.uk',
  'scholar.google.de',
  'scholar.google.fr',
  'scholar.google.es',
  'scholar.google.it',
  'scholar.google.nl',
  'scholar.google.ca',
  'scholar.google.com.au',
  'scholar.google.co.jp',
  'scholar.google.co.in',
  'scholar.google.com.br',
  'scholar.google.com.hk',
  'scholar.google.com.tw',
  'scholar.google.co.kr',
  'scholar.google.ru',
  'scholar.google.ch',
  'scholar.google.se',
  'scholar.google.pl',
  'scholar.google.be',
  'scholar.google.at',
  'scholar.google.cz',
  'scholar.google.com.mx',
  'scholar.google.com.tr',
  'scholar.google.co.il',
  'scholar.google.com.sg',
  'scholar.google.pt',
  'scholar.google.dk',
  'scholar.google.fi',
  'scholar.google.no',
  'scholar.google.gr',
  'scholar.google.ie',
  'scholar.google.co.za',
  'scholar.google.com.ar',
  // Further country domains Scholar redirects users to (same pages, same markup).
  'scholar.google.com.vn',
  'scholar.google.co.id',
  'scholar.google.com.ua',
  'scholar.google.ro',
  'scholar.google.hu',
  'scholar.google.co.nz',
  'scholar.google.cl',
  'scholar.google.com.co',
  'scholar.google.com.my',
  'scholar.google.co.th',
  'scholar.google.com.ph',
  'scholar.google.com.pk',
  'scholar.google.com.eg',
  'scholar.google.com.sa',
  'scholar.google.ae',
  'scholar.google.com.pe',
  'scholar.google.sk',
  'scholar.google.bg',
  'scholar.google.hr',
  'scholar.google.lt',
  'scholar.google.si',
  'scholar.google.rs',
  'scholar.google.com.ng',
  'scholar.google.com.bd',
  // Every other Google country domain Scholar is served on (a user's redirect target).
  'scholar.google.ad',
  'scholar.google.al',
  'scholar.google.am',
  'scholar.google.as',
  'scholar.google.az',
  'scholar.google.ba',
  'scholar.google.bf',
  'scholar.google.bi',
  'scholar.google.bj',
  'scholar.google.bs',
  'scholar.google.bt',
  'scholar.google.by',
  'scholar.google.cat',
  'scholar.google.cd',
  'scholar.google.cf',
  'scholar.google.cg',
  'scholar.google.ci',
  'scholar.google.cm',
  'scholar.google.cn',
  'scholar.google.co.ao',
  'scholar.google.co.bw',
  'scholar.google.co.ck',
  'scholar.google.co.cr',
  'scholar.google.co.ke',
  'scholar.google.co.ls',
  'scholar.google.co.ma',
  'scholar.google.co.mz',
  'scholar.google.co.tz',
  'scholar.google.co.ug',
  'scholar.google.co.uz',
  'scholar.google.co.ve',
  'scholar.google.co.vi',
  'scholar.google.co.zm',
  'scholar.google.co.zw',
  'scholar.google.com.af',
  'scholar.google.com.ag',
  'scholar.google.com.ai',
  'scholar.google.com.bh',
  'scholar.google.com.bn',
  'scholar.google.com.bo',
  'scholar.google.com.bz',
  'scholar.google.com.cu',
  'scholar.google.com.cy',
  'scholar.google.com.do',
  'scholar.google.com.ec',
  'scholar.google.com.et',
  'scholar.google.com.fj',
  'scholar.google.com.gh',
  'scholar.google.com.gi',
  'scholar.google.com.gt',
  'scholar.google.com.jm',
  'scholar.google.com.kh',
  'scholar.google.com.kw',
  'scholar.google.com.lb',
  'scholar.google.com.ly',
  'scholar.google.com.mm',
  'scholar.google.com.mt',
  'scholar.google.com.na',
  'scholar.google.com.nf',
  'scholar.google.com.ni',
  'scholar.google.com.np',
  'scholar.google.com.om',
  'scholar.google.com.pa',
  'scholar.google.com.pg',
  'scholar.google.com.pr',
  'scholar.google.com.py',
  'scholar.google.com.qa',
  'scholar.google.com.sb',
  'scholar.google.com.sl',
  'scholar.google.com.sv',
  'scholar.google.com.tj',
  'scholar.google.com.uy',
  'scholar.google.com.vc',
  'scholar.google.cv',
  'scholar.google.dj',
  'scholar.google.dm',
  'scholar.google.dz',
  'scholar.google.ee',
  'scholar.google.fm',
  'scholar.google.ga',
  'scholar.google.ge',
  'scholar.google.gg',
  'scholar.google.gl',
  'scholar.google.gm',
  'scholar.google.gp',
  'scholar.google.gy',
  'scholar.google.hn',
  'scholar.google.ht',
  'scholar.google.im',
  'scholar.google.iq',
  'scholar.google.is',
  'scholar.google.je',
  'scholar.google.jo',
  'scholar.google.kg',
  'scholar.google.ki',
  'scholar.google.kz',
  'scholar.google.la',
  'scholar.google.li',
  'scholar.google.lk',
  'scholar.google.lu',
  'scholar.google.lv',
  'scholar.google.md',
  'scholar.google.me',
  'scholar.google.mg',
  'scholar.google.mk',
  'scholar.google.ml',
  'scholar.google.mn',
  'scholar.google.ms',
  'scholar.google.mu',
  'scholar.google.mv',
  'scholar.google.mw',
  'scholar.google.ne',
  'scholar.google.nr',
  'scholar.google.nu',
  'scholar.google.pn',
  'scholar.google.ps',
  'scholar.google.rw',
  'scholar.google.sc',
  'scholar.google.sh',
  'scholar.google.sm',
  'scholar.google.sn',
  'scholar.google.so',
  'scholar.google.sr',
  'scholar.google.st',
  'scholar.google.td',
  'scholar.google.tg',
  'scholar.google.tk',
  'scholar.google.tl',
  'scholar.google.tm',
  'scholar.google.tn',
  'scholar.google.to',
  'scholar.google.tt',
  'scholar.google.vg',
  'scholar.google.vu',
  'scholar.google.ws',
];

const HOST_SET: ReadonlySet<string> = new Set(SCHOLAR_HOSTS);

/**
 * Query parameters that make `/scholar` a result list: a search, a paper's versions, its citers,
 * the user's "My library" (`scilib=1`, a label's list `scilib=<n>`: the same result cards, its
 * only parameter), and the advanced-search form's fields (its results keep `as_q=…&as_epq=…`
 * and may have no `q`).
 */
const RESULT_PARAMS = [
  'q',
  'cluster',
  'cites',
  'scilib',
  'as_q',
  'as_epq',
  'as_oq',
  'as_sauthors',
  'as_publication',
] as const;

// ---- Selectors -------------------------------------------------------------------------------

/**
 * A result block. 2016: `div.gs_r`; 2026: `div.gs_r.gs_or.gs_scl`. `.gs_r` alone also marks
 * non-paper blocks (2026 `div.gs_r.gs_alrt_btm` alert button, "User profiles for …"), which
 * `findCards` drops because they lack `.gs_ri h3.gs_rt` or link to a profile search.
 */
const CARD = '.gs_r';
/** The result body holding title, author line, snippet and links (2016 and 2026). */
const BODY = '.gs_ri';
/** The title heading (2016 and 2026); may start with a `[PDF]`/`[HTML]`/`[CITATION]` tag. */
const TITLE = 'h3.gs_rt';
/** The title link (2016 and 2026: first link in the heading; absent for `[CITATION]` results). */
const TITLE_LINK = 'h3.gs_rt a[href]';
/**
 * The type tag before the title: 2016 `span.gs_ctu` ("[CITATION][C]") and `span.gs_ctc`;
 * 2026 `span.gs_ctc` ("[HTML][HTML]"). Each holds a long and a short form (`gs_ct1`, `gs_ct2`).
 */
const TITLE_TAG = '.gs_ctc, .gs_ctu, .gs_ct1, .gs_ct2';
/** "Authors - Venue, Year - Host" line (2016 and 2026). */
const AUTHOR_LINE = '.gs_a';
/**
 * The side link to a full text. 2016: `div.gs_ggs a` ("[PDF] from sanghv.com");
 * 2026: `div.gs_ggs div.gs_or_ggsm > a` ("[PDF] academia.edu").
 */
const SIDE_LINK = '.gs_ggs a[href]';
/** The label on the side link ("[PDF]", "[HTML]"), 2016 and 2026. */
const SIDE_LINK_LABEL = '.gs_ctg2';
/** "Cited by N" (2016: plain link in `div.gs_fl`; 2026: `a.gs_or_cited`): found by its href. */
const CITED_BY_LINK = 'a[href*="/scholar?cites="]';
/** Path of Scholar's click-through wrapper (see unwrapScholarUrl). */
const SCHOLAR_URL_PATH = '/scholar_url';
/** "All N versions" (2016 and 2026: `a.gs_nph[href^="/scholar?cluster="]`). */
const CLUSTER_LINK = 'a[href*="/scholar?cluster="]';

/**
 * Leading type tags left in the title text when the tag spans are missing or renamed: English
 * and the interface languages whose words differ (de "[BUCH][B]", "[ZITATION][Z]"; fr "[LIVRE]";
 * es/it "[LIBRO]", "[CITAS]", "[CITAZIONE]"; pt "[LIVRO]", "[CITAÇÃO]").
 */
const LEADING_TAGS =
  /^(?:\[(?:PDF|HTML|CITATION|C|BOOK|B|DOC|PS|RTF|XML|BUCH|ZITATION|Z|LIVRE|L|LIBRO|CITAS|CITAZIONE|LIVRO|CITAÇÃO)\]\s*)+/iu;
/** A year at the end of the venue part: "CoRR, abs/1206.5538, 2012" or just "2015". */
const TRAILING_YEAR = /(?:^|[\s,])((?:1[5-9]|20)\d{2})$/;
/** arXiv id printed in the venue: "arXiv preprint arXiv:1412.6980" (Scholar's own wording). */
const VENUE_ARXIV = /\barXiv:\s*(\d{4}\.\d{4,5}(?:v\d+)?)/i;
/** DBLP-style venue for an arXiv paper: "CoRR, abs/1206.5538" (CoRR is arXiv's CS section). */
const VENUE_CORR = /\bCoRR\b.*?\babs\/(\d{4}\.\d{4,5}|[a-z-]+\/\d{7})/i;
/** A DOI inside a URL path or query value, starting at a segment boundary. */
const DOI_IN_URL = /(?:^|\/)(10\.\d{4,9}\/.+)$/;
/**
 * The count in a "Cited by" link in any interface language: "Cited by 1,234", "Zitiert von: 1.234",
 * "Cité 1 234 fois" (no-break spaces), "被引用次数：1234". Digit groups of three joined by a
 * separator are one number; Scholar prints citation counts in full (never "1.2k").
 */
const CITED_COUNT = /\d{1,3}(?:[\s.,'\u2019\u00a0\u202f]\d{3})+(?!\d)|\d+/;
/** Publisher path suffixes after a DOI that are views, not part of it (old Wiley `/doi/…/full`). */
const DOI_VIEW_SUFFIX = /\/(?:full|abstract|pdf|epdf|summary|fulltext|html|meta|references)$/i;
/** Hosts whose paper paths put a version and a view after the DOI (bioRxiv, medRxiv). */
const PREPRINT_HOSTS = /(?:^|\.)(?:biorxiv|medrxiv)\.org$/i;
/** `v2`, `v2.full`, `v1.abstract`, `.full-text` at the end of a bioRxiv/medRxiv DOI path. */
const PREPRINT_VIEW_SUFFIX =
  /(?:v\d+)?(?:\.(?:full|abstract|full-text|short|supplementary-material|article-info|article-metrics))*$/i;

// ---- Helpers (exported for tests) -----------------------------------------------------------

/**
 * arXiv hosts whose `/abs/`, `/pdf/` and `/html/` paths name a paper: arXiv itself and its
 * HTML rendering ar5iv (Scholar indexes both; "[HTML] arxiv.org" side links go to `/html/<id>`).
 */
const ARXIV_HOSTS = new Set([
  'arxiv.org',
  'www.arxiv.org',
  'export.arxiv.org',
  'ar5iv.labs.arxiv.org',
  'ar5iv.org',
]);

/**
 * The arXiv id in an arxiv.org `/abs/<id>`, `/pdf/<id>` or `/html/<id>` URL, else null. Other
 * hosts are ignored even when their path looks like an id, because Scholar links mirrors and
 * repositories whose paths can contain unrelated numbers.
 */
export function arxivIdFromUrl(href: string): { id: string; version?: number } | null {
  const u = safeUrl(href);
  if (!u || !ARXIV_HOSTS.has(u.hostname.toLowerCase())) return null;
  // The id is at the start of the rest of the path, which may go on (`/pdf/<id>v2.pdf`, an old-style
  // `/abs/hep-th/9901001`, a file of the HTML rendering `/html/2401.00001v1/x1.png`).
  const m = /^\/(?:abs|pdf|html)\/(.+)$/.exec(u.pathname);
  return m?.[1] ? parseArxivId(m[1]) : null;
}

/** Hosts of the ACL Anthology, today's and the old one Scholar still links (2016 results). */
const ACL_HOSTS = new Set([
  'aclanthology.org',
  'www.aclanthology.org',
  'aclweb.org',
  'www.aclweb.org',
]);
/** The DOI prefix the ACL Anthology registers its papers under: `10.18653/v1/<anthology id>`. */
const ACL_DOI = /^10\.18653\/v1\/([^/?#]+)$/i;

/** An Anthology id as the Anthology spells it (`P19-1001`, `2023.acl-long.1`), else null. */
function anthologyId(raw: string): string | null {
  const id = /^[a-z]\d{2}-\d{4}$/i.test(raw) ? raw.toUpperCase() : raw.toLowerCase();
  return isAnthologyId(id) && !isFrontMatter(id) ? id : null;
}

/**
 * The ACL Anthology id a link names, else null: a paper page or PDF on aclanthology.org
 * (`/2023.acl-long.1/`, `/P19-1001.pdf`, a revision `/P19-1001v2.pdf`), the old
 * `www.aclweb.org/anthology/P19-1001[.pdf]` (also `/anthology/P/P19/P19-1001.pdf`), or an
 * Anthology DOI `doi.org/10.18653/v1/P19-1001`. Front matter is no paper and gives none.
 */
export function aclIdFromUrl(href: string): string | null {
  const u = safeUrl(href);
  if (!u) return null;
  const doi = doiFromUrl(href);
  const fromDoi = doi ? ACL_DOI.exec(doi) : null;
  if (fromDoi?.[1]) return anthologyId(fromDoi[1]);
  const host = u.hostname.toLowerCase();
  if (!ACL_HOSTS.has(host)) return null;
  const path = u.pathname.replace(/\/+$/, '');
  const m = host.endsWith('aclweb.org')
    ? /^\/anthology\/(?:[A-Z]\/[A-Z]\d{2}\/)?([^/]+)$/i.exec(path)
    : /^\/([^/]+)$/.exec(path);
  const file = m?.[1]?.replace(/\.pdf$/i, '');
  if (!file) return null;
  return (
    anthologyId(file) ?? (/v\d+$/i.test(file) ? anthologyId(file.replace(/v\d+$/i, '')) : null)
  );
}

/**
 * The DOI a publisher URL carries, as printed, or null: `doi.org/10.…`, and paths such as
 * `link.springer.com/article/10.1007/…`, `dl.acm.org/doi/abs/10.1145/…`,
 * `onlinelibrary.wiley.com/doi/10.1002/…/full`, `pubs.acs.org/doi/abs/10.1021/…`, or a query value
 * (`journals.plos.org/…?id=10.1371/…`). Trailing `.pdf` and view segments (`/full`, `/abstract`)
 * are dropped. CiteSeerX's `doi=10.1.1.…` pseudo-DOIs fail the DOI syntax and are rejected.
 */
export function doiFromUrl(href: string): string | null {
  const u = safeUrl(href);
  if (!u) return null;
  const candidates = [safeDecode(u.pathname)];
  for (const value of u.searchParams.values()) candidates.push(value);
  for (const text of candidates) {
    const m = DOI_IN_URL.exec(text);
    if (!m?.[1]) continue;
    let doi = m[1].replace(/\/+$/, '');
    // Emerald: `/doi/10.1108/…/full/html`, `/full/pdf`: view segments can come in pairs.
    for (let prev = ''; prev !== doi;) {
      prev = doi;
      doi = doi.replace(DOI_VIEW_SUFFIX, '').replace(/\.pdf$/i, '');
    }
    // bioRxiv/medRxiv: `/content/10.1101/2020.03.22.002386v2.full.pdf`: version and view
    // (`.full`, `.abstract`, `.full-text`) follow the DOI, which names no version.
    if (PREPRINT_HOSTS.test(u.hostname)) doi = doi.replace(PREPRINT_VIEW_SUFFIX, '');
    if (normalizeDoi(doi)) return doi;
  }
  return null;
}

/** What the "Authors - Venue, Year - Host" line says. Fields are absent when the line lacks them. */
export interface AuthorLine {
  authors: string[];
  venue?: string;
  year?: number;
}

/**
 * Splits Scholar's author line. Authors come before the first " - " (commas between them; a
 * trailing "…" means Scholar cut the list, and is dropped). Then "Venue, Year" and finally the
 * host ("dl.acm.org", "Elsevier"). With only two parts the second is either "Venue, Year" or a
 * bare host; a bare host (one word with a dot, no year) is not taken as a venue.
 */
export function parseAuthorLine(text: string): AuthorLine {
  // Scholar separates the parts with " - " (sometimes no-break spaces, which cleanText folds).
  const parts = ` ${cleanText(text)} `.split(/\s-\s/).map((p) => p.trim());
  const authors = (parts[0] ?? '')
    .split(',')
    .map((a) => a.replace(/(?:…|\.\.\.)/g, '').trim())
    .filter((a) => a.length > 0);
  const out: AuthorLine = { authors };
  if (parts.length < 2) return out;
  const middle = parts.length >= 3 ? parts.slice(1, -1).join(' - ') : (parts[1] ?? '');
  const yearMatch = TRAILING_YEAR.exec(middle);
  if (yearMatch?.[1]) out.year = Number(yearMatch[1]);
  let venue = yearMatch ? middle.slice(0, yearMatch.index).trim() : middle;
  venue = venue.replace(/,\s*$/, '').trim();
  const bareHost = parts.length === 2 && !yearMatch && /^[^\s]+\.[a-z]{2,}$/i.test(venue);
  if (venue && !bareHost) out.venue = venue;
  return out;
}

/**
 * The title text of `h3.gs_rt` without its type tag ("[PDF]", "[CITATION][C]", "[BOOK][B]").
 * The tag spans are skipped by class; LEADING_TAGS catches a tag left as plain text.
 */
export function titleText(h3: Element): string {
  let text = '';
  for (const node of Array.from(h3.childNodes)) {
    if (node.nodeType === 1 && (node as Element).matches(TITLE_TAG)) continue;
    text += node.textContent ?? '';
  }
  return cleanText(text).replace(LEADING_TAGS, '').trim();
}

function safeUrl(href: string, base?: string): URL | null {
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The link a Scholar click-through wrapper leads to, else the URL itself. On a click or a
 * right-click (to open in a new tab), the page's own script (2016 and 2026 pages alike) rewrites a
 * result link whose `data-clk` carries `scisig=` into
 * `https://scholar.google.<tld>/scholar_url?url=<the link>&hl=…&scisig=…`; the card still shows
 * the same paper, so it must read the same: the wrapped link's arXiv id, DOI and address.
 */
function unwrapScholarUrl(u: URL): URL {
  if (!HOST_SET.has(u.hostname.toLowerCase()) || u.pathname !== SCHOLAR_URL_PATH) return u;
  const target = safeUrl(u.searchParams.get('url') ?? '');
  return target && (target.protocol === 'https:' || target.protocol === 'http:') ? target : u;
}

/** A link's href with Scholar's click-through wrapper removed (see unwrapScholarUrl). */
function linkHref(a: Element | null | undefined, base: string): string | null {
  const href = a?.getAttribute('href');
  if (!href || !href.includes(SCHOLAR_URL_PATH)) return href ?? null;
  const u = safeUrl(href, base);
  // The script wraps the attribute as written (encodeURIComponent of the href), so the `url`
  // value is the very href the card had before.
  return u && unwrapScholarUrl(u) !== u ? (u.searchParams.get('url') ?? href) : href;
}

/** An absolute http(s) URL for a link, or undefined (`javascript:`, `#`, unparsable). */
function absoluteHref(a: Element | null | undefined, base: string): string | undefined {
  const href = a?.getAttribute('href');
  if (!href || href.startsWith('#')) return undefined;
  const raw = safeUrl(href, base);
  const u = raw && unwrapScholarUrl(raw);
  return u && (u.protocol === 'https:' || u.protocol === 'http:') ? u.href : undefined;
}

/** True for a "User profiles for …" block: its title links to Scholar's author search. */
function isProfileBlock(card: Element): boolean {
  const href = card.querySelector(TITLE_LINK)?.getAttribute('href') ?? '';
  return /^(?:https?:\/\/[^/]+)?\/citations\?/.test(href);
}

/** The document's base URL (the page URL unless a `<base>` says otherwise). */
function baseOf(card: Element, doc: Document): string {
  return card.ownerDocument.baseURI || doc.URL;
}

// ---- Adapter --------------------------------------------------------------------------------

/** Google Scholar result lists (search, "All versions" cluster, "Cited by" lists, My library). */
export const scholar: SiteAdapter = {
  id: 'scholar',
  name: 'Google Scholar',
  matches: SCHOLAR_HOSTS.map((host) => `https://${host}/scholar*`),

  detect(url: URL): PageMatch | null {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (!HOST_SET.has(url.hostname.toLowerCase())) return null;
    // Profiles (/citations), the home page and /scholar_alerts etc. are not result lists.
    if (url.pathname !== '/scholar') return null;
    const isList = RESULT_PARAMS.some((p) => (url.searchParams.get(p) ?? '').trim() !== '');
    return isList ? { site: 'scholar', kind: 'results', listing: true } : null;
  },

  findCards(root: ParentNode): Element[] {
    const blocks = Array.from(root.querySelectorAll(CARD)).filter((el) => {
      const h3 = el.querySelector(`${BODY} ${TITLE}`);
      return h3 !== null && titleText(h3) !== '' && !isProfileBlock(el);
    });
    // A block nested in another block would be read twice; keep the outermost.
    return blocks.filter((el) => !blocks.some((other) => other !== el && other.contains(el)));
  },

  cardIdentity(card: Element): string | null {
    const cid = card.getAttribute('data-cid');
    if (cid) return cid;
    // Unwrapped: the page rewrites the href on a right-click, which is not another paper.
    const href = linkHref(card.querySelector(TITLE_LINK), baseOf(card, card.ownerDocument));
    if (href) return href;
    const h3 = card.querySelector(TITLE);
    const title = h3 ? titleText(h3) : '';
    return title || null;
  },

  readCard(card: Element, _page: PageMatch, doc: Document): PaperCandidate | null {
    const h3 = card.querySelector(TITLE);
    if (!h3) return null;
    const title = titleText(h3);
    if (!title) return null;
    const base = baseOf(card, doc);

    const titleLink = card.querySelector(TITLE_LINK);
    const titleHref = absoluteHref(titleLink, base);
    // Every full-text link beside the result: there can be more than one (a library's
    // "Find it@…" link before or after the "[PDF]" one), and any of them may be the arXiv copy.
    const sideLinks = Array.from(card.querySelectorAll(SIDE_LINK)).flatMap((a) => {
      const href = absoluteHref(a, base);
      return href ? [{ a, href }] : [];
    });
    const sideHrefs = sideLinks.map((l) => l.href);
    const pdfHref = sideLinks.find(
      ({ a, href }) =>
        /\[PDF\]/i.test(cleanText(a.querySelector(SIDE_LINK_LABEL)?.textContent)) ||
        /\.pdf(?:$|[?#])/i.test(href),
    )?.href;

    const citedBy = card.querySelector(CITED_BY_LINK);
    const clusterHref = absoluteHref(card.querySelector(CLUSTER_LINK), base);
    const c: PaperCandidate = {
      title,
      // A "[CITATION]" result has no title link: point at Scholar's own page for the paper (its
      // versions list). Scholar uses the same number for `cites=` and `cluster=` of one paper.
      // The first of these that fits the protocol: a Google Books link repeats the query in
      // `dq=` and passes LIMITS.url for a long (percent-encoded CJK) query; the card was dropped.
      url:
        [titleHref, clusterHref, clusterFromCites(citedBy, base), doc.URL].find(
          (u) => u !== undefined && u.length <= LIMITS.url,
        ) ??
        titleHref ??
        doc.URL,
    };

    const line = card.querySelector(AUTHOR_LINE);
    const lineText = cleanText(line?.textContent);
    if (lineText) {
      const parsed = parseAuthorLine(lineText);
      if (parsed.authors.length) c.authors = parsed.authors;
      if (parsed.venue) c.venue = parsed.venue;
      if (parsed.year) c.year = parsed.year;
    }

    const links = titleHref ? [titleHref, ...sideHrefs] : sideHrefs;
    const arxiv = firstOf(links, arxivIdFromUrl) ?? venueArxivId(lineText);
    if (arxiv) {
      c.arxivId = arxiv.id;
      if (arxiv.version) c.version = arxiv.version;
    }
    const doi = firstOf(links, doiFromUrl);
    if (doi) c.doi = doi;
    // An Anthology paper's link or DOI names its Anthology id, under which the ACL Anthology
    // pages key it (acl:<id>): with it the Scholar card and the Anthology cards are one record.
    const aclId = firstOf(links, aclIdFromUrl);
    if (aclId) c.aclId = aclId;

    if (pdfHref) c.pdfUrl = pdfHref;
    if (citedBy) {
      const n = citationCount(citedBy.textContent ?? '');
      if (n !== undefined) c.citations = n;
    }
    // No abstract: `div.gs_rs` is a snippet Scholar cuts to a few lines (often mid-sentence, with
    // "…"); storing it as the abstract would hide the real one fetched later.
    return c;
  },

  mountPoint(card: Element): MountPoint | null {
    const h3 = card.querySelector(TITLE);
    return h3 ? { anchor: h3, position: 'after' } : null;
  },
};

/** The first non-null answer of `read` over `hrefs` (in order), or null. */
function firstOf<T>(hrefs: readonly string[], read: (href: string) => T | null): T | null {
  for (const href of hrefs) {
    const v = read(href);
    if (v !== null) return v;
  }
  return null;
}

/** The number of a "Cited by" link's text in any interface language, or undefined. */
export function citationCount(text: string): number | undefined {
  const m = CITED_COUNT.exec(text);
  if (!m) return undefined;
  const n = Number(m[0].replace(/\D/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The arXiv id a venue text names ("arXiv preprint arXiv:1412.6980", "CoRR, abs/1206.5538"). */
function venueArxivId(text: string): { id: string; version?: number } | null {
  const m = VENUE_ARXIV.exec(text) ?? VENUE_CORR.exec(text);
  return m?.[1] ? parseArxivId(m[1]) : null;
}

/** `/scholar?cluster=<id>` built from a "Cited by" link's `cites=<id>`, or undefined. */
function clusterFromCites(citedBy: Element | null, base: string): string | undefined {
  const href = citedBy?.getAttribute('href');
  const u = href ? safeUrl(href, base) : null;
  const id = u?.searchParams.get('cites');
  if (!u || !id || !/^\d+$/.test(id)) return undefined;
  return `${u.origin}/scholar?cluster=${id}`;
}
