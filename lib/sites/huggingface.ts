/**
 * Hugging Face Papers (`https://huggingface.co/papers…`): daily / date / week / month listings,
 * trending, search results and the single paper page.
 *
 * What the saved pages show (tests/fixtures/pages/huggingface, described in shared DOM.md §1):
 * - A listing card is an `<article>` whose heading (`h3` today) holds a link to `/papers/<arXiv id>`.
 *   Only that is shared by the 2024 and 2026 markup (and, as far as we know, search results), so it
 *   is what a card is recognized by; styling classes differ between versions.
 * - The card markup has no abstract, authors, dates or GitHub URL. The page's `DailyPapers` Svelte
 *   island carries them as JSON in `data-props`, but that JSON is written once by the server: after
 *   client-side navigation it describes another set of papers. So the DOM decides which cards exist
 *   and what they show; the JSON only enriches a card whose arXiv id it holds (never by position).
 * - The single paper page has one "card": the block holding the `h1` title in the `PaperContent`
 *   island, whose JSON is about that paper.
 */
import { cleanText, type PaperCandidate } from '../paper';
import { taskMemo } from './memo';
import type { MountPoint, PageMatch, SiteAdapter } from './types';

// ---------------------------------------------------------------------------------------------
// Selectors and URL shapes. Each alternative names the page version it serves.
// ---------------------------------------------------------------------------------------------

const HOST = 'huggingface.co';
const ORIGIN = `https://${HOST}`;

/** A listing card (2024, 2026, search): every paper in the grid is an `<article>`. */
const CARD = 'article';

/**
 * Title links inside a card: any heading level, because only the link target is stable
 * (2024 and 2026 use `h3 > a.line-clamp-3[href="/papers/<id>"]`; search results have no saved copy,
 * so nothing beyond "a heading links to the paper" is assumed for them).
 */
const TITLE_LINK = 'h1 a[href], h2 a[href], h3 a[href], h4 a[href], h5 a[href], h6 a[href]';
/**
 * The other way round, a link wrapping the heading (`a[href="/papers/<id>"] > h3`): how card
 * grids elsewhere on the site are built; no saved Papers page shows it, but it is still "a heading
 * linking to the paper", so it must not make a card disappear.
 */
const LINKED_HEADING = 'a[href] h1, a[href] h2, a[href] h3, a[href] h4, a[href] h5, a[href] h6';
const HEADING = 'h1, h2, h3, h4, h5, h6';

/** The Svelte island holding a listing's JSON (2024, 2026; presumably trending and search too). */
const LIST_ISLAND = 'div.SVELTE_HYDRATER[data-target="DailyPapers"]';
/** The Svelte island holding the paper page's JSON and title block (paper page, 2025). */
const PAPER_ISLAND = 'div.SVELTE_HYDRATER[data-target="PaperContent"]';
/** Paper page title: inside the island; `main h1` if the island is missing (paper page). */
const PAPER_TITLE = 'h1';
const PAPER_TITLE_FALLBACK = 'main h1';
/** Paper page canonical link, used when neither the pill nor the URL names the paper. */
const CANONICAL = 'link[rel="canonical"][href]';

/**
 * The upvote count. It is the `div` next to the hidden vote checkbox:
 * `div.leading-none` on listing cards (2024, 2026; a logged-in user reportedly gets a `label`
 * around the checkbox, the sibling relation stays) and `div.font-semibold.text-orange-500` on the
 * paper page. `div.leading-none` alone is NOT enough: the "Submitted by" chip on every listing card
 * (2024, 2026) carries `leading-none` too, so any candidate must read as a count.
 */
const UPVOTE_COUNT = 'input[type="checkbox"] ~ div';
/** Fallback when the checkbox is gone (unknown variants, e.g. search): a count-like `.leading-none`. */
const UPVOTE_COUNT_FALLBACK = 'div.leading-none';

