/**
 * ACL Anthology adapter: paper cards on author (`/people/…`), volume (`/volumes/…`) and event
 * (`/events/…`) pages, which share one card template (Hugo, static HTML, no client loading).
 *
 * Two markups are known from real saved pages (tests/fixtures/pages/acl):
 * - 2021–2023 (Bootstrap 4): the card is `p.d-sm-flex.align-items-stretch`, badges
 *   `a.badge.badge-primary|…` with `data-toggle`, author links `/people/<initial>/<slug>/`;
 * - 2026 (Bootstrap 5): the card is `div.d-sm-flex.align-items-stretch`, badges
 *   `a.badge.text-bg-primary|…` with `data-bs-toggle`, author links `/people/<slug>/…`.
 * Both hold the title as `span.d-block > strong > a[href="/<anthology id>/"]`, then the author
 * links, then the volume link; the abstract is a collapsed sibling block after the card.
 *
 * Volume pages (`volumes/single.html`) and event pages (`events/single.html`) render each paper
 * with `papers/list-entry.html`: the same card without the volume link, so the venue is the
 * volume page's title or, on an event page, the volume heading above the cards.
 *
 * The single paper page (`/<anthology id>/`, `papers/single.html`) is one card: `section#main`
 * with the title in `h2#title`, authors in `p.lead`, the abstract in `.acl-abstract` and Highwire
 * `citation_*` metas in the head. No real saved copy of a volume, event or paper page exists:
 * these readers are built from the public templates (acl-org/acl-anthology, hugo/layouts) and
 * tested on hand-made pages (tests/fixtures/handwritten/acl).
 */
import { cleanText, type PaperCandidate } from '../paper';
import type { MountPoint, PageMatch, SiteAdapter } from './types';

const ORIGIN = 'https://aclanthology.org';

// ---- Selectors -------------------------------------------------------------------------------

/**
 * Card candidates: 2021–2023 `p.d-sm-flex.align-items-stretch`, 2026
 * `div.d-sm-flex.align-items-stretch`. Only `.d-sm-flex` is relied on; event pages also use it
 * for volume headings (`h4.d-sm-flex`), which `findCards` drops because they hold no paper link.
 */
const CARD = '.d-sm-flex';
/** The title link (2021–2023 and 2026): `strong > a.align-middle[href="/<id>/"]`. */
const TITLE_LINK = 'strong > a[href]';
/** Any link inside the card; authors and volume are told apart by their paths. */
const LINK = 'a[href]';
/**
 * The "abs" badge pointing at the abstract block: 2021–2023 `a.badge.badge-info[data-toggle]`,
 * 2026 `a.badge.text-bg-info[data-bs-toggle]`; both `href="#abstract-…"`. Its href is used rather
 * than a built id because the id's form varies (`abstract-W19-4201`, `abstract-2022--in2writing-1--1`)
 * and the 2023 page's `aria-controls` does not even match the block's id.
 */
const ABSTRACT_BADGE = 'a[href^="#abstract-"]';
/** The abstract's text inside its collapse block (2021–2023 and 2026: `div.card-body`). */
const ABSTRACT_BODY = '.card-body';
/** Year headings on author pages (2021–2023 and 2026: bare `h4` "2022"). */
const YEAR_HEADING = 'H4';
/** Volume headings on event pages (events/single.html, all versions): `h4.d-sm-flex > a`. */
const VOLUME_HEADING = 'H4';
/**
 * The page title: `section#main > h2#title` on people, volume, event and paper pages (all
 * template versions); on a volume page it is the volume's title (`h2#title > a[href=<pdf>]`).
 */
