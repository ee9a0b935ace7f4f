/**
 * arXiv adapter: category listings (`/list/<cat>/new`, `/recent`, `/pastweek`, month and year
 * listings, `/catchup/…`), author pages (`/a/<author id>`), proceedings indexes served at
 * `/html/<id>`, abstract pages (`/abs/<id>`) and search results (`/search/…`).
 *
 * Markup this file reads (see tests/fixtures/pages/arxiv and DOM.md §2):
 * - listings: a card is a `dt`/`dd` pair with no wrapper; the `dt` holds the abstract link, the
 *   `dd` the title, authors, subjects and (on `/new` only) the abstract. 2024+ pages put the link
 *   straight in the `dt`; pre-2024 pages wrapped it in `span.list-identifier`.
 * - abs pages: one paper in `div#abs` (same ids and classes in the 2024 and 2026 templates).
 * - search (2025): one `li.arxiv-result` per paper.
 *
 * Everything here is pure DOM reading: no work at import time, no `innerHTML`, no globals such as
 * `Node` (tests run under Node with a happy-dom document, content scripts in the page).
 */
import { cleanText, normalizeDoi, parseArxivId } from '../paper';
import { taskMemo } from './memo';
import type { ListingSection, PaperCandidate } from '../paper';
import type { MountPoint, PageMatch, SiteAdapter } from './types';

// ---------------------------------------------------------------------------------------------
// Selectors. Each names the page version it serves.
// ---------------------------------------------------------------------------------------------

/**
 * The abstract link of a listing `dt`. 2024+: `dt > a[title="Abstract"]` (also has `id="<id>"`);
 * pre-2024: `dt > span.list-identifier > a[title="Abstract"]` (no `id`). Both carry
 * `title="Abstract"` and `href="/abs/<id>"`, so one descendant selector serves both.
 */
const LIST_ABS_LINK = 'a[title="Abstract"][href*="/abs/"]';
/** "View HTML" link of a listing `dt` (2024+ only); its href names the latest version. */
const LIST_HTML_LINK = 'a[href*="/html/"]';
/** Title of a listing `dd` (2024+ and pre-2024): `div.list-title.mathjax`. */
const LIST_TITLE = 'div.list-title';
/** Author links of a listing `dd` (2024+ and pre-2024; pre-2024 also has a "Authors:" span). */
const LIST_AUTHORS = 'div.list-authors a';
/** Subjects of a listing `dd` (2024+ and pre-2024). */
const LIST_SUBJECTS = 'div.list-subjects';
/** Abstract of a listing `dd`: `p.mathjax`, only on `/new` (2024+ and pre-2024). */
const LIST_ABSTRACT = 'p.mathjax';
/**
 * Journal reference of a listing `dd`, when the authors gave one (2024+ and pre-2024):
 * `div.list-journal-ref > span.descriptor "Journal-ref:"` + text.
 */
const LIST_JOURNAL_REF = 'div.list-journal-ref';

/** The abs page's paper block, 2024 (Cornell header) and 2026 (ds-site-header) templates. */
const ABS_CARD = 'div#abs';
/** Abs page title, both templates: `h1.title.mathjax > span.descriptor "Title:"` + text. */
const ABS_TITLE = 'h1.title';
/**
 * Abs page author links, both templates. Past 100 authors the rest sit in a hidden
 * `div#long-author-list` (kept: they are authors), followed by the `a#toggle`
 * `href="javascript:…"` link "et al. (N additional authors not shown)", which is not a name.
 */
const ABS_AUTHORS = 'div.authors a:not(#toggle):not([href^="javascript:"])';
/** Abs page abstract, both templates: `blockquote.abstract > span.descriptor "Abstract:"` + text. */
const ABS_ABSTRACT = 'blockquote.abstract';
/** "[Submitted on … (this version, v3)]", both templates (the version only when there are several). */
const ABS_DATELINE = 'div.dateline';
/** The first submission's date at the start of the dateline: "[Submitted on 9 Sep 2026". */
const ABS_DATELINE_DATE = /Submitted on\s+(\d{1,2})\s+([A-Za-z]{3,})\.?\s+(\d{4})/;
/** Subjects cell of the metatable, both templates. */
const ABS_SUBJECTS = 'td.subjects';
/** Journal DOI cell of the metatable (present only when the authors gave one; not the DataCite DOI). */
const ABS_DOI = 'td.doi';
/**
 * Metatable cells of class `jref`, both templates. arxiv-browse's abs.html gives this class to the
 * "Journal&nbsp;reference:" cell and also to the "Report&nbsp;number:" cell, so the row's label
 * (`ABS_JOURNAL_REF_LABEL`) tells which is which.
 */
