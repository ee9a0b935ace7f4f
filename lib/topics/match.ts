/**
 * The phrase matcher behind built-in and user topic badges.
 *
 * A topic collects evidence points from the paper's title, abstract, site keywords and arXiv
 * categories, and is shown when the points reach a precision-oriented threshold:
 *
 * | evidence                                   | points                          |
 * | ------------------------------------------ | ------------------------------- |
 * | a phrase in the title or a keyword         | 3 (2.5 for a lone plain word)   |
 * | a phrase in the abstract                   | 1.5, +0.5 per repeat (max 2.5)  |
 * | a hint in the title or a keyword           | 1                               |
 * | a hint in the abstract                     | 0.5 (max 1 with repeats)        |
 * | the paper's primary arXiv category         | 1 (0.5 when not primary)        |
 *
 * A built-in topic needs at least one phrase and 3 points, or 3.5 when none of its phrases is in
 * the title or keywords; user topics (the user wrote the phrases) need one phrase anywhere. Each
 * distinct phrase counts once per field ("LLM" five times is one phrase with repeats; "RLHF" and
 * "reward model" are two); a phrase inside a longer one of the same topic, or an acronym right
 * after its long form ("reinforcement learning (RL)"), adds nothing.
 *
 * Matching is whole-word, accent- and case-insensitive and punctuation-blind; a phrase's last word
 * also matches its plural; `quantiz*` matches every word it begins and `*bench` every word it
 * ends; a word with two or more capitals (`RAG`, `LoRA`) must match with its case. An exclusion
 * phrase cancels any phrase or hint occurrence of its topic it overlaps ("diffusion MRI").
 *
 * Cost: compile once per topic set (≈ 6 ms for the 72 built-in topics), then one pass over each
 * field that hashes every word without making a string of it and tries only the patterns whose
 * first two words' hashes match; strings are compared only to confirm a match. ≈ 25 ms of CPU
 * per 1,000 arXiv abstracts in Node (was 50 with a token object per word; bench/results/topics.md).
 * Per paper, nothing is made that depends only on the topic set (broad ids, weights): it is made
 * once, by `compileTopics`.
 */
import {
  ASCII,
  WORD,
  deaccent,
  isAsciiWordChar as isWordUnit,
  words as textWords,
} from './text.ts';
import type { LearnedTopic, TopicDef, TopicKind, TopicMatch, TopicPaper } from './types.ts';
import {
  compileLearned,
  predictLearned,
  scoreLearnedSet,
  termCounts,
  type LearnedSet,
} from './learned.ts';

/** Tunables (measured on the hand-labelled tuning set, bench/topics). */
export const SCORING = {
  phraseTitle: 3,
  wordTitle: 2.5,
  phraseAbstract: 1.5,
  phraseRepeat: 0.5,
  phraseAbstractMax: 2.5,
  hintTitle: 1,
  hintAbstract: 0.5,
  hintAbstractMax: 1,
  categoryPrimary: 1,
  categoryOther: 0.5,
  threshold: 3,
  /** Extra points a built-in topic needs when no phrase of it is in the title or keywords. */
  abstractOnlyExtra: 0.5,
  userThreshold: 1.5,
} as const;

/** Categories too common to be evidence for a topic in this field (half of all ML papers). */
const GENERIC_CATEGORIES = new Set(['cs.cv', 'cs.cl', 'cs.lg', 'cs.ai', 'stat.ml']);

/** What a pattern is to its topic. */
const Role = { Phrase: 0, Hint: 1, Title: 2, Exclude: 3 } as const;
type Role = (typeof Role)[keyof typeof Role];

interface PWord {
  /** Lower-cased, or with its case when `cs`. */
  w: string;
  cs: boolean;
  prefix: boolean;
  suffix: boolean;
  /**
   * `wordHash` of the lower-cased word and of its plurals (+s, +es, y→ies; -1 when it has none):
   * a token is compared as a string only once every word of the pattern matched by hash.
   */
  h: number;
  hs: number;
  hes: number;
  hies: number;
}

