/**
 * What the popup's reading list stands on, kept off the popup's main thread (it runs in the worker
 * lib/readinglist.worker.ts): every saved paper, the full-text index over them (lib/search.ts),
 * and what changes while the popup is open.
 *
 * - Load: one read of the saved papers (newest first); the list gets small rows at once, and the
 *   index is built in slices of a few milliseconds so queries are answered between slices (on the
 *   part indexed so far; the reply says how far indexing got).
 * - Changes: Dexie's `storagemutated` event (the mechanism behind liveQuery, fired in every
 *   same-origin context, the background worker's writes included) names the changed records; only
 *   those are read again, re-indexed and sent as a delta. A change it cannot name (a range delete)
 *   makes it read everything again, and still re-index only what changed.
 */
import { Dexie, type IntervalTree, type ObservabilitySet, type Table } from 'dexie';
import type { PaperRecord, PaperScoutDB } from './db';
import { rowOf, type ListRow } from './readinglist';
import { INDEX_FORMAT, createIndex, loadIndex, searchIds, snippet, type SearchDoc } from './search';

/** Page → store. */
export type ToStore =
  { type: 'query'; seq: number; text: string } | { type: 'snippets'; seq: number; ids: string[] };

/** Store → page. */
export type FromStore =
  | { type: 'rows'; rows: ListRow[] }
  | { type: 'delta'; upsert: ListRow[]; remove: string[] }
  | { type: 'progress'; indexed: number; total: number }
  | {
      type: 'results';
      seq: number;
      text: string;
      /** Matching papers, best first. */
      ids: string[];
      /** Per id, a bit per field of FIELDS that matched. */
      fields: number[];
      /** Every matched word (folded), for highlighting. */
      terms: string[];
      indexed: number;
      total: number;
    }
  | { type: 'snippets'; seq: number; snippets: Record<string, string> }
  | { type: 'saved' }
  | { type: 'error'; message: string };

/** The stored index: MiniSearch's JSON and the `updatedAt` of each paper as it was indexed. */
interface CachedIndex {
  key: 'index';
  format: number;
  json: string;
  versions: [string, number][];
}

/**
 * Where the index is kept between popups: a database of its own (a cache, rebuilt from the papers
 * whenever it is missing or of another format, so the library's schema does not carry it).
 */
export class IndexCacheDB extends Dexie {
  cache!: Table<CachedIndex, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ cache: 'key' });
  }
}

/** The cache's database name for a library database. */
export const cacheName = (dbName: string): string => `${dbName}-search-index`;

/** The index is saved once the store has been idle this long (ms) after a change. */
const SAVE_IDLE_MS = 1_500;

/** Records per read of the saved papers. */
const READ_SLICE = 1_000;

/** Time slice for building the index (ms). */
const SLICE_MS = 10;
/** Progress reports at most this often (ms). */
const PROGRESS_MS = 250;

function docOf(p: PaperRecord): SearchDoc {
  return {
    id: p.id,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    note: p.note,
    tags: p.tags,
    ids: [p.arxivId, p.doi].filter(Boolean).join(' '),
  };
}

function sameText(a: PaperRecord, b: PaperRecord): boolean {
  return (
    a.title === b.title &&
    a.abstract === b.abstract &&
    a.note === b.note &&
    a.arxivId === b.arxivId &&
    a.doi === b.doi &&
    (a.tags ?? []).join('\u0000') === (b.tags ?? []).join('\u0000') &&
    a.authors.join('\u0000') === b.authors.join('\u0000')
  );
}

/**
 * Keys named by a Dexie observability tree: a list of keys, or null when some node is a range
 * (then every record may have changed).
 */
export function changedKeys(tree: IntervalTree | undefined): string[] | null {
  const keys: string[] = [];
  const walk = (n: IntervalTree | null | undefined): boolean => {
    if (!n || !('from' in n)) return true;
    if (n.from !== n.to || typeof n.from !== 'string') return false;
    keys.push(n.from);
    return walk(n.l) && walk(n.r);
  };
  return walk(tree) ? keys : null;
}

