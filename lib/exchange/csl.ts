/**
 * Papers as CSL-JSON items (the citation data model Citation.js, Zotero and pandoc share) and back.
 * Export: `toCsl` describes a stored paper the way Zotero describes a preprint or an article.
 * Import: `fromCsl` turns an item read from BibTeX, RIS or CSL-JSON (plus the raw fields CSL has no
 * place for: arXiv eprint, primary class, tags, citation key) into a paper record to stage.
 * @see https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html
 */
import { parse as parseName, type ParsedName } from '@citation-js/name';
import { formatCount } from '../count';
import type { PaperRecord } from '../db';
import { ARXIV_ID, LIMITS, isHttpUrl } from '../limits';
import { canonicalKey, normalizeDoi, normalizeTitle, parseArxivId, type SiteId } from '../paper';
import { NOTE_MAX, TAGS_MAX, normalizeTags } from '../readinglist';
import { CITATION_KEY } from './citation-key';

/** A CSL name. */
export type CslName = ParsedName;
/** A CSL date. */
export interface CslDate {
  'date-parts'?: unknown[][];
  raw?: string;
  literal?: string;
}
/** The CSL-JSON fields Paper Scout writes and reads (others pass through untouched). */
export interface CslItem {
  id: string;
  type: string;
  'citation-key'?: string;
  title?: string;
  author?: CslName[];
  issued?: CslDate;
  abstract?: string;
  DOI?: string;
  URL?: string;
  'container-title'?: string;
  publisher?: string;
  number?: string;
  keyword?: string;
  annote?: string;
  note?: string;
  /** CSL-JSON 1.0.2's place for data with no CSL field (see CSL_TAGS). */
  custom?: Record<string, unknown>;
  [field: string]: unknown;
}

const CONFERENCE =
  /proceedings|conference|workshop|symposium|neural information processing systems|learning representations|\b(neurips|nips|icml|iclr|acl|emnlp|naacl|eacl|coling|cvpr|iccv|eccv|aaai|ijcai|kdd|sigir|www|chi|aistats|uai|colt|interspeech|icassp|icra|iros|rss|corl|wacv|bmvc|miccai|findings)\b/i;
const ARXIV_VENUE = /^\s*(arxiv|corr)\b/i;

const nameCache = new Map<string, CslName>();

/**
 * A generational suffix ending a display name: "Antonio Laverghetta Jr.", "Martin Luther King III",
 * with or without a comma before it. The name parser reads "… Jr." as the family name (so BibTeX
 * would file the author under "Jr.") and its formatter puts a suffix before the family name, so the
 * suffix is split off here. A lone "V" is left alone: it is an initial or family name in many
 * South Indian names ("Sanjay Kumar V").
 */
const GENERATION = /^(\S.*?),? (Jr\.?|Sr\.?|II|III|IV)$/;

/**
 * A Brazilian agnome ending a name of capitalized words: "Marcelo Lopes Pereira Junior" is filed as
 * "Pereira Junior, Marcelo Lopes" (ABNT NBR 6023); the name parser would make "Junior" a suffix
 * and its formatter would move it. ("Neto" is left to the parser: it is also a family name.)
 */
const AGNOME = /^((?:\p{Lu}\S* )+)(\p{Lu}\S*) (Junior|Júnior|Filho|Sobrinho)$/u;

/** The parts `@citation-js/name`'s formatter joins, in its order (output.js, getName). */
const NAME_ORDER = ['dropping-particle', 'given', 'suffix', 'non-dropping-particle', 'family'];

/**
 * `@citation-js/name`'s `format(n)` (not reversed), without the arrays it builds per call (an
 * import formats every author it reads, ~60,000 for 10,000 entries): the literal, else the parts
 * that are set, in its order, joined by spaces.
 */