interface Pattern {
  topic: number;
  role: Role;
  words: PWord[];
  /** How specific: phrase or hint (+2), several words, an acronym or a wildcard (+1). */
  rank: number;
  /** Compile order, the last tie-break. */
  seq: number;
}

interface CompiledTopic {
  def: TopicDef;
  kind: Exclude<TopicKind, 'learned'>;
  /** Lower-cased specific categories. */
  categories: string[];
}

/** A topic set compiled for matching many papers (build with `compileTopics`). */
export interface CompiledTopics {
  topics: CompiledTopic[];
  /**
   * Patterns by `wordHash` of their first word (lower-cased; a one-word pattern also under its
   * plurals), lists of colliding words merged in compile order: the scan hashes each word as it
   * reads it and builds no string for a word that no pattern starts with (most words of an
   * abstract).
   */
  byHash: Map<number, Pattern[]>;
  /**
   * Patterns of two or more words whose second word is plain, keyed by `pairKey` of their first
   * two words' hashes (and of the second's plurals when it is the last): "video generation" is
   * tried only where "video" is followed by "generation(s)", not at every "video" of an abstract
   * (a common first word starts up to 37 patterns). `byHash` holds the other patterns.
   */
  pairs: Map<number, Pattern[]>;
  /** Bit `h & HASH_MASK` set when some `byHash` key has it: most words are ruled out by one read. */
  hashBits: Uint8Array;
  /** Bit `key3` set when `prefixed` has that key (ASCII keys, below 2^21). */
  prefixBits: Uint8Array;
  /** `word*` patterns by their first three letters (as a number: no string per lookup). */
  prefixed: Map<number, Pattern[]>;
  /** Patterns whose first word is `*suffix` (checked against every word that ends like one). */
  suffixed: Pattern[];
  /** Lower-cased last letters of those suffixes: a word ending otherwise is not tried. */
  suffixEnds: Set<number>;
  /** Lower-cased arXiv category → topics it is evidence for. */
  byCategory: Map<string, number[]>;
  /** Ids of the broad topics ("LLMs"): ranked after the others. */
  broad: Set<string>;
}

/**
 * The first three UTF-16 units of a word as one number (words shorter than 3: -1). Three ASCII
 * units pack into a small integer (below 2^21), which a Map hashes without allocating; others
 * (a letter outside ASCII: the first unit is never 0) give a number of at least 2^32.
 */
function key3(w: string): number {
  if (w.length < 3) return -1;
  const a = w.charCodeAt(0);
  const b = w.charCodeAt(1);
  const c = w.charCodeAt(2);
  if ((a | b | c) < 128) return (a << 14) | (b << 7) | c;
  return a * 4294967296 + b * 65536 + c;
}

/** FNV-1a offset basis and prime: the per-unit step is inlined in `scanField`, keep them equal. */
const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

const HASH_MASK = (1 << 18) - 1;
const bit = (bits: Uint8Array, k: number): boolean => (bits[k >>> 3]! & (1 << (k & 7))) !== 0;
const setBit = (bits: Uint8Array, k: number): void => {
  bits[k >>> 3]! |= 1 << (k & 7);
};

/** Two words' `wordHash`es as one key of `CompiledTopics.pairs`. */
const pairKey = (h0: number, h1: number): number => (Math.imul(h0, 0x2c1b3c6d) ^ h1) & 0x3fffffff;

/** The 32-bit FNV-1a hash of a (lower-cased) word's UTF-16 units, as `scanField` computes it. */
function wordHash(w: string): number {
  let h = FNV_BASIS;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), FNV_PRIME);
  // 30 bits: a small integer V8 keeps unboxed (a full int32 would be a heap number per lookup).
  return h & 0x3fffffff;
}