const PAGE_TITLE = 'h2#title';
/** The paper page's block (papers/single.html, all versions): `section#main`. */
const PAPER_MAIN = 'section#main';
/** Paper page authors: `p.lead` of author links (papers/single.html via partials/author_link.html). */
const PAPER_AUTHORS = 'p.lead a[href]';
/** Paper page abstract: `div.card-body.acl-abstract` with an `h5` "Abstract" label first. */
const PAPER_ABSTRACT = '.acl-abstract';
/** Highwire metas of the paper page head (papers/single.html `meta` block). */
const META_TITLE = 'meta[name="citation_title"]';
const META_AUTHOR = 'meta[name="citation_author"]';
const META_DOI = 'meta[name="citation_doi"]';
const META_PDF = 'meta[name="citation_pdf_url"]';
const META_VENUE = 'meta[name="citation_conference_title"], meta[name="citation_journal_title"]';
/** Paper page details list: `dl > dt "Anthology ID:" + dd`, `dt "Volume:" + dd > a` (all versions). */
const PAPER_DETAILS_DT = '#main dl > dt';

/** A volume's export files beside its page (volumes/single.html "Bib Export formats", PDF). */
const VOLUME_EXPORT = /\.(?:bib|xml|endf|pdf)$/i;
/** New-style Anthology id (2020+): `<year>.<venue>-<volume>.<paper>`, e.g. `2022.acl-long.1`. */
const NEW_ID = /^(\d{4})\.[a-z0-9][a-z0-9-]*\.(\d+)$/i;
/** Old-style Anthology id (up to 2019): letter, 2-digit year, 4 digits, e.g. `W19-4201`. */
const OLD_ID = /^([A-Z])(\d{2})-(\d{4})$/;

// ---- Helpers (exported for tests) -----------------------------------------------------------

/** True for a string shaped like an Anthology paper id (`2022.acl-long.1`, `W19-4201`). */
export function isAnthologyId(id: string): boolean {
  return NEW_ID.test(id) || OLD_ID.test(id);
}

/**
 * The Anthology id of a paper page URL (`/W19-4201/`, `https://aclanthology.org/2022.acl-long.1/`),
 * or null for anything else (PDFs, bib files, people, volumes, other hosts).
 */
export function anthologyIdFromHref(href: string, base: string = ORIGIN): string | null {
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return null;
  }
  if (u.hostname !== 'aclanthology.org') return null;
  const m = /^\/([^/]+)\/?$/.exec(u.pathname);
  return m?.[1] && isAnthologyId(m[1]) ? m[1] : null;
}

/**
 * The publication year an Anthology id encodes: `2022.…` → 2022; `W19-…` → 2019, `J79-…` → 1979
 * (old ids carry two digits; the Anthology starts in the 1950s and switched to new ids in 2020).
 */
export function yearFromAnthologyId(id: string): number | undefined {
  const n = NEW_ID.exec(id);
  if (n?.[1]) return Number(n[1]);
  const o = OLD_ID.exec(id);
  if (!o?.[2]) return undefined;
  const yy = Number(o[2]);
  return yy >= 50 ? 1900 + yy : 2000 + yy;
}

/**
 * True for a volume's front matter (not a paper): new ids ending in `.0`; old ids with paper
 * number 0, which is the last two digits for two-digit volumes (workshops `W19-4200`, `C69-…`,
 * `D19-5500`) and the last three for the other collections (`P18-1000`).
 */
export function isFrontMatter(id: string): boolean {
  const n = NEW_ID.exec(id);
  if (n) return Number(n[2]) === 0;
  const o = OLD_ID.exec(id);
  if (!o?.[3]) return false;
  // The Anthology's own rule (acl_anthology.utils.ids): two-digit volumes for W, C69 and the
  // EMNLP-IJCNLP 2019 workshops D19-5xxx/D19-6xxx (front matter D19-5500, W-NUT 2019).
  const twoDigitVolume =
    o[1] === 'W' ||
    `${o[1]}${o[2]}` === 'C69' ||
    (`${o[1]}${o[2]}` === 'D19' && Number(o[3][0]) >= 5);
  return twoDigitVolume ? o[3].endsWith('00') : o[3].endsWith('000');
}