function joinName(n: CslName): string {
  if (n.literal) return n.literal;
  let out = '';
  for (const k of NAME_ORDER) {
    const v: unknown = (n as Record<string, unknown>)[k] || '';
    if (v) out = out ? `${out} ${v as string}` : `${v as string}`;
  }
  return out;
}

/**
 * A CSL name as a display name, suffix last ("Antonio Laverghetta Jr."): `@citation-js/name`'s
 * formatter writes "Antonio Jr. Laverghetta".
 */
function displayName(n: CslName): string {
  if (!n.suffix) return joinName(n);
  const { suffix, ...rest } = n;
  return `${joinName(rest)} ${suffix}`;
}

/**
 * "Given Family", two capitalized words of ASCII letters: most authors of a library. The name
 * parser reads such a name as `{ given, family }` unless one word is one it treats specially: a
 * given name that is a particle (`@citation-js/name`'s list, matched with case: "Da Chen", "Van
 * Nguyen") or a family name that is a suffix (its list, matched without case: "Yi Ma" has suffix
 * "Ma", "Thanh Do" suffix "DO"). Read here without the parser (a tenth of an export's time).
 */
const SIMPLE_DISPLAY = /^([A-Z][A-Za-z]+) ([A-Z][A-Za-z]+)$/;
/**
 * `@citation-js/name` 0.4.2's particles (lib/input.js, `particles`), verbatim: the parser joins
 * them into a regular expression unescaped, so "St." is "St" and any character ("Stu Chen" and
 * "Ste Wong" are read as a particle and a family name, hence literals). Kept as the source text
 * so the shortcut matches them the same way; tests/unit/exchange-name-shortcut.test.ts checks
 * this copy against the installed package.
 */
export const NAME_PARTICLES: readonly string[] =
  "Vere Von Van De Del Della Di Da Pietro Vanden Du St. St La Lo Ter O O' Mac Fitz".split(' ');
/**
 * `@citation-js/name` 0.4.2's suffixes (lib/input.js, `suffixes`), verbatim (regular expression
 * source: "Ph\\.D"); checked against the installed package like NAME_PARTICLES.
 */
export const NAME_SUFFIXES: readonly string[] =
  'I II III IV V Senior Junior Jr Sr PhD Ph\\.D APR RPh PE MD MA DMD CME BVM CFRE CLU CPA CSC CSJ DC DD DDS DO DVM EdD Esq JD LLD OD OSB PC Ret RGS RN RNC SHCJ SJ SNJM SSMO USA USAF USAFR USAR USCG USMC USMCR USN USNR'.split(
    ' ',
  );
/**
 * A given name the parser takes for a particle. Built as the parser builds its matcher (the list
 * joined unescaped, with case); it needs the particle to end at a word boundary, which in a word
 * of letters is the word's end, hence the whole word here.
 */
const PARTICLE_WORD = new RegExp(`^(?:${NAME_PARTICLES.join('|')})$`);
/**
 * A family name the parser takes for a suffix: its matcher (each suffix with optional dots
 * between capitals and at the end, without case), again as the whole word.
 */
const SUFFIX_WORD = new RegExp(
  `^(?:${NAME_SUFFIXES.map((x) => x.replace(/$|( )|(?!^)(?=[A-Z])/g, '\\.?$1')).join('|')})$`,
  'i',
);

/** `toCslName` without its cache. */
function readDisplayName(s: string): CslName {
  const simple = SIMPLE_DISPLAY.exec(s);
  if (simple && !PARTICLE_WORD.test(simple[1]!) && !SUFFIX_WORD.test(simple[2]!))
    return { given: simple[1]!, family: simple[2]! };
  const agnome = AGNOME.exec(s);
  if (agnome) return { given: agnome[1]!.trim(), family: `${agnome[2]} ${agnome[3]}` };
  try {
    const gen = GENERATION.exec(s);
    const base = gen ? gen[1]! : s;
    const p = parseName(base);
    const kept = p && (p.family || p.given) && !p.suffix && joinName(p) === base;
    if (kept && !gen) return p;
    // A suffix needs a given and a family name before it ("Smith Jr." stays a literal).
    if (kept && p.family && p.given) return { ...p, suffix: gen![2]! };
  } catch {
    // A literal name.
  }
  return { literal: s };
}