/** A topic definition for the compiler: built-in unless marked as the user's. */
export type TopicSource = TopicDef & { kind?: 'builtin' | 'user' };

const CAPS = /\p{Lu}/gu;

function compileWords(phrase: string): PWord[] {
  const out: PWord[] = [];
  // A phrase is split like page text, except that `*` stays attached to its word.
  for (const m of deaccent(phrase).matchAll(/\*?[\p{L}\p{N}]+\*?/gu)) {
    let w = m[0];
    const prefix = w.endsWith('*');
    const suffix = w.startsWith('*');
    w = w.replace(/\*/g, '');
    const cs = (w.match(CAPS)?.length ?? 0) >= 2;
    const lw = w.toLowerCase();
    out.push({
      w: cs ? w : lw,
      cs,
      prefix,
      suffix,
      h: wordHash(lw),
      hs: wordHash(`${lw}s`),
      hes: wordHash(`${lw}es`),
      hies: lw.endsWith('y') ? wordHash(`${lw.slice(0, -1)}ies`) : -1,
    });
  }
  return out;
}

function push(m: Map<string, Pattern[]>, k: string, p: Pattern): void {
  const list = m.get(k);
  if (list) list.push(p);
  else m.set(k, [p]);
}

/**
 * Compiles topics for `matchTopics`. Compile once per topic set (built-in + the user's) and reuse
 * it for every card; recompile when the user edits a topic.
 */
export function compileTopics(defs: readonly TopicSource[]): CompiledTopics {
  const c: CompiledTopics = {
    topics: [],
    byHash: new Map(),
    pairs: new Map(),
    hashBits: new Uint8Array((HASH_MASK + 1) >>> 3),
    prefixBits: new Uint8Array(1 << 18),
    prefixed: new Map(),
    suffixed: [],
    suffixEnds: new Set(),
    byCategory: new Map(),
    broad: new Set(),
  };
  /** First word (lower-cased) → patterns, in compile order (filed by hash below). */
  const index = new Map<string, Pattern[]>();
  let seq = 0;
  defs.forEach((def, topic) => {
    const categories = (def.categories ?? [])
      .map((x) => x.toLowerCase())
      .filter((x) => !GENERIC_CATEGORIES.has(x));
    c.topics.push({ def, kind: def.kind ?? 'builtin', categories });
    if (def.broad) c.broad.add(def.id);
    for (const cat of categories) {
      const list = c.byCategory.get(cat);
      if (list) list.push(topic);
      else c.byCategory.set(cat, [topic]);
    }
    const add = (phrases: readonly string[] | undefined, role: Role) => {
      for (const phrase of phrases ?? []) {
        const words = compileWords(phrase);
        const first = words[0];
        if (!first) continue;
        const specific = words.length > 1 || first.cs || first.prefix || first.suffix;
        const p: Pattern = {
          topic,
          role,
          words,
          rank: (role === Role.Hint ? 0 : 2) + (specific ? 1 : 0),
          seq: seq++,
        };
        const w = first.w.toLowerCase();
        if (first.suffix) {
          c.suffixed.push(p);
          c.suffixEnds.add(w.charCodeAt(w.length - 1));
        } else if (first.prefix) {
          const list = c.prefixed.get(key3(w));
          if (list) list.push(p);
          else c.prefixed.set(key3(w), [p]);
        } else {
          push(index, w, p);
          if (words.length === 1) {
            push(index, `${w}s`, p);
            push(index, `${w}es`, p);
            if (w.endsWith('y')) push(index, `${w.slice(0, -1)}ies`, p);
          }
        }
      }
    };
    add(def.phrases, Role.Phrase);
    add(def.hints, Role.Hint);
    add(def.title, Role.Title);
    add(def.exclude, Role.Exclude);
  });
  // A collision (or "model" and "models" hashing alike) shares one list: each pattern once, in
  // compile order as every `index` list is.
  const file = (m: Map<number, Pattern[]>, k: number, p: Pattern) => {
    const had = m.get(k);
    if (!had) m.set(k, [p]);
    else if (!had.includes(p)) {
      had.push(p);
      had.sort((a, b) => a.seq - b.seq);
    }
  };
  for (const [k, list] of index) {
    const h = wordHash(k);
    setBit(c.hashBits, h & HASH_MASK);
    for (const p of list) {
      const second = p.words[1];
      if (!second || second.prefix || second.suffix) {
        file(c.byHash, h, p);
        continue;
      }
      file(c.pairs, pairKey(h, second.h), p);
      if (p.words.length === 2) {
        file(c.pairs, pairKey(h, second.hs), p);
        file(c.pairs, pairKey(h, second.hes), p);
        if (second.hies >= 0) file(c.pairs, pairKey(h, second.hies), p);
      }
    }
  }
  for (const k of c.prefixed.keys()) if (k >= 0 && k < 1 << 21) setBit(c.prefixBits, k);
  return c;
}

