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
 * Cost: compile once per topic set (≈ 6 ms for the 72 built-in topics). Then, per field, one pass
 * over its bytes (`splitAscii`; text that is not ASCII is deaccented and split by regex) hashes
 * every word without making a string of it and looks it up in typed-array tables, so only the
 * candidate words (about a third) are visited again, and only the patterns whose first two
 * words' hashes match are tried; words are compared in place to confirm a match, and occurrences
 * are grouped by topic in shared typed arrays. Nothing per word or occurrence is an object.
 * ≈ 20 ms per 1,000 arXiv abstracts in Node (was 33 before that layout, 50 with a token object
 * per word; bench/topics/checksum.mjs --time). Per paper, nothing is made that depends only on
 * the topic set (broad ids, weights, hit keys): it is made once, by `compileTopics`.
 *
 * With learned topics, the same split also counts the title's and abstract's words for them
 * (`countWords`: by hash, confirmed in place, no string per word) and unigram models are scored
 * from those counts (`scoreCounted`), and so is a shown one's why (`whyCounted`: a string only
 * for a word that contributes); text that is not ASCII takes the string path (`termCounts`).
 * 1,000 abstracts with 3 learned topics, Node, A/B in one process (bench/topics/match-speed.mjs):
 * CPU ≈ 73 -> 46 ms, the phrase part unchanged (≈ 20 ms).
 */
import { WORD, deaccent, isAsciiWordChar as isWordUnit, words as textWords } from './text.ts';
import type { LearnedTopic, TopicDef, TopicKind, TopicMatch, TopicPaper } from './types.ts';
import {
  addLearnedTerm,
  compileLearned,
  explainTerms,
  learnedScores,
  learnedSums,
  predictLearned,
  scoreLearnedSet,
  STOP,
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
  /** `words.length` and `words[0]`, read without a hop through the array (the scan's hot loop). */
  len: number;
  first: PWord;
  /** Not a lone plain word (several words, an acronym or a wildcard): a weaker title hit. */
  specific: boolean;
  /** A lone acronym (one word with its case): adds nothing right after its long form. */
  acronym: boolean;
  /**
   * `hitKey` of the words this pattern matches in ASCII text, by how its last word matched
   * (`Form`): made at its first hit (`hitKeys`; not by `compileTopics`, which would make them
   * for thousands of patterns that never occur on a page), then a hit costs no string.
   * Undefined until then; null with a wildcard word (the key then depends on the text).
   */
  keys: [string, string, string, string] | null | undefined;
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
  /** The pattern lists that `heads` points to (in compile order each). */
  lists: Pattern[][];
  /** `lists` without title-only patterns, for the abstract (most of the words matched). */
  outside: Pattern[][];
  /**
   * Patterns by `wordHash` of their first word (lower-cased; a one-word pattern also under its
   * plurals; colliding words merged), in an open-addressing table read without a Map: the scan
   * hashes each word as it reads it and builds no string for a word that no pattern starts with
   * (most words of an abstract). A common first word ("video") starts up to 37 patterns, most
   * of two or more words: they are tried only where the next word can be their second word.
   */
  heads: {
    /**
     * Bit `h & 32767` set when some first word has hash h: a 4 KB filter that rules out most
     * other words before the larger table is read.
     */
    bits: Uint8Array;
    /**
     * Two numbers per slot: a first-word hash (-1: empty slot; at most a third of the slots are
     * used) and its head number, which indexes the arrays below.
     */
    table: Int32Array;
    mask: number;
    /** By head: the list of patterns tried whatever the next word is (-1: none). */
    alone: Int32Array;
    /**
     * By head: where its pairs start in `nextHash` / `nextList` (they end where the next head's
     * start). A pair is a next word's `wordHash` (a second word's, and its plurals' when it is
     * the last) and the list of the patterns it can continue, merged with `alone`; a long run
     * ("video" has dozens) is sorted by hash and searched by halves.
     */
    nextStart: Int32Array;
    nextHash: Int32Array;
    nextList: Int32Array;
  };
  /**
   * 1 at `key3 >> 7` (the first two letters) of each ASCII key of `prefixed`: most words are
   * ruled out by one read of a small array, and their third letter is not read.
   */
  prefix2: Uint8Array;
  /** `word*` patterns by their first three letters (as a number: no string per lookup). */
  prefixed: Map<number, Pattern[]>;
  /** Patterns whose first word is `*suffix` (checked against every word that ends like one). */
  suffixed: Pattern[];
  /** Lower-cased last letters of those suffixes: a word ending otherwise is not tried. */
  suffixEnds: Set<number>;
  /** The same for ASCII letters, 1 at each: one array read (every word of a field is asked). */
  suffixEndsAscii: Uint8Array;
  /** Lower-cased arXiv category → topics it is evidence for. */
  byCategory: Map<string, number[]>;
  /** Ids of the broad topics ("LLMs"): ranked after the others. */
  broad: Set<string>;
  /** The hit keys made so far (`Pattern.keys`), each once. */
  keyStrings: Map<string, string>;
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

/** FNV-1a offset basis and prime: the per-unit step is inlined in `splitAscii`, keep them equal. */
const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/** Open-addressing table size for n keys: a power of two, at most a third full. */
function tableSize(n: number): number {
  let size = 16;
  while (size < 3 * n) size *= 2;
  return size;
}

/** The 32-bit FNV-1a hash of a (lower-cased) word's UTF-16 units, as `splitAscii` computes it. */
function wordHash(w: string): number {
  let h = FNV_BASIS;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), FNV_PRIME);
  // 30 bits: a small integer V8 keeps unboxed (a full int32 would be a heap number per lookup).
  return h & 0x3fffffff;
}

/** A topic definition for the compiler: built-in unless marked as the user's. */
export type TopicSource = TopicDef & { kind?: 'builtin' | 'user' };

const CAPS = /\p{Lu}/gu;

/**
 * A phrase's words. Equal words (text and flags) are one object, from `known` (by their text):
 * `tryList` compares a text word with one once for all the patterns of a list that start with it.
 */
