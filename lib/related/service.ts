/**
 * The related-papers index in the background worker: kept up to date as cards are seen and papers
 * saved, persisted so a worker restart loads it instead of re-indexing every paper from text, and
 * asked by the popup ("For you", per tag, similar to a paper) and for the cards' "related" marks.
 *
 * The index's rows live in their own database (`paper-scout-related`): they are derived data,
 * rebuilt from the papers whenever missing or of an older format, so backups, exports and the
 * library's schema migrations never carry them. "Not interested" is the user's choice and lives in
 * the library (settings row `related-dismissed`).
 */
import { Dexie, type Table } from 'dexie';
import type { PaperRecord, PaperScoutDB } from '../db';
import {
  createIndex,
  isCurrent,
  RelatedIndex,
  type PaperText,
  type Recommendation,
  type RelatedMeta,
  type RelatedRow,
  type RelatedSnapshot,
} from './index';

/**
 * The index's own database. `snap` holds a snapshot of the whole index (`RelatedIndex.snapshot()`,
 * a few large arrays: one read on a worker wake instead of a row per paper) and `meta` its options
 * and model; `rows` holds the rows of the papers changed since that snapshot and `dirty` their ids
 * and those of papers removed since (written in one transaction), so a load is the snapshot plus
 * those rows. A store without a snapshot (version 1, or one that could not be stored) has a row
 * for every paper instead.
 */
export class RelatedStore extends Dexie {
  rows!: Table<RelatedRow, string>;
  meta!: Table<{ key: string; value: RelatedMeta }, string>;
  snap!: Table<{ key: string; value: RelatedSnapshot }, string>;
  dirty!: Table<{ id: string }, string>;

  constructor(name = 'paper-scout-related') {
    super(name);
    this.version(1).stores({ rows: 'id', meta: 'key' });
    this.version(2).stores({ rows: 'id', meta: 'key', snap: 'key', dirty: 'id' });
  }
}

/**
 * A new snapshot is written once this many papers changed since the last one (or a tenth of the
 * index, whichever is more): a snapshot costs a few hundred ms at 75k papers, a page a few ms.
 */
export const SNAPSHOT_EVERY = 2_000;
/** …after the worker was this quiet (ms). */
const SNAPSHOT_DELAY_MS = 3_000;

/** Settings key of the papers marked "not interested" (newest last). */
export const DISMISSED_KEY = 'related-dismissed';
/** At most this many "not interested" papers are remembered (the oldest are forgotten). */
export const DISMISSED_MAX = 5_000;
/**
 * A card gets the "related" mark when it is among the closest papers to one of the user's saved
 * papers, in everything they have seen: at least as close to it as that saved paper's
 * `markRank(n)`-th nearest neighbour. Raw scores mean different things in a library of 200 papers
 * (sparse half only: a paper's best neighbour scores ~0.15) and of 75,000 (0.3–0.6,
 * bench/results/related.md), so the bar is a rank, not a score; `MARK_FLOOR` keeps a tiny library
 * from marking papers that share only common words.
 */
export const markRank = (n: number): number => Math.min(200, Math.max(10, Math.round(n / 200)));
/** Below this score a card is never marked, whatever the ranks say. */
export const MARK_FLOOR = 0.08;
/** How strongly a dismissed paper pushes down the suggestions close to it (score − p × sim). */
const DISMISS_PENALTY = 0.5;
/** Papers read per chunk when (re)building: bounded memory, and the worker stays responsive. */
const CHUNK = 2_000;

/** One suggestion as the popup shows it. */
export interface RelatedItem {
  id: string;
  title: string;
  url?: string;
  authors: string[];
  score: number;
  saved: boolean;
  /** The saved papers it is closest to (up to 3). */
  nearest: { id: string; title: string }[];
  /** Tags of those saved papers, most frequent first. */
  tags: string[];
  /** Words and authors it shares with them. */
  terms: string[];
}

/** A card's "related" mark: the saved paper it is closest to. */
export interface RelatedMark {
  id: string;
  nearest: { id: string; title: string };
  score: number;
}

const toText = (p: PaperRecord): PaperText => ({
  id: p.id,
  title: p.title,
  abstract: p.abstract,
  authors: p.authors,
});

