/**
 * Trims what an adapter read off a page to the protocol's limits before it is sent (content
 * script side). The background still validates strictly: this only keeps a hostile or odd card
 * from getting the whole page's batch refused.
 */
import { ARXIV_ID, LIMITS, isHttpUrl } from './limits';
import type { PaperCandidate } from './paper';

const cut = (s: string | undefined, max: number) => (s === undefined ? undefined : s.slice(0, max));
const list = (xs: string[] | undefined, each: number, max: number) =>
  xs?.slice(0, max).map((x) => x.slice(0, each));
const url = (u: string | undefined) =>
  u !== undefined && u.length <= LIMITS.url && isHttpUrl(u) ? u : undefined;
const count = (n: number | undefined) =>
  n !== undefined && Number.isInteger(n) && n >= 0 && n <= 1e9 ? n : undefined;

/** A candidate that fits the message schema, or null when it cannot (no title, no valid URL). */
export function sanitizeCandidate(c: PaperCandidate): PaperCandidate | null {
  const title = cut(c.title.trim(), LIMITS.title);
  const link = url(c.url);
  if (!title || !link) return null;
  const out: PaperCandidate = {
    ...c,
    title,
    url: link,
    arxivId: c.arxivId && ARXIV_ID.test(c.arxivId) ? c.arxivId : undefined,
    version:
      c.version !== undefined && Number.isInteger(c.version) && c.version > 0 && c.version <= 1000
        ? c.version
        : undefined,
    doi: cut(c.doi, LIMITS.doi),
    aclId: cut(c.aclId, LIMITS.aclId),
    abstract: cut(c.abstract, LIMITS.abstract),
    authors: list(c.authors, LIMITS.author, LIMITS.authors),
    date: cut(c.date, LIMITS.date),
    year:
      c.year !== undefined && Number.isInteger(c.year) && c.year >= 1000 && c.year <= 3000
        ? c.year
        : undefined,
    venue: cut(c.venue, LIMITS.venue),
    upvotes: count(c.upvotes),
    comments: count(c.comments),
    citations: count(c.citations),
    organization: cut(c.organization, LIMITS.organization),
    github: url(c.github),
    categories: list(c.categories, LIMITS.category, LIMITS.categories),
    keywords: list(c.keywords, LIMITS.keyword, LIMITS.keywords),
    pdfUrl: url(c.pdfUrl),
  };
  for (const k of Object.keys(out) as (keyof PaperCandidate)[])
    if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * The page URL as a `cards/seen` carries it: no fragment, and at most `LIMITS.url` characters.
 * A Scholar search for a pasted CJK sentence is over 2,000 characters once percent-encoded; sent
 * whole, the schema refused the page's every batch (every card in error, no sighting recorded).
 * Cut, it still names the listing (its first 2,000 characters) and still parses.
 */
export function pageUrl(href: string): string {
  const u = href.split('#')[0] ?? href;
  return u.length <= LIMITS.url ? u : u.slice(0, LIMITS.url).replace(/%[0-9a-f]?$/i, '');
}
