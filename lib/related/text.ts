/**
 * From a paper's text to the terms the related-papers index counts: normalized, tokenized,
 * stop words dropped, Porter-stemmed, plus (optionally) adjacent-word bigrams and author names.
 *
 * Terms are 32-bit keys: a word stem hashes as `w:<stem>`, an author as `a:<name>`, a bigram
 * mixes its two stems' keys. The keys are what the index persists, so changing any of this needs a
 * format version bump (`FORMAT` in store.ts).
 */
import { featureKey } from './hash.ts';
import { porterStem } from './stem.ts';

/** The text of a paper the index reads. */
export interface PaperText {
  /** The paper's id (the database key: `arxiv:…`, `doi:…`, …). */
  id: string;
  title: string;
  abstract?: string;
  authors?: string[];
}

/** How text becomes terms. Defaults are the tuned ones (bench/results/related.md). */
export interface TextOptions {
  /** Count of each title word (abstract words count 1). 1–15. */
  titleWeight: number;
  /** Porter stemming on or off. */
  stem: boolean;
  /** Bigrams: none, of adjacent words only, or across dropped stop words (like sklearn). */
  bigrams: 'none' | 'adjacent' | 'skip-stop';
  /** Count of each author name (0: authors ignored). 0–15. */
  authorWeight: number;
}

export const DEFAULT_TEXT_OPTIONS: TextOptions = {
  titleWeight: 2,
  stem: true,
  bigrams: 'none',
  authorWeight: 2,
};

/**
 * English function words. Deliberately not sklearn's list, which also drops "system",
 * "interest", "fire", "detail", "find" …, words that carry topic in papers.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above across after afterwards again against all almost alone along already also although ' +
    'always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at ' +
    'be became because become becomes becoming been before beforehand behind being below beside besides ' +
    'between beyond both but by can cannot could do does doing done down due during each eg either else ' +
    'elsewhere enough etc even ever every everyone everything everywhere except few for former formerly ' +
    'from further had has have having he hence her here hereafter hereby herein hereupon hers herself him ' +
    'himself his how however i ie if in indeed into is it its itself just latter latterly least less many ' +
    'may me meanwhile might more moreover most mostly much must my myself namely neither never ' +
    'nevertheless no nobody none noone nor not nothing now nowhere of off often on once one only onto or ' +
    'other others otherwise our ours ourselves out over own per perhaps rather same several she should ' +
    'since so some somehow someone something sometime sometimes somewhere still such than that the their ' +
    'theirs them themselves then thence there thereafter thereby therefore therein thereupon these they ' +
    'this those though through throughout thru thus to together too toward towards under until up upon us ' +
    'very via was we well were what whatever when whence whenever where whereas whereby wherein whereupon ' +
    'wherever whether which while whither who whoever whole whom whose why will with within without ' +
    'would yet you your yours yourself yourselves'
  ).split(' '),
);

/**
 * Words of any abstract, whatever its field ("including", "results", "real-world", "users"): they
 * carry weight in a small library, where every word is rare, but say nothing as a reason two
 * papers are alike, so `explain` leaves them out (ranking still counts them). Singular forms; a
 * plural "s" is dropped before the test.
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  (
    'ability able achieve accuracy according addition additional address allow analysis approach ' +
    'art aspect available based benchmark best better capability case challenge challenging ' +
    'compared comparison complex consider current data dataset demonstrate design different ' +
    'domain effective effectiveness efficient enable end evaluate evaluation evidence example ' +
    'existing experiment extensive face factor feature finally first focus following form ' +
    'framework general given good great help high however important improve improved ' +
    'improvement include including increase initial insight issue key large level leverage ' +
    'limited low main make method methodology model need new novel number obtain order outperform ' +
    'overall paper particular performance potential present problem propose proposed provide ' +
    'range real recent recently reference remain require research result reveal robust second ' +
    'set setting show shown significant significantly simple single small specific ' +
    'state strong study substantial superior task technique term three time two type ' +
    'understanding use used user using various way wide work world'
  ).split(' '),
);

/** Whether a word as written is one of `GENERIC_WORDS` (case and a plural "s" aside). */
export function isGenericWord(word: string): boolean {
  const w = word.toLowerCase();
  return (
    GENERIC_WORDS.has(w) || (w.length > 3 && w.endsWith('s') && GENERIC_WORDS.has(w.slice(0, -1)))
  );
}

const FOLDED = new Map<string, string>();

/** A non-ASCII character without its accents ("é" → "e", "ﬁ" → "fi"); cached. */
function fold(ch: string): string {
  let f = FOLDED.get(ch);
  if (f === undefined) {
    f = ch.normalize('NFKD').replace(/\p{M}+/gu, '');
    if (FOLDED.size < 10_000) FOLDED.set(ch, f);
  }
  return f;
}

