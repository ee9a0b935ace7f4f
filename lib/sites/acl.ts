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
 * The single paper page (`/<anthology id>/`) is recognized (kind `paper`) but has no cards yet:
 * no real saved copy of it exists to build and test a reader against.
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
 * number 0, which is the last two digits for workshops (`W19-4200`) and the last three for the
 * other collections (`P18-1000`).
 */
export function isFrontMatter(id: string): boolean {
  const n = NEW_ID.exec(id);
  if (n) return Number(n[2]) === 0;
  const o = OLD_ID.exec(id);
  if (!o?.[3]) return false;
  return o[1] === 'W' ? o[3].endsWith('00') : o[3].endsWith('000');
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

// ---- Adapter --------------------------------------------------------------------------------

/** ACL Anthology: author, volume and event pages (cards); paper pages are recognized only. */
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
    if (/^\/volumes\/[^/]+\/?$/.test(path)) return { site: 'acl', kind: 'volume', listing: true };
    if (/^\/events\/[^/]+\/?$/.test(path)) return { site: 'acl', kind: 'event', listing: true };
    const m = /^\/([^/]+)\/?$/.exec(path);
    if (m?.[1] && isAnthologyId(m[1])) return { site: 'acl', kind: 'paper', listing: false };
    return null;
  },

  findCards(root: ParentNode, page: PageMatch): Element[] {
    // No saved paper page exists to learn its markup from; see the file comment.
    if (page.kind === 'paper') return [];
    const cards = Array.from(root.querySelectorAll(CARD)).filter((el) => {
      const a = titleLink(el);
      const id = a ? anthologyIdFromHref(a.getAttribute('href') ?? '') : null;
      return id !== null && !isFrontMatter(id);
    });
    return cards.filter((el) => !cards.some((other) => other !== el && other.contains(el)));
  },

  cardIdentity(card: Element): string | null {
    return titleLink(card)?.getAttribute('href') ?? null;
  },

  readCard(card: Element): PaperCandidate | null {
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
    const volume = links.find((l) => sitePath(l).startsWith('/volumes/'));
    const venue = cleanText(volume?.textContent);
    if (venue) c.venue = venue;
    const year = headingYear(card) ?? yearFromAnthologyId(id);
    if (year) c.year = year;
    // The pdf badge links https://aclanthology.org/<id>.pdf; attachments are other files.
    if (links.some((l) => sitePath(l) === `/${id}.pdf`)) c.pdfUrl = `${ORIGIN}/${id}.pdf`;
    const abstract = abstractText(card, id);
    if (abstract) c.abstract = abstract;
    return c;
  },

  mountPoint(card: Element): MountPoint | null {
    // Right after the title's <strong>, inside span.d-block: the UI stays with the title.
    const strong = titleLink(card)?.closest('strong');
    return strong ? { anchor: strong, position: 'after' } : null;
  },
};