/**
 * The words of one field, as offsets into its deaccented text. Strings are made only for the
 * words a pattern is tried on (`low`, `raw`). The offset arrays are shared buffers, valid until
 * the next field is scanned.
 */
interface Field {
  text: string;
  n: number;
  start: Int32Array;
  end: Int32Array;
  /** `wordHash` of each lower-cased word. */
  hash: Int32Array;
}

let START = new Int32Array(512);
let END = new Int32Array(512);
let HASH = new Int32Array(512);

function grow(): void {
  const more = (a: Int32Array) => {
    const b = new Int32Array(a.length * 2);
    b.set(a);
    return b;
  };
  START = more(START);
  END = more(END);
  HASH = more(HASH);
}

/** Whether word i can be `pw` by its hash (never false for a word that `wordOk` accepts). */
function hashOk(f: Field, i: number, pw: PWord, last: boolean): boolean {
  if (i >= f.n) return false;
  if (pw.prefix || pw.suffix) return true;
  const h = f.hash[i];
  return h === pw.h || (last && (h === pw.hs || h === pw.hes || h === pw.hies));
}

const raw = (f: Field, i: number): string => f.text.slice(f.start[i], f.end[i]);
const low = (f: Field, i: number): string => raw(f, i).toLowerCase();

function wordOk(f: Field, i: number, pw: PWord, last: boolean): boolean {
  if (i >= f.n) return false;
  const t = pw.cs ? raw(f, i) : low(f, i);
  if (pw.prefix) return t.startsWith(pw.w);
  if (pw.suffix) return t.endsWith(pw.w);
  const w = pw.w;
  if (t === w) return true;
  if (!last) return false;
  // Plurals, compared in place (no string built per comparison): w+"s", w+"es", w[..-1]+"ies".
  const n = w.length;
  const d = t.length - n;
  if (d === 1) return t.charCodeAt(n) === 115 /* s */ && t.startsWith(w);
  if (d === 2)
    return (
      (t.charCodeAt(n) === 101 /* e */ && t.charCodeAt(n + 1) === 115 /* s */ && t.startsWith(w)) ||
      (w.charCodeAt(n - 1) === 121 /* y */ && t.endsWith('ies') && t.startsWith(w.slice(0, -1)))
    );
  return false;
}

interface Occurrence {
  p: Pattern;
  from: number;
  to: number;
}

/** Word i's candidate pattern lists, in the order they are tried (filled by `scanField`). */
const candAt: number[] = [];
const candList: Pattern[][] = [];
const cand = (i: number, list: Pattern[]): void => {
  candAt.push(i);
  candList.push(list);
};
/** Marks a word whose `byHash` and `pairs` lists are to be tried. */
const FIRST: Pattern[] = [];