/**
 * Calls `cb` with each word of a text: runs of ASCII letters and digits, lower-cased, after
 * accents are folded ("Café" → "cafe"); LaTeX commands (`\\alpha`) are skipped. A hand-written
 * scanner: String.replace with a global regex costs seconds over a 75k-paper corpus.
 */
export function forEachWord(text: string, cb: (word: string) => void): void {
  // eslint-disable-next-line no-control-regex
  const t = /[^\x00-\x7f]/.test(text) ? text.replace(/[^\x00-\x7f]/g, fold) : text;
  const n = t.length;
  let start = -1;
  let upper = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? t.charCodeAt(i) : 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
    } else if (c >= 65 && c <= 90) {
      if (start < 0) start = i;
      upper = true;
    } else {
      if (start >= 0) {
        const w = t.slice(start, i);
        cb(upper ? w.toLowerCase() : w);
        start = -1;
        upper = false;
      }
      if (c === 92) while (i + 1 < n && isAsciiLetter(t.charCodeAt(i + 1))) i++; // \command
    }
  }
}

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Lower-case, accents and LaTeX commands removed, words separated by single spaces. */
export function normalizeText(text: string): string {
  const out: string[] = [];
  forEachWord(text, (w) => out.push(w));
  return out.join(' ');
}

/** What the index needs to know about one surface word. */
interface WordInfo {
  /** Key of `w:<stem>`, or 0 for a word that is not counted (stop word, number, 1 letter). */
  key: number;
  stem: string;
}

const STEMMED = new Map<string, WordInfo>();
const UNSTEMMED = new Map<string, WordInfo>();
const WORD_CACHE_MAX = 500_000;

/** A surface word's stem and key (cached: a corpus has a few hundred thousand distinct words). */
export function wordInfo(w: string, stem: boolean): WordInfo {
  const cache = stem ? STEMMED : UNSTEMMED;
  let info = cache.get(w);
  if (info === undefined) {
    const counted = w.length >= 2 && !STOP_WORDS.has(w) && /[a-z]/.test(w);
    const s = counted && stem && !/[0-9]/.test(w) ? porterStem(w) : w;
    info = { key: counted ? featureKey('w:' + s) || 1 : 0, stem: s };
    if (cache.size >= WORD_CACHE_MAX) cache.clear();
    cache.set(w, info);
  }
  return info;
}

/**
 * Word → key cache on typed arrays, keyed by the FNV-1a hash of the lower-cased word (computed
 * while scanning, so no string is made for a word seen before). Two distinct words whose 32-bit
 * hashes collide (about 2 pairs among 130k words) share a key: harmless.
 */
class WordKeys {
  private hashes = new Uint32Array(1 << 18);
  private keys = new Uint32Array(1 << 18);
  private used = new Uint8Array(1 << 18);
  private size = 0;
  readonly stem: boolean;
  constructor(stem: boolean) {
    this.stem = stem;
  }

  /** The term key of the word t[start, end) with lower-cased hash `h` (0: not counted). */
  get(h: number, t: string, start: number, end: number): number {
    let mask = this.used.length - 1;
    let i = Math.imul(h, 0x9e3779b1) & mask;
    while (this.used[i]) {
      if (this.hashes[i] === h) return this.keys[i]!;
      i = (i + 1) & mask;
    }
    const key = wordInfo(t.slice(start, end).toLowerCase(), this.stem).key;
    if ((this.size + 1) * 2 > this.used.length) {
      this.used.fill(0); // full: start over (a cache, not a dictionary)
      this.size = 0;
      mask = this.used.length - 1;
      i = Math.imul(h, 0x9e3779b1) & mask;
    }
    this.used[i] = 1;
    this.hashes[i] = h;
    this.keys[i] = key;
    this.size++;
    return key;
  }
}
const WORD_KEYS = { true: new WordKeys(true), false: new WordKeys(false) };

/**
 * Calls `cb(key)` for each word of a text, with the key `wordInfo(word).key` (0 for words not
 * counted). Same words as `forEachWord`, without making strings.
 */