const firstUrl = (p: PaperRecord): string | undefined =>
  p.urls.arxiv ?? p.urls.huggingface ?? p.urls.acl ?? p.urls.scholar ?? p.pdfUrl;

const idle = () => new Promise<void>((r) => setTimeout(r, 0));

/** The worker's related-papers service (one per worker). */
export class RelatedService {
  private index: RelatedIndex | null = null;
  private loading: Promise<RelatedIndex> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private snapTimer: ReturnType<typeof setTimeout> | undefined;
  private savedCache: Map<string, PaperRecord> | null = null;
  /** Per saved paper: the score of its `markRank`-th nearest neighbour, at an index size. */
  private bars = new Map<string, { size: number; score: number }>();
  /** Papers changed since the stored snapshot (the `dirty` table's size). */
  private sinceSnapshot = 0;
  /** How the index was last loaded (tests and diagnostics). */
  loadedFrom: 'snapshot' | 'rows' | 'papers' | null = null;

  constructor(
    private readonly db: PaperScoutDB,
    private readonly store = new RelatedStore(),
    /** When a snapshot is written (tests set small values). */
    private readonly snapshots = { every: SNAPSHOT_EVERY, delayMs: SNAPSHOT_DELAY_MS },
  ) {}

  /** The index once loaded (marks are only computed then: they never wait for a load). */
  get loaded(): RelatedIndex | null {
    return this.index;
  }

  /** Loads the index (from its rows, or rebuilt from the papers), once. */
  ready(): Promise<RelatedIndex> {
    this.loading ??= this.serial(() => this.load()).then(
      (i) => (this.index = i),
      (e: unknown) => {
        this.loading = null;
        throw e;
      },
    );
    return this.loading;
  }

