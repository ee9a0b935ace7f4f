/**
 * Everything that uses Citation.js (https://citation.js.org): BibTeX and RIS written from CSL-JSON
 * items, and BibTeX and RIS entries read into CSL-JSON items. Loaded with `import()` by extension
 * pages only (options, popup), never by a content script or the background worker.
 *
 * Citation.js maps types, names, dates and fields, and escapes BibTeX (`&` → `\&`, `é` → `{\' e}`,
 * `α` → `$\alpha$`). Paper Scout adds what it lacks:
 * - BibTeX: `eprint`/`archivePrefix`/`primaryClass` for arXiv papers, `abstract` and `keywords`
 *   (carried through Citation.js's `note` and `series` fields, so Citation.js escapes them too),
 *   `month = mar` macros, and no silent loss: characters Citation.js has no LaTeX for (CJK, emoji,
 *   ≠, …) and TeX math of arXiv titles (`$O(n^2)$`) go through as they are (UTF-8 and TeX), not
 *   dropped or escaped into `\textdollar{}`.
 * - RIS: one line per tag (Citation.js wraps values every 70 characters, which splits words when
 *   read back), no line breaks inside values (a note's "ER  - " line must not end the record),
 *   zero-padded dates, notes (N1) and the preprint type GEN.
 * - Reading: TeX math of titles and abstracts is kept as TeX (Citation.js turns `$O(n^2)$` into
 *   "O(n²⁾"), and BibTeX fields CSL has no place for (eprint, keywords …) are read raw.
 */
import { plugins } from '@citation-js/core';
import { format as formatName, parse as parseName } from '@citation-js/name';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import { formatPosition } from '../count';
import type { PaperRecord } from '../db';
import {
  TEXT_GT,
  TEXT_LT,
  cslType,
  dateParts,
  looseSpace,
  paperUrl,
  toCsl,
  cslNameOf,
  type CitationExtras,
  type CslItem,
  type CslName,
} from './csl';
import { ExchangeError } from './errors';
import { readFields, type BibScan, type BibSpan, type RawEntry } from './scan-bibtex';
import type { RisRecord } from './scan-ris';

interface BibtexConstants {
  defaultStrings: Record<string, string>;
  commands: Record<string, string>;
  diacritics: Record<string, string>;
  ligatures: Record<string, string>;
  mathCommands: Record<string, string>;
}
interface BibEntryObject {
  type: string;
  label: string;
  properties: Record<string, string>;
}