function compileWords(phrase: string, known: Map<string, PWord[]>): PWord[] {
  const out: PWord[] = [];
  // A phrase is split like page text, except that `*` stays attached to its word.
  for (const m of deaccent(phrase).matchAll(/\*?[\p{L}\p{N}]+\*?/gu)) {
    let w = m[0];
    const prefix = w.endsWith('*');
    const suffix = w.startsWith('*');
    w = w.replace(/\*/g, '');
    const cs = (w.match(CAPS)?.length ?? 0) >= 2;
    const lw = w.toLowerCase();
    const text = cs ? w : lw;
    let same = known.get(text);
    const had = same?.find((x) => x.cs === cs && x.prefix === prefix && x.suffix === suffix);
    if (had) {
      out.push(had);
      continue;
    }
    const pw: PWord = {
      w: text,
      cs,
      prefix,
      suffix,
      h: wordHash(lw),
      hs: wordHash(`${lw}s`),
      hes: wordHash(`${lw}es`),
      hies: lw.endsWith('y') ? wordHash(`${lw.slice(0, -1)}ies`) : -1,
    };
    if (!same) known.set(text, (same = []));
    same.push(pw);
    out.push(pw);
  }
  return out;
}

/**
 * The four `hitKey`s of a pattern's words in ASCII text (null with a wildcard word): its last
 * word as written, +s, +es, y→ies, as `Form` numbers them. Equal keys are one string (from
 * `strings`), so comparing two is one pointer comparison.
 */
function hitKeys(words: PWord[], strings: Map<string, string>): Pattern['keys'] {
  if (words.some((w) => w.prefix || w.suffix)) return null;
  const intern = (k: string): string => {
    const had = strings.get(k);
    if (had !== undefined) return had;
    strings.set(k, k);
    return k;
  };
  // A cased word (`LoRA`) matches only with its case; the key is lower-cased all the same.
  const lower = words.map((w) => w.w.toLowerCase());
  const last = lower.pop()!;
  const base = lower.map((w) => `${w.slice(0, 5)} `).join('');
  const key = (w: string) => intern(base + w.slice(0, 5));
  // A last word of 5 letters or more keeps its key in the plural (6 for y→ies).
  const same = key(last);
  return [
    same,
    last.length >= 5 ? same : key(`${last}s`),
    last.length >= 5 ? same : key(`${last}es`),
    last.length >= 6 ? same : key(`${last.slice(0, -1)}ies`),
  ];
}

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
    lists: [],
    outside: [],
    heads: {
      bits: new Uint8Array(4096),
      table: new Int32Array(0),
      mask: 0,
      alone: new Int32Array(0),
      nextStart: new Int32Array(1),
      nextHash: new Int32Array(0),
      nextList: new Int32Array(0),
    },
    prefix2: new Uint8Array(1 << 14),
    prefixed: new Map(),
    suffixed: [],
    suffixEnds: new Set(),
    suffixEndsAscii: new Uint8Array(128),
    byCategory: new Map(),
    broad: new Set(),
    keyStrings: new Map(),
  };
  /** Pattern words by their text (`compileWords`). */
  const known = new Map<string, PWord[]>();
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
        const words = compileWords(phrase, known);
        const first = words[0];
        if (!first) continue;
        const specific = words.length > 1 || first.cs || first.prefix || first.suffix;
        const p: Pattern = {
          topic,
          role,
          words,
          rank: (role === Role.Hint ? 0 : 2) + (specific ? 1 : 0),
          seq: seq++,
          specific,
          len: words.length,
          first: words[0]!,
          acronym: words.length === 1 && first.cs,
          keys: undefined,
        };
        const w = first.w.toLowerCase();
        if (first.suffix) {
          c.suffixed.push(p);
          const end = w.charCodeAt(w.length - 1);
          c.suffixEnds.add(end);
          if (end < 128) c.suffixEndsAscii[end] = 1;
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
  /** First-word hash → patterns tried whatever follows. */
  const alone = new Map<number, Pattern[]>();
  /** First-word hash → next word's hash → patterns whose second word it can be. */
  const pairs = new Map<number, Map<number, Pattern[]>>();
  for (const [k, list] of index) {
    const h = wordHash(k);
    for (const p of list) {
      const second = p.words[1];
      if (!second || second.prefix || second.suffix) {
        file(alone, h, p);
        continue;
      }
      let next = pairs.get(h);
      if (!next) pairs.set(h, (next = new Map()));
      file(next, second.h, p);
      if (p.words.length === 2) {
        file(next, second.hs, p);
        file(next, second.hes, p);
        if (second.hies >= 0) file(next, second.hies, p);
      }
    }
  }
  const firsts = [...new Set([...alone.keys(), ...pairs.keys()])];
  const hs = tableSize(firsts.length);
  let pairCount = 0;
  for (const next of pairs.values()) pairCount += next.size;
  const heads = (c.heads = {
    bits: new Uint8Array(4096),
    table: new Int32Array(2 * hs).fill(-1),
    mask: hs - 1,
    alone: new Int32Array(firsts.length).fill(-1),
    nextStart: new Int32Array(firsts.length + 1),
    nextHash: new Int32Array(pairCount),
    nextList: new Int32Array(pairCount),
  });
  let at = 0;
  firsts.forEach((h, head) => {
    heads.bits[(h & 32767) >> 3]! |= 1 << (h & 7);
    let slot = h & heads.mask;
    while (heads.table[2 * slot] !== -1) slot = (slot + 1) & heads.mask;
    heads.table[2 * slot] = h;
    heads.table[2 * slot + 1] = head;
    const a = alone.get(h);
    if (a) heads.alone[head] = c.lists.push(a) - 1;
    heads.nextStart[head] = at;
    const next = pairs.get(h);
    // A run longer than `listOf` reads in turn is sorted, to be searched by halves.
    if (next)
      for (const [h1, list] of next.size > 8 ? [...next].sort((x, y) => x[0] - y[0]) : next) {
        heads.nextHash[at] = h1;
        heads.nextList[at++] = c.lists.push(merged(a, list)!) - 1;
      }
  });
  heads.nextStart[firsts.length] = at;
  c.outside = c.lists.map((list) =>
    list.some((p) => p.role === Role.Title) ? list.filter((p) => p.role !== Role.Title) : list,
  );
  for (const k of c.prefixed.keys()) if (k >= 0 && k < 1 << 21) c.prefix2[k >> 7] = 1;
  return c;
}

/*
 * The words of the field being matched, as offsets into its (deaccented) text, and their hashes.
 * Shared buffers, valid until the next field is split: no object per word, and strings are made
 * only to confirm a match in a field that is not ASCII.
 */
let START = new Int32Array(512);
let END = new Int32Array(512);
/** `wordHash` of each lower-cased word. */
let HASH = new Int32Array(512);

/*
 * The words of that field some pattern may start at, in word order (`NCAND` of them): the split
 * looks each word up while it has its hash at hand, and the matcher visits only these (about a
 * third of an abstract's words).
 */
