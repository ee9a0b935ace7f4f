/**
 * Setup shared by the library's tests (tests/unit/library-*.test.ts): a fresh database on
 * fake-indexeddb, the pages cards are seen on, a paper saved with a note as a user saves one, and
 * the keys (id and aliases) each stored record answers to.
 */
import 'fake-indexeddb/auto';
import { PaperScoutDB, type PaperRecord } from '../../../lib/db';
import { setSaved } from '../../../lib/library';
import type { PageInfo, WireCandidate } from '../../../lib/messages';
import type { SiteId } from '../../../lib/paper';
import { annotate, type Annotation } from '../../../lib/readinglist';

let n = 0;
/** A new, empty, open database named after `prefix` (each call its own: no test sees another's). */
export async function openDb(prefix: string): Promise<PaperScoutDB> {
  const db = new PaperScoutDB(`${prefix}-${n++}`);
  await db.open();
  return db;
}

/** The pages the library tests' cards are seen on, each with its own page load. */
export const PAGES = {
  /** An ACL Anthology event listing. */
  acl: {
    url: 'https://aclanthology.org/events/acl-2024/',
    site: 'acl',
    kind: 'event',
    listing: true,
    loadId: 'e1',
  },
  /** A Google Scholar results page. */
  scholar: {
    url: 'https://scholar.google.com/scholar?q=x',
    site: 'scholar',
    kind: 'results',
    listing: true,
    loadId: 's1',
  },
  /** Hugging Face's daily papers. */
  huggingface: {
    url: 'https://huggingface.co/papers',
    site: 'huggingface',
    kind: 'daily',
    listing: true,
    loadId: 'h1',
  },
  /** An arXiv /new listing. */
  arxivNew: {
    url: 'https://arxiv.org/list/cs.LG/new',
    site: 'arxiv',
    kind: 'list-new',
    listing: true,
    loadId: 'first',
  },
  /** One arXiv abstract page (not a listing). */
  arxivAbs: {
    url: 'https://arxiv.org/abs/2401.00001',
    site: 'arxiv',
    kind: 'abs',
    listing: false,
    loadId: 'a1',
  },
} as const satisfies Record<string, PageInfo>;

/** An arXiv listing card as the adapter reads it (`i` makes its id and title its own). */
export const listingCard = (i: number): WireCandidate => ({
  arxivId: `2401.${String(i).padStart(5, '0')}`,
  version: 2,
  url: `https://arxiv.org/abs/2401.${String(i).padStart(5, '0')}`,
  pdfUrl: `https://arxiv.org/pdf/2401.${String(i).padStart(5, '0')}`,
  title: `Sparse Attention for Long Documents, Part ${i}`,
  authors: ['Ada Lovelace', 'Alan Turing'],
  abstract: 'We study sparse attention over long documents with transformers.',
  categories: ['cs.LG', 'cs.CL'],
  comments: 3,
  section: 'new',
});

/**
 * `card` saved from `site` at time `at`, then given `notes` (note, tags, reading state) 100 ms
 * later, as a user saves a paper and then writes about it. The annotated record.
 */
export async function saveWithNote(
  db: PaperScoutDB,
  card: WireCandidate,
  site: SiteId,
  at: number,
  notes: Annotation,
): Promise<PaperRecord> {
  const p = await setSaved(db, card, site, true, at);
  await annotate(db, p.id, notes, at + 100);
  return p;
}

/** Every stored record's keys (its id, then its aliases), by record id. */
export async function recordKeys(db: PaperScoutDB): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const p of await db.papers.toArray()) out[p.id] = [p.id, ...p.aliases];
  return out;
}

/** The keys that name more than one stored record (a broken library: none may). */
export async function sharedKeys(db: PaperScoutDB): Promise<string[]> {
  const owners = new Map<string, number>();
  for (const keys of Object.values(await recordKeys(db)))
    for (const k of new Set(keys)) owners.set(k, (owners.get(k) ?? 0) + 1);
  return [...owners].filter(([, count]) => count > 1).map(([k]) => k);
}