/** Comment count link `a[href="/papers/<id>#community"]` (2024, 2026 listing cards). */
const COMMENTS_LINK = 'a[href$="#community"]';

/**
 * Organization chip `a[href="/<OrgName>"] > img[alt="<OrgName>"] + span` (2026 listing cards and
 * the paper page). Recognized by that structure (avatar alt = the link's account name) rather than
 * by its colour classes; the paper page's "Submitted by" user link has an empty `alt` and no span.
 */
const ORG_CHIP_IMG = 'a[href^="/"] > img[alt]';

/** A card's abstract, when the card shows one (search results): a `p` outside the title. */
const CARD_PARAGRAPH = 'p';
/**
 * Search results show the abstract under the title; no saved copy says in which element. Besides
 * a `p`, on search pages a `div`/`span` holding only text and inline markup (search-hit
 * highlights) counts, if it is not inside a link (the organization chip's name is a `span` inside
 * its link) and is long.
 */
const CARD_TEXT_BLOCK = 'div, span';
const INLINE_TAGS = new Set(['SPAN', 'B', 'STRONG', 'EM', 'I', 'MARK', 'SUB', 'SUP', 'CODE', 'BR']);
/** `NodeFilter.SHOW_TEXT`, spelled out so no DOM global is needed (tests run under Node). */
const SHOW_TEXT = 4;
/** Paper page authors (2025): one `span.author` per name, each followed by a comma. */
const PAPER_AUTHOR = 'span.author';

/** `/papers/<new-style arXiv id>[vN][/]`. HF papers only exist for 2007+ (new-style) ids. */
const PAPER_PATH = /^\/papers\/(\d{4}\.\d{4,5})(?:v\d+)?\/?$/;
/** A root-relative path of plain characters (no `//` host, escapes, spaces or backslashes). */
const PLAIN_ROOT_PATH = /^\/(?!\/)[\w\-./]*$/;
/** The paper page's id pill reads `arxiv:2509.24002` (paper page). */
const ARXIV_PILL = /^\s*arxiv:\s*(\d{4}\.\d{4,5})(?:v\d+)?\b/i;
/**
 * Text a count element may hold, in any number format the browser's locale gives: "33",
 * "1,234" / "1.234" / "1 234" / "1'234" (thousands), "1.2k" / "1,2k" / "1.2K" (abbreviated).
 */