let NCAND = 0;
let CAND = new Int32Array(512);
/** What to try at each candidate word: bits of `Cand`. */
let CAND_KIND = new Uint8Array(512);
/** Its head number (`Cand.Head`). */
let CAND_HEAD = new Int32Array(512);
/** Its `key3` (`Cand.Prefix`); 64-bit as non-ASCII keys reach 2^32. */
let CAND_KEY3 = new Float64Array(512);
/** A candidate word is a first word of some pattern, may begin a `word*` one, may end a `*word` one. */
const Cand = { Head: 1, Prefix: 2, Suffix: 4 } as const;

/**
 * Makes room for the words of a field of `units` UTF-16 units: at most one per two units (words
 * are separated), so the split loops need no bounds check.
 */
function reserve(units: number): void {
  const words = (units >> 1) + 1;
  if (START.length >= words) return;
  const size = Math.max(words, START.length * 2);
  START = new Int32Array(size);
  END = new Int32Array(size);
  HASH = new Int32Array(size);
  CAND = new Int32Array(size);
  CAND_KIND = new Uint8Array(size);
  CAND_HEAD = new Int32Array(size);
  CAND_KEY3 = new Float64Array(size);
}

/** The head number of first-word hash h, or -1 when no pattern starts with such a word. */
function headOf(heads: CompiledTopics['heads'], h: number): number {
  if ((heads.bits[(h & 32767) >> 3]! & (1 << (h & 7))) === 0) return -1;
  const { table, mask } = heads;
  let slot = h & mask;
  let k: number;
  while ((k = table[2 * slot]!) !== h) {
    if (k === -1) return -1;
    slot = (slot + 1) & mask;
  }
  return table[2 * slot + 1]!;
}

/** The list to try at head `head` followed by a word of hash h1 (-1: none). */
function listOf(heads: CompiledTopics['heads'], head: number, h1: number): number {
  const { nextStart, nextHash } = heads;
  let lo = nextStart[head]!;
  let hi = nextStart[head + 1]!;
  if (h1 >= 0 && lo < hi) {
    // By halves down to a few, then in turn (a run longer than 8 is sorted by hash).
    while (hi - lo > 8) {
      const mid = (lo + hi) >> 1;
      if (nextHash[mid]! <= h1) lo = mid;
      else hi = mid;
    }
    for (let k = lo; k < hi; k++) if (nextHash[k] === h1) return heads.nextList[k]!;
  }
  return heads.alone[head]!;
}

/** Each byte's lower-cased value when it is an ASCII letter or digit (a word unit), else 0. */
const LOWER = new Uint8Array(256);
for (let u = 48; u <= 57; u++) LOWER[u] = u;
for (let u = 97; u <= 122; u++) LOWER[u] = u;
for (let u = 65; u <= 90; u++) LOWER[u] = u | 32;

const encoder = new TextEncoder();
/**
 * The bytes of the ASCII field being matched (from `splitAscii`, valid until the next field).
 * The native encoder copies a field in well under a microsecond, and reading bytes from a typed
 * array is faster than `charCodeAt` on the string (≈ 1.3× on the split of an abstract in Node).
 */
let BYTES = new Uint8Array(4096);

/**
 * Splits ASCII text into words (runs of [A-Za-z0-9]), lower-casing and hashing them byte by byte
 * without a string per word, and notes the candidate words of `c`'s patterns; its bytes stay in
 * `BYTES`. Returns the word count, or -1 when the text is not ASCII (the caller then deaccents
 * it): most paper text is ASCII, and testing that with a regex first was one more pass.
 */
function splitAscii(c: CompiledTopics, text: string): number {
  const len = text.length;
  if (BYTES.length < len) BYTES = new Uint8Array(len * 2);
  // Every unit is ASCII exactly when each became one byte.
  const { read, written } = encoder.encodeInto(text, BYTES);
  if (read !== len || written !== len) return -1;
  reserve(len);
  const b = BYTES;
  const { heads, prefix2, suffixEndsAscii } = c;
  const wantPrefix = c.prefixed.size > 0;
  const wantSuffix = c.suffixed.length > 0;
  // Locals: the loop stores to them without reloading the module's bindings.
  const starts = START;
  const ends = END;
  const hashes = HASH;
  let n = 0;
  let nc = 0;
  let i = 0;
  while (i < len) {
    let lc = LOWER[b[i]!]!;
    while (lc === 0) {
      if (++i >= len) break;
      lc = LOWER[b[i]!]!;
    }
    if (i >= len) break;
    const start = i;
    let h = FNV_BASIS;
    let last: number;
    do {
      h = Math.imul(h ^ lc, FNV_PRIME);
      last = lc;
      if (++i >= len) break;
      lc = LOWER[b[i]!]!;
    } while (lc !== 0);
    h &= 0x3fffffff;
    starts[n] = start;
    ends[n] = i;
    hashes[n] = h;
    const head = headOf(heads, h);
    let kind = head >= 0 ? Cand.Head : 0;
    let k3 = -1;
    if (wantPrefix && i - start >= 3) {
      // `key3` of the lower-cased word; its first two letters rule out most words.
      const ab = (LOWER[b[start]!]! << 7) | LOWER[b[start + 1]!]!;
      if (prefix2[ab] === 1) {
        k3 = (ab << 7) | LOWER[b[start + 2]!]!;
        kind |= Cand.Prefix;
      }
    }
    if (wantSuffix && suffixEndsAscii[last] === 1) kind |= Cand.Suffix;
    if (kind !== 0) {
      CAND[nc] = n;
      CAND_KIND[nc] = kind;
      CAND_HEAD[nc] = head;
      CAND_KEY3[nc] = k3;
      nc++;
    }
    n++;
  }
  NCAND = nc;
  return n;
}

/** Splits deaccented text that is not ASCII into words (`WORD`, as `words` in text.ts). */
function splitUnicode(c: CompiledTopics, text: string): number {
  reserve(text.length);
  const wantPrefix = c.prefixed.size > 0;
  const wantSuffix = c.suffixed.length > 0;
  let n = 0;
  let nc = 0;
  for (const m of text.matchAll(WORD)) {
    const w = m[0].toLowerCase();
    const h = wordHash(w);
    START[n] = m.index;
    END[n] = m.index + m[0].length;
    HASH[n] = h;
    const head = headOf(c.heads, h);
    let kind = head >= 0 ? Cand.Head : 0;
    const k3 = key3(w);
    if (wantPrefix && k3 >= 0 && (k3 >= 1 << 21 || c.prefix2[k3 >> 7] === 1)) kind |= Cand.Prefix;
    const last = w.charCodeAt(w.length - 1);
    if (wantSuffix && (last < 128 ? c.suffixEndsAscii[last] === 1 : c.suffixEnds.has(last)))
      kind |= Cand.Suffix;
    if (kind !== 0) {
      CAND[nc] = n;
      CAND_KIND[nc] = kind;
      CAND_HEAD[nc] = head;
      CAND_KEY3[nc] = k3;
      nc++;
    }
    n++;
  }
  NCAND = nc;
  return n;
}

