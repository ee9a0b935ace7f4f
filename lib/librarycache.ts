/**
 * The worker's memory of recently seen papers and sightings, so recording a page of known papers
 * reads nothing from IndexedDB (a 1,000-card listing seen again: 2,000 gets were most of its
 * cost). Lives as long as the worker; a worker woken again starts empty and reads as before.
 *
 * It is never a second source of truth: an entry is only used inside `recordCards`' read-write
 * transaction once that transaction is active (IndexedDB then runs it alone over the papers and
 * sightings, so every earlier write is committed), and every write to those tables made by any
 * other transaction of this database (saving, notes, import, pruning, clearing …) removes what it
 * touches, when it is issued and again when it ends, through a Dexie middleware (lib/db.ts). A
 * key written by a transaction that has not ended yet is "dirty": never filled in until it ends.
 * Entries are filled in only after `recordCards`' own transaction committed, with what it stored.
 */
import type { PaperRecord, PaperScoutDB, SightingRecord, WriteListener } from './db';

/** Most records kept (the most recently used stay; ~2 KB each: at most ~12 MB). */
const MAX_PAPERS = 6_000;
const MAX_SIGHTINGS = 12_000;

/** A sighting's key in the cache. */
export const sightingKey = (paperId: string, url: string): string => `${paperId}\u0000${url}`;

/** A bounded map that forgets the least recently used entry first (Map keeps insertion order). */
class Lru<V> {
  private map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }
  delete(k: string): void {
    this.map.delete(k);
  }
  clear(): void {
    this.map.clear();
  }
  get size(): number {
    return this.map.size;
  }
}

/** Known papers (by id) and sightings (by paper and URL) of one database. */
export class LibraryCache {
  readonly papers = new Lru<PaperRecord>(MAX_PAPERS);
  readonly sightings = new Lru<SightingRecord>(MAX_SIGHTINGS);
  /** Keys written by transactions still running (count per key), per table. */
  private dirty = { papers: new Map<string, number>(), sightings: new Map<string, number>() };
  /** Range writes (clear, deletes by query) still running: nothing is filled in meanwhile. */
  private dirtyAll = 0;
  /** `recordCards`' own transactions: their writes are filled in by it, after commit. */
  readonly own = new WeakSet<object>();

  /** The middleware's report of a write issued by `trans` (`keys` null: a range). */
  readonly onWrite: WriteListener = (table, keys, trans) => {
    if (this.own.has(trans)) return;
    const cache = table === 'papers' ? this.papers : this.sightings;
    const dirty = this.dirty[table];
    if (keys === null) {
      this.dirtyAll++;
      cache.clear();
    } else
      for (const k of keys) {
        cache.delete(k);
        dirty.set(k, (dirty.get(k) ?? 0) + 1);
      }
    return () => {
      if (keys === null) {
        this.dirtyAll--;
        cache.clear();
        return;
      }
      for (const k of keys) {
        cache.delete(k);
        const n = (dirty.get(k) ?? 1) - 1;
        if (n > 0) dirty.set(k, n);
        else dirty.delete(k);
      }
    };
  };

  /** Fills in what a committed `recordCards` stored (or read), except keys written meanwhile. */
  fill(papers: Iterable<PaperRecord>, sightings: Iterable<SightingRecord>): void {
    if (this.dirtyAll) return;
    for (const p of papers) if (!this.dirty.papers.has(p.id)) this.papers.set(p.id, p);
    for (const s of sightings) {
      const k = sightingKey(s.paperId, s.url);
      if (!this.dirty.sightings.has(k)) this.sightings.set(k, s);
    }
  }

  /** Forgets everything (a transaction of ours failed, or papers merged). */
  clear(): void {
    this.papers.clear();
    this.sightings.clear();
  }
}

const caches = new WeakMap<PaperScoutDB, LibraryCache>();

/** The cache of a database (made, and subscribed to its writes, on first use). */
export function libraryCache(db: PaperScoutDB): LibraryCache {
  let c = caches.get(db);
  if (!c) {
    c = new LibraryCache();
    db.writeListeners.add(c.onWrite);
    caches.set(db, c);
  }
  return c;
}