const ABS_JREF_CELL = 'td.jref';
/** The label cell of the journal reference row ("Journal reference:", with a no-break space). */
const ABS_JOURNAL_REF_LABEL = /^journal\s*reference\b/i;
/** "Cite as: arXiv:<id>" link, both templates. */
const ABS_ID_LINK = 'td.arxivid a[href*="/abs/"]';
/** "(or arXiv:<id>v<n> for this version)" link, both templates. */
const ABS_VERSION_LINK = 'td.arxividv a[href*="/abs/"]';
/** Page metadata of the abs page (head), both templates. */
const META_ARXIV_ID = 'meta[name="citation_arxiv_id"]';
const META_AUTHOR = 'meta[name="citation_author"]';
const META_DATE = 'meta[name="citation_date"]';
const META_OG_URL = 'meta[property="og:url"]';

/** One search result (search 2025). */
const SEARCH_CARD = 'li.arxiv-result';
/** The result's "arXiv:<id>" link (search 2025). */
const SEARCH_ID_LINK = 'p.list-title a[href*="/abs/"]';
/** The result's title, whitespace-padded, query terms in `span.search-hit` (search 2025). */
const SEARCH_TITLE = 'p.title';
/** Author links (search 2025). */
const SEARCH_AUTHORS = 'p.authors a';
/** Full abstract, hidden until "More" (search 2025); its id is `<id>v<n>-abstract-full`. */
const SEARCH_ABSTRACT = 'span.abstract-full';
/** Category tags, primary first (search 2025). The DOI tags sit in a separate `div.tags.has-addons`. */
const SEARCH_CATEGORIES = 'div.tags.is-inline-block > span.tag';
/** Journal DOI link shown as a "doi" tag (search 2025). */
const SEARCH_DOI = 'div.tags.has-addons a[href*="doi.org/"]';
/**
 * Extra lines of a result (search 2025, arxiv-search search-macros): `p.comments.is-size-7`, one
 * each for "Comments:", "Report number: / MSC Class: / ACM Class:" and "Journal ref:", each
 * starting with its label in a `span`.
 */
const SEARCH_EXTRA_LINES = 'p.comments';
/** The label of the journal reference line (search 2025). */
const SEARCH_JOURNAL_REF_LABEL = /^journal ref:\s*/i;
/** Small print lines: "Submitted 2 December, 2025; originally announced …" (search 2025). */
const SEARCH_SMALL_PRINT = 'p.is-size-7';
/** "Submitted 2 December, 2025" in the small print: the date of the version the result shows. */
const SEARCH_DATE = /Submitted\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})/;
/** "v1 submitted 8 December, 2025", printed only when the result is a later version. */
const SEARCH_V1_DATE = /\bv1\s+submitted\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})/;