/** Whether word i can be `pw` by its hash (never false for a word that `wordOk` accepts). */
function hashOk(i: number, pw: PWord, last: boolean): boolean {
  if (pw.prefix || pw.suffix) return true;
  const h = HASH[i];
  return h === pw.h || (last && (h === pw.hs || h === pw.hes || h === pw.hies));
}

/**
 * How a pattern's word matched a word of ASCII text: as written (or a wildcard word), or the
 * plural +s, +es, y→ies of a last word. Indexes `Pattern.keys`.
 */
const Form = { Same: 0, S: 1, Es: 2, Ies: 3 } as const;

/** Byte k of the ASCII field, lower-cased unless `cs` (as `toLowerCase` would on ASCII). */
const unitAt = (k: number, cs: boolean): number => (cs ? BYTES[k]! : LOWER[BYTES[k]!]!);

/** Whether `n` bytes of the ASCII field from `at` are `w`'s first `n` (lower-cased unless `cs`). */
function sameUnits(at: number, w: string, n: number, cs: boolean): boolean {
  const b = BYTES;
  if (cs) {
    for (let k = 0; k < n; k++) if (b[at + k] !== w.charCodeAt(k)) return false;
  } else for (let k = 0; k < n; k++) if (LOWER[b[at + k]!] !== w.charCodeAt(k)) return false;
  return true;
}

/**
 * `wordOk` for a field of ASCII text, read in place from `BYTES` (no string per comparison): the
 * `Form` of the match, or -1.
 */
function asciiForm(i: number, pw: PWord, last: boolean): number {
  const s = START[i]!;
  const e = END[i]!;
  const w = pw.w;
  const n = w.length;
  const cs = pw.cs;
  const d = e - s - n;
  if (d < 0) return -1;
  if (pw.prefix) return sameUnits(s, w, n, cs) ? Form.Same : -1;
  if (pw.suffix) return sameUnits(e - n, w, n, cs) ? Form.Same : -1;
  if (d === 0) return sameUnits(s, w, n, cs) ? Form.Same : -1;
  if (!last || d > 2) return -1;
  if (d === 1) return unitAt(s + n, cs) === 115 /* s */ && sameUnits(s, w, n, cs) ? Form.S : -1;
  if (
    unitAt(s + n, cs) === 101 /* e */ &&
    unitAt(s + n + 1, cs) === 115 /* s */ &&
    sameUnits(s, w, n, cs)
  )
    return Form.Es;
  if (
    w.charCodeAt(n - 1) === 121 /* y */ &&
    unitAt(e - 3, cs) === 105 /* i */ &&
    unitAt(e - 2, cs) === 101 /* e */ &&
    unitAt(e - 1, cs) === 115 /* s */ &&
    sameUnits(s, w, n - 1, cs)
  )
    return Form.Ies;
  return -1;
}

const raw = (text: string, i: number): string => text.slice(START[i], END[i]);

