/**
 * Watch-rule matching: case- and accent-insensitive, whole-word, punctuation-blind phrase matching
 * with exclusions ("diffusion" but not "diffusion MRI"), author names in their forms ("Sergey
 * Levine", "S. Levine", "Levine, Sergey"), organizations, topics and arXiv categories. A phrase's
 * last word also matches its plural ("reward model" finds "reward models"), nothing looser.
 *
 * Fast enough for 100 rules × 1,000 cards in a few ms: rules compile once into a map from a
 * phrase's first word to the phrases that start with it, and each card's text is folded and split
 * into words once; matching is then one map lookup per word.
 */
import type { RuleRecord } from '../db';

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

/** Folds a string for comparison: accents off, lower case (per character, keeping length stable). */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** A word of a text with its position in the original string. */
export interface Word {
  w: string;
  start: number;
  end: number;
}

/**
 * Splits text into folded words with their offsets in the ORIGINAL text (so matches can be
 * highlighted where they stand). Folding is per word, so offsets never drift.
 */
export function words(text: string): Word[] {
  const out: Word[] = [];
  // Decompose first so "é" stays one letter in the word regex, then fold each word.
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
  words: string[];
  exclude: boolean;
}

interface AuthorPattern {
  rule: number;
  last: string;
  given: string[];
}

/** Rules compiled for matching many papers. */
export interface CompiledRules {
  rules: RuleRecord[];
  /** first word → phrases (words rules' terms and exclusions, organization names). */
  phrases: Map<string, Phrase[]>;
  orgs: Map<string, Phrase[]>;
  authors: Map<string, AuthorPattern[]>;
  categories: Map<string, number[]>;
  topics: Map<string, number[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Parses a person's name in any of its forms into a last name and given names (folded). */
export function parseName(name: string): { last: string; given: string[] } | null {
  const comma = name.indexOf(',');
  let last: string[];
  let given: string[];
  if (comma >= 0) {
    last = phraseWords(name.slice(0, comma));
    given = phraseWords(name.slice(comma + 1));
  } else {
    const ws = phraseWords(name);
    last = ws.slice(-1);
    given = ws.slice(0, -1);
  }
  if (!last.length) return null;
  return { last: last.join(' '), given };
}

/** Given names agree when each initial or full name of the shorter list fits the longer one. */
function givenMatch(a: string[], b: string[]): boolean {
  if (!a.length || !b.length) return true;
  const first = (x: string, y: string) =>
    x === y || (x.length === 1 && y.startsWith(x)) || (y.length === 1 && x.startsWith(y));
  return first(a[0]!, b[0]!);
}

/** Compiles active (unpaused) rules. */
export function compileRules(rules: RuleRecord[]): CompiledRules {
  const c: CompiledRules = {
    rules,
    phrases: new Map(),
    orgs: new Map(),
    authors: new Map(),
    categories: new Map(),
    topics: new Map(),
  };
  rules.forEach((r, i) => {
    if (r.paused) return;
    for (const term of r.terms) {
      if (r.kind === 'words') {
        const ws = phraseWords(term);
        if (ws[0]) push(c.phrases, ws[0], { rule: i, words: ws, exclude: false });
      } else if (r.kind === 'organization') {
        const ws = phraseWords(term);
        if (ws[0]) push(c.orgs, ws[0], { rule: i, words: ws, exclude: false });
      } else if (r.kind === 'author') {
        const n = parseName(term);
        if (n) push(c.authors, n.last, { rule: i, ...n });
      } else if (r.kind === 'category') {
        push(c.categories, term.trim().toLowerCase(), i);
      } else if (r.kind === 'topic') {
        push(c.topics, term.trim(), i);
      }
    }
    if (r.kind === 'words') {
      for (const ex of r.exclude) {
        const ws = phraseWords(ex);
        if (ws[0]) push(c.phrases, ws[0], { rule: i, words: ws, exclude: true });
      }
    }
  });
  return c;
}

/** A text word equals a phrase word; the phrase's last word may also take a plural -s / -es. */
function same(word: string | undefined, want: string, last: boolean): boolean {
  if (word === undefined) return false;
  if (word === want) return true;
  return last && (word === `${want}s` || word === `${want}es`);
}

/** Singular candidates of a word, to find phrases whose last (only) word is the singular. */
function stems(w: string): string[] {
  const out = [w];
  if (w.length > 3 && w.endsWith('s')) out.push(w.slice(0, -1));
  if (w.length > 4 && w.endsWith('es')) out.push(w.slice(0, -2));
  return out;
}

/** Phrase occurrences in a word list: [rule, from, to, exclude]. */
function scan(ws: Word[], index: Map<string, Phrase[]>): Array<[number, number, number, boolean]> {
  const found: Array<[number, number, number, boolean]> = [];
  for (let i = 0; i < ws.length; i++) {
    for (const key of stems(ws[i]!.w)) {
      for (const p of index.get(key) ?? []) {
        const n = p.words.length;
        if (!same(ws[i]!.w, p.words[0]!, n === 1)) continue;
        let ok = true;
        for (let k = 1; k < n && ok; k++) ok = same(ws[i + k]?.w, p.words[k]!, k === n - 1);
        if (ok) found.push([p.rule, i, i + n, p.exclude]);
      }
    }
  }
  return found;
}

function wordHits(
  text: string,
  index: Map<string, Phrase[]>,
  add: (rule: number, term: string) => void,
): void {
  if (!text || !index.size) return;
  const ws = words(text);
  const occ = scan(ws, index);
  const excluded = occ.filter((o) => o[3]);
  for (const [rule, from, to, ex] of occ) {
    if (ex) continue;
    // An exclusion phrase of the same rule that covers this occurrence cancels it.
    if (excluded.some(([r, f, t]) => r === rule && f <= from && t >= to)) continue;
    add(rule, text.slice(ws[from]!.start, ws[to - 1]!.end));
  }
}

/** Every active rule a paper matches, with the words that matched. */
export function matchPaper(c: CompiledRules, p: MatchablePaper): RuleHit[] {
  const hits = new Map<number, Set<string>>();
  const add = (rule: number, term: string) => {
    let s = hits.get(rule);
    if (!s) hits.set(rule, (s = new Set()));
    s.add(term);
  };
  wordHits(p.title, c.phrases, add);
  if (p.abstract) wordHits(p.abstract, c.phrases, add);
  if (p.organization) wordHits(p.organization, c.orgs, add);
  if (c.authors.size) {
    for (const a of p.authors ?? []) {
      const n = parseName(a);
      if (!n) continue;
      for (const pat of c.authors.get(n.last) ?? []) {
        if (givenMatch(pat.given, n.given)) add(pat.rule, a);
      }
    }
  }
  if (c.categories.size) {
    for (const cat of p.categories ?? []) {
      const lc = cat.toLowerCase();
      for (const r of c.categories.get(lc) ?? []) add(r, cat);
      // "cs" watches every cs.* category.
      const archive = lc.split('.')[0];
      if (archive && archive !== lc) for (const r of c.categories.get(archive) ?? []) add(r, cat);
    }
  }
  for (const t of p.topics ?? []) for (const r of c.topics.get(t) ?? []) add(r, t);
  return [...hits].map(([i, terms]) => ({ ruleId: c.rules[i]!.id, terms: [...terms] }));
}