/** The card's title link: a `strong > a` whose href is a paper page. */
function titleLink(card: Element): Element | undefined {
  return Array.from(card.querySelectorAll(TITLE_LINK)).find(
    (a) => anthologyIdFromHref(a.getAttribute('href') ?? '') !== null,
  );
}

/** The path of a link resolved on aclanthology.org, or '' when it points elsewhere. */
function sitePath(a: Element): string {
  try {
    const u = new URL(a.getAttribute('href') ?? '', ORIGIN);
    return u.hostname === 'aclanthology.org' ? u.pathname : '';
  } catch {
    return '';
  }
}

/**
 * The year of the nearest `h4` sibling before the card (author pages group papers under year
 * headings). Stops at the first `h4` found: on event pages that is a volume heading, not a year, and going
 * further back would reach an unrelated heading.
 */
function headingYear(card: Element): number | undefined {
  for (let prev = card.previousElementSibling; prev; prev = prev.previousElementSibling) {
    if (prev.tagName.toUpperCase() !== YEAR_HEADING) continue;
    const t = cleanText(prev.textContent);
    return /^\d{4}$/.test(t) ? Number(t) : undefined;
  }
  return undefined;
}

/**
 * A link to a volume page (`/volumes/2022.acl-long/`), not to one of its exports
 * (`/volumes/2022.acl-long.bib`, `.xml`, `.endf`: the "bib (full)" badge of event-page headings).
 */
function isVolumeLink(a: Element): boolean {
  const path = sitePath(a);
  return /^\/volumes\/[^/]+\/?$/.test(path) && !VOLUME_EXPORT.test(path);
}

/**
 * The venue a card belongs to: its own volume link (author pages); on a volume page the page
 * title; on an event page the volume heading (`h4 > a[href="/volumes/…"]`) above the card.
 */
function venueOf(card: Element, page: PageMatch, links: Element[]): string {
  const own = cleanText(links.find((l) => isVolumeLink(l))?.textContent);
  if (own) return own;
  if (page.kind === 'volume') {
    return cleanText(card.ownerDocument.querySelector(PAGE_TITLE)?.textContent);
  }
  if (page.kind === 'event') {
    for (let prev = card.previousElementSibling; prev; prev = prev.previousElementSibling) {
      if (prev.tagName.toUpperCase() !== VOLUME_HEADING) continue;
      const volume = Array.from(prev.querySelectorAll(LINK)).find((l) => isVolumeLink(l));
      return cleanText(volume?.textContent);
    }
  }
  return '';
}

/** The abstract block's text for a card, when the page has one. */
function abstractText(card: Element, id: string): string | undefined {
  const doc = card.ownerDocument;
  const badgeTarget = card.querySelector(ABSTRACT_BADGE)?.getAttribute('href')?.slice(1);
  const ids = [badgeTarget, `abstract-${id}`, `abstract-${id.replace(/\./g, '--')}`];
  for (const blockId of ids) {
    if (!blockId) continue;
    const block = doc.getElementById(blockId);
    if (!block) continue;
    const text = cleanText((block.querySelector(ABSTRACT_BODY) ?? block).textContent);
    if (text) return text;
  }
  return undefined;
}

// ---- Paper page -----------------------------------------------------------------------------

/** The `dd` after the details `dt` whose text starts with `label` ("Anthology ID:", "Volume:"). */
function detail(doc: Document, label: string): Element | null {
  for (const dt of Array.from(doc.querySelectorAll(PAPER_DETAILS_DT))) {
    if (!cleanText(dt.textContent).startsWith(label)) continue;
    const dd = dt.nextElementSibling;
    return dd && dd.tagName.toUpperCase() === 'DD' ? dd : null;
  }
  return null;
}

function metaContent(doc: Document, selector: string): string {
  return cleanText(doc.querySelector(selector)?.getAttribute('content'));
}