/** A display name ("Jean-Pierre van der Berg") as a CSL name; a literal when parsing would alter it. */
export function toCslName(display: string): CslName {
  return { ...cslNameOf(display) };
}

/**
 * `toCslName` for a caller that only reads the name: the cached object itself, not a copy (an
 * export reads ~60,000 names; copying each was a tenth of formatting a BibTeX entry's authors).
 */
export function cslNameOf(display: string): Readonly<CslName> {
  const s = display.trim();
  // Authors recur across a library (and a paper may have hundreds): parse each name once.
  const hit = nameCache.get(s);
  if (hit) return hit;
  const out = readDisplayName(s);
  if (nameCache.size > 50_000) nameCache.clear();
  nameCache.set(s, out);
  return out;
}

/** White space other than single spaces (`/\s\s|[^\S ]/`, in two cheaper searches). */
export const looseSpace = (v: string): boolean => v.includes('  ') || /[^\S ]/.test(v);

/** A CSL name as Paper Scout shows authors ("Given Family"). */
export function fromCslName(n: CslName): string {
  if (typeof n.literal === 'string') return n.literal.trim();
  try {
    return displayName(n).trim();
  } catch {
    return [n.given, n['dropping-particle'], n['non-dropping-particle'], n.family, n.suffix]
      .filter((x) => typeof x === 'string' && x)
      .join(' ');
  }
}

/** The `[year, month, day]` of a paper (as many parts as it knows). */
export function dateParts(p: Pick<PaperRecord, 'date' | 'year'>): number[] | undefined {
  const m = p.date ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(p.date) : null;
  if (m?.[1]) return [m[1], m[2], m[3]].filter((x) => x !== undefined).map(Number);
  return p.year ? [p.year] : undefined;
}

/** The link a paper is best known by: arXiv abstract page, else the site it was saved from. */
export function paperUrl(p: PaperRecord): string | undefined {
  if (p.arxivId) return `https://arxiv.org/abs/${p.arxivId}`;
  const u = (p.savedFrom && p.urls[p.savedFrom]) ?? Object.values(p.urls)[0];
  return u && isHttpUrl(u) ? u : undefined;
}

/** What kind of publication a paper is, in CSL terms. */
export function cslType(p: PaperRecord): 'article' | 'article-journal' | 'paper-conference' {
  if (p.aclId) return 'paper-conference';
  if (p.venue && !ARXIV_VENUE.test(p.venue)) {
    return CONFERENCE.test(p.venue) ? 'paper-conference' : 'article-journal';
  }
  // CSL's "article" is a preprint (Zotero's choice for arXiv papers); also any paper with no venue.
  return 'article';
}

/**
 * Where a CSL-JSON export keeps a paper's tags exactly: `custom["paper-scout-tags"]`, a list.
 *
 * CSL's own `keyword` is one string with no escaping, which every tool (Zotero, pandoc,
 * Citation.js, and our importer) splits at commas or semicolons, so a tag "graph neural
 * networks, survey" came back as two tags. `keyword` is still written (tags joined with ", ") for
 * those tools; when a tag holds a separator, the tags are also written as a list under `custom`,
 * the object CSL-JSON 1.0.2 reserves for data with no CSL field (tools that do not know the key
 * ignore it), and the importer prefers that list. Files from other tools have no such key, and
 * their `keyword` string is split as before. Namespaced, so another tool's `custom.tags` is not
 * taken for ours.
 */
export const CSL_TAGS = 'paper-scout-tags';
/** A character that splits a CSL `keyword` string. */
const TAG_SEPARATOR = /[,;]/;