/** Merges two lists each in compile order. */
function merged(a: Pattern[] | undefined, b: Pattern[] | undefined): Pattern[] | undefined {
  if (!a || !b) return a ?? b;
  const out: Pattern[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.seq < b[j]!.seq)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/**
 * Splits a deaccented field into words (runs of letters and digits, as `words` in text.ts) and
 * returns every pattern occurrence, in word order; for one word: exact-word patterns, then
 * `word*`, then `*suffix` ones.
 */
function scanField(
  c: CompiledTopics,
  text: string,
  ascii: boolean,
): { f: Field; found: Occurrence[] } {
  candAt.length = 0;
  candList.length = 0;
  const wantPrefix = c.prefixed.size > 0;
  const wantSuffix = c.suffixed.length > 0;
  const { hashBits, prefixBits } = c;
  const note = (i: number, h: number, k3: number, len: number, last: number) => {
    h &= 0x3fffffff;
    // A first word of some pattern: its lists are looked up once the next word is hashed.
    if (bit(hashBits, h & HASH_MASK)) cand(i, FIRST);
    if (wantPrefix && len >= 3 && (k3 >= 1 << 21 || bit(prefixBits, k3))) {
      const b = c.prefixed.get(k3);
      if (b) cand(i, b);
    }
    if (wantSuffix && c.suffixEnds.has(last)) cand(i, c.suffixed);
  };
  let n = 0;
  if (ascii) {
    // Most paper text is ASCII: words are runs of [A-Za-z0-9], lower-cased and hashed unit by
    // unit without a string per word.
    const len = text.length;
    let i = 0;
    while (i < len) {
      let u = text.charCodeAt(i);
      while (!((u >= 97 && u <= 122) || (u >= 65 && u <= 90) || (u >= 48 && u <= 57))) {
        if (++i >= len) break;
        u = text.charCodeAt(i);
      }
      if (i >= len) break;
      const start = i;
      let h = FNV_BASIS;
      let k3 = 0;
      let lc = 0;
      while (i < len) {
        u = text.charCodeAt(i);
        if (u >= 65 && u <= 90) lc = u | 32;
        else if ((u >= 97 && u <= 122) || (u >= 48 && u <= 57)) lc = u;
        else break;
        h = Math.imul(h ^ lc, FNV_PRIME);
        if (i - start < 3) k3 = (k3 << 7) | lc;
        i++;
      }
      if (n === START.length) grow();
      START[n] = start;
      END[n] = i;
      HASH[n] = h & 0x3fffffff;
      note(n, h, k3, i - start, lc);
      n++;
    }
  } else {
    for (const m of text.matchAll(WORD)) {
      const w = m[0].toLowerCase();
      if (n === START.length) grow();
      START[n] = m.index;
      END[n] = m.index + m[0].length;
      HASH[n] = wordHash(w);
      note(n, HASH[n]!, key3(w), w.length, w.charCodeAt(w.length - 1));
      n++;
    }
  }
  const f: Field = { text, n, start: START, end: END, hash: HASH };
  const found: Occurrence[] = [];
  for (let k = 0; k < candAt.length; k++) {
    const i = candAt[k]!;
    let list: Pattern[] | undefined = candList[k]!;
    if (list === FIRST) {
      const h = HASH[i]!;
      list = merged(c.byHash.get(h), i + 1 < n ? c.pairs.get(pairKey(h, HASH[i + 1]!)) : undefined);
      if (!list) continue;
    }
    for (const p of list) {
      const len = p.words.length;
      let ok = true;
      for (let j = 0; j < len && ok; j++) ok = hashOk(f, i + j, p.words[j]!, j === len - 1);
      for (let j = 0; j < len && ok; j++) ok = wordOk(f, i + j, p.words[j]!, j === len - 1);
      if (ok) found.push({ p, from: i, to: i + len });
    }
  }
  return { f, found };
}

/** One piece of evidence: a phrase (or hint) and where it occurred. */
interface Hit {
  strong: boolean;
  /** A lone plain word ("agents", "depth"): weaker in a title than a phrase or an acronym. */
  word: boolean;
  title: number;
  abstract: number;
  /** As written in the paper (accents dropped). */
  text: string;
}

/** Per-topic evidence gathered from the fields of one paper. */
interface Evidence {
  /** Keyed by the matched words cut to 5 letters, so "robot", "robots", "robotic" are one. */
  hits: Map<string, Hit>;
  category?: { cat: string; primary: boolean };
}

function hitKey(text: string, ascii: boolean): string {
  if (!ascii)
    return text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .map((w) => w.slice(0, 5))
      .join(' ');
  // ASCII (most hits): the same words, found without a regex and an array per hit.
  let out = '';
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && !isWordUnit(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && isWordUnit(text.charCodeAt(i))) i++;
    const w = text.slice(start, Math.min(i, start + 5)).toLowerCase();
    out = out ? `${out} ${w}` : w;
  }
  return out;
}