/** The reading list's store (see the module comment). */
export class ListStore {
  private records = new Map<string, PaperRecord>();
  private index = createIndex();
  /** Ids in the order they are to be indexed (newest saved first), and how far indexing got. */
  private pending: string[] = [];
  private next = 0;
  private loaded = false;
  private changed = new Set<string>();
  private resync = false;
  private syncing = false;
  private query: { seq: number; text: string } | null = null;
  private terms = new Set<string>();
  private queryScheduled = false;
  private lastProgress = 0;
  private stopped = false;
  private channel?: MessageChannel;
  private readonly part: string;
  /** `updatedAt` of each paper as indexed (what the saved index holds). */
  private versions = new Map<string, number>();
  private dirty = false;
  private saveTimer?: ReturnType<typeof setTimeout>;
  private lastQueryAt = 0;
  private readonly cache: IndexCacheDB;
  private readonly onMutated = (parts: ObservabilitySet) => this.mutated(parts);

  constructor(
    private readonly db: PaperScoutDB,
    private readonly post: (m: FromStore) => void,
  ) {
    this.part = `idb://${db.name}/papers/`;
    this.cache = new IndexCacheDB(cacheName(db.name));
  }

  /** Starts loading and listening for changes. */
  start(): void {
    Dexie.on('storagemutated', this.onMutated);
    this.load().catch((e: unknown) => this.post({ type: 'error', message: String(e) }));
  }

  /** Stops listening (the index is dropped with the store). */
  stop(): void {
    this.stopped = true;
    Dexie.on.storagemutated.unsubscribe(this.onMutated);
    this.channel?.port1.close();
    this.channel?.port2.close();
    clearTimeout(this.saveTimer);
    this.cache.close();
  }

  /** Saves the index now if it changed (normally done when idle). */
  async save(): Promise<void> {
    clearTimeout(this.saveTimer);
    if (!this.dirty || this.stopped) return;
    this.dirty = false;
    const json = JSON.stringify(this.index);
    await this.cache.cache.put({
      key: 'index',
      format: INDEX_FORMAT,
      json,
      versions: [...this.versions],
    });
    this.post({ type: 'saved' });
  }

  /**
   * Saves the index a moment after the last change, once no query came for a while (a save takes
   * the worker about a second at 10,000 papers). After the index is built the wait is short: a
   * popup is often closed within seconds.
   */
  private scheduleSave(soon = false): void {
    clearTimeout(this.saveTimer);
    if (!this.dirty || this.stopped) return;
    this.saveTimer = setTimeout(
      () => {
        const busy =
          this.next < this.pending.length || performance.now() - this.lastQueryAt < SAVE_IDLE_MS;
        if (busy) this.scheduleSave(soon);
        else this.save().catch((e: unknown) => console.warn('Paper Scout: index not saved', e));
      },
      soon ? 100 : SAVE_IDLE_MS,
    );
  }

  private async readCache(): Promise<CachedIndex | undefined> {
    try {
      const c = await this.cache.cache.get('index');
      return c?.format === INDEX_FORMAT ? c : undefined;
    } catch {
      return undefined;
    }
  }

  /** Answers a page's message. */
  handle(m: ToStore): void {
    if (m.type === 'query') {
      this.query = m;
      this.lastQueryAt = performance.now();
      this.scheduleQuery();
    } else {
      const snippets: Record<string, string> = {};
      for (const id of m.ids.slice(0, 200)) {
        const s = snippet(this.records.get(id)?.abstract ?? '', this.terms);
        if (s) snippets[id] = s;
      }
      this.post({ type: 'snippets', seq: m.seq, snippets });
    }
  }

  /** Papers indexed so far (in their current version), and papers in the list. */
  get progress(): { indexed: number; total: number } {
    const total = this.records.size;
    return { indexed: total - (this.pending.length - this.next), total };
  }