const COUNT_TEXT = /^(\d+(?:[.,' \u2019]\d+)*)\s*([km])?$/i;
const COUNT_SEPARATOR = /[.,' \u2019]/;
/** A card with no votes shows a dash instead of 0 (2026 hydrated page; JSON says `upvotes: 0`). */
const ZERO_TEXT = /^[-–—]$/;
/** Shortest paragraph taken as an abstract; shorter `p`s are labels ("Published on …"). */
const MIN_ABSTRACT_CHARS = 40;
/** Shortest text-only `div`/`span` taken as an abstract (longer than any label or name). */
const MIN_BLOCK_ABSTRACT_CHARS = 120;

// ---------------------------------------------------------------------------------------------
// Page kinds
// ---------------------------------------------------------------------------------------------

const LISTING_PATHS: ReadonlyArray<[RegExp, string]> = [
  [/^\/papers$/, 'daily'], // /papers and /papers?date=YYYY-MM-DD (2024)
  [/^\/papers\/date\/\d{4}-\d{2}-\d{2}$/, 'date'], // 2026
  [/^\/papers\/week\/\d{4}-W\d{2}$/, 'week'],
  [/^\/papers\/month\/\d{4}-\d{2}$/, 'month'],
  [/^\/papers\/trending$/, 'trending'],
];

function detect(url: URL): PageMatch | null {
  if (url.protocol !== 'https:' || url.hostname !== HOST) return null;
  // A trailing slash is the same page; `/papers/` stays `/papers`.
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  if (PAPER_PATH.test(path)) return { site: 'huggingface', kind: 'paper', listing: false };
  for (const [re, kind] of LISTING_PATHS) {
    if (!re.test(path)) continue;
    // The search box puts `?q=` on whichever listing it was typed into; the grid then holds results.
    const q = url.searchParams.get('q');
    return { site: 'huggingface', kind: q?.trim() ? 'search' : kind, listing: true };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Small readers (everything the page says is untrusted)
// ---------------------------------------------------------------------------------------------

/** The arXiv id of a `/papers/<id>` link on huggingface.co (relative or absolute), else null. */
function idFromHref(href: string | null): string | null {
  if (!href) return null;
  // The common case, a root-relative `/papers/<id>` link, needs no URL parser (a card has several
  // links and a month page hundreds of cards).
  // Only plain characters and no dot segments: the URL parser would return this very path.
  const path = href.split(/[?#]/, 1)[0] ?? '';
  if (PLAIN_ROOT_PATH.test(path) && !path.includes('/.')) return PAPER_PATH.exec(path)?.[1] ?? null;
  let u: URL;
  try {
    u = new URL(href, `${ORIGIN}/`);
  } catch {
    return null;
  }
  if (u.hostname !== HOST) return null;
  return PAPER_PATH.exec(u.pathname)?.[1] ?? null;
}

interface TitleLink {
  heading: Element;
  link: Element;
  id: string;
  /** The outer of heading and link: the card's title block (the UI goes after it). */
  block: Element;
  /** The inner of heading and link: what holds just the title text. */
  text: Element;
}

/** `titleLink` per card, for one scan (findCards, cardIdentity, readCard and mountPoint ask). */
const titleLinks = taskMemo<Element, TitleLink | null>();

/** The first heading link in a listing card that points at a paper. */
function titleLink(card: Element): TitleLink | null {
  return titleLinks.get(card, () => findTitleLink(card));
}

function findTitleLink(card: Element): TitleLink | null {
  // 2024, 2026: `h3 > a`.
  for (const link of card.querySelectorAll(TITLE_LINK)) {
    const id = idFromHref(link.getAttribute('href'));
    const heading = link.closest(HEADING);
    if (id && heading && card.contains(heading))
      return { heading, link, id, block: heading, text: link };
  }
  // `a > h3` (see LINKED_HEADING).
  for (const heading of card.querySelectorAll(LINKED_HEADING)) {
    const link = heading.closest('a[href]');
    const id = idFromHref(link?.getAttribute('href') ?? null);
    if (id && link && card.contains(link)) return { heading, link, id, block: link, text: heading };
  }
  return null;
}

/** A count shown in the DOM ("33", "1.2k"; a lone dash means none), or undefined. */
function domCount(el: Element | null | undefined): number | undefined {
  const t = cleanText(el?.textContent);
  if (ZERO_TEXT.test(t)) return 0;
  return displayCount(t);
}

/**
 * The number a count text shows, whatever the locale's separators (see COUNT_TEXT); undefined
 * for anything else. Without a k/m suffix, separators must split groups of three digits (so
 * "1.5" is no count); with one, the last separator is the decimal mark ("1,2k" = 1200).
 */
export function displayCount(text: string): number | undefined {
  const m = COUNT_TEXT.exec(cleanText(text));
  if (!m?.[1]) return undefined;
  const groups = m[1].split(COUNT_SEPARATOR);
  const suffix = m[2]?.toLowerCase();
  let n: number;
  if (suffix) {
    const fraction = groups.length > 1 ? groups.pop() : undefined;
    n = Number(`${groups.join('')}${fraction ? `.${fraction}` : ''}`);
    n *= suffix === 'k' ? 1e3 : 1e6;
  } else {
    const [first, ...rest] = groups;
    if (!first || (rest.length && (first.length > 3 || rest.some((g) => g.length !== 3)))) {
      return undefined;
    }
    n = Number(groups.join(''));
  }
  return Number.isFinite(n) ? Math.round(n) : undefined;
}

type Json = Record<string, unknown>;

function isElement(n: ParentNode): n is Element {
  return (n as Node).nodeType === 1;
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty string from JSON, whitespace collapsed; anything else → undefined. */
function jsonText(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return cleanText(v) || undefined;
}

/** A non-negative finite number from JSON; strings and the like → undefined. */
function jsonCount(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;
}

/** An ISO date string from JSON that actually parses as a date. */
function jsonDate(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
  return Number.isFinite(Date.parse(v)) ? v : undefined;
}

/** An http(s) URL string from JSON (the GitHub repo); anything else → undefined. */
function jsonUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    const u = new URL(v.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? v.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The strings of a JSON array (cleaned, non-empty); undefined unless at least one. */
function jsonStrings(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.map(jsonText).filter((s): s is string => !!s);
  return out.length ? out : undefined;
}

/**
 * Author names from `paper.authors[]` (`{name, hidden, user?}`). `hidden` is kept: it hides the
 * claimed paper on the user's profile, not the author (the 2024 card counts "6 authors" for
 * 2407.21781, whose JSON lists 6 with one hidden).
 */
function jsonAuthors(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const a of v) {
    if (!isRecord(a)) continue;
    const name = jsonText(a.name);
    if (name) out.push(name);
  }
  return out.length ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// Page JSON, parsed once per island and attribute value
// ---------------------------------------------------------------------------------------------

/** What the page JSON holds about one paper: the list item (or page props) and its `paper`. */
interface Entry {
  item: Json;
  paper: Json;
}

/**
 * Parsed islands. Keyed by the island element (gone with it) and checked against the raw attribute,
 * so a 400 KB `data-props` is parsed once per page, yet a rewritten attribute is parsed again.
 */
const islandCache = new WeakMap<Element, { raw: string; map: Map<string, Entry> }>();

/** Builds id → entry from an island's props; throws nothing, ignores whatever is malformed. */
function indexProps(props: unknown): Map<string, Entry> {
  const map = new Map<string, Entry>();
  if (!isRecord(props)) return map;
  const add = (item: unknown, paper: unknown) => {
    if (!isRecord(item) || !isRecord(paper)) return;
    const id = paper.id;
    // First entry wins on duplicates: whichever it is, it was written about this id.
    if (typeof id === 'string' && id && !map.has(id)) map.set(id, { item, paper });
  };
  // Listing (2024, 2026): `dailyPapers[]` items with a nested `paper`.
  if (Array.isArray(props.dailyPapers)) {
    for (const item of props.dailyPapers) if (isRecord(item)) add(item, item.paper);
  }
  // Paper page: `paper` at the top; the props themselves carry `submitterOrganization`.
  if (isRecord(props.paper)) add(props, props.paper);
  return map;
}

/** `pageIndex` per document and selector, for one scan (reading the 400 KB attribute once). */
const pageIndexes = taskMemo<Document, Map<string, Map<string, Entry>>>();

/** The id → entry map of the first island matching `selector` in `doc` (empty when none). */
function pageIndex(doc: Document, selector: string): Map<string, Entry> {
  const perDoc = pageIndexes.get(doc, () => new Map());
  let map = perDoc.get(selector);
  if (!map) perDoc.set(selector, (map = readPageIndex(doc, selector)));
  return map;
}

function readPageIndex(doc: Document, selector: string): Map<string, Entry> {
  const island = doc.querySelector(selector);
  const raw = island?.getAttribute('data-props');
  if (!island || !raw) return new Map();
  const cached = islandCache.get(island);
  if (cached && cached.raw === raw) return cached.map;
  let props: unknown = null;
  try {
    props = JSON.parse(raw);
  } catch {
    // Broken JSON: the DOM alone will do.
  }
  const map = indexProps(props);
  islandCache.set(island, { raw, map });
  return map;
}

/** Organization name from the JSON: the paper's, the list item's, or the paper page submitter's. */
function jsonOrganization(e: Entry | undefined): string | undefined {
  if (!e) return undefined;
  for (const org of [e.paper.organization, e.item.organization, e.item.submitterOrganization]) {
    if (isRecord(org)) {
      const name = jsonText(org.fullname) ?? jsonText(org.name);
      if (name) return name;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// DOM readers shared by listing cards and the paper page
// ---------------------------------------------------------------------------------------------

function domUpvotes(card: Element): number | undefined {
  for (const el of card.querySelectorAll(UPVOTE_COUNT)) {
    const n = domCount(el);
    if (n !== undefined) return n;
  }
  for (const el of card.querySelectorAll(UPVOTE_COUNT_FALLBACK)) {
    const n = domCount(el);
    if (n !== undefined) return n;
  }
  return undefined;
}

function domComments(card: Element, id: string): number | undefined {
  for (const a of card.querySelectorAll(COMMENTS_LINK)) {
    // Only this paper's discussion link counts.
    if (idFromHref(a.getAttribute('href')) !== id) continue;
    const n = domCount(a);
    if (n !== undefined) return n;
  }
  return undefined;
}

function domOrganization(card: Element): string | undefined {
  for (const img of card.querySelectorAll(ORG_CHIP_IMG)) {
    const a = img.parentElement;
    const account = a?.getAttribute('href')?.replace(/^\//, '');
    const alt = img.getAttribute('alt');
    if (!a || !account || !alt || alt !== account) continue;
    const name = cleanText(a.querySelector('span')?.textContent);
    if (name) return name;
  }
  return undefined;
}

/** The longest paragraph of a card that is not part of its title (search results show one). */
function domAbstract(
  card: Element,
  title: Element | null,
  searchResult: boolean,
): string | undefined {
  const apart = (el: Element) => !title || !(title.contains(el) || el.contains(title));
  let best = '';
  for (const p of card.querySelectorAll(CARD_PARAGRAPH)) {
    if (!apart(p)) continue;
    const t = cleanText(p.textContent);
    if (t.length > best.length) best = t;
  }
  if (best.length >= MIN_ABSTRACT_CHARS) return best;
  // Only search results are known to show an abstract; elsewhere the text walk (about twice the
  // cost of reading a daily card) would look for what is not there.
  if (!searchResult) return undefined;
  const block = longestTextBlock(card, title);
  const t = block ? cleanText(block.textContent) : '';
  return t.length >= MIN_BLOCK_ABSTRACT_CHARS ? t : undefined;
}

/**
 * The `div`/`span` of a card holding the most text of its own (text nodes directly inside it or
 * inside its inline children), outside the title and outside links; null when none. One walk over
 * the card's text nodes: a daily card has no such block, and must not pay for looking.
 */
function longestTextBlock(card: Element, title: Element | null): Element | null {
  const doc = card.ownerDocument;
  if (!doc?.createTreeWalker) return null;
  const walker = doc.createTreeWalker(card, SHOW_TEXT);
  const totals = new Map<Element, number>();
  let best: Element | null = null;
  let bestLength = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = (node.nodeValue ?? '').trim().length;
    if (!length) continue;
    let el = node.parentElement;
    while (el && el !== card && INLINE_TAGS.has(el.tagName.toUpperCase())) el = el.parentElement;
    if (!el || el === card || !el.matches(CARD_TEXT_BLOCK)) continue;
    const total = (totals.get(el) ?? 0) + length;
    totals.set(el, total);
    if (total > bestLength && (!title || !title.contains(el)) && !el.closest('a')) {
      best = el;
      bestLength = total;
    }
  }
  // Only text and inline markup inside: a wrapper of other blocks is not an abstract.
  return best && [...best.children].every((c) => INLINE_TAGS.has(c.tagName.toUpperCase()))
    ? best
    : null;
}

/** Fields the JSON can add to any card, each checked for type. */
function fromJson(e: Entry | undefined): Partial<PaperCandidate> {
  if (!e) return {};
  const { paper, item } = e;
  return {
    abstract: jsonText(paper.summary) ?? jsonText(item.summary),
    authors: jsonAuthors(paper.authors),
    date: jsonDate(paper.publishedAt),
    upvotes: jsonCount(paper.upvotes),
    comments: jsonCount(item.numComments),
    organization: jsonOrganization(e),
    github: jsonUrl(paper.githubRepo),
    keywords: jsonStrings(paper.ai_keywords),
  };
}

/** Drops undefined fields so a candidate only lists what the page said. */
function compact(c: PaperCandidate): PaperCandidate {
  for (const k of Object.keys(c) as Array<keyof PaperCandidate>) {
    if (c[k] === undefined) delete c[k];
  }
  return c;
}

function links(id: string): Pick<PaperCandidate, 'url' | 'pdfUrl'> {
  return { url: `${ORIGIN}/papers/${id}`, pdfUrl: `https://arxiv.org/pdf/${id}` };
}

// ---------------------------------------------------------------------------------------------
// Listing cards
// ---------------------------------------------------------------------------------------------

/**
 * A listing card's id and title: its title link alone. The page JSON (a 400 KB attribute to
 * parse) is only looked at when the link has no text.
 */
function listHead(card: Element, doc: Document): PaperCandidate | null {
  const t = titleLink(card);
  if (!t) return null;
  const title =
    cleanText(t.text.textContent) || jsonText(pageIndex(doc, LIST_ISLAND).get(t.id)?.paper.title);
  return title ? { arxivId: t.id, title, ...links(t.id) } : null;
}

function readListCard(card: Element, page: PageMatch, doc: Document): PaperCandidate | null {
  const head = listHead(card, doc);
  const t = titleLink(card);
  if (!head || !t) return null;
  const json = fromJson(pageIndex(doc, LIST_ISLAND).get(t.id));
  return compact({
    ...json,
    arxivId: t.id,
    title: head.title,
    // Apart from the heading only: a link wrapping the heading may wrap the abstract too.
    abstract: domAbstract(card, t.heading, page.kind === 'search') ?? json.abstract,
    upvotes: domUpvotes(card) ?? json.upvotes,
    comments: domComments(card, t.id) ?? json.comments,
    organization: domOrganization(card) ?? json.organization,
    ...links(t.id),
  });
}

// ---------------------------------------------------------------------------------------------
// Paper page
// ---------------------------------------------------------------------------------------------

/** The paper page's `h1`: inside the PaperContent island, else the first `h1` of `main`. */
function paperTitle(root: ParentNode): Element | null {
  // `root` may be the island itself or a part of it (a MutationObserver's target).
  const island =
    isElement(root) && root.closest(PAPER_ISLAND) ? root : root.querySelector(PAPER_ISLAND);
  return island?.querySelector(PAPER_TITLE) ?? root.querySelector(PAPER_TITLE_FALLBACK);
}

/** The `arxiv:<id>` pill: a text node directly inside an element before the title. */
function pillId(card: Element, h1: Element | null): string | null {
  for (const el of card.querySelectorAll('*')) {
    if (el === h1) break; // document order: everything after is title and below
    for (const node of el.childNodes) {
      if (node.nodeType !== 3) continue; // text nodes only
      const m = ARXIV_PILL.exec(node.textContent ?? '');
      if (m?.[1]) return m[1];
    }
  }
  return null;
}

/** The paper page's arXiv id: the pill in the card, else the page URL, else the canonical link. */
function paperPageId(card: Element): string | null {
  const doc = card.ownerDocument;
  const fromPill = pillId(card, card.querySelector(PAPER_TITLE));
  if (fromPill) return fromPill;
  const fromUrl = idFromHref(doc?.URL ?? null);
  if (fromUrl) return fromUrl;
  return idFromHref(doc?.querySelector(CANONICAL)?.getAttribute('href') ?? null);
}

/**
 * The paper page abstract lives in the block after the title card (`h2` "Abstract", then the
 * AI summary `p` and the abstract `p`): the last paragraph of the next sibling holding an `h2`.
 */
function paperPageAbstract(card: Element): string | undefined {
  const block = card.nextElementSibling;
  if (!block?.querySelector('h2')) return undefined;
  const ps = block.querySelectorAll(CARD_PARAGRAPH);
  const t = cleanText(ps[ps.length - 1]?.textContent);
  return t.length >= MIN_ABSTRACT_CHARS ? t : undefined;
}

function paperPageAuthors(card: Element): string[] | undefined {
  const names = [...card.querySelectorAll(PAPER_AUTHOR)]
    .map((s) => cleanText(s.textContent).replace(/\s*,$/, ''))
    .filter(Boolean);
  return names.length ? names : undefined;
}

function readPaperPage(card: Element, doc: Document): PaperCandidate | null {
  const id = paperPageId(card);
  const h1 = card.querySelector(PAPER_TITLE);
  if (!id || !h1) return null;
  const entry = pageIndex(doc, PAPER_ISLAND).get(id);
  const json = fromJson(entry);
  const title = cleanText(h1.textContent) || jsonText(entry?.paper.title);
  if (!title) return null;
  return compact({
    ...json,
    arxivId: id,
    title,
    // The JSON is about this very paper (matched by id), and its abstract has no keyword links.
    abstract: json.abstract ?? paperPageAbstract(card),
    authors: json.authors ?? paperPageAuthors(card),
    upvotes: domUpvotes(card) ?? json.upvotes,
    // The page lists comment threads, not a count; numComments only exists on listings.
    comments: undefined,
    organization: domOrganization(card) ?? json.organization,
    ...links(id),
  });
}

// ---------------------------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------------------------

/** Hugging Face Papers: listings (daily/date/week/month/trending/search) and the paper page. */
export const huggingface: SiteAdapter = {
  id: 'huggingface',
  name: 'Hugging Face',
  matches: ['https://huggingface.co/papers*'],

  /** Page kind from the URL alone (pure); null for /papers/submit, collections, other hosts. */
  detect,

  /**
   * Listing: every `article` under `root` (or `root` itself) with a paper title link, in document
   * order. Paper page: the one element holding the title `h1`.
   */
  findCards(root: ParentNode, page: PageMatch): Element[] {
    if (page.kind === 'paper') {
      const card = paperTitle(root)?.parentElement;
      return card ? [card] : [];
    }
    const cards = [...root.querySelectorAll(CARD)];
    // A MutationObserver may hand over the added card itself.
    if (isElement(root) && root.matches(CARD)) cards.unshift(root);
    return cards.filter((c) => titleLink(c) !== null);
  },

  /** The arXiv id the card shows (title link; on the paper page its pill or URL). */
  cardIdentity(card: Element): string | null {
    return titleLink(card)?.id ?? (card.querySelector(PAPER_TITLE) ? paperPageId(card) : null);
  },

  /** The card's paper: DOM first, page JSON only for the same arXiv id. Never throws on bad JSON. */
  readCard(card: Element, page: PageMatch, doc: Document): PaperCandidate | null {
    return page.kind === 'paper' ? readPaperPage(card, doc) : readListCard(card, page, doc);
  },

  /** Listing: the title link's id and text (no JSON, counts or chips). Paper page: readCard. */
  readHead(card: Element, page: PageMatch, doc: Document): PaperCandidate | null {
    return page.kind === 'paper' ? readPaperPage(card, doc) : listHead(card, doc);
  },

  /** Right after the title heading, inside the card (paper page: after the `h1`). */
  mountPoint(card: Element, page: PageMatch): MountPoint | null {
    const anchor =
      page.kind === 'paper' ? card.querySelector(PAPER_TITLE) : (titleLink(card)?.block ?? null);
    return anchor ? { anchor, position: 'after' } : null;
  },
};