/**
 * The paper page's id: its address, confirmed by the page itself (the details list's
 * "Anthology ID:" naming the same id, or the `citation_title` meta every paper page has), so
 * that another page served at a paper-like address (an error page) gives no card.
 */
function paperPageId(doc: Document): string | null {
  const stated = cleanText(detail(doc, 'Anthology ID:')?.textContent);
  const fromUrl = anthologyIdFromHref(doc.URL);
  if (fromUrl) {
    return stated === fromUrl || (!stated && metaContent(doc, META_TITLE)) ? fromUrl : null;
  }
  return isAnthologyId(stated) ? stated : null;
}

/** Text of the abstract block without its "Abstract" label (`h5.card-title`). */
function paperAbstract(block: Element | null): string | undefined {
  if (!block) return undefined;
  let text = '';
  for (const node of Array.from(block.childNodes)) {
    if (node.nodeType === 1 && /^H\d$/i.test((node as Element).tagName)) continue;
    text += ` ${node.textContent ?? ''}`;
  }
  return cleanText(text) || undefined;
}

/** A DOI as printed (`10.18653/v1/…`), from the head meta or the "DOI:" detail. */
function paperDoi(doc: Document): string | undefined {
  const raw = metaContent(doc, META_DOI) || cleanText(detail(doc, 'DOI:')?.textContent);
  const doi = raw.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');
  return /^10\.\d{4,9}\/\S+$/.test(doi) ? doi : undefined;
}

function readPaperPage(card: Element): PaperCandidate | null {
  const doc = card.ownerDocument;
  const id = paperPageId(doc);
  const h2 = card.querySelector(PAGE_TITLE);
  if (!id || !h2 || isFrontMatter(id)) return null;
  const title = cleanText(h2.textContent);
  if (!title) return null;
  const c: PaperCandidate = { aclId: id, title, url: `${ORIGIN}/${id}/` };
  let authors = Array.from(card.querySelectorAll(PAPER_AUTHORS))
    .filter((a) => sitePath(a).startsWith('/people/'))
    .map((a) => cleanText(a.textContent))
    .filter(Boolean);
  if (!authors.length) {
    authors = Array.from(doc.querySelectorAll(META_AUTHOR))
      .map((m) => cleanText(m.getAttribute('content')))
      .filter(Boolean);
  }
  if (authors.length) c.authors = authors;
  const venue = metaContent(doc, META_VENUE) || cleanText(detail(doc, 'Volume:')?.textContent);
  if (venue) c.venue = venue;
  const year = Number(cleanText(detail(doc, 'Year:')?.textContent));
  c.year = Number.isInteger(year) && year > 1900 ? year : yearFromAnthologyId(id);
  if (!c.year) delete c.year;
  const doi = paperDoi(doc);
  if (doi) c.doi = doi;
  const pdf = metaContent(doc, META_PDF);
  if (pdf && anthologyIdFromHref(pdf.replace(/\.pdf$/i, '')) === id)
    c.pdfUrl = `${ORIGIN}/${id}.pdf`;
  const abstract = paperAbstract(card.querySelector(PAPER_ABSTRACT));
  if (abstract) c.abstract = abstract;
  return c;
}

/** The paper page's one card: `section#main` holding `h2#title`. */
function paperCard(root: ParentNode): Element | null {
  const isEl = (root as Node).nodeType === 1;
  const main =
    isEl && (root as Element).matches(PAPER_MAIN)
      ? (root as Element)
      : root.querySelector(PAPER_MAIN);
  return main?.querySelector(PAGE_TITLE) ? main : null;
}

// ---- Adapter --------------------------------------------------------------------------------