/**
 * The exact tags a CSL-JSON item carries under `custom` (see CSL_TAGS); undefined when it has
 * none, or they are not a list of text (a hand edit), so its `keyword` string is read instead.
 */
export function cslTags(item: CslItem): string[] | undefined {
  const custom = item.custom;
  if (typeof custom !== 'object' || custom === null || Array.isArray(custom)) return undefined;
  const tags = (custom as Record<string, unknown>)[CSL_TAGS];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) return undefined;
  return tags as string[];
}

/** A stored paper as a CSL-JSON item, keyed `key`. */
export function toCsl(p: PaperRecord, key: string): CslItem {
  const type = cslType(p);
  const item: CslItem = { id: key, 'citation-key': key, type, title: p.title };
  if (p.authors.length) item.author = p.authors.map(toCslName);
  const parts = dateParts(p);
  if (parts) item.issued = { 'date-parts': [parts] };
  if (type !== 'article' && p.venue) item['container-title'] = p.venue;
  if (p.arxivId) {
    item.number = `arXiv:${p.arxivId}`;
    if (type === 'article') item.publisher = 'arXiv';
  }
  const doi = p.doi ?? (p.arxivId ? `10.48550/arXiv.${p.arxivId}` : undefined);
  if (doi) item.DOI = doi;
  const url = paperUrl(p);
  if (url) item.URL = url;
  if (p.abstract) item.abstract = p.abstract;
  if (p.tags?.length) {
    item.keyword = p.tags.join(', ');
    if (p.tags.some((t) => TAG_SEPARATOR.test(t))) item.custom = { [CSL_TAGS]: [...p.tags] };
  }
  if (p.note) item.annote = p.note;
  if (p.categories?.length) item.categories = [...p.categories];
  return item;
}

/** Fields of an imported entry CSL has no place for. */
export interface CitationExtras {
  /** BibTeX `eprint` and its archive (`archivePrefix` / `eprinttype`). */
  eprint?: string;
  eprintType?: string;
  /** BibTeX `primaryClass` / `eprintclass`. */
  primaryClass?: string;
  /** BibTeX key of the entry. */
  citationKey?: string;
  /** Tags (BibTeX `keywords`, RIS `KW`), already split. */
  tags?: string[];
  /** More links (RIS `UR`, `L1`, `L2` beyond the first). */
  urls?: string[];
  /** A note (RIS `N1`). */
  note?: string;
  /**
   * Fields of the item that are one line already (white space collapsed, trimmed) and hold no
   * rich-text markup (BibTeX read without Citation.js, see readBibtex): `fromCsl` only unmarks
   * them instead of scanning each (an abstract is most of an entry's text) for white space again;
   * `ascii`: printable ASCII without `<` `>` too, which unmarking leaves as it is.
   */
  oneLine?: { title?: boolean; abstract?: boolean | 'ascii' };
}

/** What became of one entry: the record, or why it was skipped; and what was not kept. */
export type FromCslResult =
  { ok: true; record: PaperRecord; warnings: string[] } | { ok: false; reason: string };

const RICH_TEXT =
  /<\/?(?:i|b|sc|sup|sub)>|<span class="nocase">|<span style="font-variant:\s*small-caps;?">|<\/span>/g;
/**
 * Stand-ins for `<` and `>` that were text in the source (BibTeX `\textless{}`), so removing
 * rich-text markup (`<i>`) cannot remove them; turned back into `<` `>` by `unmark`.
 */