/** Whether word i of a (not ASCII) field is `pw`, compared as strings. */
function wordOk(text: string, i: number, pw: PWord, last: boolean): boolean {
  const t = pw.cs ? raw(text, i) : raw(text, i).toLowerCase();
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

/*
 * The pattern occurrences found in the field being matched, in word order (shared buffers,
 * valid until the next field): no object per occurrence.
 */
const OCC_P: Pattern[] = [];
let OCC_FROM = new Int32Array(256);
/** The `Form` of each occurrence's last word (ASCII fields). */
let OCC_FORM = new Uint8Array(256);

/** How word i matches `pw`: its `Form` (always `Form.Same` outside ASCII), or -1. */
const formAt = (text: string, i: number, pw: PWord, last: boolean, ascii: boolean): number =>
  ascii ? asciiForm(i, pw, last) : wordOk(text, i, pw, last) ? Form.Same : -1;

/**
 * Adds the patterns of `list` that occur from word i (of n) to the occurrences, from the m-th;
 * returns the new count. With `skipTitle`, title-only patterns are skipped (outside a title they
 * count nowhere; the `heads` lists come without them already, `CompiledTopics.outside`).
 */
function tryList(
  list: Pattern[],
  text: string,
  i: number,
  n: number,
  m: number,
  ascii: boolean,
  skipTitle: boolean,
): number {
  // Patterns of a list often share their first word ("agent" is a hint of one topic and a
  // phrase of another; compileTopics shares equal words): word i is compared with it once.
  let seen: PWord | undefined;
  let seenAlone = false;
  let seenForm = -1;
  for (let q = 0; q < list.length; q++) {
    const p = list[q]!;
    if (skipTitle && p.role === Role.Title) continue;
    const len = p.len;
    if (i + len > n) continue;
    const words = p.words;
    // Word i is a first word of the pattern by hash (that is how the list was found): the
    // others are checked by hash before any is compared.
    let ok = true;
    for (let j = 1; j < len && ok; j++) ok = hashOk(i + j, words[j]!, j === len - 1);
    if (!ok) continue;
    const first = p.first;
    const alone = len === 1;
    if (first !== seen || alone !== seenAlone) {
      seen = first;
      seenAlone = alone;
      seenForm = formAt(text, i, first, alone, ascii);
    }
    let form = seenForm;
    for (let j = 1; j < len && form >= 0; j++)
      form = formAt(text, i + j, words[j]!, j === len - 1, ascii);
    if (form < 0) continue;
    if (m === OCC_FROM.length) {
      const from = new Int32Array(m * 2);
      from.set(OCC_FROM);
      OCC_FROM = from;
      const forms = new Uint8Array(m * 2);
      forms.set(OCC_FORM);
      OCC_FORM = forms;
    }
    OCC_P[m] = p;
    OCC_FROM[m] = i;
    OCC_FORM[m] = form;
    m++;
  }
  return m;
}

/**
 * Finds every pattern occurrence among the n words just split from `text` (at its candidate
 * words), in word order; for one word: exact-word patterns (in compile order), then `word*`,
 * then `*suffix` ones. Returns how many (in `OCC_*`).
 */
function findAll(
  c: CompiledTopics,
  text: string,
  n: number,
  ascii: boolean,
  title: boolean,
): number {
  const { prefixed, suffixed } = c;
  const lists = title ? c.lists : c.outside;
  const heads = c.heads;
  let m = 0;
  for (let q = 0; q < NCAND; q++) {
    const i = CAND[q]!;
    const kind = CAND_KIND[q]!;
    if ((kind & Cand.Head) !== 0) {
      // Try the patterns the next word can continue, or else those that need no next word.
      const list = listOf(heads, CAND_HEAD[q]!, i + 1 < n ? HASH[i + 1]! : -1);
      if (list >= 0) m = tryList(lists[list]!, text, i, n, m, ascii, false);
    }
    if ((kind & Cand.Prefix) !== 0) {
      const list = prefixed.get(CAND_KEY3[q]!);
      if (list) m = tryList(list, text, i, n, m, ascii, !title);
    }
    if ((kind & Cand.Suffix) !== 0) m = tryList(suffixed, text, i, n, m, ascii, !title);
  }
  return m;
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
  /** `hitKey` of the text: the matched words cut to 5 letters, so "robot", "robots", "robotic" are one. */
  key: string;
}

/** Per-topic evidence gathered from the fields of one paper. */
interface Evidence {
  /**
   * One per distinct `Hit.key`, in order of first occurrence. An array searched in turn: a topic
   * has a handful of distinct hits in a paper, and a Map per topic and paper cost more.
   */
  hits: Hit[];
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
  // ASCII (hits of a wildcard pattern): the same words, found without a regex.
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

/*
 * Occurrences grouped by topic, as linked lists through the occurrence numbers: a topic's first
 * and last occurrence (-1: none; reset after each field), each occurrence's next of its topic,
 * and the topics in order of their first occurrence. No Map or array per field or topic.
 */
let HEAD = new Int32Array(128).fill(-1);
let TAIL = new Int32Array(128);
let NEXT = new Int32Array(256);
/** One topic's occurrences that count (not exclusions, not cancelled by one), in word order. */
let KEPT = new Int32Array(256);
const TOUCHED: number[] = [];

/** The evidence of the paper being matched, by topic number, and its topics in order of first evidence. */
interface PaperEvidence {
  byTopic: Array<Evidence | undefined>;
  order: number[];
}

/** Topic i's evidence in `ev` (made empty on first use). */
function evidence(ev: PaperEvidence, i: number): Evidence {
  let e = ev.byTopic[i];
  if (!e) {
    ev.byTopic[i] = e = { hits: [] };
    ev.order.push(i);
  }
  return e;
}

/**
 * Adds a field's evidence to `ev`: each pattern occurrence not cancelled by an exclusion of its
 * topic nor dominated by another occurrence of it, counted once per distinct hit.
 */
function gather(
  c: CompiledTopics,
  clean: string,
  n: number,
  /** `clean` is ASCII only (`splitAscii` read all of it). */
  ascii: boolean,
  field: 'title' | 'abstract',
  ev: PaperEvidence,
): void {
  const title = field === 'title';
  const m = findAll(c, clean, n, ascii, title);
  if (!m) return;
  if (HEAD.length < c.topics.length) {
    HEAD = new Int32Array(c.topics.length * 2).fill(-1);
    TAIL = new Int32Array(c.topics.length * 2);
  }
  if (NEXT.length < m) {
    NEXT = new Int32Array(m * 2);
    KEPT = new Int32Array(m * 2);
  }
  // Every topic's list is emptied once read, below; again here in case a field was left half done.
  for (const t of TOUCHED) HEAD[t] = -1;
  TOUCHED.length = 0;
  for (let k = 0; k < m; k++) {
    const t = OCC_P[k]!.topic;
    if (HEAD[t]! < 0) {
      HEAD[t] = k;
      TOUCHED.push(t);
    } else NEXT[TAIL[t]!] = k;
    TAIL[t] = k;
    NEXT[k] = -1;
  }
  for (const topic of TOUCHED) {
    let excludes = false;
    for (let k = HEAD[topic]!; k >= 0; k = NEXT[k]!)
      if (OCC_P[k]!.role === Role.Exclude) excludes = true;
    let kc = 0;
    for (let k = HEAD[topic]!; k >= 0; k = NEXT[k]!) {
      const p = OCC_P[k]!;
      if (p.role === Role.Exclude) continue;
      if (excludes) {
        // An exclusion phrase cancels every occurrence it overlaps ("diffusion MRI").
        const from = OCC_FROM[k]!;
        const to = from + p.words.length;
        let cancelled = false;
        for (let x = HEAD[topic]!; x >= 0 && !cancelled; x = NEXT[x]!) {
          const xp = OCC_P[x]!;
          cancelled =
            xp.role === Role.Exclude && OCC_FROM[x]! < to && OCC_FROM[x]! + xp.words.length > from;
        }
        if (cancelled) continue;
      }
      KEPT[kc++] = k;
    }
    HEAD[topic] = -1;
    for (let q = 0; q < kc; q++) {
      const o = KEPT[q]!;
      const op = OCC_P[o]!;
      const from = OCC_FROM[o]!;
      const to = from + op.len;
      // A phrase inside a longer one of the same topic ("preference optimization" inside "direct
      // preference optimization") is the same evidence: only the longer one counts; so is an
      // acronym right after its long form ("reinforcement learning (RL)"), and of two
      // patterns on the same words ("robot", "robots") only the first. KEPT is in word order:
      // no occurrence starting after this one can contain it or end where it starts.
      let dominated = false;
      for (let r = 0; r < kc && !dominated; r++) {
        if (r === q) continue;
        const x = KEPT[r]!;
        const xFrom = OCC_FROM[x]!;
        if (xFrom > from) break;
        const xp = OCC_P[x]!;
        const xTo = xFrom + xp.len;
        if (xTo === from) dominated = op.acronym;
        else if (xTo >= to) {
          const longer = xTo - xFrom - (to - from);
          dominated =
            longer !== 0
              ? longer > 0
              : xp.rank > op.rank || (xp.rank === op.rank && xp.seq < op.seq);
        }
      }
      if (dominated) continue;
      const hits = evidence(ev, topic).hits;
      const start = START[from]!;
      const end = END[to - 1]!;
      // The key of a plain pattern in ASCII text is known from how its last word matched.
      const keys = !ascii
        ? null
        : op.keys !== undefined
          ? op.keys
          : (op.keys = hitKeys(op.words, c.keyStrings));
      const key = keys ? keys[OCC_FORM[o]!]! : hitKey(clean.slice(start, end), ascii);
      let h: Hit | undefined;
      for (let k = 0; k < hits.length && !h; k++) if (hits[k]!.key === key) h = hits[k];
      if (!h) {
        h = {
          strong: false,
          word: true,
          title: 0,
          abstract: 0,
          text: clean.slice(start, end),
          key,
        };
        hits.push(h);
      }
      if (op.role !== Role.Hint) h.strong = true;
      if (op.specific) h.word = false;
      if (title) h.title++;
      else h.abstract++;
    }
  }
}

/** Scoring weights (see the table at the top of this file). */
export type Scoring = { -readonly [K in keyof typeof SCORING]: number };

/** A hit's points (see the table at the top of this file). */
function hitPoints(h: Hit, S: Scoring): number {
  if (!h.strong)
    return h.title > 0 ? S.hintTitle : Math.min(S.hintAbstractMax, S.hintAbstract * h.abstract);
  return h.title > 0
    ? h.word
      ? S.wordTitle
      : S.phraseTitle
    : Math.min(S.phraseAbstractMax, S.phraseAbstract + S.phraseRepeat * (h.abstract - 1));
}

/** A topic's points, and whether a strong hit (one in the title) is among them. */
function score(e: Evidence, S: Scoring): { points: number; strong: boolean; inTitle: boolean } {
  let points = 0;
  let strong = false;
  let inTitle = false;
  for (const h of e.hits) {
    points += hitPoints(h, S);
    if (h.strong) {
      strong = true;
      if (h.title > 0) inTitle = true;
    }
  }
  if (e.category) points += e.category.primary ? S.categoryPrimary : S.categoryOther;
  return { points, strong, inTitle };
}

/**
 * The `why` of a shown topic: its hits and category by points (in order of first occurrence
 * when equal), each text once whatever its case, at most `limit`. Made only for the topics
 * shown, not for every topic with some evidence.
 */
function explain(e: Evidence, S: Scoring, limit: number): string[] {
  const points: number[] = [];
  const texts: string[] = [];
  for (const h of e.hits) {
    points.push(hitPoints(h, S));
    texts.push(h.text);
  }
  if (e.category) {
    points.push(e.category.primary ? S.categoryPrimary : S.categoryOther);
    texts.push(`arXiv ${e.category.cat}`);
  }
  // Highest points first, equal ones in their order (a stable sort; a handful of entries, so in
  // place by insertion rather than through pairs and a comparator).
  for (let a = 1; a < points.length; a++) {
    const p = points[a]!;
    const t = texts[a]!;
    let b = a;
    for (; b > 0 && points[b - 1]! < p; b--) {
      points[b] = points[b - 1]!;
      texts[b] = texts[b - 1]!;
    }
    points[b] = p;
    texts[b] = t;
  }
  const why: string[] = [];
  const seen: string[] = [];
  for (const text of texts) {
    const k = text.toLowerCase();
    if (seen.includes(k)) continue;
    seen.push(k);
    why.push(text);
    if (why.length >= limit) break;
  }
  return why;
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
  /**
   * False: learned badges come without their why list (a caller that keeps only the ids, like
   * the topic refresh over every stored paper, skips making them). Default true.
   */
  why?: boolean;
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
  if ('heads' in topics) return topics;
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

/**
 * Scores a paper's phrase topics. With `learn`, the words of its title and abstract are also
 * counted for the learned topics (`countWords`) while the split has them at hand; `LEARN_OK`
 * then says whether they could be (both fields ASCII once deaccented).
 */
function run(
  paper: TopicPaper,
  c: CompiledTopics,
  opts: Pick<MatchOptions, 'threshold' | 'userThreshold' | 'whyLimit' | 'scoring'>,
  learn = false,
): TopicMatch[] {
  const S = scoring(opts);
  const ev: PaperEvidence = {
    byTopic: new Array<Evidence | undefined>(c.topics.length),
    order: [],
  };
  const field = (text: string | undefined, name: 'title' | 'abstract') => {
    if (!text) return;
    // Most paper text is ASCII: nothing to drop then, and the split reads it unit by unit.
    let n = splitAscii(c, text);
    if (n >= 0) return gather(c, text, n, true, name, ev);
    const clean = deaccent(text);
    n = splitAscii(c, clean);
    if (n >= 0) gather(c, clean, n, true, name, ev);
    else gather(c, clean, splitUnicode(c, clean), false, name, ev);
  };
  /** `field` for the title (part 0) or abstract (1), its words also counted (`countWords`). */
  const counted = (text: string | undefined, name: 'title' | 'abstract', part: number) => {
    if (!text) return;
    let n = splitAscii(c, text);
    if (n >= 0) {
      countWords(n, part);
      return gather(c, text, n, true, name, ev);
    }
    const clean = deaccent(text);
    n = splitAscii(c, clean);
    if (n >= 0) {
      countWords(n, part);
      gather(c, clean, n, true, name, ev);
    } else {
      LEARN_OK = false;
      gather(c, clean, splitUnicode(c, clean), false, name, ev);
    }
  };
  if (learn) {
    startCounting();
    counted(paper.title, 'title', 0);
  } else field(paper.title, 'title');
  for (const k of paper.keywords ?? []) field(k, 'title');
  if (learn) counted(paper.abstract, 'abstract', 1);
  else field(paper.abstract, 'abstract');
  // Categories in the paper's order: a topic's evidence is its first category the paper lists.
  (paper.categories ?? []).forEach((cat, k) => {
    for (const i of c.byCategory.get(cat.toLowerCase()) ?? [])
      evidence(ev, i).category ??= { cat, primary: k === 0 };
  });
  const out: TopicMatch[] = [];
  const whyLimit = opts.whyLimit ?? 4;
  for (const i of ev.order) {
    const e = ev.byTopic[i]!;
    const t = c.topics[i]!;
    const s = score(e, S);
    if (!s.strong) continue;
    const need =
      t.kind === 'user'
        ? (opts.userThreshold ?? S.userThreshold)
        : (opts.threshold ?? S.threshold) + (s.inTitle ? 0 : S.abstractOnlyExtra);
    if (s.points < need) continue;
    out.push({
      id: t.def.id,
      name: t.def.name,
      kind: t.kind,
      score: s.points,
      why: explain(e, S, whyLimit),
    });
  }
  return out;
}

/*
 * The title's and abstract's words counted for the learned topics, as `termCounts` counts them
 * (title words twice, words of one letter, numbers and stop words left out), without a string per
 * word: each distinct word once, in order of first occurrence, found by the hash the split
 * computed and confirmed by comparing it in place with its first occurrence. Shared buffers for
 * the paper being matched (`startCounting`).
 */
/** The distinct words so far: open-addressing table of their numbers (-1: empty slot). */
let D_SLOTS = new Int32Array(2048).fill(-1);
let D_HASH = new Int32Array(512);
/**
 * Its letters, lower-cased: distinct word d is `D_CHARS[D_AT[d]..D_AT[d + 1])` (copied from the
 * split's bytes, which the next field overwrites; compared byte to byte, not through a string).
 */
let D_AT = new Int32Array(513);
let D_CHARS = new Uint8Array(4096);
/** How many times it counts (title words twice); -1 when it is never a feature. */
let D_COUNT = new Int32Array(512);
let D_N = 0;
/** The words of the paper being matched could be counted (both fields ASCII once deaccented). */
let LEARN_OK = true;

/** Empties the counts for a new paper. */
function startCounting(): void {
  if (D_N * 4 > D_SLOTS.length) D_SLOTS = new Int32Array(D_SLOTS.length).fill(-1);
  else for (let d = 0; d < D_N; d++) clearSlot(D_HASH[d]!, d);
  D_N = 0;
  LEARN_OK = true;
}

/** Empties the slot of distinct word d (every slot is emptied before any is reused). */
function clearSlot(h: number, d: number): void {
  const mask = D_SLOTS.length - 1;
  let slot = h & mask;
  while (D_SLOTS[slot] !== d) slot = (slot + 1) & mask;
  D_SLOTS[slot] = -1;
}

/** Whether word i of the ASCII field just split (in `BYTES`) is, lower-cased, `w`. */
function wordIs(i: number, w: string): boolean {
  const s = START[i]!;
  const n = END[i]! - s;
  if (n !== w.length) return false;
  for (let k = 0; k < n; k++) if (LOWER[BYTES[s + k]!] !== w.charCodeAt(k)) return false;
  return true;
}

/** Whether word i of the ASCII field just split is distinct word d, whatever the case. */
function sameAsDistinct(i: number, d: number): boolean {
  const s = START[i]!;
  const n = END[i]! - s;
  const ds = D_AT[d]!;
  if (D_AT[d + 1]! - ds !== n) return false;
  const b = BYTES;
  const dc = D_CHARS;
  for (let k = 0; k < n; k++) if (LOWER[b[s + k]!] !== dc[ds + k]) return false;
  return true;
}

/** Stop words by `wordHash` (a collision keeps both). */
const STOP_BY_HASH = new Map<number, string[]>();
for (const w of STOP) {
  const h = wordHash(w);
  const had = STOP_BY_HASH.get(h);
  if (had) had.push(w);
  else STOP_BY_HASH.set(h, [w]);
}

/** Whether word i (of hash h) of the ASCII field just split is never a feature (`termCounts`). */
function notFeature(i: number, h: number): boolean {
  const s = START[i]!;
  const e = END[i]!;
  let digits = true;
  for (let k = s; k < e && digits; k++) digits = BYTES[k]! >= 48 && BYTES[k]! <= 57;
  if (digits) return true;
  const stops = STOP_BY_HASH.get(h);
  if (stops) for (const w of stops) if (wordIs(i, w)) return true;
  return false;
}

/** Counts the n words of part (0 title, 1 abstract) just split from ASCII text (in `BYTES`). */
function countWords(n: number, part: number): void {
  const weight = part === 0 ? 2 : 1;
  for (let i = 0; i < n; i++) {
    if (END[i]! - START[i]! < 2) continue;
    const h = HASH[i]!;
    const mask = D_SLOTS.length - 1;
    let slot = h & mask;
    let d: number;
    while ((d = D_SLOTS[slot]!) !== -1) {
      if (D_HASH[d] === h && sameAsDistinct(i, d)) break;
      slot = (slot + 1) & mask;
    }
    if (d !== -1) {
      if (D_COUNT[d]! >= 0) D_COUNT[d]! += weight;
      continue;
    }
    if (D_N === D_HASH.length) growDistinct();
    d = D_N++;
    D_SLOTS[slot] = d;
    D_HASH[d] = h;
    const s = START[i]!;
    const len = END[i]! - s;
    const at = D_AT[d]!;
    if (at + len > D_CHARS.length) {
      const chars = new Uint8Array((at + len) * 2);
      chars.set(D_CHARS);
      D_CHARS = chars;
    }
    for (let k = 0; k < len; k++) D_CHARS[at + k] = LOWER[BYTES[s + k]!]!;
    D_AT[d + 1] = at + len;
    D_COUNT[d] = notFeature(i, h) ? -1 : weight;
    // At most a third full (rehashed into a table twice the size).
    if (D_N * 3 > D_SLOTS.length) rehashDistinct();
  }
}

function growDistinct(): void {
  const size = D_HASH.length * 2;
  const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => (b.set(a), b);
  D_HASH = grow(D_HASH, new Int32Array(size));
  D_AT = grow(D_AT, new Int32Array(size + 1));
  D_COUNT = grow(D_COUNT, new Int32Array(size));
}

function rehashDistinct(): void {
  D_SLOTS = new Int32Array(D_SLOTS.length * 2).fill(-1);
  const mask = D_SLOTS.length - 1;
  for (let d = 0; d < D_N; d++) {
    let slot = D_HASH[d]! & mask;
    while (D_SLOTS[slot] !== -1) slot = (slot + 1) & mask;
    D_SLOTS[slot] = d;
  }
}

/**
 * A learned set's terms that are ASCII words, by `wordHash`, in flat typed arrays (a table of
 * thousands of terms: one string and weight array per term cost a cache miss each per lookup).
 */
interface WordTerms {
  /** Two numbers per slot: a term's hash (-1: empty) and its number. */
  table: Int32Array;
  mask: number;
  /** Every term's letters, term e at `chars[at[e]..at[e + 1])`. */
  chars: Uint8Array;
  at: Int32Array;
  /** The `LearnedSet.index` triples of every term, term e's at `packed[pat[e]..pat[e + 1])`. */
  packed: Float64Array;
  pat: Int32Array;
}

const wordTermsCache = new WeakMap<LearnedSet, WordTerms>();

function wordTerms(set: LearnedSet): WordTerms {
  let wt = wordTermsCache.get(set);
  if (wt) return wt;
  const terms: string[] = [];
  const lists: Float64Array[] = [];
  // A word of ASCII text is lower-case letters and digits: no other term can be one.
  for (const [t, p] of set.index)
    if (/^[a-z0-9]+$/.test(t)) {
      terms.push(t);
      lists.push(p);
    }
  const size = tableSize(terms.length);
  const table = new Int32Array(2 * size).fill(-1);
  const at = new Int32Array(terms.length + 1);
  const pat = new Int32Array(terms.length + 1);
  terms.forEach((t, e) => {
    at[e + 1] = at[e]! + t.length;
    pat[e + 1] = pat[e]! + lists[e]!.length;
  });
  const chars = new Uint8Array(at[terms.length]!);
  const packed = new Float64Array(pat[terms.length]!);
  terms.forEach((t, e) => {
    for (let k = 0; k < t.length; k++) chars[at[e]! + k] = t.charCodeAt(k);
    packed.set(lists[e]!, pat[e]!);
    const h = wordHash(t);
    let slot = h & (size - 1);
    while (table[2 * slot] !== -1) slot = (slot + 1) & (size - 1);
    table[2 * slot] = h;
    table[2 * slot + 1] = e;
  });
  wordTermsCache.set(set, (wt = { table, mask: size - 1, chars, at, packed, pat }));
  return wt;
}

/** The number of distinct word d's term in `wt`, or -1 when no model keeps it. */
function termOf(wt: WordTerms, d: number): number {
  const h = D_HASH[d]!;
  const { table, mask, chars, at } = wt;
  const ds = D_AT[d]!;
  const n = D_AT[d + 1]! - ds;
  const dc = D_CHARS;
  for (let slot = h & mask, k: number; (k = table[2 * slot]!) !== -1; slot = (slot + 1) & mask) {
    if (k !== h) continue;
    const e = table[2 * slot + 1]!;
    const from = at[e]!;
    if (at[e + 1]! - from !== n) continue;
    let same = true;
    for (let q = 0; q < n && same; q++) same = dc[ds + q] === chars[from + q];
    if (same) return e;
  }
  return -1;
}

/**
 * `scoreLearnedSet(set, termCounts(paper, { bigrams: false, meta }))` from the words `run`
 * counted (`LEARN_OK`): the same terms in the same order, so the same sums.
 */
function scoreCounted(paper: TopicPaper, set: LearnedSet, meta: boolean): Float64Array {
  const sums = learnedSums(set);
  const wt = wordTerms(set);
  for (let d = 0; d < D_N; d++) {
    const n = D_COUNT[d]!;
    if (n < 0) continue;
    const e = termOf(wt, d);
    if (e < 0) addLearnedTerm(set, sums, undefined, n);
    else addLearnedTerm(set, sums, wt.packed, n, wt.pat[e]!, wt.pat[e + 1]!);
  }
  if (meta) {
    // Categories and keywords: a few terms, counted as `termCounts` does.
    const tf = termCounts({ title: '', categories: paper.categories, keywords: paper.keywords });
    for (const [term, n] of tf) addLearnedTerm(set, sums, set.index.get(term), n);
  }
  return learnedScores(set, sums);
}

/**
 * `predictLearned(model k of set, termCounts(paper, { bigrams: false, meta }), { explain: true }).why`
 * from the words `run` counted: the same contributions (the model's last triple of a term, as
 * its term index keeps), in the same order; a string is made only for a word that contributes.
 */
const decoder = new TextDecoder();

function whyCounted(paper: TopicPaper, set: LearnedSet, k: number, meta: boolean): string[] {
  const contrib: Array<[number, string]> = [];
  const wt = wordTerms(set);
  const { packed, pat } = wt;
  const part = (n: number, list: Float64Array, from: number, to: number): number => {
    let at = -1;
    for (let q = from; q < to; q += 3) if (list[q] === k) at = q;
    // As `predictLearned`: weight × (1 + ln n) × idf.
    return at < 0 ? 0 : list[at + 2]! * (1 + Math.log(n)) * list[at + 1]!;
  };
  for (let d = 0; d < D_N; d++) {
    const n = D_COUNT[d]!;
    if (n < 0) continue;
    const e = termOf(wt, d);
    if (e < 0) continue;
    const p = part(n, packed, pat[e]!, pat[e + 1]!);
    if (p > 0) contrib.push([p, decoder.decode(D_CHARS.subarray(D_AT[d]!, D_AT[d + 1]!))]);
  }
  if (meta) {
    const tf = termCounts({ title: '', categories: paper.categories, keywords: paper.keywords });
    for (const [term, n] of tf) {
      const list = set.index.get(term);
      const p = list ? part(n, list, 0, list.length) : 0;
      if (p > 0) contrib.push([p, term]);
    }
  }
  return explainTerms(contrib);
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
  // `why` of a learned match: made only for the badges returned (most matches are not shown).
  const ranked: Array<{ m: TopicMatch; rank: number; why?: () => string[] }> = [];
  const S = scoring(opts);
  const groups = learnedGroups(opts.learned ?? NO_LEARNED);
  const matches = run(paper, c, opts, groups.length > 0);
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
  for (const { topics: group, set, opts: fo } of groups) {
    let counts: Map<string, number> | undefined;
    const countAll = () => {
      // The words the phrase scan read, made as strings only here (learned topics exist).
      split ??= { title: textWords(paper.title ?? ''), abstract: textWords(paper.abstract ?? '') };
      return termCounts(paper, fo, split);
    };
    // Unigram models score from the words the scan counted (no string per word); the term
    // strings are made only for a topic that is shown (its why) or for text that is not ASCII.
    const counted = LEARN_OK && !fo.bigrams;
    const scores = counted
      ? scoreCounted(paper, set, fo.meta)
      : scoreLearnedSet(set, (counts = countAll()));
    group.forEach((t, k) => {
      const score = scores[k]!;
      if (score < t.model.threshold) return;
      const why = () =>
        counted
          ? whyCounted(paper, set, k, fo.meta)
          : predictLearned(t.model, (counts ??= countAll()), { explain: true }).why;
      ranked.push({
        m: { id: t.id, name: t.name, kind: 'learned', score, why: [] },
        rank: score / t.model.threshold,
        why,
      });
    });
  }
  ranked.sort((a, b) => b.rank - a.rank || a.m.id.localeCompare(b.m.id));
  const out: TopicMatch[] = [];
  const ids = new Set<string>();
  const withWhy = opts.why !== false;
  for (const { m, why } of ranked) {
    if (ids.has(m.id)) continue;
    ids.add(m.id);
    out.push(why && withWhy ? { ...m, why: why() } : m);
    if (out.length >= (opts.limit ?? 3)) break;
  }
  return out;
}