function gather(
  c: CompiledTopics,
  clean: string,
  field: 'title' | 'abstract',
  ev: Map<number, Evidence>,
  /** `clean` is ASCII only (the caller tested it: once per field). */
  ascii: boolean,
): void {
  const { f, found } = scanField(c, clean, ascii);
  if (!found.length) return;
  const byTopic = new Map<number, Occurrence[]>();
  for (const o of found) {
    if (o.p.role === Role.Title && field !== 'title') continue;
    const list = byTopic.get(o.p.topic);
    if (list) list.push(o);
    else byTopic.set(o.p.topic, [o]);
  }
  for (const [topic, occ] of byTopic) {
    const excluded = occ.filter((o) => o.p.role === Role.Exclude);
    const kept = occ.filter(
      (o) => o.p.role !== Role.Exclude && !excluded.some((x) => x.from < o.to && x.to > o.from),
    );
    for (const o of kept) {
      // A phrase inside a longer one of the same topic ("preference optimization" inside "direct
      // preference optimization") is the same evidence: only the longer one counts; so is an
      // acronym right after its long form ("reinforcement learning (RL)"), and of two
      // patterns on the same words ("robot", "robots") only the first.
      const dominated = kept.some((x) => {
        if (x === o) return false;
        if (x.to === o.from) return o.p.words.length === 1 && o.p.words[0]!.cs;
        if (x.from > o.from || x.to < o.to) return false;
        const longer = x.to - x.from - (o.to - o.from);
        if (longer !== 0) return longer > 0;
        return x.p.rank > o.p.rank || (x.p.rank === o.p.rank && x.p.seq < o.p.seq);
      });
      if (dominated) continue;
      let e = ev.get(topic);
      if (!e) ev.set(topic, (e = { hits: new Map() }));
      const hitText = clean.slice(f.start[o.from], f.end[o.to - 1]);
      const key = hitKey(hitText, ascii);
      let h = e.hits.get(key);
      if (!h)
        e.hits.set(key, (h = { strong: false, word: true, title: 0, abstract: 0, text: hitText }));
      if (o.p.role !== Role.Hint) h.strong = true;
      const w = o.p.words[0]!;
      if (o.p.words.length > 1 || w.cs || w.prefix || w.suffix) h.word = false;
      h[field]++;
    }
  }
}

/** Scoring weights (see the table at the top of this file). */
export type Scoring = { -readonly [K in keyof typeof SCORING]: number };

function score(
  e: Evidence,
  S: Scoring,
): { points: number; strong: boolean; inTitle: boolean; why: Array<[number, string]> } {
  let points = 0;
  let strong = false;
  let inTitle = false;
  const why: Array<[number, string]> = [];
  for (const h of e.hits.values()) {
    let pts: number;
    if (!h.strong) {
      pts = h.title > 0 ? S.hintTitle : Math.min(S.hintAbstractMax, S.hintAbstract * h.abstract);
    } else {
      strong = true;
      if (h.title > 0) inTitle = true;
      pts =
        h.title > 0
          ? h.word
            ? S.wordTitle
            : S.phraseTitle
          : Math.min(S.phraseAbstractMax, S.phraseAbstract + S.phraseRepeat * (h.abstract - 1));
    }
    points += pts;
    why.push([pts, h.text]);
  }
  if (e.category) {
    const pts = e.category.primary ? S.categoryPrimary : S.categoryOther;
    points += pts;
    why.push([pts, `arXiv ${e.category.cat}`]);
  }
  return { points, strong, inTitle, why };
}

