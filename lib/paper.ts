/**
 * The paper model shared by every part of Paper Scout: what an adapter reads off a card
 * (`PaperCandidate`), how a paper is keyed (`canonicalKey`), and how titles are compared.
 *
 * A paper is one record however many sites show it: `arxiv:<id without version>`, else
 * `doi:<lower-case doi>`; a card with neither gets a provisional key (`acl:<anthology id>` or
 * `title:<normalized title>`) and is matched to an existing record by title in the background.
 */

/** Sites Paper Scout reads. One adapter file per site lives in `lib/sites/`. */
export type SiteId = 'huggingface' | 'arxiv' | 'scholar' | 'acl';

/** Which section of an arXiv `/new` listing a card came from. */
export type ListingSection = 'new' | 'cross' | 'replacement';

/** Everything one card on one page says about a paper. Only `title` and `url` are required. */
export interface PaperCandidate {
  /** arXiv id without version, e.g. `2401.00001` or `hep-th/9901001`. */
  arxivId?: string;
  /** arXiv version shown on the card (`v3` → 3), when the card names one. */
  version?: number;
  /** DOI as printed (any case); normalized by `canonicalKey`. */
  doi?: string;
  /** ACL Anthology id, e.g. `2022.in2writing-1.1` or `W19-4201`. */
  aclId?: string;
  title: string;
  abstract?: string;
  authors?: string[];
  /** ISO 8601 date (or date-time) the paper was published or listed. */
  date?: string;
  year?: number;
  venue?: string;
  upvotes?: number;
  comments?: number;
  citations?: number;
  organization?: string;
  github?: string;
  /** arXiv categories, primary first. */
  categories?: string[];
  /** Keywords the site attaches (Hugging Face `ai_keywords`). */
  keywords?: string[];
  /** Where the paper lives on the site the card came from. */
  url: string;
  pdfUrl?: string;
  section?: ListingSection;
}

const NEW_ARXIV_ID = /(\d{4}\.\d{4,5})(?:v(\d+))?/;
const OLD_ARXIV_ID = /([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?/;

/**
 * Finds an arXiv id in a string (`arXiv:2401.00001v2`, `/abs/2401.00001`, `hep-th/9901001v1`).
 * New-style ids (2007+) win over old-style ones.
 * @returns the id without version and the version when present, or null.
 */
export function parseArxivId(text: string): { id: string; version?: number } | null {
  const m = NEW_ARXIV_ID.exec(text) ?? OLD_ARXIV_ID.exec(text);
  if (!m?.[1]) return null;
  return m[2] ? { id: m[1], version: Number(m[2]) } : { id: m[1] };
}

const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;

/** Lower-cases a DOI and strips `https://doi.org/` and `doi:` prefixes; null when it is not one. */
export function normalizeDoi(doi: string): string | null {
  const d = doi
    .trim()
    .replace(/^https?:\/\/(dx\.)?doi\.org\//i, '')
    .replace(/^doi:\s*/i, '')
    .toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(d) ? d : null;
}

/**
 * Normalizes a title for matching across sites: LaTeX markup, accents, case, punctuation and
 * spacing are ignored ("$\\alpha$-Nets: {GAN}s" and "α-nets GANs" compare equal as far as letters go).
 */
export function normalizeTitle(title: string): string {
  return (
    title
      // LaTeX commands with a braced argument keep the argument: \emph{X} → X, \textbf{X} → X.
      .replace(/\\[a-zA-Z]+\*?\s*\{([^{}]*)\}/g, '$1')
      // Bare commands (\alpha, \&) keep their name's letters; a Greek letter stays readable.
      .replace(/\\([a-zA-Z]+)/g, ' $1 ')
      .replace(/[{}$^_~]/g, '')
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

/** Longest title key kept; longer titles are cut (keys must stay small in IndexedDB). */
const MAX_TITLE_KEY = 200;

/**
 * The key a candidate is stored under: `arxiv:<id>` (a DataCite arXiv DOI counts as one), else
 * `doi:<doi>`, else a provisional `acl:<id>` or `title:<normalized title>`. Null when the card has
 * nothing to key by (no id and an empty title).
 */
export function canonicalKey(
  c: Pick<PaperCandidate, 'arxivId' | 'doi' | 'aclId' | 'title'>,
): string | null {
  if (c.arxivId) return `arxiv:${c.arxivId}`;
  if (c.doi) {
    const doi = normalizeDoi(c.doi);
    const arxiv = doi ? ARXIV_DOI.exec(doi) : null;
    if (arxiv?.[1]) {
      const parsed = parseArxivId(arxiv[1]);
      if (parsed) return `arxiv:${parsed.id}`;
    }
    if (doi) return `doi:${doi}`;
  }
  if (c.aclId) return `acl:${c.aclId}`;
  const t = normalizeTitle(c.title).slice(0, MAX_TITLE_KEY);
  return t ? `title:${t}` : null;
}

/** True for keys that name the paper itself (arXiv or DOI), false for provisional ones. */
export function isCanonical(key: string): boolean {
  return key.startsWith('arxiv:') || key.startsWith('doi:');
}

/** Collapses runs of white space (page text is full of newlines and indentation). */
export function cleanText(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** Parses "1,234" / "1.2k" / "33" into a number; undefined when there is none. */
export function parseCount(text: string | null | undefined): number | undefined {
  const t = cleanText(text).toLowerCase().replace(/,/g, '');
  const m = /(\d+(?:\.\d+)?)\s*(k|m)?/.exec(t);
  if (!m?.[1]) return undefined;
  const n = Number(m[1]) * (m[2] === 'k' ? 1e3 : m[2] === 'm' ? 1e6 : 1);
  return Number.isFinite(n) ? Math.round(n) : undefined;
}