/** A listing `dt`'s own note on a cross-listed entry (2024+ list_macros `type_info`). */
const TYPE_INFO_CROSS = /\(cross-list from\b/i;
/** A listing `dt`'s own note on a replaced entry (2024+ list_macros `type_info`). */
const TYPE_INFO_REPLACED = /\(replaced\)/i;

/** Labels such as "Title:", "Authors:", "Abstract:" (listings and abs pages, all versions). */
const DESCRIPTOR_CLASS = 'descriptor';

// ---------------------------------------------------------------------------------------------
// Page kinds (URL only).
// ---------------------------------------------------------------------------------------------

const HOSTS = new Set(['arxiv.org', 'www.arxiv.org']);
/** An archive or category: `cs`, `hep-th`, `cond-mat.mtrl-sci`, `math.AG`. */
const CAT = '[A-Za-z][A-Za-z-]*(?:\\.[A-Za-z][A-Za-z-]*)?';
const LIST_NEW_PATH = new RegExp(`^/list/${CAT}/new/?$`);
const LIST_RECENT_PATH = new RegExp(`^/list/${CAT}/(?:recent|pastweek)/?$`);
/**
 * Month and year listings, as arxiv-browse's `list_page.get_listing` accepts them: `current` (this
 * month), digits (`<YY>`, `<YYMM>`, `<YYYY>`, `<YYYYMM>`; the non-canonical ones redirect) and
 * `<YYYY>-<M>` / `<YYYY>-<MM>`.
 */
const LIST_MONTH_PATH = new RegExp(
  `^/list/${CAT}/(?:current|\\d{2}|\\d{4}|\\d{6}|\\d{4}-\\d{1,2})/?$`,
);
/** The listing form's target: `/list?archive=<cat>&year=<YYYY>&month=<MM|all>` (same templates). */
const LIST_FORM_PATH = /^\/list\/?$/;
/**
 * Catch-up listings `/catchup/<cat>/<YYYY-MM-DD>` (arxiv-browse `catchup.html`: the /new sections;
 * `catchup_page` also accepts the physics group `grp_physics` as subject).
 */
const CATCHUP_PATH = new RegExp(`^/catchup/(?:${CAT}|grp_physics)/\\d{4}-\\d{2}-\\d{2}/?$`);
/**
 * Author pages `/a/<author id>` and `/a/<author id>.html` (arxiv-browse `list/author.html`: the
 * listings' `item_list` macro, so the same `dt`/`dd` cards, no abstracts). The id is an arXiv
 * author id (`hinton_g_1`) or an ORCID iD; `.atom`, `.atom2` and `.json` are feeds, not pages.
 */
const AUTHOR_PATH = /^\/a\/[A-Za-z0-9_-]+(?:\.html)?\/?$/;
/**
 * `/html/<id>[v<n>][/<file>.html]`: a LaTeXML rendering of a paper (no cards) or the HTML of an
 * HTML-source submission, typically a workshop's proceedings index. There arxiv-browse
 * (`html_processing.post_process_html`) replaces each "LIST:arXiv:<id>" / "ABS:arXiv:<id>" line by
 * `<dl>` + `list/conference_item.html`: a listing `dt`/`dd` card without the `[n]` anchor (and
 * with the abstract only for ABS:). Assets (`/html/<id>v1/x1.png`) are not pages.
 */
const HTML_PATH =
  /^\/html\/(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?(?:\/(?:[\w-]+(?:\.[\w-]+)*\.html?)?)?$/;
/** New-style (`2401.00001`) or old-style (`hep-th/9901001`, `math.AG/0601001`) id, version optional. */
const ABS_PATH = /^\/abs\/(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?\/?$/;
/** Legacy `/abs?id=<id>` (arxiv-browse `bare_abs` renders the abs page at that address). */
const BARE_ABS_ID = /^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/;
/**
 * The other legacy forms `bare_abs` renders: `/abs?archive=hep-th&papernum=9901001` (the id is
 * `<archive>/<papernum>`) and `/abs?hep-th/9901001` (an old-style id as a bare parameter).
 */
const BARE_ABS_ARCHIVE = /^[a-z][a-z-]*(?:\.[A-Z]{2})?$/;
const BARE_ABS_PAPERNUM = /^\d{7}(?:v\d+)?$/;
const BARE_ABS_SINGLETON = /^[a-z-]+(?:\.[A-Z]{2})?\/\d{7}$/;
/**
 * `/search`, `/search/`, `/search/<archives>` and `/search/advanced[/<archives>]`, with or without
 * results (arxiv-search ui.py: `<archives>` is one archive or a comma-separated list, `cs,math`;
 * the advanced form with archives preselected renders results with the same macro).
 */
const SEARCH_PATH = /^\/search(?:\/advanced)?(?:\/[A-Za-z][A-Za-z-]*(?:,[A-Za-z][A-Za-z-]*)*)?\/?$/;

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

const ORIGIN = 'https://arxiv.org';
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/**
 * Elements MathJax 2 adds when it typesets (`MathJax_Preview`, `MathJax`, `MathJax_CHTML`,
 * `MathJax_SVG`, `MathJax_Display`, `MJX_Assistive_MathML`, `mjx-chtml`). Case matters: arXiv's
 * own marker class is lower-case `mathjax`, which must not match.
 */
const MATHJAX_RENDERING_CLASS = /(?:^|\s)(?:MathJax\w*|MJX\w*|mjx-\w+)(?:\s|$)/;

/**
 * Text of an element as the server sent it, whether or not MathJax has run. MathJax 2 (arXiv
 * loads 2.7) replaces `$x_2$` by rendered spans full of glyphs and keeps the TeX in a
 * `script[type="math/tex"]`; reading `textContent` afterwards would give "x2x_2". So the rendered
 * spans are skipped and the TeX is put back between dollars. Labels (`span.descriptor`) and other
 * scripts are skipped. Never parses markup: only text nodes are read.
 */
function sourceText(el: Element): string {
  let out = '';
  for (const node of Array.from(el.childNodes)) {
    if (node.nodeType === TEXT_NODE) {
      out += node.nodeValue ?? '';
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    const child = node as Element;
    const tag = child.tagName.toLowerCase();
    if (tag === 'script') {
      const type = child.getAttribute('type') ?? '';
      if (type.startsWith('math/tex')) {
        const delim = type.includes('mode=display') ? '$$' : '$';
        out += `${delim}${child.textContent ?? ''}${delim}`;
      }
      continue;
    }
    if (tag === 'style' || tag === 'noscript') continue;
    // MathJax 3 keeps no TeX source; its assistive MathML is the best plain text left.
    if (tag === 'mjx-container') {
      out += child.querySelector('mjx-assistive-mml')?.textContent ?? '';
      continue;
    }
    const cls = child.getAttribute('class') ?? '';
    if (MATHJAX_RENDERING_CLASS.test(cls)) continue;
    if (child.classList.contains(DESCRIPTOR_CLASS)) continue;
    if (tag === 'br') {
      out += ' ';
      continue;
    }
    out += sourceText(child);
  }
  return out;
}

/** Cleaned source text of the first match of `selector` under `root`, '' when there is none. */
function textOf(root: ParentNode, selector: string): string {
  const el = root.querySelector(selector);
  return el ? cleanText(sourceText(el)) : '';
}

/** Cleaned text of every match (author links), empty strings dropped. */
function textsOf(root: ParentNode, selector: string): string[] {
  return Array.from(root.querySelectorAll(selector))
    .map((el) => cleanText(el.textContent))
    .filter((t) => t.length > 0);
}

/** A category code (`cs.LG`, `cond-mat.mtrl-sci`, `hep-th`, `math-ph`). */
const CATEGORY_CODE = /^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$/;
/** The codes in parentheses of a subjects line: "Materials Science (cond-mat.mtrl-sci); …". */
const CATEGORY_IN_PARENS = /\(([a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?)\)/g;

/**
 * Category codes of a subjects element, primary first. The primary subject is the
 * `span.primary-subject`; it comes first in the text too, but reading it first does not rely on that.
 */
function subjectCodes(el: Element | null): string[] | undefined {
  if (!el) return undefined;
  const primary = el.querySelector('.primary-subject')?.textContent ?? '';
  const codes: string[] = [];
  for (const text of [primary, el.textContent ?? '']) {
    for (const m of text.matchAll(CATEGORY_IN_PARENS)) {
      if (m[1] && !codes.includes(m[1])) codes.push(m[1]);
    }
  }
  return codes.length ? codes : undefined;
}

/** Title text without a leading "Title:" label (for cards whose label is not a `span.descriptor`). */
function stripLabel(text: string, label: string): string {
  return text.startsWith(label) ? text.slice(label.length).trim() : text;
}

/** `{ id, version }` from an href or text, version only when the string carries one. */
function idFrom(text: string | null | undefined): { id: string; version?: number } | null {
  return text ? parseArxivId(text) : null;
}

/** The version a string names for paper `id` (`…/html/2411.19270v2`), ignoring other papers. */
function versionFor(id: string, text: string | null | undefined): number | undefined {
  const parsed = idFrom(text);
  return parsed && parsed.id === id ? parsed.version : undefined;
}

/** A journal DOI as printed, without `https://doi.org/`; undefined for non-DOIs and arXiv's own DataCite DOI. */
function journalDoi(text: string | null | undefined): string | undefined {
  const raw = cleanText(text)
    .replace(/^https?:\/\/(dx\.)?doi\.org\//i, '')
    .split(/\s+/)[0];
  if (!raw) return undefined;
  const doi = normalizeDoi(raw);
  if (!doi || doi.startsWith('10.48550/')) return undefined;
  return raw;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** "2 December, 2025" or "9 Sep 2026" → "2025-12-02"; undefined when it is not such a date. */
function dayMonthYear(day: string, month: string, year: string): string | undefined {
  const name = month.toLowerCase();
  const m = MONTHS.findIndex((n) => n === name || (name.length === 3 && n.startsWith(name))) + 1;
  const d = Number(day);
  if (m < 1 || d < 1 || d > 31) return undefined;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The fields every card gets from its id. */
function idFields(
  id: string,
  version: number | undefined,
): Pick<PaperCandidate, 'arxivId' | 'version' | 'url' | 'pdfUrl'> {
  return {
    arxivId: id,
    ...(version ? { version } : {}),
    url: `${ORIGIN}/abs/${id}`,
    // Built rather than read: the 2024 abs page's citation_pdf_url points at the dev server
    // (http://localhost/pdf/…), and the unversioned PDF is always the latest one.
    pdfUrl: `${ORIGIN}/pdf/${id}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Listings.
// ---------------------------------------------------------------------------------------------

/** The `dd` that belongs to a listing `dt` (its next element sibling), or null. */
function ddOf(dt: Element): Element | null {
  const next = dt.nextElementSibling;
  return next && next.tagName === 'DD' ? next : null;
}

/**
 * Section headings of `/new`: 2024+ "New submissions (showing 45 of 45 entries)", "Cross
 * submissions (…)", "Replacement submissions (…)"; pre-2024 "New submissions for Thu, 2 Mar 23",
 * "Cross-lists for …", "Replacements for …". The page-level "Showing new listings for …" h3 is
 * not a section heading (and does not match: the patterns are anchored).
 */
const SECTION_HEADINGS: ReadonlyArray<readonly [RegExp, ListingSection]> = [
  [/^new submissions/i, 'new'],
  [/^cross/i, 'cross'],
  [/^replace/i, 'replacement'],
];

function sectionOfHeading(el: Element): ListingSection | undefined {
  if (el.tagName !== 'H3') return undefined;
  const text = cleanText(el.textContent);
  return SECTION_HEADINGS.find(([re]) => re.test(text))?.[1];
}

/**
 * Per parent element, for one scan: the section heading in effect before each child. Built in one
 * pass over the children, so a 1,000-entry listing is not walked back once per card.
 */
const sectionMaps = taskMemo<Element, Map<Element, ListingSection | undefined>>();

/** The first section heading among `el`'s preceding element siblings, nearest first. */
function precedingSection(el: Element): ListingSection | undefined {
  const parent = el.parentElement;
  if (!parent) return undefined;
  return sectionMaps
    .get(parent, () => {
      const map = new Map<Element, ListingSection | undefined>();
      let current: ListingSection | undefined;
      for (let c = parent.firstElementChild; c; c = c.nextElementSibling) {
        map.set(c, current);
        current = sectionOfHeading(c) ?? current;
      }
      return map;
    })
    .get(el);
}

/**
 * Which `/new` section a card is in: the nearest preceding section heading. 2024+ puts the `h3`
 * inside each section's `dl` (before its `dt`s); pre-2024 put it before the `dl`.
 */
function sectionOf(dt: Element): ListingSection | undefined {
  const inside = precedingSection(dt);
  if (inside) return inside;
  const dl = dt.parentElement;
  return dl && dl.tagName === 'DL' ? precedingSection(dl) : undefined;
}

/** A listing card's id (abstract link), its `dd` and title; null when it lacks any of them. */
function listingHead(
  dt: Element,
): { parsed: { id: string; version?: number }; dd: Element; title: string } | null {
  const link = dt.querySelector(LIST_ABS_LINK);
  const parsed = idFrom(link?.getAttribute('href')) ?? idFrom(link?.id);
  const dd = ddOf(dt);
  if (!parsed || !dd) return null;
  const titleEl = dd.querySelector(LIST_TITLE);
  const title = titleEl ? stripLabel(cleanText(sourceText(titleEl)), 'Title:') : '';
  return title ? { parsed, dd, title } : null;
}

/**
 * The section a 2024+ `dt` names itself (list_macros `type_info`): "(cross-list from cs.LG)" or
 * "(replaced)"; a new submission says nothing. Used only when no section heading is found.
 */
function sectionOfTypeInfo(dt: Element): ListingSection | undefined {
  const text = cleanText(dt.textContent);
  if (TYPE_INFO_CROSS.test(text)) return 'cross';
  if (TYPE_INFO_REPLACED.test(text)) return 'replacement';
  return undefined;
}

function readListingCard(dt: Element, page: PageMatch): PaperCandidate | null {
  const head = listingHead(dt);
  if (!head) return null;
  const { parsed, dd, title } = head;
  // Listings never print a version; the abs link could carry one, and the 2024+ "View HTML" link
  // names the latest version (v2 on a replacement), so that is the version the card shows.
  const version =
    parsed.version ?? versionFor(parsed.id, dt.querySelector(LIST_HTML_LINK)?.getAttribute('href'));
  const authors = textsOf(dd, LIST_AUTHORS);
  const categories = subjectCodes(dd.querySelector(LIST_SUBJECTS));
  const abstract = textOf(dd, LIST_ABSTRACT);
  const venue = textOf(dd, LIST_JOURNAL_REF);
  const section = hasSections(page) ? (sectionOf(dt) ?? sectionOfTypeInfo(dt)) : undefined;
  return {
    ...idFields(parsed.id, version),
    title,
    ...(authors.length ? { authors } : {}),
    ...(categories ? { categories } : {}),
    ...(abstract ? { abstract } : {}),
    ...(venue ? { venue } : {}),
    ...(section ? { section } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Abs page.
// ---------------------------------------------------------------------------------------------

function metaContent(doc: Document, selector: string): string | undefined {
  return doc.querySelector(selector)?.getAttribute('content')?.trim() || undefined;
}

/** "Last, First" (citation_author) → "First Last". */
function displayName(citationAuthor: string): string {
  const [last, first] = citationAuthor.split(/,\s*/, 2);
  return cleanText(first ? `${first} ${last}` : citationAuthor);
}

/** The abs page's journal reference ('' when there is none): the `jref` cell labelled so. */
function absJournalRef(card: Element): string {
  for (const cell of Array.from(card.querySelectorAll(ABS_JREF_CELL))) {
    const label = cell.previousElementSibling;
    if (label && ABS_JOURNAL_REF_LABEL.test(cleanText(label.textContent))) {
      return cleanText(sourceText(cell));
    }
  }
  return '';
}

function readAbsCard(card: Element, doc: Document): PaperCandidate | null {
  const ogUrl = metaContent(doc, META_OG_URL);
  const pageUrl = doc.location?.href ?? doc.URL;
  const parsed =
    idFrom(metaContent(doc, META_ARXIV_ID)) ??
    idFrom(card.querySelector(ABS_ID_LINK)?.getAttribute('href')) ??
    idFrom(ogUrl) ??
    idFrom(new URL(pageUrl, ORIGIN).pathname);
  if (!parsed) return null;
  const id = parsed.id;
  const title = stripLabel(textOf(card, ABS_TITLE), 'Title:');
  if (!title) return null;
  // The dateline names the version only when there are several ("(this version, v3)"); the
  // "for this version" link, og:url ("…/abs/<id>v1") and the address bar name it always.
  const datelineText = cleanText(card.querySelector(ABS_DATELINE)?.textContent);
  const dateline = /this version,\s*v(\d+)/.exec(datelineText);
  const version =
    (dateline?.[1] ? Number(dateline[1]) : undefined) ??
    versionFor(id, card.querySelector(ABS_VERSION_LINK)?.getAttribute('href')) ??
    versionFor(id, ogUrl) ??
    versionFor(id, pageUrl);
  let authors = textsOf(card, ABS_AUTHORS);
  if (!authors.length) {
    authors = Array.from(doc.querySelectorAll(META_AUTHOR))
      .map((m) => displayName(m.getAttribute('content') ?? ''))
      .filter((a) => a.length > 0);
  }
  const abstract = stripLabel(textOf(card, ABS_ABSTRACT), 'Abstract:');
  const dateMatch = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(metaContent(doc, META_DATE) ?? '');
  // citation_date is v1's date; arXiv leaves it out for JAIR papers (metatags.py writes the
  // journal's year instead), and the dateline starts with the same date.
  const submitted = ABS_DATELINE_DATE.exec(datelineText);
  const date = dateMatch
    ? `${dateMatch[1]}-${dateMatch[2]}-${dateMatch[3]}`
    : submitted?.[1] && submitted[2] && submitted[3]
      ? dayMonthYear(submitted[1], submitted[2], submitted[3])
      : undefined;
  const categories = subjectCodes(card.querySelector(ABS_SUBJECTS));
  const doiCell = card.querySelector(ABS_DOI);
  const doi = journalDoi(doiCell?.querySelector('a')?.textContent ?? doiCell?.textContent);
  const venue = absJournalRef(card);
  return {
    ...idFields(id, version),
    title,
    ...(authors.length ? { authors } : {}),
    ...(abstract ? { abstract } : {}),
    ...(date ? { date } : {}),
    ...(categories ? { categories } : {}),
    ...(doi ? { doi } : {}),
    ...(venue ? { venue } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Search results.
// ---------------------------------------------------------------------------------------------

/** A search result's id and title; null when it lacks either. */
function searchHead(
  li: Element,
): { parsed: { id: string; version?: number }; title: string } | null {
  const parsed = idFrom(li.querySelector(SEARCH_ID_LINK)?.getAttribute('href'));
  if (!parsed) return null;
  const title = textOf(li, SEARCH_TITLE);
  return title ? { parsed, title } : null;
}

function readSearchCard(li: Element): PaperCandidate | null {
  const head = searchHead(li);
  if (!head) return null;
  const { parsed, title } = head;
  const abstractEl = li.querySelector(SEARCH_ABSTRACT);
  // The full abstract ends with its "△ Less" toggle link.
  const abstract = abstractEl ? cleanText(sourceText(abstractEl)).replace(/\s*△\s*Less$/, '') : '';
  // The abstract spans are ids `<id>v<n>-abstract-full`: the version the search index holds.
  const version = parsed.version ?? versionFor(parsed.id, abstractEl?.id);
  const categories = Array.from(li.querySelectorAll(SEARCH_CATEGORIES))
    .map((t) => cleanText(t.textContent))
    .filter((c, i, all) => CATEGORY_CODE.test(c) && all.indexOf(c) === i);
  const doiLink = li.querySelector(SEARCH_DOI);
  const doi = journalDoi(doiLink?.textContent) ?? journalDoi(doiLink?.getAttribute('href'));
  let date: string | undefined;
  for (const p of Array.from(li.querySelectorAll(SEARCH_SMALL_PRINT))) {
    // "Submitted <latest version's date>; v1 submitted <first date>; …" for revised papers: the
    // first submission is the paper's date (the abs page's citation_date, HF's publishedAt).
    const text = cleanText(p.textContent);
    const m = SEARCH_V1_DATE.exec(text) ?? SEARCH_DATE.exec(text);
    if (m?.[1] && m[2] && m[3]) {
      date = dayMonthYear(m[1], m[2], m[3]);
      break;
    }
  }
  const authors = textsOf(li, SEARCH_AUTHORS);
  let venue = '';
  for (const p of Array.from(li.querySelectorAll(SEARCH_EXTRA_LINES))) {
    const text = cleanText(sourceText(p));
    if (SEARCH_JOURNAL_REF_LABEL.test(text)) {
      venue = text.replace(SEARCH_JOURNAL_REF_LABEL, '');
      break;
    }
  }
  return {
    ...idFields(parsed.id, version),
    title,
    ...(authors.length ? { authors } : {}),
    ...(abstract ? { abstract } : {}),
    ...(categories.length ? { categories } : {}),
    ...(doi ? { doi } : {}),
    ...(date ? { date } : {}),
    ...(venue ? { venue } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The adapter.
// ---------------------------------------------------------------------------------------------

function isListing(page: PageMatch): boolean {
  return page.kind.startsWith('list-');
}

/** Listing kinds split into new / cross-list / replacement sections (`/new`, `/catchup`). */
function hasSections(page: PageMatch): boolean {
  return page.kind === 'list-new' || page.kind === 'list-catchup';
}

/**
 * `/abs?…` forms of an abs page, checked in arxiv-browse `bare_abs`'s order: `id=`, then
 * `archive=` + `papernum=`, then an old-style id as a parameter with no value.
 */
function isBareAbs(url: URL): boolean {
  const params = url.searchParams;
  const id = params.get('id');
  if (id !== null) return BARE_ABS_ID.test(id);
  const archive = params.get('archive');
  const papernum = params.get('papernum');
  if (archive !== null && papernum !== null) {
    return BARE_ABS_ARCHIVE.test(archive) && BARE_ABS_PAPERNUM.test(papernum);
  }
  for (const [name, value] of params) {
    if (!value && BARE_ABS_SINGLETON.test(name)) return true;
  }
  return false;
}

/** `/list?archive=cs&year=2023&month=01`: what the listing form submits (a month or year listing). */
function isListForm(url: URL): boolean {
  if (!LIST_FORM_PATH.test(url.pathname)) return false;
  const archive = url.searchParams.get('archive') ?? '';
  const year = url.searchParams.get('year') ?? '';
  return new RegExp(`^${CAT}$`).test(archive) && /^\d{2}(?:\d{2})?$/.test(year);
}

/** The page kind of an arxiv.org URL, or null. */
function pageKind(url: URL): string | null {
  const path = url.pathname;
  if (LIST_NEW_PATH.test(path)) return 'list-new';
  if (LIST_RECENT_PATH.test(path)) return 'list-recent';
  if (LIST_MONTH_PATH.test(path) || isListForm(url)) return 'list-month';
  if (CATCHUP_PATH.test(path)) return 'list-catchup';
  if (AUTHOR_PATH.test(path)) return 'list-author';
  if (HTML_PATH.test(path)) return 'list-html';
  if (ABS_PATH.test(path) || (path === '/abs' && isBareAbs(url))) return 'abs';
  if (SEARCH_PATH.test(path)) return 'search';
  return null;
}

/** The abs page's paper block: `div#abs` holding `h1.title`, else whatever holds `h1.title`. */
function absCard(root: ParentNode): Element | null {
  for (const el of Array.from(root.querySelectorAll(ABS_CARD))) {
    if (el.querySelector(ABS_TITLE)) return el;
  }
  return root.querySelector(`${ABS_TITLE}.mathjax`)?.parentElement ?? null;
}

/**
 * The arXiv adapter: listings (`list-new`, `list-recent`, `list-month`, `list-catchup`,
 * `list-author`, and `list-html` for cards inside `/html/<id>` pages), abstract pages (`abs`) and
 * search results (`search`) on arxiv.org.
 */
export const arxiv: SiteAdapter = {
  id: 'arxiv',
  name: 'arXiv',
  matches: ['https://arxiv.org/*', 'https://www.arxiv.org/*'],

  /** Page kind from the path; query strings (`?skip=0&show=2000`) and trailing slashes are ignored. */
  detect(url: URL): PageMatch | null {
    if (!HOSTS.has(url.hostname)) return null;
    const kind = pageKind(url);
    return kind ? { site: 'arxiv', kind, listing: kind !== 'abs' } : null;
  },

  /**
   * Listings: the `dt`s that carry an abstract link and already have their `dd` (a `dt` whose
   * `dd` has not arrived is not a card yet). Abs: the one paper block. Search: `li.arxiv-result`.
   */
  findCards(root: ParentNode, page: PageMatch): Element[] {
    if (isListing(page)) {
      return Array.from(root.querySelectorAll('dt')).filter(
        (dt) => dt.querySelector(LIST_ABS_LINK) !== null && ddOf(dt) !== null,
      );
    }
    if (page.kind === 'abs') {
      const card = absCard(root);
      return card ? [card] : [];
    }
    if (page.kind === 'search') return Array.from(root.querySelectorAll(SEARCH_CARD));
    return [];
  },

  /** The href of the card's abstract link (listing `dt`, search result) or "Cite as" link (abs). */
  cardIdentity(card: Element): string | null {
    if (card.tagName === 'DT')
      return card.querySelector(LIST_ABS_LINK)?.getAttribute('href') ?? null;
    if (card.matches(SEARCH_CARD)) {
      return card.querySelector(SEARCH_ID_LINK)?.getAttribute('href') ?? null;
    }
    return (
      card.querySelector(ABS_ID_LINK)?.getAttribute('href') ??
      card.ownerDocument.querySelector(META_ARXIV_ID)?.getAttribute('content') ??
      null
    );
  },

  /** Reads one card; null when it has no arXiv id or no title. Never throws on partial markup. */
  readCard(card: Element, page: PageMatch, doc: Document): PaperCandidate | null {
    if (page.kind === 'abs') return readAbsCard(card, doc);
    if (page.kind === 'search') return readSearchCard(card);
    if (isListing(page)) return readListingCard(card, page);
    return null;
  },

  /**
   * Listings and search: the id and title only (the listing's version, authors, subjects and
   * abstract, the result's abstract and tags are left for readCard). Abs page: readCard.
   */
  readHead(card: Element, page: PageMatch, doc: Document): PaperCandidate | null {
    const head =
      page.kind === 'search' ? searchHead(card) : isListing(page) ? listingHead(card) : null;
    if (head) return { ...idFields(head.parsed.id, head.parsed.version), title: head.title };
    return page.kind === 'abs' ? readAbsCard(card, doc) : null;
  },

  /** Right after the title: the `dd`'s `div.list-title`, the abs `h1.title`, the search `p.title`. */
  mountPoint(card: Element, page: PageMatch): MountPoint | null {
    let anchor: Element | null = null;
    if (page.kind === 'abs') anchor = card.querySelector(ABS_TITLE);
    else if (page.kind === 'search') anchor = card.querySelector(SEARCH_TITLE);
    else if (isListing(page)) anchor = ddOf(card)?.querySelector(LIST_TITLE) ?? null;
    return anchor ? { anchor, position: 'after' } : null;
  },

  /** A listing card's text (title, authors, abstract) is in its `dd`, not in the `dt` root. */
  textRoots(card: Element, page: PageMatch): Element[] {
    if (!isListing(page)) return [card];
    const dd = ddOf(card);
    return dd ? [dd] : [];
  },
};
