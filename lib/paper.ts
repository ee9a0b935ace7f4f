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

// A new-style id stands alone: not the tail of a longer number (`01621459.2017.1285773`, a DOI).
const NEW_ARXIV_ID = /(?<!\d)(?<!\d\.)(\d{2})(\d{2})\.(\d{4,5})(?!\d)(?:v(\d+))?/g;
// An old-style id may carry its subject class (`math.GT/0309136`), which is not part of the id:
// arXiv files that paper as `math/0309136` (its abs page and citation_arxiv_id say so).
const OLD_ARXIV_ID = /(?<![\w.-])([a-z-]+)(?:\.[A-Z]{2})?(\/\d{7})(?!\d)(?:v(\d+))?/;

/**
 * Whether `yymm.number` can be a new-style id: from 0704, a real month, 4-digit numbers to 1412
 * and 5-digit ones from 1501.
 */
function newStyleValid(yy: string, mm: string, num: string): boolean {
  const month = Number(mm);
  const yymm = Number(yy) * 100 + month;
  return month >= 1 && month <= 12 && yymm >= 704 && (num.length === 4) === yymm <= 1412;
}

/**
 * Finds an arXiv id in a string (`arXiv:2401.00001v2`, `/abs/2401.00001`, `hep-th/9901001v1`).
 * New-style ids (2007+) win over old-style ones.
 * @returns the id without version and the version when present, or null.
 */
export function parseArxivId(text: string): { id: string; version?: number } | null {
  for (const n of text.matchAll(NEW_ARXIV_ID)) {
    const [, yy, mm, num, version] = n as unknown as [string, string, string, string, string?];
    if (!newStyleValid(yy, mm, num)) continue;
    const id = `${yy}${mm}.${num}`;
    return version ? { id, version: Number(version) } : { id };
  }
  const o = OLD_ARXIV_ID.exec(text);
  if (!o?.[1] || !o[2]) return null;
  const id = `${o[1]}${o[2]}`;
  return o[3] ? { id, version: Number(o[3]) } : { id };
}

const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;

/**
 * The arXiv id an arXiv DOI names (`10.48550/arxiv.2401.00001` → `2401.00001`), null for any
 * other DOI. `doi` is normalized (`normalizeDoi`).
 */
export function arxivIdOfDoi(doi: string): string | null {
  const m = ARXIV_DOI.exec(doi);
  return (m?.[1] && parseArxivId(m[1])?.id) || null;
}

/** Lower-cases a DOI and strips `https://doi.org/` and `doi:` prefixes; null when it is not one. */
export function normalizeDoi(doi: string): string | null {
  const d = doi
    .trim()
    .replace(/^https?:\/\/(dx\.)?doi\.org\//i, '')
    .replace(/^doi:\s*/i, '')
    .toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(d) ? d : null;
}

/** TeX Greek letter commands (without a `var` prefix) → the letter. */
const GREEK: Record<string, string> = Object.fromEntries(
  [
    'alpha',
    'beta',
    'gamma',
    'delta',
    'epsilon',
    'zeta',
    'eta',
    'theta',
    'iota',
    'kappa',
    'lambda',
    'mu',
    'nu',
    'xi',
    'omicron',
    'pi',
    'rho',
    'sigma',
    'tau',
    'upsilon',
    'phi',
    'chi',
    'psi',
    'omega',
  ].flatMap((name, i) => {
    const lower = String.fromCodePoint(0x3b1 + i + (i >= 17 ? 1 : 0)); // skips final sigma ς
    return [
      [name, lower],
      [name[0]!.toUpperCase() + name.slice(1), lower.toUpperCase()],
    ];
  }),
);

/** The letter a TeX Greek command names (`alpha` → α, `Delta` → Δ, `varepsilon` → ε). */
function greek(cmd: string): string | undefined {
  return GREEK[cmd.startsWith('var') ? cmd.slice(3) : cmd];
}

/**
 * Normalizes a title for matching across sites: LaTeX markup, accents, case, punctuation and
 * spacing are ignored ("$\\alpha$-Nets: {GAN}s" and "α-nets GANs" compare equal as far as letters go).
 */
export function normalizeTitle(title: string): string {
  return asciiTitleKey(title) ?? normalizeTitleFully(title);
}

/** Scratch space for `asciiTitleKey` (one title at a time: nothing else runs in between). */
const TITLE_CODES = new Uint16Array(4_096);

/**
 * `normalizeTitleFully` for the common title, in one pass over its characters: all ASCII, no `\`
 * (most titles; a 1,000-card listing normalizes 1,000 of them, and the regex chain with NFKD and
 * Unicode classes cost ~6 µs each in the worker). For such a title the chain reduces to: drop
 * `{}$^_~`, lower-case letters, one space for each run of other characters between letters or
 * digits (NFKD and the marks change no ASCII character). Null for any other title: the full path
 * decides. tests/unit/paper-title-key.test.ts compares both on every title of a real data set.
 */
function asciiTitleKey(t: string): string | null {
  const n = t.length;
  if (n > TITLE_CODES.length) return null;
  let len = 0;
  let gap = false;
  for (let i = 0; i < n; i++) {
    let c = t.charCodeAt(i);
    if (c >= 128 || c === 92 /* \ */) return null;
    if (c >= 65 && c <= 90) c += 32; // A-Z → a-z
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      // A space between words, never before the first (the chain trims).
      if (gap && len) TITLE_CODES[len++] = 32;
      gap = false;
      TITLE_CODES[len++] = c;
    } else if (c !== 123 && c !== 125 && c !== 36 && c !== 94 && c !== 95 && c !== 126) {
      // Not one of {}$^_~, which are dropped before runs are collapsed ("a_b" → "ab").
      gap = true;
    }
  }
  return String.fromCharCode.apply(null, TITLE_CODES.subarray(0, len) as unknown as number[]);
}