export const TEXT_LT = '\uE000';
export const TEXT_GT = '\uE001';
/** Printable ASCII and line breaks: already NFC. */
const ASCII = /^[\t\n\r -~]*$/;
/** Text without CSL rich-text markup (Citation.js writes `\textit{x}` as `<i>x</i>`), NFC. */
function unmark(s: string, richText: boolean): string {
  // Each step only where it can change something (abstracts are long; most have none of these).
  let out = richText && s.includes('<') ? s.replace(RICH_TEXT, '') : s;
  if (out.includes(TEXT_LT)) out = out.replaceAll(TEXT_LT, '<');
  if (out.includes(TEXT_GT)) out = out.replaceAll(TEXT_GT, '>');
  if (ASCII.test(out)) return out;
  // TeX's accented dotless letters (`\'{\i}`, as DBLP writes í) are the dotted letters accented.
  if (/[ıȷ]/.test(out)) out = out.replace(/ı(?=\p{M})/gu, 'i').replace(/ȷ(?=\p{M})/gu, 'j');
  return out.normalize('NFC');
}
/**
 * `plainText` of a value that is one line already (CitationExtras `oneLine`): unmarking neither
 * adds white space nor leaves it at the ends (NFC composes no white space from other characters).
 */
function plainOneLine(v: unknown, richText: boolean): string | undefined {
  if (typeof v !== 'string') return plainText(v, richText);
  return unmark(v, richText) || undefined;
}
/** Plain one-line text of a CSL value (rich-text markup removed when `richText`). */
export function plainText(v: unknown, richText = true): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const u = unmark(String(v), richText);
  // Only runs of spaces or other white space need collapsing.
  const s = (looseSpace(u) ? u.replace(/\s+/g, ' ') : u).trim();
  return s || undefined;
}

/** An arXiv id named in text ("arXiv preprint arXiv:2301.00303", "arxiv.org/abs/…", "arXiv:… [cs]"). */
function arxivFromText(s: string | undefined): { id: string; version?: number } | undefined {
  if (!s || !/arxiv/i.test(s)) return undefined;
  for (const m of s.matchAll(/arxiv(?:\.org\/(?:abs|pdf)\/|[:.\s]\s*)([\w.\-/]+)/gi)) {
    const p = parseArxivId(m[1]!);
    if (p && ARXIV_ID.test(p.id)) return p;
  }
  return undefined;
}