  /** Indexes a paper as it is now (replacing an older version). */
  private put(rec: PaperRecord): void {
    if (this.index.has(rec.id)) this.index.replace(docOf(rec));
    else this.index.add(docOf(rec));
    this.versions.set(rec.id, rec.updatedAt);
    this.dirty = true;
  }

  /**
   * Every saved paper, newest first, read in slices of READ_SLICE: one read of 10,000 records
   * holds IndexedDB for seconds, and the popup's own reads (a note to edit) would wait behind it.
   */
  private async readAll(): Promise<PaperRecord[]> {
    const out: PaperRecord[] = [];
    const seen = new Set<string>();
    const add = (r: PaperRecord): number => {
      if (seen.has(r.id)) return 0;
      seen.add(r.id);
      out.push(r);
      return 1;
    };
    let bound = Infinity;
    let inclusive = true;
    for (;;) {
      const range = this.db.papers.where('savedAt');
      const slice = await (inclusive ? range.belowOrEqual(bound) : range.below(bound))
        .reverse()
        .limit(READ_SLICE)
        .toArray();
      let fresh = 0;
      for (const r of slice) fresh += add(r);
      const last = slice.at(-1)?.savedAt;
      if (slice.length < READ_SLICE || last === undefined) return out;
      if (fresh && last !== bound) {
        bound = last;
        inclusive = true;
        continue;
      }
      // A whole slice saved at one moment: that moment's papers in one read, then what is older.
      for (const r of await this.db.papers.where('savedAt').equals(last).toArray()) add(r);
      bound = last;
      inclusive = false;
    }
  }

  private async load(): Promise<void> {
    const all = await this.readAll();
    const cached = await this.readCache();
    if (this.stopped) return;
    for (const r of all) this.records.set(r.id, r);
    this.post({ type: 'rows', rows: all.map(rowOf) });
    if (cached) {
      try {
        this.index = loadIndex(cached.json);
        this.versions = new Map(cached.versions);
      } catch {
        this.index = createIndex();
        this.versions = new Map();
      }
    }
    // What the stored index lacks or holds in an older version is indexed again; papers no longer
    // on the list leave it.
    for (const id of [...this.versions.keys()]) {
      if (this.records.has(id)) continue;
      if (this.index.has(id)) this.index.discard(id);
      this.versions.delete(id);
      this.dirty = true;
    }
    this.pending = all
      .filter((r) => this.versions.get(r.id) !== r.updatedAt || !this.index.has(r.id))
      .map((r) => r.id);
    this.loaded = true;
    this.reportProgress(true);
    this.scheduleQuery();
    this.slice();
    if (this.changed.size || this.resync) void this.sync();
  }

  /** Indexes papers for one time slice, then yields (queries are answered in between). */
  private slice(): void {
    if (this.stopped) return;
    const end = performance.now() + SLICE_MS;
    while (this.next < this.pending.length && performance.now() < end) {
      const id = this.pending[this.next++]!;
      const rec = this.records.get(id);
      if (rec && this.versions.get(id) !== rec.updatedAt) this.put(rec);
    }
    const done = this.next >= this.pending.length;
    if (done) {
      this.pending = [];
      this.next = 0;
    }
    this.reportProgress(done);
    if (done) {
      if (this.query?.text.trim()) this.scheduleQuery();
      else this.warmUp();
      this.scheduleSave(true);
      return;
    }
    this.yieldThen(() => this.slice());
  }

  /**
   * Once, when the index is complete and nobody typed yet: a few searches whose answers are
   * dropped, so the search code is compiled before the first real keystroke (in a fresh worker
   * the first queries took several times as long as later ones). Words of the newest paper's
   * title, typed as a person would (a prefix, then two words).
   */
  private warmUp(): void {
    if (this.warmed) return;
    this.warmed = true;
    setTimeout(() => {
      if (this.stopped || this.query) return;
      const first = this.records.values().next().value;
      const words = (first?.title.match(/\p{L}{4,}/gu) ?? []).slice(0, 2);
      if (!words.length) return;
      const [a, b = a] = words as [string, string?];
      for (const q of [a.slice(0, 3), a, `${a} ${b.slice(0, 3)}`]) searchIds(this.index, q);
    }, 0);
  }
  private warmed = false;

