/**
 * Watch-rule matching: case- and accent-insensitive, whole-word, punctuation-blind phrase matching
 * with exclusions ("diffusion" but not "diffusion MRI"), author names in their forms ("Sergey
 * Levine", "S. Levine", "Levine, Sergey"), organizations, topics and arXiv categories. A phrase's
 * last word also matches its plural ("reward model" finds "reward models"), nothing looser.
 *
 * Fast enough for 100 rules × 1,000 cards in a few ms (bench/rules.mjs): rules compile once into a
 * map from the hash of a phrase's first word to the phrases that start with it, with a presence
 * bit set in front; each text is scanned once, hashing its words as it goes (case folded in the
 * scan, no folded copy of the text is made), and only the words whose hash is in the bit set are
 * looked at further. The scan keeps its words in shared typed arrays, so matching a page allocates
 * next to nothing but the results.
 */
import type { RuleRecord } from '../db';
import { plainLetters } from '../searchtext.ts';

/** The parts of a paper a rule can look at. */
export interface MatchablePaper {
  title: string;
  abstract?: string;
  authors?: string[];
  organization?: string;
  categories?: string[];
  /** Topic ids of the paper's badges. */
  topics?: string[];
}

/** One rule's match on one paper. */
export interface RuleHit {
  ruleId: string;
  /** The matched words as written in the paper (for highlighting and the popup). */
  terms: string[];
}

const MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/**
 * Folds a string for comparison: accents off, lower case, and the letters Unicode does not
 * decompose as people type them without an accent (a rule for "Lukasz Kaiser" is Łukasz Kaiser's,
 * as the reading list's search has it: lib/searchtext.ts). Words are folded one by one (`words`),
 * so a letter that folds to two ("ß" → "ss") never moves an offset.
 */
export function fold(s: string): string {
  return plainLetters(s.normalize('NFKD').replace(MARKS, '').toLowerCase());
}

/** A word of a text with its position in the original string. */
export interface Word {
  w: string;
  start: number;
  end: number;
}

/**
 * Splits text into folded words with their offsets in the ORIGINAL text (so matches can be
 * highlighted where they stand). Folding is per word, so offsets never drift. This is the
 * definition of a word; the matcher's scanner finds the same words without regular expressions.
 */