/** Options of `matchTopics`. */
export interface MatchOptions {
  /** Most badges returned (3). */
  limit?: number;
  /** Points a built-in topic needs (`SCORING.threshold`). */
  threshold?: number;
  /** Points a user topic needs (`SCORING.userThreshold`: one phrase anywhere). */
  userThreshold?: number;
  /** Learned topics to try as well (their models' own thresholds apply). */
  learned?: readonly LearnedTopic[];
  /** Most `why` entries per badge (4). */
  whyLimit?: number;
  /** Overrides of the scoring weights (evaluation and tuning). */
  scoring?: Partial<Scoring>;
}

/** The scoring weights with `opts.scoring` applied (no copy per paper when there is none). */
const scoring = (opts: Pick<MatchOptions, 'scoring'>): Readonly<Scoring> =>
  opts.scoring ? { ...SCORING, ...opts.scoring } : SCORING;

/** No learned topics (one array, so `learnedGroups` finds it cached). */
const NO_LEARNED: readonly LearnedTopic[] = [];

const compiledCache = new WeakMap<readonly TopicSource[], CompiledTopics>();

function compiled(topics: CompiledTopics | readonly TopicSource[]): CompiledTopics {
  if ('byHash' in topics) return topics;
  let c = compiledCache.get(topics);
  if (!c) compiledCache.set(topics, (c = compileTopics(topics)));
  return c;
}

/** Every phrase topic that reaches its threshold, with its points (no limit, no ordering). */
export function scoreTopics(
  paper: TopicPaper,
  topics: CompiledTopics | readonly TopicSource[],
  opts: Pick<MatchOptions, 'threshold' | 'userThreshold' | 'whyLimit' | 'scoring'> = {},
): TopicMatch[] {
  return run(paper, compiled(topics), opts);
}

/** Scores a paper's phrase topics. */
function run(
  paper: TopicPaper,
  c: CompiledTopics,
  opts: Pick<MatchOptions, 'threshold' | 'userThreshold' | 'whyLimit' | 'scoring'>,
): TopicMatch[] {
  const S = scoring(opts);
  const ev = new Map<number, Evidence>();
  const field = (text: string | undefined, name: 'title' | 'abstract') => {
    if (!text) return;
    // Most paper text is ASCII: nothing to drop then, and the scan reads it unit by unit.
    if (ASCII.test(text)) gather(c, text, name, ev, true);
    else {
      const clean = deaccent(text);
      gather(c, clean, name, ev, ASCII.test(clean));
    }
  };
  field(paper.title, 'title');
  for (const k of paper.keywords ?? []) field(k, 'title');
  field(paper.abstract, 'abstract');
  // Categories in the paper's order: a topic's evidence is its first category the paper lists.
  (paper.categories ?? []).forEach((cat, k) => {
    for (const i of c.byCategory.get(cat.toLowerCase()) ?? []) {
      let e = ev.get(i);
      if (!e) ev.set(i, (e = { hits: new Map() }));
      e.category ??= { cat, primary: k === 0 };
    }
  });
  const out: TopicMatch[] = [];
  const whyLimit = opts.whyLimit ?? 4;
  for (const [i, e] of ev) {
    const t = c.topics[i]!;
    const s = score(e, S);
    if (!s.strong) continue;
    const need =
      t.kind === 'user'
        ? (opts.userThreshold ?? S.userThreshold)
        : (opts.threshold ?? S.threshold) + (s.inTitle ? 0 : S.abstractOnlyExtra);
    if (s.points < need) continue;
    const why: string[] = [];
    const seen = new Set<string>();
    for (const [, text] of s.why.sort((a, b) => b[0] - a[0])) {
      const k = text.toLowerCase();
      if (seen.has(k)) continue;
      seen.add(k);
      why.push(text);
      if (why.length >= whyLimit) break;
    }
    out.push({ id: t.def.id, name: t.def.name, kind: t.kind, score: s.points, why });
  }
  return out;
}