  private yieldThen(fn: () => void): void {
    if (typeof MessageChannel === 'undefined') {
      setTimeout(fn, 0);
      return;
    }
    if (!this.channel) {
      this.channel = new MessageChannel();
      this.channel.port1.onmessage = () => this.afterYield?.();
    }
    this.afterYield = fn;
    this.channel.port2.postMessage(null);
  }
  private afterYield?: () => void;

  private reportProgress(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastProgress < PROGRESS_MS) return;
    this.lastProgress = now;
    this.post({ type: 'progress', ...this.progress });
    // Results so far get better as the index grows: answer the current query again.
    if (!force && this.query?.text.trim()) this.scheduleQuery();
  }

  private scheduleQuery(): void {
    if (this.queryScheduled || !this.loaded) return;
    this.queryScheduled = true;
    // Queued behind messages already waiting, so a burst of keystrokes is answered once.
    setTimeout(() => {
      this.queryScheduled = false;
      this.runQuery();
    }, 0);
  }

  private runQuery(): void {
    const q = this.query;
    if (!q || this.stopped) return;
    const { ids, fields, terms } = searchIds(this.index, q.text);
    this.terms = new Set(terms);
    this.post({ type: 'results', seq: q.seq, text: q.text, ids, fields, terms, ...this.progress });
  }

  private mutated(parts: ObservabilitySet): void {
    if (this.stopped) return;
    const tree = parts[this.part];
    if (!tree) return;
    const keys = changedKeys(tree);
    if (keys === null) this.resync = true;
    else for (const k of keys) this.changed.add(k);
    if (this.loaded) void this.sync();
  }

  /** Applies pending changes, one batch at a time. */
  private async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      while (!this.stopped && (this.resync || this.changed.size)) {
        if (this.resync) {
          this.resync = false;
          this.changed.clear();
          const all = await this.readAll();
          const now = new Set(all.map((r) => r.id));
          const gone = [...this.records.keys()].filter((id) => !now.has(id));
          this.apply([
            ...all.map((r) => [r.id, r] as const),
            ...gone.map((id) => [id, undefined] as const),
          ]);
          continue;
        }
        const ids = [...this.changed];
        this.changed.clear();
        const recs = await this.db.papers.bulkGet(ids);
        this.apply(ids.map((id, i) => [id, recs[i]] as const));
      }
    } catch (e) {
      this.post({ type: 'error', message: String(e) });
    } finally {
      this.syncing = false;
    }
  }

  private apply(list: ReadonlyArray<readonly [string, PaperRecord | undefined]>): void {
    const upsert: ListRow[] = [];
    const remove: string[] = [];
    for (const [id, rec] of list) {
      const old = this.records.get(id);
      if (rec && rec.savedAt !== undefined) {
        if (old && old.updatedAt === rec.updatedAt && sameText(old, rec) && old.state === rec.state)
          continue;
        this.records.set(id, rec);
        const current = old !== undefined && this.versions.get(id) === old.updatedAt;
        if (current && this.index.has(id) && sameText(old, rec)) {
          this.versions.set(id, rec.updatedAt); // same words: the index entry stays
          this.dirty = true;
        } else this.put(rec);
        upsert.push(rowOf(rec));
      } else if (old) {
        this.records.delete(id);
        if (this.index.has(id)) this.index.discard(id);
        this.versions.delete(id);
        this.dirty = true;
        remove.push(id);
      }
    }
    if (!upsert.length && !remove.length) return;
    this.post({ type: 'delta', upsert, remove });
    if (this.query?.text.trim()) this.scheduleQuery();
    this.scheduleSave();
  }
}
