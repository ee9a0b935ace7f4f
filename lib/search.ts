/**
 * Full-text search over the reading list: titles, abstracts, authors, notes and tags.
 *
 * Library: MiniSearch (https://lucaong.github.io/minisearch/). Chosen over FlexSearch and Orama
 * because it is small (about 7 KB gzipped, no dependencies), typed, and well kept; because it
 * updates documents one at a time (`discard` + `add`), which a list that changes while it is open
 * needs; because it searches synchronously with per-query prefix and field boosts; and because
 * every result says which *document terms* matched, which is exactly what highlighting the matched
 * words needs. Measured on 10,000 arXiv papers (title + abstract + authors) on this project's
 * 2-core machine, all three index in seconds (FlexSearch's "strict" mode fastest, but its
 * prefix-capable "forward" mode slowest, Orama between), and MiniSearch answers a typed query in a
 * few milliseconds; so the index is built once per popup in a worker (lib/readinglist.worker.ts)
 * and the first rows never wait for it.
 *
 * Words are runs of letters, digits and combining marks; they are compared folded (accents and
 * case removed), and a handful of English stop words are not indexed. Highlighting re-tokenizes a
 * text the same way and marks the words whose folded form matched, so it agrees with the index.
 */
import MiniSearch from 'minisearch';
import type { Query } from 'minisearch';
import {
  FIELDS,
  PIECE,
  closedUp,
  fieldBit,
  indexTokens,
  processTerm,
  tokenize,
  type Field,
} from './searchtext';

export * from './searchtext';

/** What the index holds for one paper. */
export interface SearchDoc {
  id: string;
  title: string;
  abstract?: string;
  authors: readonly string[];
  note?: string;
  tags?: readonly string[];
  /** The paper's arXiv id and DOI, space-separated (found when typed or pasted). */
  ids?: string;
}

const BOOST: Record<Field, number> = {
  title: 3,
  tags: 3,
  note: 2,
  authors: 2,
  abstract: 1,
  ids: 3,
};

function fieldText(doc: SearchDoc, field: string): string {
  switch (field as Field) {
    case 'authors':
      return doc.authors.join(' ');
    case 'tags':
      return doc.tags?.join(' ') ?? '';
    case 'title':
      return doc.title;
    case 'abstract':
      return doc.abstract ?? '';
    case 'note':
      return doc.note ?? '';
    case 'ids':
      return doc.ids ?? '';
  }
}

/** How the index is made; a stored index (lib/liststore.ts) is loaded with the same options. */
const OPTIONS = {
  idField: 'id',
  fields: [...FIELDS],
  storeFields: [],
  extractField: (doc: SearchDoc, field: string) =>
    field === 'id' ? doc.id : fieldText(doc, field),
  tokenize: indexTokens,
  processTerm,
  searchOptions: { tokenize },
};

/**
 * Version of what the index holds and how; a stored index of another version is not used.
 * 2: ł, ø, ß, ı … are folded to l, o, ss, i; hyphenated words are indexed closed up too
 * ("pretraining"); arXiv ids and DOIs are indexed (a stored index of format 1 has none of these).
 */
export const INDEX_FORMAT = 2;

/** A new, empty index. */
export function createIndex(): MiniSearch<SearchDoc> {
  return new MiniSearch<SearchDoc>(OPTIONS);
}

/** An index saved with `JSON.stringify(index)` (several times faster than indexing again). */
export function loadIndex(json: string): MiniSearch<SearchDoc> {
  return MiniSearch.loadJSON<SearchDoc>(json, OPTIONS);
}

/** A search hit: the paper, its score, the document words that matched and where. */
export interface Hit {
  id: string;
  score: number;
  /** Matched words (folded), for highlighting. */
  terms: string[];
  /** Fields with a match. */
  fields: Field[];
}

/**
 * An id as people paste it: an arXiv or DOI address, an `arXiv:` or `doi:` prefix, or an arXiv
 * version suffix, none of which the indexed id has.
 */
const ID_PREFIX =
  /(?:https?:\/\/(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf)\/|(?:dx\.)?doi\.org\/)|\b(?:arxiv|doi):\s*)/gi;
const ARXIV_VERSION = /\b(\d{4}\.\d{4,5})v\d+\b/g;

/** MiniSearch's answer to a query as the reading list means it (see `search`). */
function rawSearch(index: MiniSearch<SearchDoc>, text: string) {
  const query = text.replace(ID_PREFIX, ' ').replace(ARXIV_VERSION, '$1');
  if (!query.trim()) return [];
  const typing = !/\s$/.test(query);
  // One sub-query per piece of the query; a hyphenated one ("fine-tuning") matches its words, or
  // its closed spelling ("finetuning", which a text's hyphenated words are indexed by too).
  const pieces = (query.match(PIECE) ?? [])
    .map((p) => ({ words: tokenize(p).filter((w) => processTerm(w)), closed: closedUp(p) }))
    .filter((p) => p.words.length);
  const queries = pieces.map(({ words, closed }, k): Query => {
    const last = typing && k === pieces.length - 1;
    // AND said here too: a sub-query takes its parent's combineWith, and the OR below would
    // let "fine-tuning" match any paper with "fine" or with "tuning".
    const asTyped: Query = {
      combineWith: 'AND',
      queries: [words.join(' ')],
      prefix: (term, i, terms) => last && i === terms.length - 1 && term.length >= MIN_PREFIX,
    };
    if (words.length < 2 || !processTerm(closed)) return asTyped;
    const asClosed: Query = { queries: [closed], prefix: last };
    return { combineWith: 'OR', queries: [asTyped, asClosed] };
  });
  if (!queries.length) return [];
  return index.search({ combineWith: 'AND', queries }, { boost: BOOST });
}

/** `search`'s answer as the popup gets it: ids, matched fields as bits, every matched word. */
export interface IdResults {
  /** Matching papers, best first. */
  ids: string[];
  /** Per id, a bit per field (`fieldBit`) that matched. */
  fields: number[];
  /** Every matched word (folded), for highlighting. */
  terms: string[];
}

/**
 * The same search as `search`, answered as flat arrays in one pass (no object per hit): it runs
 * on every keystroke, and thousands of hits are common while the first letters are typed.
 */
export function searchIds(index: MiniSearch<SearchDoc>, query: string): IdResults {
  const results = rawSearch(index, query);
  const ids: string[] = new Array<string>(results.length);
  const fields: number[] = new Array<number>(results.length);
  const terms = new Set<string>();
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    ids[i] = String(r.id);
    let bits = 0;
    for (const term in r.match) {
      terms.add(term);
      for (const f of r.match[term]!) bits |= fieldBit(f as Field);
    }
    fields[i] = bits;
  }
  return { ids, fields, terms: [...terms] };
}

/**
 * Prefix matching starts at this many letters: a 2-letter prefix expands to thousands of words
 * (at 10,000 abstracts, "di" costs several times what "dif" does), and is matched as a word.
 */
const MIN_PREFIX = 3;

/**
 * Searches as the user types: every word must match (AND), and the word being typed (the last
 * one, when the query does not end with a space) matches as a prefix.
 */
export function search(index: MiniSearch<SearchDoc>, query: string): Hit[] {
  return rawSearch(index, query).map((r) => {
    const fields = new Set<Field>();
    for (const fs of Object.values(r.match)) for (const f of fs) fields.add(f as Field);
    return { id: String(r.id), score: r.score, terms: r.terms, fields: [...fields] };
  });
}