export function words(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    out.push({ w: fold(m[0]), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Splits a phrase into folded words (for compiling rules). */
function phraseWords(phrase: string): string[] {
  return [...fold(phrase).normalize('NFKD').replace(MARKS, '').matchAll(WORD)].map((m) => m[0]);
}

interface Phrase {
  rule: number;
  /** Folded words; for a plural entry (see `PhraseIndex`) the one word in its plural form. */
  words: string[];
  /** hashWord of each word. */
  hashes: number[];
  /** The last word + "s" / + "es" and their hashes, where a plural is that long ("" / 0: none). */
  lastS: string;
  lastSHash: number;
  lastES: string;
  lastESHash: number;
  exclude: boolean;
}

/**
 * Phrases by the hash of the word they start with, with a 64 Ki-bit presence set in front of the
 * map (8 KB: it stays in the L1 cache) so the words no phrase starts with (nearly all) cost one
 * bit test. A one-word phrase is also filed under its plural forms ("model" under "models" and
 * "modeles"), so the scan looks up each word of the text by its own hash only. Under one hash the
 * phrases that start with that word come first, then the "+s" forms, then the "+es" forms (the
 * order the hits are reported in), each in rule order.
 */
interface PhraseIndex {
  map: Map<number, Phrase[]>;
  /** Bit `slot(h)` is set when some phrase is filed under hash h. */
  bits: Int32Array;
}

/** The presence-set bit of a word hash: its top 16 bits once mixed (every character counts). */
const slot = (h: number): number => Math.imul(h, 0x9e3779b1) >>> 16;

/** Phrases of an index in the making, by form (exact, + "s", + "es"). */
type Staging = [Map<number, Phrase[]>, Map<number, Phrase[]>, Map<number, Phrase[]>];

function finish(staging: Staging): PhraseIndex {
  const map = new Map<number, Phrase[]>();
  const bits = new Int32Array(2048);
  for (const form of staging) {
    for (const [h, list] of form) {
      const have = map.get(h);
      if (have) have.push(...list);
      else map.set(h, [...list]);
      const x = slot(h);
      bits[x >>> 5]! |= 1 << (x & 31);
    }
  }
  return { map, bits };
}

interface AuthorPattern {
  rule: number;
  last: string;
  given: string[];
}

/**
 * The key author patterns are filed under: the last word of the last name, so a compound or
 * particle name reads alike in every form ("van der Maaten, Laurens" as "Laurens van der Maaten",
 * whose last name without a comma is its last word; "Levine-Smith, Anna" as "Anna Levine-Smith").
 */
const surname = (last: string): string => last.slice(last.lastIndexOf(' ') + 1);

/** Rules compiled for matching many papers. */
export interface CompiledRules {
  rules: RuleRecord[];
  /** first word → phrases (words rules' terms and exclusions, organization names). */
  phrases: PhraseIndex;
  orgs: PhraseIndex;
  authors: Map<string, AuthorPattern[]>;
  categories: Map<string, number[]>;
  topics: Map<string, number[]>;
  /** A paper's category as written → the rules it matches (memo: a page has few distinct ones). */
  categoryMemo: Map<string, number[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** A name read as a last name and given names (folded), and another reading where one exists. */
export interface ParsedPersonName {
  last: string;
  given: string[];
  /**
   * A Portuguese agnome ("Junior", "Filho", "Neto", "Sobrinho") may belong to the family name
   * ("Pereira Junior", as Brazilian catalogues file it) or be dropped like "Jr." ("Pereira"); and
   * "Neto" is also a family name of its own. A name ending in one is matched both ways.
   */
  alt?: { last: string; given: string[] };
}

const nameCache = new Map<string, ParsedPersonName | null>();
const NAME_CACHE_MAX = 20_000;
/** Bound of the category memo of a compiled rule set (a hostile page cannot grow it without end). */
const MEMO_MAX = 20_000;

/** Parses a person's name in any of its forms into a last name and given names (folded). */
export function parseName(name: string): ParsedPersonName | null {
  let parsed = nameCache.get(name);
  if (parsed === undefined) {
    if (nameCache.size >= NAME_CACHE_MAX) nameCache.clear();
    parsed = parseNameUncached(name);
    nameCache.set(name, parsed);
  }
  return parsed;
}

/** Generational suffixes ("Jr.", "III"): not a last or given name (a lone "V" may be either). */
const GENERATIONS: ReadonlySet<string> = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);
const isGeneration = (part: string): boolean => {
  const ws = phraseWords(part);
  return ws.length === 1 && GENERATIONS.has(ws[0]!);
};

/** Portuguese agnomes (folded): see `ParsedPersonName.alt`. */
const AGNOMES: ReadonlySet<string> = new Set(['junior', 'filho', 'neto', 'sobrinho']);

function parseNameUncached(name: string): ParsedPersonName | null {
  const parts = name.split(',');
  // "Antonio Laverghetta, Jr." and RIS's "Laverghetta, Antonio, Jr.": the suffix goes.
  if (parts.length > 1 && isGeneration(parts[parts.length - 1]!)) parts.pop();
  // BibTeX's "Laverghetta, Jr., Antonio" (von Last, Jr, First).
  if (parts.length === 3 && isGeneration(parts[1]!)) parts.splice(1, 1);
  let last: string[];
  let given: string[];
  let alt: ParsedPersonName['alt'];
  if (parts.length > 1) {
    last = phraseWords(parts[0]!);
    given = phraseWords(parts.slice(1).join(' '));
    // "Pereira Junior, Marcelo": also "Pereira".
    if (last.length >= 2 && AGNOMES.has(last[last.length - 1]!))
      alt = { last: last[last.length - 2]!, given };
  } else {
    const ws = phraseWords(parts[0]!);
    // "Antonio Laverghetta Jr." as arXiv and Hugging Face write it: the last name is Laverghetta.
    if (ws.length >= 2 && GENERATIONS.has(ws[ws.length - 1]!)) ws.pop();
    last = ws.slice(-1);
    given = ws.slice(0, -1);
    // "Marcelo Lopes Pereira Junior": also "Pereira" (given "Marcelo Lopes").
    if (ws.length >= 3 && AGNOMES.has(ws[ws.length - 1]!))
      alt = { last: ws[ws.length - 2]!, given: ws.slice(0, -2) };
  }
  if (!last.length) return null;
  return alt ? { last: last.join(' '), given, alt } : { last: last.join(' '), given };
}

/** Given names agree when each initial or full name of the shorter list fits the longer one. */
function givenMatch(a: string[], b: string[]): boolean {
  if (!a.length || !b.length) return true;
  const x = a[0]!;
  const y = b[0]!;
  return x === y || (x.length === 1 && y.startsWith(x)) || (y.length === 1 && x.startsWith(y));
}

/** A phrase's last word may be plural: "+s" when that makes 4+ letters, "+es" when 5+. */
const pluralS = (w: string): string => (w.length + 1 > 3 ? `${w}s` : '');
const pluralES = (w: string): string => (w.length + 2 > 4 ? `${w}es` : '');

function phrase(rule: number, words: string[], exclude: boolean, plural: boolean): Phrase {
  const last = words[words.length - 1]!;
  const lastS = plural ? pluralS(last) : '';
  const lastES = plural ? pluralES(last) : '';
  return {
    rule,
    words,
    hashes: words.map(hashWord),
    lastS,
    lastSHash: lastS ? hashWord(lastS) : 0,
    lastES,
    lastESHash: lastES ? hashWord(lastES) : 0,
    exclude,
  };
}

function addPhrase(index: Staging, rule: number, text: string, exclude: boolean): void {
  const ws = phraseWords(text);
  if (!ws[0]) return;
  const p = phrase(rule, ws, exclude, true);
  push(index[0], p.hashes[0]!, p);
  if (ws.length === 1) {
    // The word's plural forms, as one-word phrases of their own (matched exactly).
    if (p.lastS) push(index[1], p.lastSHash, phrase(rule, [p.lastS], exclude, false));
    if (p.lastES) push(index[2], p.lastESHash, phrase(rule, [p.lastES], exclude, false));
  }
}

/** Compiles active (unpaused) rules. */
export function compileRules(rules: RuleRecord[]): CompiledRules {
  const phrases: Staging = [new Map(), new Map(), new Map()];
  const orgs: Staging = [new Map(), new Map(), new Map()];
  const authors = new Map<string, AuthorPattern[]>();
  const categories = new Map<string, number[]>();
  const topics = new Map<string, number[]>();
  rules.forEach((r, i) => {
    if (r.paused) return;
    for (const term of r.terms) {
      if (r.kind === 'words') {
        addPhrase(phrases, i, term, false);
      } else if (r.kind === 'organization') {
        addPhrase(orgs, i, term, false);
      } else if (r.kind === 'author') {
        const n = parseName(term);
        if (n) push(authors, surname(n.last), { rule: i, last: n.last, given: n.given });
        if (n?.alt) push(authors, surname(n.alt.last), { rule: i, ...n.alt });
      } else if (r.kind === 'category') {
        push(categories, term.trim().toLowerCase(), i);
      } else if (r.kind === 'topic') {
        push(topics, term.trim(), i);
      }
    }
    if (r.kind === 'words') {
      for (const ex of r.exclude) addPhrase(phrases, i, ex, true);
    }
  });
  return {
    rules,
    phrases: finish(phrases),
    orgs: finish(orgs),
    authors,
    categories,
    topics,
    categoryMemo: new Map(),
  };
}

/**
 * 32-bit hash of a folded word: rotate by 5, xor the character. The scan runs the same steps
 * inline over page text; a rotation and an xor are the shortest dependency chain per character.
 */
function hashWord(w: string): number {
  let h = 0;
  for (let i = 0; i < w.length; i++) h = ((h << 5) | (h >>> 27)) ^ w.charCodeAt(i);
  return h;
}

// ---- The scanned text, shared by every call (matching is synchronous and never re-entered). ----

/** The text being scanned. */
let cur = '';
/** Its bytes when it is plain ASCII (then words are its bytes, lower-cased), else null. */
let curBytes: Uint8Array | null = null;
/** Texts up to this many characters (every real title and abstract) use the constant arrays. */
const SHORT = 1 << 14;
/**
 * Words of the text: where each ends in the text and the hash of its folded form (the scan writes
 * slot n at every character, so they hold one slot more than words). For texts up to `SHORT`
 * characters these are the constants END and HASH, which V8 compiles into the scan loops as such
 * (no length or base reloads: the scan runs ~35% faster than over arrays held in variables); a
 * longer text gets arrays of its size for the time it is matched, so a hostile one leaves no big
 * buffer behind.
 */
const END = new Int32Array((SHORT >> 1) + 2);
const HASH = new Int32Array((SHORT >> 1) + 2);
let wEnd = END;
let wHash = HASH;
/** Where each word starts: filled for non-ASCII texts only (see `startOf`). */
let wStart = new Int32Array(1024);
/** Phrase occurrences found in the text: rule, first word, word after the last, exclusion (1). */
let occ = new Int32Array(256);
let nOcc = 0;

/** Words a text of `len` characters can hold: ⌈len / 2⌉, and the scan uses one slot more. */
const wordCap = (len: number): number => (len >> 1) + 2;

/** Points the word arrays at arrays big enough for a text of `len` characters. */
function wordArrays(len: number): void {
  if (len <= SHORT) {
    wEnd = END;
    wHash = HASH;
  } else {
    wEnd = new Int32Array(wordCap(len));
    wHash = new Int32Array(wordCap(len));
  }
}

/**
 * ASCII character classes for the scanner: the lower-case code of a letter or digit, 0 for
 * anything else (256 entries, so any byte indexes it). One table read per character instead of
 * range tests, and no `toLowerCase`.
 */
const ASCII_WORD = (() => {
  const t = new Uint8Array(256);
  for (let c = 48; c <= 57; c++) t[c] = c;
  for (let c = 97; c <= 122; c++) t[c] = c;
  for (let c = 65; c <= 90; c++) t[c] = c + 32;
  return t;
})();

const encoder = new TextEncoder();
/** The bytes of a short text (a longer one gets a buffer of its own for its scan). */
const BYTES = new Uint8Array(SHORT + 1);

/**
 * The text's bytes followed by a space (a sentinel that ends the last word) when it is plain ASCII
 * (the common case: ~99.6% of arXiv abstracts), else null. Scanning a byte array is ~30% faster
 * than `charCodeAt` in V8, and `encodeInto` both copies and checks in native code.
 */
function asciiBytes(text: string): Uint8Array | null {
  const len = text.length;
  const bytes = len <= SHORT ? BYTES : new Uint8Array(len + 1);
  const { read, written } = encoder.encodeInto(text, bytes);
  if (read !== len || written !== len) return null;
  bytes[len] = 32;
  return bytes;
}

/**
 * Splits a plain-ASCII text (its bytes, with the sentinel at `len`) into words; returns their
 * count. Branch-free: word boundaries in prose are too irregular for the branch predictor, so
 * every character writes the current word's end and hash into slot n, and n moves on when a word
 * has just ended (`w` is 1 on a letter or digit; the hash restarts at 0 off words).
 */
function scanAscii(b: Uint8Array, len: number, end: Int32Array, hash: Int32Array): number {
  let n = 0;
  let h = 0;
  let prev = 0;
  for (let i = 0; i <= len; i++) {
    const c = ASCII_WORD[b[i]!]!;
    const w = (c + 255) >> 8;
    end[n] = i;
    hash[n] = h;
    n += prev & (w ^ 1);
    h = (((h << 5) | (h >>> 27)) ^ c) & -w;
    prev = w;
  }
  return n;
}

/** Non-ASCII code units: 1 when a letter or digit (`WORD`), 2 when not, 0 not yet known. */
let bmpClass: Uint8Array | null = null;

function isWordCodePoint(cp: number): boolean {
  if (cp > 0xffff) return WORD_CHAR.test(String.fromCodePoint(cp));
  const t = (bmpClass ??= new Uint8Array(65536));
  let k = t[cp]!;
  if (k === 0) t[cp] = k = WORD_CHAR.test(String.fromCharCode(cp)) ? 1 : 2;
  return k === 1;
}

/**
 * Splits any text into the words of `words` (runs of letters and digits, by code point), hashing
 * ASCII words as they are scanned and folding (NFKD, marks off, lower case) only the words that
 * hold a non-ASCII character. Returns the count.
 */
function scanMixed(text: string): number {
  const len = text.length;
  if (wStart.length < wordCap(len)) wStart = new Int32Array(wordCap(len));
  let n = 0;
  let h = 0;
  let from = -1;
  let foreign = false;
  for (let i = 0; i <= len;) {
    const code = i < len ? text.charCodeAt(i) : 32;
    let step = 1;
    let c: number;
    if (code < 128) c = ASCII_WORD[code]!;
    else {
      let cp = code;
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < len) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = ((code - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
          step = 2;
        }
      }
      c = isWordCodePoint(cp) ? -1 : 0;
    }
    if (c !== 0) {
      if (from < 0) {
        from = i;
        foreign = false;
      }
      if (c > 0) h = ((h << 5) | (h >>> 27)) ^ c;
      else foreign = true;
    } else if (from >= 0) {
      wStart[n] = from;
      wEnd[n] = i;
      wHash[n] = foreign ? hashWord(fold(text.slice(from, i))) : h;
      n++;
      from = -1;
      h = 0;
    }
    i += step;
  }
  return n;
}

/** Where word i of the current text starts. */
function startOf(i: number): number {
  const b = curBytes;
  if (!b) return wStart[i]!;
  let s = i > 0 ? wEnd[i - 1]! : 0;
  while (ASCII_WORD[b[s]!] === 0) s++;
  return s;
}

/** Folded word i of the current text is `want`. */
function wordIs(i: number, want: string): boolean {
  const b = curBytes;
  if (!b) return fold(cur.slice(wStart[i], wEnd[i])) === want;
  const from = startOf(i);
  if (wEnd[i]! - from !== want.length) return false;
  for (let k = 0; k < want.length; k++) {
    if (ASCII_WORD[b[from + k]!] !== want.charCodeAt(k)) return false;
  }
  return true;
}

/** Word i of the text is word k of phrase p (hash first, then the letters). */
function same(i: number, n: number, p: Phrase, k: number): boolean {
  if (i >= n) return false;
  const h = wHash[i]!;
  if (h === p.hashes[k]) return wordIs(i, p.words[k]!);
  if (k !== p.words.length - 1) return false;
  // The phrase's last word may be plural.
  if (p.lastS && h === p.lastSHash && wordIs(i, p.lastS)) return true;
  return !!p.lastES && h === p.lastESHash && wordIs(i, p.lastES);
}

function addOcc(rule: number, from: number, to: number, exclude: boolean): void {
  if (nOcc + 4 > occ.length) {
    const b = new Int32Array(occ.length * 2);
    b.set(occ);
    occ = b;
  }
  occ[nOcc] = rule;
  occ[nOcc + 1] = from;
  occ[nOcc + 2] = to;
  occ[nOcc + 3] = exclude ? 1 : 0;
  nOcc += 4;
}

/** Records every phrase of `list` that occurs at word i. */
function tryList(i: number, n: number, list: Phrase[]): void {
  for (let j = 0; j < list.length; j++) {
    const p = list[j]!;
    const len = p.words.length;
    let ok = true;
    for (let k = 0; k < len && ok; k++) ok = same(i + k, n, p, k);
    if (ok) addOcc(p.rule, i, i + len, p.exclude);
  }
}

/** Records the phrases that occur in the text's n words (hashes `hash`). */
function findPhrases(
  n: number,
  hash: Int32Array,
  map: Map<number, Phrase[]>,
  bits: Int32Array,
): void {
  for (let i = 0; i < n; i++) {
    const h = hash[i]!;
    const x = slot(h);
    if (((bits[x >>> 5]! >>> (x & 31)) & 1) !== 0) {
      const list = map.get(h);
      if (list) tryList(i, n, list);
    }
  }
}

/** Adds the phrases of `index` that occur in `text` (exclusions applied) to the paper's hits. */
function wordHits(text: string, index: PhraseIndex): void {
  if (!text || !index.map.size) return;
  const { map, bits } = index;
  cur = text;
  nOcc = 0;
  wordArrays(text.length);
  curBytes = asciiBytes(text);
  const len = text.length;
  let n: number;
  // The same calls twice: with the constant arrays (inlined and compiled for them) or others.
  if (!curBytes) n = scanMixed(text);
  else if (len <= SHORT) n = scanAscii(curBytes, len, END, HASH);
  else n = scanAscii(curBytes, len, wEnd, wHash);
  if (len <= SHORT) findPhrases(n, HASH, map, bits);
  else findPhrases(n, wHash, map, bits);
  for (let o = 0; o < nOcc; o += 4) {
    if (occ[o + 3]) continue;
    const rule = occ[o]!;
    const from = occ[o + 1]!;
    const to = occ[o + 2]!;
    // An exclusion phrase of the same rule that covers this occurrence cancels it.
    let excluded = false;
    for (let x = 0; x < nOcc && !excluded; x += 4) {
      excluded = occ[x + 3] === 1 && occ[x] === rule && occ[x + 1]! <= from && occ[x + 2]! >= to;
    }
    if (!excluded) addHit(rule, text.slice(startOf(from), wEnd[to - 1]));
  }
  // Nothing of a text is kept past its match (a long one's arrays go).
  cur = '';
  curBytes = null;
  wEnd = END;
  wHash = HASH;
  if (wStart.length > wordCap(SHORT)) wStart = new Int32Array(wordCap(SHORT));
}

// ---- The paper's hits, shared like the scan state: rules in the order of their first hit. ----

/** Rules hit so far, in the order of their first hit (`nHits` of them), and their terms. */
let hitOrder = new Int32Array(64);
let nHits = 0;
const hitTerms: Array<string[] | undefined> = [];

function addHit(rule: number, term: string): void {
  const terms = hitTerms[rule];
  if (terms) {
    if (!terms.includes(term)) terms.push(term);
    return;
  }
  hitTerms[rule] = [term];
  if (nHits === hitOrder.length) {
    const b = new Int32Array(nHits * 2);
    b.set(hitOrder);
    hitOrder = b;
  }
  hitOrder[nHits++] = rule;
}

function clearHits(): void {
  for (let k = 0; k < nHits; k++) hitTerms[hitOrder[k]!] = undefined;
  nHits = 0;
}

/** The rules a category (as the paper writes it) matches: exact ones, then its archive's. */
function categoryRules(c: CompiledRules, cat: string): number[] {
  let rules = c.categoryMemo.get(cat);
  if (rules) return rules;
  const lc = cat.toLowerCase();
  rules = [...(c.categories.get(lc) ?? [])];
  // "cs" watches every cs.* category.
  const archive = lc.split('.')[0];
  if (archive && archive !== lc) rules.push(...(c.categories.get(archive) ?? []));
  if (c.categoryMemo.size >= MEMO_MAX) c.categoryMemo.clear();
  c.categoryMemo.set(cat, rules);
  return rules;
}

/** Every active rule a paper matches, with the words that matched. */
/** Adds the author rules that one reading of the author `a` matches. */
function authorHits(c: CompiledRules, n: { last: string; given: string[] }, a: string): void {
  const pats = c.authors.get(surname(n.last));
  if (!pats) return;
  for (let j = 0; j < pats.length; j++) {
    if (givenMatch(pats[j]!.given, n.given)) addHit(pats[j]!.rule, a);
  }
}

export function matchPaper(c: CompiledRules, p: MatchablePaper): RuleHit[] {
  clearHits();
  wordHits(p.title, c.phrases);
  if (p.abstract) wordHits(p.abstract, c.phrases);
  if (p.organization) wordHits(p.organization, c.orgs);
  const { authors, categories, topics } = p;
  if (c.authors.size && authors) {
    for (let k = 0; k < authors.length; k++) {
      const a = authors[k]!;
      const n = parseName(a);
      if (!n) continue;
      authorHits(c, n, a);
      if (n.alt) authorHits(c, n.alt, a);
    }
  }
  if (c.categories.size && categories) {
    for (let k = 0; k < categories.length; k++) {
      const rules = categoryRules(c, categories[k]!);
      for (let j = 0; j < rules.length; j++) addHit(rules[j]!, categories[k]!);
    }
  }
  if (c.topics.size && topics) {
    for (const t of topics) for (const r of c.topics.get(t) ?? []) addHit(r, t);
  }
  const out: RuleHit[] = [];
  for (let k = 0; k < nHits; k++) {
    const i = hitOrder[k]!;
    out.push({ ruleId: c.rules[i]!.id, terms: hitTerms[i]! });
  }
  clearHits();
  return out;
}