export function forEachWordKey(text: string, stem: boolean, cb: (key: number) => void): void {
  const cache = WORD_KEYS[stem ? 'true' : 'false'];
  // eslint-disable-next-line no-control-regex
  const t = /[^\x00-\x7f]/.test(text) ? text.replace(/[^\x00-\x7f]/g, fold) : text;
  const n = t.length;
  let start = -1;
  let h = 0;
  for (let i = 0; i <= n; i++) {
    let c = i < n ? t.charCodeAt(i) : 32;
    const lower = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (lower || (c >= 65 && c <= 90)) {
      if (!lower) c += 32;
      if (start < 0) {
        start = i;
        h = 0x811c9dc5;
      }
      h = Math.imul(h ^ c, 0x01000193);
    } else {
      if (start >= 0) {
        cb(cache.get(h >>> 0, t, start, i));
        start = -1;
      }
      if (c === 92) while (i + 1 < n && isAsciiLetter(t.charCodeAt(i + 1))) i++; // \command
    }
  }
}

/** Key of the bigram (a, b) from its words' keys. */
export function bigramKey(a: number, b: number): number {
  let h = Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) ^ b;
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Key of an author (name as `normalizeAuthor` gives it). */
export function authorKey(normalized: string): number {
  return featureKey('a:' + normalized);
}

/** Lower-case, accent-free "first last" of an author name. */
export function normalizeAuthor(name: string): string {
  return normalizeText(name).trim().replace(/\s+/g, ' ');
}

/** Term keys with their counts (keys ascending, unique; counts capped at 255). */
export interface TermVector {
  keys: Uint32Array;
  tf: Uint8Array;
}

/**
 * Calls `emit(key, weight)` for every term occurrence of one field; `onWord` (optional) sees each
 * counted word's key and surface form.
 */
function fieldTerms(
  text: string,
  weight: number,
  opts: TextOptions,
  emit: (key: number, weight: number) => void,
  onWord?: (key: number, surface: string, stem: string) => void,
): void {
  let prev = 0;
  const onKey = (key: number): void => {
    if (!key) {
      if (opts.bigrams === 'adjacent') prev = 0;
      return;
    }
    emit(key, weight);
    if (prev && opts.bigrams !== 'none') emit(bigramKey(prev, key), weight);
    prev = key;
  };
  if (!onWord) forEachWordKey(text, opts.stem, onKey);
  else
    forEachWord(text, (w) => {
      const info = wordInfo(w, opts.stem);
      if (info.key) onWord(info.key, w, info.stem);
      onKey(info.key);
    });
}

/**
 * Calls `emit` for every term occurrence of a paper (title words count `titleWeight`, authors
 * `authorWeight`). `onWord` sees each counted word (for explanations).
 */
export function paperTerms(
  p: PaperText,
  opts: TextOptions,
  emit: (key: number, weight: number) => void,
  onWord?: (key: number, surface: string, stem: string) => void,
): void {
  fieldTerms(p.title ?? '', opts.titleWeight, opts, emit, onWord);
  if (p.abstract) fieldTerms(p.abstract, 1, opts, emit, onWord);
  if (opts.authorWeight > 0)
    for (const a of p.authors ?? []) {
      const n = normalizeAuthor(a);
      if (n) emit(authorKey(n), opts.authorWeight);
    }
}

let scratch = new Float64Array(4096);
let scratchKeys = new Uint32Array(4096);
let scratchTf = new Uint8Array(4096);

/** A paper's term vector: unique keys, ascending, with their (weighted) counts. */
export function termVector(p: PaperText, opts: TextOptions): TermVector {
  let n = 0;
  // Each occurrence packed as key·16 + weight (exact in a double), sorted, then run-length merged.
  paperTerms(p, opts, (key, weight) => {
    if (n === scratch.length) {
      const s = new Float64Array(n * 2);
      s.set(scratch);
      scratch = s;
    }
    scratch[n++] = key * 16 + Math.min(15, Math.max(1, Math.round(weight)));
  });
  const occ = scratch.subarray(0, n).sort();
  let u = 0;
  if (scratchKeys.length < n) {
    scratchKeys = new Uint32Array(scratch.length);
    scratchTf = new Uint8Array(scratch.length);
  }
  const keys = scratchKeys;
  const tf = scratchTf;
  for (let i = 0; i < n; i++) {
    const x = occ[i]!;
    const key = Math.floor(x / 16);
    const w = x - key * 16;
    if (u > 0 && keys[u - 1] === key) tf[u - 1] = Math.min(255, tf[u - 1]! + w);
    else {
      keys[u] = key;
      tf[u++] = w;
    }
  }
  return { keys: keys.slice(0, u), tf: tf.slice(0, u) };
}

/** Surface form for each word key of a paper (the first way the paper writes it). */
export function surfaceForms(p: PaperText, opts: TextOptions): Map<number, string> {
  const out = new Map<number, string>();
  paperTerms(
    p,
    opts,
    () => {},
    (key, surface) => {
      if (!out.has(key)) out.set(key, surface);
    },
  );
  return out;
}