/** ACL Anthology: author, volume and event pages (cards) and the paper page (one card). */
export const acl: SiteAdapter = {
  id: 'acl',
  name: 'ACL Anthology',
  matches: ['https://aclanthology.org/*'],

  detect(url: URL): PageMatch | null {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (url.hostname.toLowerCase() !== 'aclanthology.org') return null;
    const path = url.pathname;
    // 2026: /people/<slug>/ (and /people/<slug>/unverified/); before: /people/<initial>/<slug>/.
    if (/^\/people\/[^/]+(?:\/[^/]+)?\/?$/.test(path)) {
      return { site: 'acl', kind: 'people', listing: true };
    }
    // A volume page, not its exports (`/volumes/<id>.bib`, `.xml`, `.endf`).
    if (/^\/volumes\/[^/]+\/?$/.test(path) && !VOLUME_EXPORT.test(path)) {
      return { site: 'acl', kind: 'volume', listing: true };
    }
    if (/^\/events\/[^/]+\/?$/.test(path)) return { site: 'acl', kind: 'event', listing: true };
    const m = /^\/([^/]+)\/?$/.exec(path);
    if (m?.[1] && isAnthologyId(m[1])) return { site: 'acl', kind: 'paper', listing: false };
    return null;
  },

  findCards(root: ParentNode, page: PageMatch): Element[] {
    if (page.kind === 'paper') {
      const card = paperCard(root);
      return card && readPaperPage(card) ? [card] : [];
    }
    const cards = Array.from(root.querySelectorAll(CARD)).filter((el) => {
      const a = titleLink(el);
      const id = a ? anthologyIdFromHref(a.getAttribute('href') ?? '') : null;
      return id !== null && !isFrontMatter(id);
    });
    return cards.filter((el) => !cards.some((other) => other !== el && other.contains(el)));
  },

  cardIdentity(card: Element): string | null {
    if (card.matches(PAPER_MAIN)) return paperPageId(card.ownerDocument);
    return titleLink(card)?.getAttribute('href') ?? null;
  },

  readCard(card: Element, page: PageMatch): PaperCandidate | null {
    if (page.kind === 'paper') return readPaperPage(card);
    const a = titleLink(card);
    const id = a ? anthologyIdFromHref(a.getAttribute('href') ?? '') : null;
    if (!a || !id) return null;
    // textContent keeps the case the Anthology protects with span.acl-fixed-case ("AX", "CoNLL").
    const title = cleanText(a.textContent);
    if (!title) return null;

    const c: PaperCandidate = { aclId: id, title, url: `${ORIGIN}/${id}/` };
    const links = Array.from(card.querySelectorAll(LINK));
    const authors = links
      .filter((l) => sitePath(l).startsWith('/people/'))
      .map((l) => cleanText(l.textContent))
      .filter((name) => name.length > 0);
    if (authors.length) c.authors = authors;
    const venue = venueOf(card, page, links);
    if (venue) c.venue = venue;
    const year = headingYear(card) ?? yearFromAnthologyId(id);
    if (year) c.year = year;
    // The pdf badge links https://aclanthology.org/<id>.pdf; attachments are other files.
    if (links.some((l) => sitePath(l) === `/${id}.pdf`)) c.pdfUrl = `${ORIGIN}/${id}.pdf`;
    const abstract = abstractText(card, id);
    if (abstract) c.abstract = abstract;
    return c;
  },

  /** Paper page: its title and abstract (not the details list); listing cards: the card. */
  textRoots(card: Element, page: PageMatch): Element[] {
    if (page.kind !== 'paper') return [card];
    return [card.querySelector(PAGE_TITLE), card.querySelector(PAPER_ABSTRACT)].filter(
      (el): el is Element => el !== null,
    );
  },

  mountPoint(card: Element, page: PageMatch): MountPoint | null {
    if (page.kind === 'paper') {
      const h2 = card.querySelector(PAGE_TITLE);
      return h2 ? { anchor: h2, position: 'after' } : null;
    }
    // Right after the title's <strong>, inside span.d-block: the UI stays with the title.
    const strong = titleLink(card)?.closest('strong');
    return strong ? { anchor: strong, position: 'after' } : null;
  },
};