const SITE_URL: [SiteId, RegExp][] = [
  ['arxiv', /^https?:\/\/(www\.)?arxiv\.org\/abs\//i],
  ['huggingface', /^https?:\/\/huggingface\.co\/papers\//i],
  ['acl', /^https?:\/\/(www\.)?aclanthology\.org\//i],
  ['scholar', /^https?:\/\/scholar\.google\.[a-z.]+\//i],
];

function yearOf(d: CslDate | undefined): { date?: string; year?: number } {
  const parts = d?.['date-parts']?.[0];
  let nums = Array.isArray(parts) ? parts.map((x) => Number(x)) : [];
  if (!nums.length || !Number.isInteger(nums[0])) {
    const m = /\b(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?/.exec(d?.raw ?? d?.literal ?? '');
    nums = m ? [m[1], m[2], m[3]].filter((x) => x !== undefined).map(Number) : [];
  }
  const [y, mo, da] = nums;
  if (y === undefined || !Number.isInteger(y) || y < 1000 || y > 3000) return {};
  const pad = (n: number) => String(n).padStart(2, '0');
  const okM = mo !== undefined && Number.isInteger(mo) && mo >= 1 && mo <= 12;
  const okD = okM && da !== undefined && Number.isInteger(da) && da >= 1 && da <= 31;
  const date = okD ? `${y}-${pad(mo)}-${pad(da)}` : okM ? `${y}-${pad(mo)}` : undefined;
  return date ? { date, year: y } : { year: y };
}

/**
 * An imported entry as a paper record: saved now, in the inbox, with the entry's tags and note.
 * Skipped (with the reason) when it has no title or the title is absurdly long.
 */
export function fromCsl(
  item: CslItem,
  extras: CitationExtras,
  now: number,
  /** Whether values may hold CSL rich-text markup (BibTeX read by Citation.js, CSL-JSON; not RIS). */
  richText = true,
): FromCslResult {
  const warnings: string[] = [];
  const plain = (v: unknown) => plainText(v, richText);
  if (item.title !== undefined && typeof item.title !== 'string')
    return { ok: false, reason: 'has a title that is not text' };
  const title = extras.oneLine?.title ? plainOneLine(item.title, richText) : plain(item.title);
  if (!title) return { ok: false, reason: 'has no title' };
  if (title.length > LIMITS.title) {
    return {
      ok: false,
      reason: `has a title of ${formatCount(title.length)} characters (at most ${formatCount(LIMITS.title)})`,
    };
  }
  const strings = (v: unknown) => (typeof v === 'string' ? v : undefined);
  // arXiv id: eprint, DOI, links, "arXiv:…" in number, note or journal (Google Scholar, Zotero).
  let arxiv: { id: string; version?: number } | undefined;
  const eprintIsArxiv = !extras.eprintType || /arxiv/i.test(extras.eprintType);
  if (extras.eprint && eprintIsArxiv) {
    const p = parseArxivId(extras.eprint);
    if (p && ARXIV_ID.test(p.id)) arxiv = p;
  }
  const doiRaw = strings(item.DOI);
  const doi = doiRaw ? normalizeDoi(doiRaw) : null;
  if (doiRaw && !doi) warnings.push(`DOI “${doiRaw.slice(0, 80)}” is not a DOI; not kept`);
  const links = [strings(item.URL), ...(extras.urls ?? [])].filter((u): u is string => !!u);
  arxiv ??=
    arxivFromText(doi?.replace(/^10\.48550\/arxiv\./, 'arXiv:') ?? undefined) ??
    links.map(arxivFromText).find(Boolean) ??
    arxivFromText(strings(item.number)) ??
    arxivFromText(strings(item.note)) ??
    arxivFromText(strings(item['container-title'])) ??
    arxivFromText(extras.note);
  const venueText = plain(item['container-title']) ?? plain(item['event-title']);
  const venue = venueText && !ARXIV_VENUE.test(venueText) ? venueText : undefined;

  const urls: Partial<Record<SiteId, string>> = {};
  let pdfUrl: string | undefined;
  let aclId: string | undefined;
  const dropped: string[] = [];
  for (const raw of links) {
    const u = raw.trim();
    if (!isHttpUrl(u) || u.length > LIMITS.url) {
      if (!/^file:/i.test(u)) dropped.push(u);
      continue;
    }
    const site = SITE_URL.find(([, re]) => re.test(u))?.[0];
    if (site === 'acl') aclId ??= /aclanthology\.org\/([\w.-]+?)(?:\.pdf|\/)?$/i.exec(u)?.[1];
    if (site === 'arxiv') continue; // Rebuilt from the id below (https, no version).
    if (site && !urls[site]) urls[site] = u;
    else if (/\.pdf$/i.test(u) && !pdfUrl) pdfUrl = u;
    else if (!site) dropped.push(u);
  }
  if (arxiv) urls.arxiv = `https://arxiv.org/abs/${arxiv.id}`;
  if (dropped.length && !doi && !arxiv) {
    warnings.push(
      `link ${dropped[0]!.slice(0, 100)} not kept (Paper Scout keeps arXiv, Hugging Face, Scholar and ACL links)`,
    );
  }
  const arxivDoi = doi && /^10\.48550\/arxiv\./.test(doi);
  const candidate = {
    arxivId: arxiv?.id,
    doi: doi && !arxivDoi ? doi : undefined,
    aclId,
    title,
  };
  const id = canonicalKey(candidate);
  if (!id) return { ok: false, reason: 'has no title or id to keep it by' };
  const aliases = new Set<string>();
  if (candidate.doi) aliases.add(`doi:${candidate.doi}`);
  if (aclId) aliases.add(`acl:${aclId}`);
  aliases.delete(id);

  let authors = (Array.isArray(item.author) ? item.author : [])
    .filter((n): n is CslName => typeof n === 'object' && n !== null)
    .map(fromCslName)
    .map((a) => unmark(a, richText).trim())
    .filter(Boolean);
  if (authors.some((a) => a.length > LIMITS.author)) {
    authors = authors.map((a) => a.slice(0, LIMITS.author));
    warnings.push(`author names cut to ${formatCount(LIMITS.author)} characters`);
  }
  if (authors.length > LIMITS.authors) {
    warnings.push(
      `only the first ${formatCount(LIMITS.authors)} of ${formatCount(authors.length)} authors kept`,
    );
    authors = authors.slice(0, LIMITS.authors);
  }
  const rec: PaperRecord & { citationKey?: string } = {
    id,
    aliases: [...aliases],
    titleKey: normalizeTitle(title),
    title,
    authors,
    urls,
    firstSeenAt: now,
    lastSeenAt: now,
    updatedAt: now,
    savedAt: now,
    state: 'inbox',
  };
  const { date, year } = yearOf(item.issued);
  if (date) rec.date = date;
  if (year) rec.year = year;
  const oneLineAbstract = extras.oneLine?.abstract;
  let abstract =
    oneLineAbstract === 'ascii' && typeof item.abstract === 'string'
      ? item.abstract || undefined
      : oneLineAbstract
        ? plainOneLine(item.abstract, richText)
        : plain(item.abstract);
  if (abstract && abstract.length > LIMITS.abstract) {
    warnings.push(`abstract cut to ${formatCount(LIMITS.abstract)} characters`);
    abstract = abstract.slice(0, LIMITS.abstract);
  }
  if (abstract) rec.abstract = abstract;
  if (venue) rec.venue = venue.slice(0, LIMITS.venue);
  if (arxiv) {
    rec.arxivId = arxiv.id;
    if (arxiv.version) rec.version = arxiv.version;
  }
  if (candidate.doi) rec.doi = candidate.doi;
  if (aclId) rec.aclId = aclId;
  if (pdfUrl) rec.pdfUrl = pdfUrl;
  const cls = extras.primaryClass?.trim();
  if (cls && /^[a-z-]+(\.[A-Za-z-]+)?$/.test(cls) && cls.length <= LIMITS.category)
    rec.categories = [cls];
  const rawTags =
    extras.tags ?? (typeof item.keyword === 'string' ? item.keyword.split(TAG_SEPARATOR) : []);
  const tags = normalizeTags(rawTags.map((t) => plain(t) ?? ''));
  if (new Set(rawTags.map((t) => t.trim().toLowerCase()).filter(Boolean)).size > TAGS_MAX) {
    warnings.push(`only the first ${formatCount(TAGS_MAX)} tags kept`);
  }
  if (tags.length) {
    rec.tags = tags;
    rec.tagsAt = now;
  }
  const noteParts = [item.annote, extras.note]
    .map((n) => (typeof n === 'string' ? unmark(n, richText).trim() : ''))
    .filter((n) => n && !isOnlyArxivRef(n));
  let note = noteParts.join('\n\n');
  if (note.length > NOTE_MAX) {
    warnings.push(`note cut to ${formatCount(NOTE_MAX)} characters`);
    note = note.slice(0, NOTE_MAX);
  }
  if (note) {
    rec.note = note;
    rec.noteAt = now;
  }
  const key = extras.citationKey ?? strings(item['citation-key']);
  if (key && CITATION_KEY.test(key)) rec.citationKey = key;
  return { ok: true, record: rec, warnings };
}

/** "arXiv:1706.03762 [cs]" (Zotero's Extra for arXiv items) says nothing a note should keep. */
function isOnlyArxivRef(s: string): boolean {
  return /^\s*arxiv:\s*[\w.\-/]+(v\d+)?\s*(\[[\w.\- ]+\])?\s*$/i.test(s);
}