const constants = (plugins.config.get('@bibtex') as { constants: BibtexConstants }).constants;
/** Characters Citation.js writes as LaTeX (after NFKD decomposition). */
const TEXT_MAPPED = new Set<string>([
  ...Object.values(constants.commands),
  ...Object.values(constants.diacritics),
  ...Object.values(constants.ligatures),
]);
const MATH_MAPPED = new Set<string>(Object.values(constants.mathCommands));
/** Combining accents Citation.js both recognizes and has a command for. */
const ACCENTS = new Set<string>(Object.values(constants.diacritics));
// Citation.js's own sets (plugin-bibtex output/value.js): ASCII it writes as is, the combining
// accents it turns into commands, and the characters it backslash-escapes.
const SAFE_ASCII = /[a-zA-Z0-9\s!"'()*+,\-./:;=?@[\]&%$#_{}]/;
const DIACRITIC = /[\u0300-\u0308\u030a-\u030c\u0332\u0323\u0327\u0328\u0361\u0326]/;
const survivesCache = new Map<string, boolean>();
/** What Citation.js might write as LaTeX: characters, and accents as "a" + accent. */
const CANDIDATES = new Set<string>([
  ...TEXT_MAPPED,
  ...MATH_MAPPED,
  ...[...ACCENTS].map((a) => `a${a}`),
]);
/** Candidates asked about so far: whether each reads back as itself. */
const probed = new Map<string, boolean>();

/**
 * Finds which of `wanted` Citation.js writes as LaTeX *and* reads back as the same character, by
 * asking Citation.js (once per candidate, in one batch): `{\textcommabelow S}` is written but read
 * as "nullS", `Ǽ` is written as broken TeX — those are written raw instead. Only the candidates an
 * export actually has are asked about (all of them take a fifth of a second).
 */
function probe(wanted: Iterable<string>): void {
  const candidates = [...new Set(wanted)].filter((c) => CANDIDATES.has(c) && !probed.has(c));
  if (!candidates.length) return;
  const items = candidates.map((c, i) => ({
    id: `p${i}`,
    'citation-key': `p${i}`,
    type: 'article',
    title: 'x',
    note: `x${c}x`,
  }));
  const check = (list: typeof items) => {
    const back = chain(plugins.output.format('bibtex', list), '@biblatex/text') as CslItem[];
    for (const b of back) {
      const c = candidates[Number(b.id.slice(1))]!;
      if (b.note?.normalize('NFC') === `x${c}x`.normalize('NFC')) probed.set(c, true);
    }
  };
  try {
    check(items);
  } catch {
    // One candidate's TeX is broken: check them one by one.
    for (const item of items) {
      try {
        check([item]);
      } catch {
        // Not trusted: written raw.
      }
    }
  }
  for (const c of candidates) if (!probed.has(c)) probed.set(c, false);
}

/** Whether candidate `c` survives Citation.js (asked about now if it was not yet). */
function roundTrips(c: string): boolean {
  if (!probed.has(c)) probe([c]);
  return probed.get(c) ?? false;
}

/** Asks Citation.js in one batch about every character of `texts` not decided yet. */
function probeTexts(texts: Iterable<string | undefined>): void {
  const wanted = new Set<string>();
  for (const s of texts) {
    if (!s || PLAIN.test(s)) continue;
    for (const c of s) {
      if (c.charCodeAt(0) < 128 || survivesCache.has(c)) continue;
      for (const x of c.normalize('NFD')) {
        wanted.add(x);
        wanted.add(`a${x}`);
      }
    }
  }
  probe(wanted);
}

/** Whether Citation.js writes character `c` without loss (else Paper Scout writes it raw). */
function survives(c: string): boolean {
  let ok = survivesCache.get(c);
  if (ok === undefined) {
    // Citation.js reads "<i>" as rich text; and it decomposes (NFKD) before it maps, so "½"
    // would become "1⁄2" and "²" a plain 2.
    if (c === '<' || c === '>') ok = false;
    // TeX's special characters are always escaped by Citation.js (\& \% \textbackslash{} …).
    else if (/[\\{}$&%#_~^]/.test(c)) ok = true;
    else {
      // Accents only on ASCII letters: on a symbol (ῠ = υ + breve, Ǽ = Æ + acute) Citation.js
      // writes broken TeX.
      const nfd = [...c.normalize('NFD')];
      const accented = nfd.some((x) => /\p{M}/u.test(x));
      ok =
        c.normalize('NFKD') === c.normalize('NFD') &&
        nfd.every((x) =>
          accented
            ? /[a-zA-Z]/.test(x) || (DIACRITIC.test(x) && roundTrips(`a${x}`))
            : SAFE_ASCII.test(x) || roundTrips(x),
        );
    }
    survivesCache.set(c, ok);
  }
  return ok;
}

const PLAIN = /^[ -#%-;=?-~\s]*$/; // Printable ASCII without $ < >: nothing to protect.
/** Characters Citation.js writes as TeX ligatures ("--", "---", "''", "``"), as TeX commands. */
const LIGATURE_TEX: Readonly<Record<string, string>> = {
  '–': '\\textendash{}',
  '—': '\\textemdash{}',
  '”': '\\textquotedblright{}',
  '“': '\\textquotedblleft{}',
};
/**
 * One of those next to a character its ligature would fuse with: "–-" would be "---" (read back
 * as "—"), "'”" "'''" (read "”'"), and "!“" "!``" (TeX's "!`" is "¡").
 */
const LIGATURE_NEXT_TO =
  /[–—](?=[-–—])|(?<=[-–—])[–—]|”(?=['”])|(?<=['”])”|“(?=[`“])|(?<=[`“!?])“/g;
const MATH = /(?<!\\)\$(?=[^\s$])((?:[^$\\\n]|\\.){1,400}?)(?<=\S)(?<!\\)\$/g;

/** `\alpha`: one math command Citation.js maps to a character. */
function isSymbol(inner: string): boolean {
  const m = /^\\([A-Za-z]+)$/.exec(inner.trim());
  return !!m && Object.hasOwn(constants.mathCommands, m[1]!);
}

/** TeX math that is safe to write as is: braces balance, no comment or table characters. */
function cleanMath(inner: string): boolean {
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
    else if (c === '%' || c === '#' || c === '&') return false;
  }
  return depth === 0;
}

/**
 * Replaces what must be written raw with ASCII tokens Citation.js leaves alone, and puts the raw
 * text back into the finished BibTeX.
 */
class Protector {
  private raw: string[] = [];
  private readonly nonce: string;
  private readonly pattern: RegExp;

  constructor() {
    // Random per export: no text can be made to contain it on purpose.
    const letters = [...crypto.getRandomValues(new Uint8Array(12))].map((b) =>
      String.fromCharCode(97 + (b % 26)),
    );
    this.nonce = `qz${letters.join('')}x`;
    this.pattern = new RegExp(`${this.nonce}(\\d+)${this.nonce}`, 'g');
  }

  /** Tokens handed out so far (an entry that took none needs no restoring). */
  get size(): number {
    return this.raw.length;
  }

  token(raw: string): string {
    this.raw.push(raw);
    return `${this.nonce}${this.raw.length - 1}${this.nonce}`;
  }

  /** `s` with math (when `math`) and characters Citation.js would lose replaced by tokens. */
  text(s: string, math = false, plain = PLAIN.test(s)): string {
    if (plain && !s.includes('--') && !s.includes("''")) return s;
    let out = '';
    let last = 0;
    if (math) {
      for (const m of s.matchAll(MATH)) {
        if (!cleanMath(m[1]!)) continue;
        out += this.chars(s.slice(last, m.index)) + this.token(m[0]);
        last = m.index + m[0].length;
      }
    }
    return out + this.chars(s.slice(last));
  }

  private chars(s: string): string {
    // Citation.js writes "–" as "--", "—" as "---" and "”" as "''": next to a hyphen, a dash or a
    // quote they would fuse into another ligature ("–-" as "---", read back as "—"). There they
    // are written as commands, which fuse with nothing.
    s = s.replace(LIGATURE_NEXT_TO, (c) => this.token(LIGATURE_TEX[c] ?? c));
    // TeX ligatures: "--" would be read back as "–" and "''" as "”"; "-{}-" and "'{}'" are not.
    if (s.includes('--') || s.includes("''")) {
      return s
        .split(/(-(?=-)|'(?='))/)
        .map((part, i) => (i % 2 ? this.token(`${part}{}`) : this.chars(part)))
        .join('');
    }
    if (PLAIN.test(s)) return s;
    let out = '';
    let run = '';
    for (const c of s) {
      if (survives(c)) {
        if (run) out += this.token(run);
        run = '';
        out += c;
      } else if (c === '<' || c === '>') {
        if (run) out += this.token(run);
        out += this.token(c === '<' ? '\\textless{}' : '\\textgreater{}');
        run = '';
      } else run += c;
    }
    if (run) out += this.token(run);
    return out;
  }

  restore(s: string): string {
    return s.replace(this.pattern, (_, i: string) => this.raw[Number(i)] ?? '');
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;
/** Fields in the order they are written (others follow in Citation.js's order). */
const FIELD_ORDER = [
  'title',
  'author',
  'year',
  'month',
  'journal',
  'booktitle',
  'doi',
  'url',
  'eprint',
  'archivePrefix',
  'primaryClass',
  'abstract',
  'keywords',
  'annote',
];

/** The CSL item Citation.js formats a paper's BibTeX entry from (tokens in place of raw text). */
function bibtexItem(
  p: PaperRecord,
  key: string,
  prot: Protector,
  /** Whether the abstract is PLAIN (known already: it is tested once, being long). */
  plainAbstract?: boolean,
): CslItem {
  const type = cslType(p);
  const item: CslItem = { id: key, 'citation-key': key, type, title: prot.text(p.title, true) };
  if (p.authors.length) {
    item.author = p.authors.map((a) => {
      const n = cslNameOf(a);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(n)) {
        if (typeof v !== 'string') continue;
        // BibTeX and biber split a name list at every white-space delimited "and", in any case
        // ("Procter and Gamble", "Sanjay And Kumar"): a part with one is braced. (Citation.js
        // braces a literal itself.)
        out[k] =
          k !== 'literal' && /(^|\s)and(\s|$)/i.test(v)
            ? prot.token('{') + prot.text(v) + prot.token('}')
            : prot.text(v);
      }
      return out;
    });
  }
  const parts = dateParts(p);
  if (parts) item.issued = { 'date-parts': [parts.slice(0, 2)] };
  if (type !== 'article' && p.venue) item['container-title'] = prot.text(p.venue, true);
  // Written verbatim by Citation.js: a brace (or a backslash before one) would unbalance the
  // entry, so they are percent-encoded (the same URL, the same DOI once resolved).
  const verbatim = (v: string) => v.replace(/[{}\\]/g, encodeURIComponent);
  if (p.doi) item.DOI = verbatim(p.doi);
  const url = paperUrl(p);
  if (url) item.URL = verbatim(url);
  // Carriers: Citation.js's BibTeX mapping has no abstract or keywords; `note` and `series` are
  // escaped like any text and renamed after formatting.
  if (p.abstract) item.note = prot.text(p.abstract, true, plainAbstract);
  if (p.tags?.length) {
    item['collection-title'] = p.tags
      .map((t) =>
        /[,;]/.test(t) ? prot.token('{') + prot.text(t) + prot.token('}') : prot.text(t),
      )
      .join(', ');
  }
  if (p.note) item.annote = prot.text(p.note);
  return item;
}

/** ASCII text without `<` `>` (which Citation.js would read as rich-text markup). */
const ASCII_TEXT = /^[\0-;=?-\x7f]*$/;
/** The characters Citation.js escapes (plugin-bibtex output/value.js, UNSAFE_UNICODE). */
const UNSAFE = /[^a-zA-Z0-9\s!"'()*+,\-./:;=?@[\]]/g;
let asciiEscapes: Map<string, string> | null | undefined;

/**
 * What Citation.js writes for each ASCII character it escapes (`$` → `\textdollar{}`, a control
 * character → nothing), built from its own tables as its escapeCharacter does, and checked once
 * against Citation.js: null (so Citation.js formats everything) if another version of it differs.
 */
function asciiEscapeTable(): Map<string, string> | null {
  if (asciiEscapes !== undefined) return asciiEscapes;
  const unicode = new Map<string, string>();
  for (const table of [constants.commands, constants.diacritics, constants.ligatures])
    for (const [command, char] of Object.entries(table)) unicode.set(char, command);
  const math = new Map(Object.entries(constants.mathCommands).map(([k, v]) => [v, k]));
  const table = new Map<string, string>();
  let all = '';
  for (let i = 0; i < 128; i++) {
    const c = String.fromCharCode(i);
    if (c === '<' || c === '>') continue;
    all += c;
    if (!c.match(UNSAFE)) continue;
    const command = unicode.get(c);
    const m = math.get(c);
    table.set(
      c,
      command !== undefined
        ? command in constants.ligatures
          ? command
          : `\\${command}{}`
        : m !== undefined
          ? `$\\${m}$`
          : /^[&%$#_{}]$/.test(c)
            ? `\\${c}`
            : '',
    );
  }
  const [probe] = plugins.output.format('bibtex', [{ id: 'a', type: 'article', note: all }], {
    format: 'object',
  }) as BibEntryObject[];
  asciiEscapes = probe?.properties.note === escapeAscii(all, table) ? table : null;
  return asciiEscapes;
}

/** A CSL name of just a given and a family name, both ASCII text. */
function asciiGivenFamily(n: CslName): boolean {
  const { given, family } = n;
  return (
    Object.keys(n).length === 2 &&
    typeof given === 'string' &&
    typeof family === 'string' &&
    !!given &&
    !!family &&
    ASCII_TEXT.test(given) &&
    ASCII_TEXT.test(family)
  );
}

function escapeAscii(s: string, table: ReadonlyMap<string, string>): string {
  return s.replace(UNSAFE, (c) => table.get(c) ?? '');
}

/** BibTeX for papers, each under its citation key (`keys` by paper id). */
export function formatBibtex(
  papers: readonly PaperRecord[],
  keys: ReadonlyMap<string, string>,
): string {
  if (!papers.length) return '';
  // Abstracts are long: each is tested once for PLAIN text, here and for the Protector.
  const plainAbstracts = papers.map((p) => !!p.abstract && PLAIN.test(p.abstract));
  probeTexts(
    papers.flatMap((p, i) => [
      p.title,
      p.venue,
      plainAbstracts[i] ? undefined : p.abstract,
      p.note,
      ...p.authors,
      ...(p.tags ?? []),
    ]),
  );
  const prot = new Protector();
  // Which entries hold tokens: only those are searched for them afterwards (the file is
  // megabytes; most entries have none).
  const tokens: boolean[] = [];
  const items = papers.map((p, i) => {
    const before = prot.size;
    const item = bibtexItem(p, keys.get(p.id) ?? p.id, prot, plainAbstracts[i]);
    tokens[i] = prot.size > before;
    return item;
  });
  // Abstracts are most of an export's text, and nearly all are ASCII once protected: those are
  // escaped here, as Citation.js would (the same table), instead of by its slower general path.
  const table = asciiEscapeTable();
  // So are author lists whose names are all a given and a family name in ASCII (Citation.js's
  // formatName: "Family, Given", braced when it holds " and "; joined with " and "): Citation.js
  // gets one stand-in name for those (it writes `author` in the same place) and skips converting
  // and escaping each name.
  const abstracts: (string | undefined)[] = [];
  const authors: (string | undefined)[] = [];
  if (table) {
    items.forEach((item, i) => {
      if (typeof item.note === 'string' && ASCII_TEXT.test(item.note)) {
        abstracts[i] = escapeAscii(item.note, table);
        delete item.note;
      }
      if (item.author?.length && item.author.every(asciiGivenFamily)) {
        authors[i] = item.author
          .map((n) => {
            const f = escapeAscii(`${n.family}, ${n.given}`.trim(), table);
            return f.includes(' and ') ? `{${f}}` : f;
          })
          .join(' and ');
        item.author = [{ family: 'x' }];
      }
    });
  }
  const entries = plugins.output.format('bibtex', items, { format: 'object' }) as BibEntryObject[];
  const out: string[] = [];
  entries.forEach((e, i) => {
    const p = papers[i]!;
    const props: Record<string, string> = {};
    if (abstracts[i] !== undefined) props.abstract = abstracts[i];
    for (const [k, v] of Object.entries(e.properties)) {
      if (k === 'note') props.abstract = v;
      else if (k === 'series') props.keywords = v;
      // Citation.js repeats a misc's URL as howpublished (escaped: `\&` where the url has `&`).
      else if (k === 'howpublished' && 'url' in e.properties) continue;
      else props[k] = v;
    }
    if (authors[i] !== undefined) props.author = authors[i];
    const m = Number(props.month);
    if (Number.isInteger(m) && m >= 1 && m <= 12) props.month = `\u0000${MONTHS[m - 1]}`;
    else delete props.month;
    let type = e.type;
    if (p.arxivId) {
      props.eprint = p.arxivId;
      props.archivePrefix = 'arXiv';
      const cls = p.categories?.[0];
      if (cls && CATEGORY.test(cls)) props.primaryClass = cls;
      if (cslType(p) === 'article') type = 'misc';
    } else if (cslType(p) === 'article') type = 'misc';
    const names = [
      ...FIELD_ORDER.filter((f) => f in props),
      ...Object.keys(props).filter((f) => !FIELD_ORDER.includes(f)),
    ];
    const lines = names.map((f) => {
      const v = props[f]!;
      return v.startsWith('\u0000') ? `  ${f} = ${v.slice(1)},` : `  ${f} = {${v}},`;
    });
    // Our key, not Citation.js's label: it would rewrite keys with - : . (valid in BibTeX).
    const entry = `@${type}{${items[i]!.id},\n${lines.join('\n')}\n}\n`;
    out.push(tokens[i] ? prot.restore(entry) : entry);
  });
  return out.join('\n');
}

const risNames = new Map<string, string>();
/**
 * "Family, Given" (particles kept), "Family, Given, Suffix" (the RIS specification's order, which
 * Citation.js reads back; `@citation-js/name` would write "Family, Suffix, Given"), or the literal.
 */
function risName(a: string): string {
  let v = risNames.get(a);
  if (v === undefined) {
    const { suffix, ...n } = cslNameOf(a);
    v = n.literal ?? (suffix ? `${formatName(n, true)}, ${suffix}` : formatName(n, true));
    if (risNames.size > 50_000) risNames.clear();
    risNames.set(a, v);
  }
  return v;
}

const RIS_ORDER = [
  'TY',
  'TI',
  'AU',
  'PY',
  'DA',
  'T2',
  'PB',
  'DO',
  'UR',
  'C7',
  'AB',
  'KW',
  'N1',
  'ID',
];

const RIS_ORDER_SET = new Set(RIS_ORDER);
/** Line breaks of a value (with the spaces or tabs around them), written as one space. */
const RIS_BREAK = /[\r\n\u2028\u2029]/;
const RIS_BREAKS = /[ \t]*[\r\n\u2028\u2029]+[ \t]*/g;

/** RIS for papers (`keys` by paper id become the records' IDs). */
export function formatRis(
  papers: readonly PaperRecord[],
  keys: ReadonlyMap<string, string>,
): string {
  if (!papers.length) return '';
  const items = papers.map((p) => {
    if (!p.authors.length) return toCsl(p, keys.get(p.id) ?? p.id);
    // The authors Citation.js would write are replaced below (risName): it is given one stand-in
    // name, so it need not convert each (the same record otherwise: it writes AU in its place).
    const item = toCsl({ ...p, authors: [] }, keys.get(p.id) ?? p.id);
    item.author = [{ family: 'x' }];
    return item;
  });
  const records = plugins.output.format('ris', items, { format: 'object' }) as Record<
    string,
    string | string[]
  >[];
  // Most values (all but abstracts and notes, nearly) have no line break: only trimmed.
  const clean = (v: string) => (RIS_BREAK.test(v) ? v.replace(RIS_BREAKS, ' ') : v).trim();
  return records
    .map((r, i) => {
      const p = papers[i]!;
      const type = cslType(p);
      r.TY = type === 'article' ? 'GEN' : type === 'paper-conference' ? 'CPAPER' : 'JOUR';
      const parts = dateParts(p);
      if (parts) {
        const [y, m, d] = parts;
        r.DA = `${y}/${m ? String(m).padStart(2, '0') : ''}/${d ? String(d).padStart(2, '0') : ''}/`;
        r.PY = String(y);
      }
      // Citation.js drops name particles ("van"); RIS wants "Family, Given".
      if (p.authors.length) {
        r.AU = p.authors.map(risName);
      }
      if (type === 'article' && p.arxivId) r.PB = 'arXiv';
      if (p.tags?.length) r.KW = [...p.tags];
      else delete r.KW;
      if (p.note) r.N1 = p.note;
      r.ID = keys.get(p.id) ?? p.id;
      const lines: string[] = [];
      const add = (t: string) => {
        if (t === 'TY') return;
        const v = r[t];
        for (const x of Array.isArray(v) ? v : [v]) {
          const c = clean(String(x));
          if (c) lines.push(`${t}  - ${c}`);
        }
      };
      for (const t of RIS_ORDER) if (t in r) add(t);
      for (const t of Object.keys(r)) if (!RIS_ORDER_SET.has(t)) add(t);
      return `TY  - ${r.TY}\n${lines.join('\n')}\nER  - \n`;
    })
    .join('\n');
}

/** CSL-JSON items of papers (`keys` by paper id are their ids and citation keys). */
export function formatCslJson(
  papers: readonly PaperRecord[],
  keys: ReadonlyMap<string, string>,
): CslItem[] {
  return papers.map((p) => toCsl(p, keys.get(p.id) ?? p.id));
}

// ---------------------------------------------------------------------------------------------
// Reading

/** One entry read from a file: its CSL item and what CSL has no place for, or why it failed. */
export interface ReadEntry {
  n: number;
  line: number;
  /** "BibTeX entry 3 (“vaswani2017”, line 20)". */
  where: string;
  item?: CslItem;
  extras: CitationExtras;
  /** Fields of the entry Paper Scout does not keep. */
  notKept: string[];
  /** Why the entry could not be converted (it is skipped). */
  error?: string;
}

/** BibTeX fields Paper Scout keeps (their values go somewhere in the record). */
const BIB_KEPT = new Set([
  'title',
  'author',
  'year',
  'month',
  'date',
  'journal',
  'journaltitle',
  'booktitle',
  'doi',
  'url',
  'eprint',
  'archiveprefix',
  'eprinttype',
  'primaryclass',
  'eprintclass',
  'abstract',
  'keywords',
  'annote',
  'annotation',
  'eventtitle',
]);
const ONLY_ARXIV = /^\s*arxiv:\s*[\w.\-/]+(v\d+)?\s*(\[[\w.\- ]+\])?\s*$/i;

const bibWhere = (s: BibSpan) =>
  `BibTeX entry ${formatPosition(s.n)} (${s.key ? `“${s.key.slice(0, 60)}”, ` : ''}line ${formatPosition(s.line)})`;

function chain(input: unknown, forceType: string, target?: string): unknown {
  // An explicit `target: undefined` would replace Citation.js's default target (CSL).
  return plugins.input.chain(
    input,
    target ? { forceType, target, generateGraph: false } : { forceType, generateGraph: false },
  );
}

/** The first line of a Citation.js parse error, its line numbers made absolute. */
function parseMessage(e: unknown, firstLine: number): string {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  return msg
    .replace(
      /at line (\d+) col (\d+):?/,
      (_, l: string, c: string) =>
        `at line ${formatPosition(Number(l) + firstLine - 1)}, column ${formatPosition(Number(c))}`,
    )
    .replace(/:$/, '');
}

/**
 * Printable ASCII and spaces, without TeX's specials (isPlain), `<` `>` (rich text, textAngles) or
 * other white space (oneLine): with no "  ", "--" or "''" in it, a value is its own plain text.
 */
const SIMPLE_TEXT = /^[ !"'-;=?-[\]a-z|]*$/;

/** A value with no TeX in it: what it says is what it means (Citation.js would return it as is). */
function isPlain(v: string): boolean {
  return /^[^\\{}$~%&#^_`]*$/.test(v) && !v.includes('--') && !v.includes("''");
}

/**
 * The text of a value whose only TeX is braces around plain text — how BibTeX protects capitals
 * (`Industrial-{Grade} {Sensor}`, `cs.{CV}`), and how Citation.js writes every title — and the
 * escaped specials `\%` `\&` `\#` `\_` (as it writes "75\% of") and accents and letters (`{\' e}`,
 * `\l{}`, see `accented`): the value without its braces, each escape its character, which is what
 * Citation.js reads it as. Undefined for anything else (a command, math, unbalanced braces, a
 * ligature), and, given `list`, for a `,` or `;` inside braces (a keyword that holds a separator).
 */
function unbraced(value: string, list = false): string | undefined {
  const v = value.includes('\\') ? accented(value) : value;
  if (v === undefined) return undefined;
  const escapes = v.includes('\\');
  const rest = escapes ? v.replace(ESCAPED_SPECIAL, '') : v;
  if (!/^[^\\$~%&#^_`]*$/.test(rest) || v.includes('--') || v.includes("''")) return undefined;
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */) {
      if (--depth < 0) return undefined;
    } else if (list && depth > 0 && (c === 44 /* , */ || c === 59) /* ; */) return undefined;
  }
  if (depth) return undefined;
  return escapes
    ? v.replace(ESCAPED_OR_BRACE, (m) => TEXT_SYMBOL[m] ?? m[1] ?? '')
    : v.replace(/[{}]/g, '');
}
/**
 * Escaped specials and the text-symbol commands Citation.js writes for characters that are TeX
 * specials (`\textbackslash{}` for `\\`, always followed by `{}`), with what Citation.js reads each
 * as (checked by tests/unit/exchange-formats.test.ts against reading with Citation.js).
 */
const TEXT_SYMBOL: Record<string, string> = {
  '\\textbackslash{}': '\\',
  '\\textbraceleft{}': '{',
  '\\textbraceright{}': '}',
  '\\textunderscore{}': '_',
  '\\textasciitilde{}': '~',
  '\\textasciigrave{}': '`',
  '\\textasciicircum{}': '^',
  '\\textdollar{}': '$',
};
const SYMBOLS = Object.keys(TEXT_SYMBOL)
  .map((k) => k.replace(/[\\{}]/g, (c) => `\\${c}`))
  .join('|');
const ESCAPED_SPECIAL = new RegExp(`\\\\[%&#_]|${SYMBOLS}`, 'g');
const ESCAPED_OR_BRACE = new RegExp(`\\\\[%&#_]|${SYMBOLS}|[{}]`, 'g');

const escapeRe = (c: string) => c.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&');
const DIACRITIC_MARKS = Object.keys(constants.diacritics);
/** Accent commands that are one non-letter (`\'`, `\"`) and one letter (`\c`, `\v`). */
const MARK_SIGNS = DIACRITIC_MARKS.filter((k) => /^[^A-Za-z]$/.test(k))
  .map(escapeRe)
  .join('');
const MARK_LETTERS = DIACRITIC_MARKS.filter((k) => /^[A-Za-z]$/.test(k)).join('');
/** Commands for one letter (`\ss` ß, `\o` ø, `\l` ł, `\i` ı, `\AE` Æ …), longest first. */
const LETTER_COMMANDS = Object.entries(constants.commands)
  .filter(([k, v]) => /^[A-Za-z]{1,2}$/.test(k) && /^\p{L}$/u.test(v))
  .map(([k]) => k)
  .sort((a, b) => b.length - a.length)
  .join('|');
/**
 * Accents on one ASCII letter and one-letter commands, in the forms BibTeX files use (Citation.js
 * writes `{\' e}`, `{\c c}` and `\l{}`; others write `{\'e}`, `\'{e}`, `\'e`, `\c{c}`, `{\ss}`),
 * then any other command (matched whole, so `\\'e` or `\textbackslash{}` is not taken for an accent).
 */
const ACCENT_FORMS = new RegExp(
  [
    `\\{\\\\([${MARK_SIGNS}]) *([A-Za-z])\\}`,
    `\\{\\\\([${MARK_LETTERS}]) +([A-Za-z])\\}`,
    `\\\\([${MARK_SIGNS}]) *(?:\\{([A-Za-z])\\}|([A-Za-z]))`,
    `\\\\([${MARK_LETTERS}])(?: *\\{([A-Za-z])\\}| +([A-Za-z]))`,
    `\\{\\\\(${LETTER_COMMANDS})\\}`,
    `\\\\(${LETTER_COMMANDS})\\{\\}`,
    `\\\\(?:[A-Za-z]+|[^])`,
  ].join('|'),
  'g',
);
const accentCache = new Map<string, string>();

/**
 * `v` with its accents and one-letter commands (ACCENT_FORMS) replaced by the characters Citation.js
 * reads them as: the letter with the combining accent, composed (NFC), as Citation.js composes it;
 * other commands are left as they are. With `inWord`, undefined unless each replaced command
 * follows an ASCII letter of its word (`J{\' u}nior`, `Assump{\c c}{\~ a}o`): Citation.js decides
 * whether a name's word is capitalized (a family name or a particle like "van") by the text its word
 * starts with, and does not count a command there (`{\" O}zen` reads as lower-case). Checked by
 * tests/unit/exchange-formats.test.ts against Citation.js.
 */
function accented(v: string, inWord = false): string | undefined {
  let ok = true;
  let end = -1;
  const out = v.replace(ACCENT_FORMS, (...a: (string | number | undefined)[]) => {
    const m = a[0] as string;
    const at = a[13] as number;
    const mark = (a[1] ?? a[3] ?? a[5] ?? a[8]) as string | undefined;
    const letter = (a[2] ?? a[4] ?? a[6] ?? a[7] ?? a[9] ?? a[10]) as string | undefined;
    const command = (a[11] ?? a[12]) as string | undefined;
    if (!mark && !command) return m;
    if (inWord && at !== end && !/[A-Za-z]/.test(v[at - 1] ?? '')) ok = false;
    end = at + m.length;
    if (command) return constants.commands[command]!;
    const key = `${letter}${mark}`;
    let c = accentCache.get(key);
    if (c === undefined) {
      c = `${letter}${constants.diacritics[mark!]}`.normalize('NFC');
      accentCache.set(key, c);
    }
    return c;
  });
  return ok ? out : undefined;
}

/** The names of a plain author list, unless one is empty or "others". */
function plainNames(v: string): ReturnType<typeof parseName>[] | undefined {
  const names = v.split(/\s+and\s+/i).map((n) => n.trim());
  if (!names.every((n) => n && !(n.length === 6 && n.toLowerCase() === 'others'))) return undefined;
  const out: ReturnType<typeof parseName>[] = [];
  for (const n of names) {
    // "Family, Given" of one word each (most names of an export): one line already, read as
    // readName reads it, and BibTeX's reading (bibtexReading) by its one comma.
    const simple = SIMPLE_NAME.exec(n);
    if (simple) {
      out.push({ given: simple[2]!, family: simple[1]! });
      continue;
    }
    const line = oneLine(n);
    const p = readName(line);
    if (!p || !bibtexReading(line, p)) return undefined;
    out.push(p);
  }
  return out;
}

/**
 * Whether the name parser's reading of a plain name is BibTeX's, which Citation.js's BibTeX reader
 * follows: "First von Last" has no suffix (the parser takes a trailing "Jr" or "Junior" for one),
 * "von Last, First" has First as the given name and "von Last, Jr, First" Jr as the suffix (the
 * parser reads "Jr., Antonio Laverghetta" as given "Jr., Antonio").
 */
function bibtexReading(n: string, p: ReturnType<typeof parseName>): boolean {
  const parts = n.split(',').map((x) => x.trim());
  if (parts.length === 1) return p.suffix === undefined;
  if (parts.length === 2) return p.suffix === undefined && p.given === parts[1];
  return parts.length === 3 && p.suffix === parts[1] && p.given === parts[2];
}

/** A one-word family name: Citation.js reads it as the family name whatever its case. */
const ONE_WORD = /^[^\s,=-]+$/;
/** Capitalized words joined by hyphens: Citation.js reads them all as the family name. */
const HYPHENATED = /^[A-Z][^\s,=-]*(?:-[A-Z][^\s,=-]*)+$/;
/** Given names: words joined by single spaces or hyphens (Citation.js takes them as they are). */
const GIVEN = /^[^\s,=-]+(?:[ -][^\s,=-]+)*$/;
/** A name in braces, plain inside: Citation.js reads it as a family name only (`{Can Ma}`). */
const BRACED_NAME = /^\{([^{}\s](?:[^{}]*[^{}\s])?)\}$/;
/**
 * The names of an author list with TeX (accents and letters, see `accented`; names in braces),
 * when Citation.js's reading of each is known without asking it: `{Plain Name}` as that family
 * name, and "Family, Given" as that family and given name when the family name is one word
 * (`{\" O}zen`), or capitalized words joined by hyphens with accents inside words only
 * (`Villatoro-T{\' e}llo`; Citation.js decides by case which of them is a particle, and does not
 * count a command at a word's start), and the name parser reads the plain text as just that family
 * and given name. Undefined for anything else (Citation.js reads the list).
 */
function texNames(v: string): ReturnType<typeof parseName>[] | undefined {
  const out: ReturnType<typeof parseName>[] = [];
  for (const raw of v.split(/\s+and\s+/i)) {
    const n = oneLine(raw);
    const braced = BRACED_NAME.exec(n);
    if (braced) {
      if (!isPlain(braced[1]!)) return undefined;
      out.push({ family: braced[1]! });
      continue;
    }
    const parts = n.split(', ');
    if (parts.length !== 2) return undefined;
    const hyphens = parts[0]!.includes('-');
    const family = accented(parts[0]!, hyphens);
    const given = accented(parts[1]!);
    if (family === undefined || given === undefined || !isPlain(family) || !isPlain(given))
      return undefined;
    if (!(hyphens ? HYPHENATED : ONE_WORD).test(family) || family.endsWith('.')) return undefined;
    if (!GIVEN.test(given)) return undefined;
    const p = readName(`${family}, ${given}`);
    if (!p || p.family !== family || p.given !== given || Object.keys(p).length !== 2)
      return undefined;
    out.push(p);
  }
  return out;
}

/**
 * A plain name read by Citation.js's name parser, cached by its text: a library's papers share
 * many authors, and the parser is a fair part of reading a file. Each call gets its own copy (the
 * parts are strings; later steps change the object). Bounded; cleared when full.
 */
const parsedNames = new Map<string, ReturnType<typeof parseName> | null>();
/**
 * "Family, Given", one word each (no white space or comma in either; the family name does not end
 * in "."): Citation.js's name parser reads it as `{ given, family }` whatever the words are (a
 * title, particle or suffix needs a second word), so it need not be asked.
 */
const SIMPLE_NAME = /^([^\s,]*[^\s,.]), ([^\s,]+)$/;
function readName(n: string): ReturnType<typeof parseName> | null {
  const simple = SIMPLE_NAME.exec(n);
  if (simple) return { given: simple[2]!, family: simple[1]! };
  let p = parsedNames.get(n);
  if (p === undefined) {
    if (parsedNames.size >= 20_000) parsedNames.clear();
    const read = parseName(n);
    p = keepsEveryWord(n, read) ? read : null;
    parsedNames.set(n, p);
  }
  return p && { ...p };
}

/** Words of a name, commas aside, in order of their text (to compare two readings of a name). */
const nameWords = (s: string) =>
  s
    .split(/[\s,]+/)
    .filter(Boolean)
    .sort()
    .join(' ');
/**
 * Whether the name parser kept every word of `n`: it drops a lone particle ("de Vries" → family
 * "Vries"), which Citation.js's BibTeX reader keeps, so such a name goes to that reader instead.
 */
function keepsEveryWord(n: string, p: ReturnType<typeof parseName>): boolean {
  const parts = [p.given, p['dropping-particle'], p['non-dropping-particle'], p.family, p.suffix];
  return nameWords(parts.filter((x) => typeof x === 'string').join(' ')) === nameWords(n);
}

/**
 * Citation.js's reading of an entry's remaining fields (type, dates, venues, TeX) by their content:
 * entries of one file mostly share these (`@misc`, `year = 2025`, `month = mar`), so each distinct
 * one is read once. Bounded; cleared when full.
 */
const converted = new Map<string, string | Error>();
const CONVERTED_MAX = 5_000;
const oneLine = (v: string) => (looseSpace(v) ? v.replace(/\s+/g, ' ') : v).trim();
const textAngles = (v: string) => v.replaceAll('<', TEXT_LT).replaceAll('>', TEXT_GT);
const paragraphs = (v: string) =>
  v
    .trim()
    .split(/[ \t]*\r?\n[ \t]*(?:\r?\n\s*)+/)
    .map(oneLine)
    .join('\n\n');

/**
 * Reads the BibTeX entries `spans` of `text` (with the file's `scan`: its @string macros) into CSL
 * items. Throws ExchangeError naming the entry and line when an entry's syntax is broken.
 *
 * Speed: Citation.js's TeX reader takes about 3 µs per character, so 10,000 entries with
 * abstracts would take half a minute. Fields are therefore split by `readFields`, and a value
 * with no TeX in it (most abstracts, notes, links, many names) is taken as it is, as is one whose
 * only TeX is braces around plain text (every title Citation.js writes: `{Deep} {Learning}`);
 * Citation.js reads the rest (TeX, names in braces) and maps types, dates and venues, once per
 * distinct rest (most entries of a file share `@misc`, a year and a month). `fast: false` sends
 * everything through Citation.js (tests/unit/exchange-formats.test.ts checks both ways agree).
 */
export function readBibtex(
  text: string,
  spans: readonly BibSpan[],
  scan: Pick<BibScan, 'macros' | 'strings'>,
  opts: { fast?: boolean } = {},
): ReadEntry[] {
  const fast = opts.fast ?? true;
  const prefix = scan.macros ? `${scan.macros}\n` : '';
  const prefixLines = prefix ? prefix.split('\n').length - 1 : 0;
  const strings = new Map([...Object.entries(constants.defaultStrings), ...scan.strings]);
  const slowRead = (s: BibSpan): RawEntry => {
    let r: RawEntry[];
    try {
      r = chain(
        prefix + text.slice(s.start, s.end),
        '@biblatex/text',
        '@biblatex/entries+list',
      ) as RawEntry[];
    } catch (e) {
      throw new ExchangeError(`${bibWhere(s)}: ${parseMessage(e, s.line - prefixLines)}.`, s.line);
    }
    if (r.length !== 1)
      throw new ExchangeError(`${bibWhere(s)} could not be read as one BibTeX entry.`, s.line);
    const e = r[0]!;
    return {
      ...e,
      properties: Object.fromEntries(
        Object.entries(e.properties).map(([k, v]) => [k.toLowerCase(), String(v)]),
      ),
    };
  };
  const raw = spans.map((s) => (fast ? readFields(text, s, strings) : null) ?? slowRead(s));

  const prot = new Map<string, string>();
  let tokenN = 0;
  const nonce = `qzm${[...crypto.getRandomValues(new Uint8Array(12))].map((b) => String.fromCharCode(97 + (b % 26))).join('')}x`;
  const token = (v: string) => {
    const t = `${nonce}${tokenN++}${nonce}`;
    prot.set(t, v);
    return t;
  };
  // TeX math stays TeX, except a lone symbol ($\alpha$, $\Pi$ — how Citation.js writes α and Π),
  // which Citation.js reads as its character.
  const protectMath = (v: string) =>
    v.replace(MATH, (m, inner: string) => (!cleanMath(inner) || isSymbol(inner) ? m : token(m)));
  const restoreRe = new RegExp(`${nonce}\\d+${nonce}`, 'g');
  // Keyword separators (`,` `;` outside braces): Citation.js joins the keywords it reads with ","
  // and so would split a braced "{to read, later}" (how a tag with a separator is written).
  const sep = `${nonce}s${nonce}`;
  const markSeparators = (v: string) => {
    let depth = 0;
    let out = '';
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (c === '\\') {
        out += c + (v[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') depth--;
      out += depth === 0 && (c === ',' || c === ';') ? sep : c;
    }
    return out;
  };
  const restore = (v: unknown) =>
    typeof v === 'string' ? v.replace(restoreRe, (t) => prot.get(t) ?? t) : v;
  // A title or abstract whose math is protected (tokens) and whose rest is plain, or braces and
  // escapes around plain text: what Citation.js reads it as (the rest as `unbraced` reads it, white
  // space collapsed), math put back. Raw `<` `>` are left to Citation.js (rich text, see fromCsl).
  const withMath = (p: string): string | undefined => {
    if (p.includes('<') || p.includes('>')) return undefined;
    const t = isPlain(p) ? p : unbraced(p);
    return t === undefined ? undefined : (restore(oneLine(t)) as string);
  };
  // A note's paragraphs (blank lines) survive; Citation.js would join them with a space.
  const paragraph = token('\n\n');
  // Text `<` `>` (\textless …) must not be taken for rich-text markup (<i>) later.
  const lt = token(TEXT_LT);
  const gt = token(TEXT_GT);
  const angles = (v: string) =>
    v
      .replace(/\{\\textless\}|\\textless(\{\}|\b\s*)/g, lt)
      .replace(/\{\\textgreater\}|\\textgreater(\{\}|\b\s*)/g, gt);

  // What Citation.js must read (TeX, types, dates, venues), and what is taken as is.
  const direct: Partial<CslItem>[] = [];
  // Which of those are one line already (CitationExtras `oneLine`), per entry.
  const oneLines: CitationExtras['oneLine'][] = [];
  const reduced = raw.map((e) => {
    const props: Record<string, string> = {};
    const d: Partial<CslItem> = {};
    let clean: CitationExtras['oneLine'];
    for (const [k, v] of Object.entries(e.properties)) {
      // Most abstracts are printable ASCII with nothing of TeX, markup or loose white space in
      // them: taken as they are (trimmed) after one scan, where the checks below scan each several
      // times (what they would make of it is the same text).
      if (
        k === 'abstract' &&
        fast &&
        SIMPLE_TEXT.test(v) &&
        !v.includes('  ') &&
        !v.includes('--') &&
        !v.includes("''")
      ) {
        d.abstract = v.trim();
        (clean ??= {}).abstract = 'ascii';
        continue;
      }
      const plain = fast && isPlain(v);
      // Braces around plain text only: the same text without them (titles, tags, some abstracts).
      const bare = fast && !plain && k !== 'author' ? unbraced(v, k === 'keywords') : undefined;
      if (k === 'abstract') {
        if (plain || bare !== undefined) {
          d.abstract = textAngles(oneLine(bare ?? v));
          (clean ??= {}).abstract = true;
        } else {
          const p = protectMath(angles(v));
          const t = fast ? withMath(p) : undefined;
          if (t !== undefined) d.abstract = t;
          else props[k] = p;
        }
      } else if (k === 'annote' || k === 'annotation') {
        if (plain || bare !== undefined) d.annote = textAngles(paragraphs(bare ?? v));
        else
          props[k] = angles(v)
            .trim()
            .replace(/[ \t]*\r?\n[ \t]*(\r?\n\s*)+/g, ` ${paragraph} `);
      } else if (k === 'keywords') {
        if (plain || bare !== undefined)
          d.keyword = (bare ?? v).split(',').map(oneLine).filter(Boolean).join(',');
        else props[k] = markSeparators(v);
      } else if (k === 'url' || k === 'doi') {
        if (plain) d[k === 'url' ? 'URL' : 'DOI'] = v.trim();
        else props[k] = v;
      } else if (k === 'title') {
        const alone = !('subtitle' in e.properties) && !('titleaddon' in e.properties);
        if ((plain || bare !== undefined) && alone) {
          d.title = textAngles(oneLine(bare ?? v));
          (clean ??= {}).title = true;
        } else {
          const p = protectMath(angles(v));
          const t = fast && alone ? withMath(p) : undefined;
          if (t !== undefined) d.title = t;
          else props[k] = p;
        }
      } else if (k === 'author') {
        const names = plain ? plainNames(v) : fast ? texNames(v) : undefined;
        if (names) d.author = names;
        else props[k] = angles(v);
      } else if (VENUE_FIELDS.has(k)) {
        props[k] = protectMath(angles(v));
      } else if (DATE_FIELDS.has(k)) props[k] = v;
      // Other fields are not kept (or read raw below): Citation.js need not read them.
    }
    direct.push(d);
    oneLines.push(clean);
    return { type: e.type, label: e.label, properties: props };
  });
  const convert = (list: typeof reduced): CslItem[] =>
    chain(list, '@biblatex/entries+list') as CslItem[];
  // Each distinct (type, fields) is read by Citation.js once, in one batch; the entry's own key
  // is put back afterwards (it is all the label changes in what Citation.js returns).
  const contentKey = (e: (typeof reduced)[number]) =>
    `${e.type}\u0000${JSON.stringify(e.properties)}`;
  const keys = reduced.map(contentKey);
  const misses = new Map<string, (typeof reduced)[number]>();
  reduced.forEach((e, i) => {
    const k = keys[i]!;
    if (!converted.has(k) && !misses.has(k))
      misses.set(k, { type: e.type, label: 'entry', properties: e.properties });
  });
  // Kept as JSON: each entry gets its own copy (later steps change it).
  const fresh = new Map<string, string | Error>();
  if (misses.size) {
    const list = [...misses.values()];
    let read: (CslItem | Error)[];
    try {
      read = convert(list);
      if (read.length !== list.length) throw new Error('count');
    } catch {
      read = list.map((e) => {
        try {
          return convert([e])[0] ?? new Error('nothing read');
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      });
    }
    [...misses.keys()].forEach((k, i) => {
      const r = read[i];
      fresh.set(k, r instanceof Error ? r : r ? JSON.stringify(r) : new Error('nothing read'));
    });
  }
  const items = reduced.map((e, i): CslItem | Error => {
    const c = fresh.get(keys[i]!) ?? converted.get(keys[i]!)!;
    if (c instanceof Error) return c;
    const item = JSON.parse(c) as CslItem;
    if ('id' in item) item.id = e.label;
    if ('citation-key' in item) item['citation-key'] = e.label;
    return item;
  });
  if (converted.size + fresh.size > CONVERTED_MAX) converted.clear();
  for (const [k, v] of fresh) converted.set(k, v);
  return raw.map((e, i): ReadEntry => {
    const s = spans[i]!;
    const props = e.properties;
    const item = items[i];
    const entry: ReadEntry = {
      n: s.n,
      line: s.line,
      where: bibWhere(s),
      extras: {
        eprint: props.eprint?.trim(),
        eprintType: props.archiveprefix ?? props.eprinttype,
        primaryClass: props.primaryclass ?? props.eprintclass,
        citationKey: e.label,
      },
      notKept: Object.keys(props).filter(
        (k) => !BIB_KEPT.has(k) && !(k === 'note' && ONLY_ARXIV.test(props.note ?? '')),
      ),
    };
    if (item instanceof Error || !item) {
      entry.error = `could not be converted (${item?.message ?? 'nothing read'})`;
      return entry;
    }
    for (const [f, v] of Object.entries(item)) if (typeof v === 'string') item[f] = restore(v);
    for (const n of item.author ?? [])
      for (const [k, v] of Object.entries(n)) (n as Record<string, unknown>)[k] = restore(v);
    if (typeof item.annote === 'string')
      item.annote = (item.annote as string).replace(/ ?\n\n ?/g, '\n\n');
    Object.assign(item, direct[i]);
    if (oneLines[i]) entry.extras.oneLine = oneLines[i];
    if ('keywords' in reduced[i]!.properties && typeof item.keyword === 'string') {
      entry.extras.tags = item.keyword.split(sep).map(oneLine).filter(Boolean);
      delete item.keyword;
    }
    // "and others" is BibTeX's "et al.", not an author (Citation.js reads it as one).
    const last = item.author?.at(-1);
    if (last && !last.given && /^others$/i.test(String(last.family ?? last.literal ?? '').trim()))
      item.author!.pop();
    // "arXiv:2203.07687 [cs]" (Zotero's Extra) names the arXiv id.
    if (props.note && !item.note) item.note = props.note;
    entry.item = item;
    return entry;
  });
}

/** Fields Citation.js reads for venues, and for dates. */
const VENUE_FIELDS = new Set([
  'booktitle',
  'journal',
  'journaltitle',
  'eventtitle',
  'subtitle',
  'titleaddon',
]);
const DATE_FIELDS = new Set(['year', 'month', 'date']);

/** RIS tags Paper Scout keeps. */
const RIS_KEPT = new Set([
  'TY',
  'TI',
  'T1',
  'AU',
  'A1',
  'PY',
  'Y1',
  'DA',
  'JO',
  'JF',
  'T2',
  'BT',
  'DO',
  'UR',
  'L1',
  'L2',
  'AB',
  'N2',
  'KW',
  'N1',
  'ID',
  'C7',
  'C3',
]);
const RIS_MULTI = new Set(['AU', 'A1', 'A2', 'A3', 'A4', 'KW', 'UR', 'L1', 'L2', 'L3', 'L4', 'N1']);

/** Reads RIS records into CSL items. */
export function readRis(records: readonly RisRecord[]): ReadEntry[] {
  return records.map((r) => {
    const obj: Record<string, string | string[]> = {};
    for (const [tag, values] of Object.entries(r.tags))
      obj[tag] = RIS_MULTI.has(tag) ? values : values[0]!;
    const title = r.tags.TI?.[0] ?? r.tags.T1?.[0];
    const where = `RIS record ${formatPosition(r.n)} (${title ? `“${title.slice(0, 50)}”, ` : ''}line ${formatPosition(r.line)})`;
    const entry: ReadEntry = {
      n: r.n,
      line: r.line,
      where,
      extras: {
        tags: r.tags.KW ?? [],
        urls: [...(r.tags.UR ?? []), ...(r.tags.L1 ?? []), ...(r.tags.L2 ?? [])],
        note: (r.tags.N1 ?? []).filter((n) => !ONLY_ARXIV.test(n)).join('\n\n') || undefined,
      },
      notKept: Object.keys(r.tags).filter((t) => !RIS_KEPT.has(t)),
    };
    // N1 may hold an "arXiv:…" reference: give it to the arXiv id finder.
    const arxivRef = (r.tags.N1 ?? []).find((n) => ONLY_ARXIV.test(n));
    try {
      const [item] = chain(obj, '@ris/record') as CslItem[];
      if (!item) throw new Error('nothing read');
      if (arxivRef && !item.number) item.number = arxivRef;
      // Citation.js reads PY of a CONF record as the conference's date only.
      if (!item.issued && item['event-date']) item.issued = item['event-date'] as CslItem['issued'];
      // C3 (proceedings title) is where Citation.js writes a conference paper's venue, but it does
      // not read it back.
      if (!item['container-title'] && r.tags.C3?.[0]) item['container-title'] = r.tags.C3[0];
      entry.item = { ...item, id: String(r.n) };
    } catch (e) {
      entry.error = `could not be converted (${e instanceof Error ? e.message : String(e)})`;
    }
    return entry;
  });
}