  /** Papers were added or changed (cards seen, saved, imported): index them soon, in one batch. */
  changed(ids: Iterable<string>): void {
    for (const id of ids) this.pending.add(id);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.serial(() => this.flush()).catch((e: unknown) =>
        console.warn('Paper Scout: related index update failed', e),
      );
    }, 50);
  }

  /** The saved set changed (save, unsave, tags, import): forget the cached saved papers. */
  savedChanged(): void {
    this.savedCache = null;
  }

  /** Waits until every change noted so far is in the index (tests, and before answering). */
  async settled(): Promise<void> {
    await this.ready();
    if (this.pending.size) await this.serial(() => this.flush());
    await this.queue;
  }

  /** Forgets everything (history cleared, library replaced): rebuilt from the papers when asked. */
  async reset(): Promise<void> {
    await this.serial(async () => {
      this.index = null;
      this.loading = null;
      this.savedCache = null;
      this.bars.clear();
      await this.clearStore();
    });
  }

  /** "For you": seen, unsaved papers closest to the saved library (or to one tag of it). */
  async forYou(tag?: string, k = 30): Promise<{ items: RelatedItem[]; tags: string[] }> {
    await this.settled();
    const index = this.index!;
    const saved = await this.saved();
    const tags = [...new Set([...saved.values()].flatMap((p) => p.tags ?? []))].sort((a, b) =>
      a.localeCompare(b),
    );
    const set = tag
      ? [...saved.values()].filter((p) => p.tags?.includes(tag)).map((p) => p.id)
      : [...saved.keys()];
    if (!set.length) return { items: [], tags };
    const dismissed = await this.dismissed();
    const perTag: Record<string, string[]> = {};
    for (const p of saved.values()) for (const t of p.tags ?? []) (perTag[t] ??= []).push(p.id);
    const rec = index.recommend(set, {
      k,
      perTag: tag ? undefined : perTag,
      exclude: [...saved.keys(), ...dismissed],
      disliked: dismissed,
      penalty: DISMISS_PENALTY,
    });
    return { items: await this.describe(rec.overall, saved), tags };
  }

  /** The papers most similar to one paper (seen or saved), dismissed ones left out. */
  async similar(id: string, k = 20): Promise<RelatedItem[]> {
    await this.settled();
    const index = this.index!;
    const saved = await this.saved();
    const dismissed = await this.dismissed();
    const hits = index.similarTo(id, k, { exclude: dismissed });
    const base = await this.db.papers.get(id);
    return this.describe(
      hits.map((h) => ({
        id: h.id,
        score: h.score,
        nearest: base ? [{ id: base.id, score: h.score }] : [],
        tags: base?.tags ?? [],
      })),
      saved,
      base,
    );
  }

  /** Marks "not interested" (or takes it back). */
  async dismiss(id: string, undo = false): Promise<void> {
    await this.db.transaction('rw', this.db.settings, this.db.papers, async () => {
      const list = await this.dismissedList();
      // Undo takes back the paper under any id it had when dismissed (a record merged since).
      const rec = undo ? await this.db.papers.get(id) : undefined;
      const ids = new Set([id, ...(rec?.aliases ?? [])]);
      const next = list.filter((x) => !ids.has(x));
      if (!undo) next.push(id);
      await this.db.settings.put({ key: DISMISSED_KEY, value: next.slice(-DISMISSED_MAX) });
    });
  }

  /**
   * The "related" marks of a page's cards: for each card close enough to a saved paper, that
   * paper. Indexes the cards first (from their records), so a page seen for the first time gets
   * its marks too. Saved cards get none (they are the library).
   */
  async marks(ids: string[]): Promise<RelatedMark[]> {
    // Nothing saved, nothing to be close to: no index load at all.
    if (!(await this.saved()).size) return [];
    const index = await this.ready();
    await this.serial(() => this.flush());
    const saved = await this.saved();
    const want = [...new Set(ids)].filter((id) => !saved.has(id) && index.has(id));
    if (!want.length) return [];
    const closest = index.closest(want, [...saved.keys()]);
    const size = index.allIds().length;
    const rank = markRank(size);
    const out: RelatedMark[] = [];
    closest.forEach((c, i) => {
      const p = c && saved.get(c.id);
      if (!c || !p || c.score < MARK_FLOOR) return;
      // The saved paper's bar, computed once per index size band (a 10% growth recomputes it).
      let bar = this.bars.get(p.id);
      if (!bar || size > bar.size * 1.1 || size < bar.size * 0.9) {
        const near = index.similarTo(p.id, rank);
        bar = { size, score: near.length >= rank ? near[near.length - 1]!.score : 0 };
        this.bars.set(p.id, bar);
      }
      if (c.score >= bar.score)
        out.push({ id: want[i]!, nearest: { id: p.id, title: p.title }, score: c.score });
    });
    return out;
  }

  // --- internals -------------------------------------------------------------------------------

  /** Runs index mutations one at a time. */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const p = this.queue.then(f);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async saved(): Promise<Map<string, PaperRecord>> {
    if (!this.savedCache) {
      const list = await this.db.papers.where('savedAt').above(0).toArray();
      this.savedCache = new Map(list.map((p) => [p.id, p]));
    }
    return this.savedCache;
  }

  private async dismissedList(): Promise<string[]> {
    const v = (await this.db.settings.get(DISMISSED_KEY))?.value;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  /**
   * The dismissed papers under their current ids too: a paper dismissed under a provisional id
   * (seen on Scholar) that later merged into its arXiv record carries the old id as an alias.
   */
  private async dismissed(): Promise<string[]> {
    const list = await this.dismissedList();
    if (!list.length) return list;
    const moved = await this.db.papers.where('aliases').anyOf(list).primaryKeys();
    return [...new Set([...list, ...(moved as string[])])];
  }

  private async load(): Promise<RelatedIndex> {
    const meta = (await this.store.meta.get('meta'))?.value;
    if (meta && isCurrent(meta)) {
      const snap = (await this.store.snap.get('index'))?.value;
      // With a snapshot the rows are only the changes since it: it loads, or the index is rebuilt.
      const index = snap ? await this.fromSnapshot(snap) : await this.fromRows(meta);
      if (index) {
        if ((await this.catchUp(index)) || this.loadedFrom === 'rows') await this.checkpoint(index);
        return index;
      }
    }
    this.loadedFrom = 'papers';
    return this.rebuild();
  }

  /** A snapshot plus the rows changed since it, or null (damaged, outdated). */
  private async fromSnapshot(snap: RelatedSnapshot): Promise<RelatedIndex | null> {
    const index = isCurrent(snap) ? RelatedIndex.fromSnapshot(snap) : null;
    if (!index) return null;
    const ids = (await this.store.dirty.toCollection().primaryKeys()) as string[];
    const rows = await this.store.rows.bulkGet(ids);
    const back = rows.filter((r): r is RelatedRow => !!r);
    const gone = ids.filter((_, i) => !rows[i]);
    if (gone.length) index.removePapers(gone);
    // Rows embedded by a newer model than the snapshot's (a refit whose snapshot failed) are
    // re-embedded with the snapshot's.
    if (back.length)
      index.addVectors(
        back.map((r) => ({
          id: r.id,
          v: { keys: r.keys, tf: r.tf },
          emb: r.emb,
          embScale: r.scale,
          embVersion: r.ver,
        })),
      );
    this.sinceSnapshot = ids.length;
    this.loadedFrom = 'snapshot';
    return index;
  }

  /** The index from a full set of rows (a store written before snapshots, or one never taken). */
  private async fromRows(meta: RelatedMeta): Promise<RelatedIndex | null> {
    const index = RelatedIndex.fromRows(meta, await this.store.rows.toArray());
    if (index) this.loadedFrom = 'rows';
    return index;
  }

  /**
   * Stores a snapshot of the whole index; the rows and the journal of changes it now holds are
   * cleared in the same transaction (the snapshot replaces them: the store stays one index in
   * size). False when it could not be stored: then nothing changed.
   */
  private async checkpoint(index: RelatedIndex): Promise<boolean> {
    const { store } = this;
    try {
      const snap = index.snapshot();
      await store.transaction('rw', [store.snap, store.dirty, store.rows, store.meta], async () => {
        await store.snap.put({ key: 'index', value: snap });
        await store.meta.put({ key: 'meta', value: index.meta() });
        await store.dirty.clear();
        await store.rows.clear();
      });
      this.sinceSnapshot = 0;
      return true;
    } catch (e) {
      // E.g. a value over the browser's size limit or a full disk: the transaction wrote nothing,
      // the previous snapshot (or full rows) and the journal still load correctly.
      console.warn('Paper Scout: related snapshot not stored', e);
      return false;
    }
  }

  /** Writes changed rows (and removes gone ones), noting them as changed since the snapshot. */
  private async writeRows(index: RelatedIndex, added: string[], removed: string[]): Promise<void> {
    if (!added.length && !removed.length) return;
    const rows = index.rowsFor(added);
    const { store } = this;
    await store.transaction('rw', store.rows, store.dirty, async () => {
      if (rows.length) await store.rows.bulkPut(rows);
      if (removed.length) await store.rows.bulkDelete(removed);
      await store.dirty.bulkPut([...added, ...removed].map((id) => ({ id })));
    });
    this.sinceSnapshot += added.length + removed.length;
  }

  private async clearStore(): Promise<void> {
    const { store } = this;
    await store.transaction('rw', [store.rows, store.meta, store.snap, store.dirty], async () => {
      await Promise.all([
        store.rows.clear(),
        store.meta.clear(),
        store.snap.clear(),
        store.dirty.clear(),
      ]);
    });
    this.sinceSnapshot = 0;
  }

  /** Indexes every paper from its text, in chunks, and stores a snapshot of it. */
  private async rebuild(): Promise<RelatedIndex> {
    const index = createIndex();
    await this.clearStore();
    let last: string | undefined;
    for (;;) {
      const from =
        last === undefined
          ? this.db.papers.toCollection()
          : this.db.papers.where(':id').above(last);
      const chunk = await from.limit(CHUNK).toArray();
      if (!chunk.length) break;
      last = chunk[chunk.length - 1]!.id;
      index.addPapers(chunk.map(toText));
      await idle();
    }
    if (index.needsRefit()) await index.refitAsync();
    if (!(await this.checkpoint(index))) {
      // No snapshot: the full rows then (loaded by `fromRows` on the next wake).
      await this.store.rows.bulkPut(index.allRows());
      await this.store.meta.put({ key: 'meta', value: index.meta() });
    }
    return index;
  }

  /**
   * A loaded index missing papers (written while no worker indexed them) or holding gone ones.
   * True when it changed anything.
   */
  private async catchUp(index: RelatedIndex): Promise<boolean> {
    const ids = (await this.db.papers.toCollection().primaryKeys()) as string[];
    const have = new Set(ids);
    const gone = index.allIds().filter((id) => !have.has(id));
    const missing = ids.filter((id) => !index.has(id));
    if (gone.length) await this.writeRows(index, [], index.removePapers(gone));
    for (let i = 0; i < missing.length; i += CHUNK) {
      const recs = await this.db.papers.bulkGet(missing.slice(i, i + CHUNK));
      const added = index.addPapers(recs.filter((r): r is PaperRecord => !!r).map(toText));
      await this.writeRows(index, added, []);
      await idle();
    }
    const refitted = await this.refit(index);
    return refitted || gone.length > 0 || missing.length > 0;
  }

  /** Indexes the papers noted as changed. */
  private async flush(): Promise<void> {
    const index = this.index ?? (await this.loading);
    if (!index || !this.pending.size) return;
    const ids = [...this.pending];
    this.pending.clear();
    const recs = await this.db.papers.bulkGet(ids);
    const present = recs.filter((r): r is PaperRecord => !!r);
    const gone = ids.filter((_, i) => !recs[i]);
    // A saved paper can change its id without a save (a card revealed its arXiv id and its
    // provisional record merged into it): the cached saved set must not miss it.
    const cache = this.savedCache;
    if (cache && present.some((p) => (p.savedAt !== undefined) !== cache.has(p.id)))
      this.savedCache = null;
    const added = index.addPapers(present.map(toText));
    const removed = gone.length ? index.removePapers(gone) : [];
    await this.writeRows(index, added, removed);
    index.maintain();
    if (!(await this.refit(index)) && this.snapshotDue(index)) this.checkpointSoon();
  }

  private snapshotDue(index: RelatedIndex): boolean {
    return this.sinceSnapshot >= Math.max(this.snapshots.every, index.size / 10);
  }

  /**
   * A snapshot once the worker has been quiet for a while (a page's marks never wait
   * for the 50 MB write; a worker stopped before it loses nothing: the dirty rows are kept).
   */
  private checkpointSoon(): void {
    clearTimeout(this.snapTimer);
    this.snapTimer = setTimeout(() => {
      this.snapTimer = undefined;
      void this.serial(async () => {
        const index = this.index;
        if (index && !this.pending.size && this.snapshotDue(index)) await this.checkpoint(index);
      }).catch((e: unknown) => console.warn('Paper Scout: related snapshot failed', e));
    }, this.snapshots.delayMs);
  }

  /**
   * Fits (or refits) the dense half when the index has grown enough and stores a snapshot (the new
   * model and every re-embedded paper). True when it refitted.
   */
  private async refit(index: RelatedIndex): Promise<boolean> {
    if (!index.needsRefit() || !(await index.refitAsync())) return false;
    // Every embedding changed: the snapshot carries them (and the model). Without one (it could
    // not be stored) the stored rows keep their older embeddings, re-embedded when loaded.
    await this.checkpoint(index);
    return true;
  }

  /** Suggestions with titles, reasons and shared terms, for the popup. */
  private async describe(
    recs: Pick<Recommendation, 'id' | 'score' | 'nearest' | 'tags'>[],
    saved: Map<string, PaperRecord>,
    base?: PaperRecord,
  ): Promise<RelatedItem[]> {
    const index = this.index!;
    const papers = await this.db.papers.bulkGet(recs.map((r) => r.id));
    const out: RelatedItem[] = [];
    recs.forEach((r, i) => {
      const p = papers[i];
      if (!p) return; // merged away or pruned since it was indexed
      const nearest = r.nearest
        .map((n) => (base && n.id === base.id ? base : saved.get(n.id)))
        .filter((x): x is PaperRecord => !!x);
      const terms = nearest.length
        ? index.explain(toText(p), nearest.map(toText), 5).map((t) => t.term)
        : [];
      out.push({
        id: p.id,
        title: p.title,
        url: firstUrl(p),
        authors: p.authors.slice(0, 4),
        score: r.score,
        saved: p.savedAt !== undefined,
        nearest: nearest.map((n) => ({ id: n.id, title: n.title })),
        tags: r.tags,
        terms,
      });
    });
    return out;
  }
}