interface LearnedGroup {
  topics: LearnedTopic[];
  set: LearnedSet;
  opts: { bigrams: boolean; meta: boolean };
}

const groupCache = new WeakMap<readonly LearnedTopic[], LearnedGroup[]>();

/** Learned topics grouped by feature options and compiled (cached per array object). */
function learnedGroups(learned: readonly LearnedTopic[]): LearnedGroup[] {
  let groups = groupCache.get(learned);
  if (groups) return groups;
  const by = new Map<string, LearnedTopic[]>();
  for (const t of learned) {
    const key = `${t.model.bigrams}/${t.model.meta}`;
    const list = by.get(key);
    if (list) list.push(t);
    else by.set(key, [t]);
  }
  groups = [...by.values()].map((topics) => ({
    topics,
    set: compileLearned(topics.map((t) => t.model)),
    opts: { bigrams: topics[0]!.model.bigrams, meta: topics[0]!.model.meta },
  }));
  groupCache.set(learned, groups);
  return groups;
}

/**
 * The badges for one paper: at most `limit` (3) topics above their thresholds.
 *
 * Order: the user's own topics first (they asked for them), then built-in and learned topics by
 * strength (points ÷ threshold, probability ÷ threshold), broad built-in topics ("LLMs") last.
 * @param topics a set compiled with `compileTopics` (reuse it), or the definitions themselves
 *   (compiled once per array object and cached).
 */
export function matchTopics(
  paper: TopicPaper,
  topics: CompiledTopics | readonly TopicSource[],
  opts: MatchOptions = {},
): TopicMatch[] {
  const c = compiled(topics);
  const broad = c.broad;
  const ranked: Array<{ m: TopicMatch; rank: number }> = [];
  const S = scoring(opts);
  const matches = run(paper, c, opts);
  let split: { title: string[]; abstract: string[] } | undefined;
  for (const m of matches) {
    const need =
      m.kind === 'user' ? (opts.userThreshold ?? S.userThreshold) : (opts.threshold ?? S.threshold);
    let rank = m.score / need;
    if (m.kind === 'user') rank += 100;
    else if (broad.has(m.id)) rank -= 100;
    ranked.push({ m, rank });
  }
  // Learned topics: one featurization per paper and feature set, one pass per set.
  for (const { topics: group, set, opts: fo } of learnedGroups(opts.learned ?? NO_LEARNED)) {
    // The words the phrase scan read, made as strings only here (learned topics exist).
    split ??= { title: textWords(paper.title ?? ''), abstract: textWords(paper.abstract ?? '') };
    const counts = termCounts(paper, fo, split);
    const scores = scoreLearnedSet(set, counts);
    group.forEach((t, k) => {
      const score = scores[k]!;
      if (score < t.model.threshold) return;
      const why = predictLearned(t.model, counts, { explain: true }).why;
      ranked.push({
        m: { id: t.id, name: t.name, kind: 'learned', score, why },
        rank: score / t.model.threshold,
      });
    });
  }
  ranked.sort((a, b) => b.rank - a.rank || a.m.id.localeCompare(b.m.id));
  const out: TopicMatch[] = [];
  const ids = new Set<string>();
  for (const { m } of ranked) {
    if (ids.has(m.id)) continue;
    ids.add(m.id);
    out.push(m);
    if (out.length >= (opts.limit ?? 3)) break;
  }
  return out;
}