/** `normalizeTitle` for any title: LaTeX commands, Unicode letters, accents, marks. */
function normalizeTitleFully(title: string): string {
  let t = title;
  if (t.includes('\\')) {
    // LaTeX commands with a braced argument keep the argument: \emph{X} → X, \textbf{X} → X,
    // innermost first (\textit{\textbf{X}}); an empty one is the bare command (\LaTeX{} → \LaTeX).
    for (let prev = ''; prev !== t;) {
      prev = t;
      t = t.replace(/\\([a-zA-Z]+)\*?\s*\{([^{}]*)\}/g, (_, cmd: string, arg: string) =>
        arg ? arg : (greek(cmd) ?? ` ${cmd} `),
      );
    }
    // Greek letters are the letters a page renders ($\alpha$ on arXiv, α on Scholar).
    t = t.replace(/\\([a-zA-Z]+)/g, (whole, cmd: string) => greek(cmd) ?? whole);
  }
  return (
    t
      // Other bare commands (\LaTeX, \&) keep their name's letters.
      .replace(/\\([a-zA-Z]+)/g, ' $1 ')
      .replace(/[{}$^_~]/g, '')
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

/** A provisional record is matched by title only when the title has at least this many words. */
export const MIN_TITLE_WORDS_FOR_MATCH = 3;

/** Whether a title key is long enough to name one paper ("Introduction" and "Preface" are not). */
export function titleMatchable(titleKey: string): boolean {
  return titleKey.split(' ').length >= MIN_TITLE_WORDS_FOR_MATCH;
}

/** Longest title key kept; longer titles are cut (keys must stay small in IndexedDB). */
const MAX_TITLE_KEY = 200;

/**
 * The key a candidate is stored under: `arxiv:<id>` (a DataCite arXiv DOI counts as one), else
 * `doi:<doi>`, else a provisional `acl:<id>` or `title:<normalized title>`. Null when the card has
 * nothing to key by (no id and an empty title).
 */
export function canonicalKey(
  c: Pick<PaperCandidate, 'arxivId' | 'doi' | 'aclId' | 'title'> & { url?: string },
): string | null {
  if (c.arxivId) return `arxiv:${c.arxivId}`;
  if (c.doi) {
    const doi = normalizeDoi(c.doi);
    const arxiv = doi ? arxivIdOfDoi(doi) : null;
    if (arxiv) return `arxiv:${arxiv}`;
    if (doi) return `doi:${doi}`;
  }
  if (c.aclId) return `acl:${c.aclId}`;
  const t = normalizeTitle(c.title).slice(0, MAX_TITLE_KEY);
  if (!t) return null;
  // A title too short to name one paper does not make one record of every paper carrying it
  // (two book chapters titled "Introduction"): the card's address tells them apart.
  return titleMatchable(t) || !c.url
    ? `title:${t}`
    : `title:${t} @${c.url.slice(0, MAX_TITLE_KEY)}`;
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
