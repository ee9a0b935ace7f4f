/**
 * The reading list's data in the popup: the first rows straight from IndexedDB (the newest saved
 * papers by the `savedAt` index, a few milliseconds, lib/firstrows.ts), then every saved paper as
 * small rows from the list worker (lib/readinglist.worker.ts), which also indexes them for search
 * and sends what changes in any tab or the background while the popup is open (a change made
 * between the first read and the worker's is in the worker's read).
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { readFirstRecords } from '../../lib/firstrows';
import type { PaperRecord } from '../../lib/db';
import type { FromStore, ToStore } from '../../lib/liststore';
import { rowOf, type ListRow } from '../../lib/readinglist';

/** User-timing marks (bench/readinglist.mjs): every row arrived; every row indexed. */
export const MARK_LIST_LOADED = 'paper-scout:list-loaded';
export const MARK_LIST_INDEXED = 'paper-scout:list-indexed';
/** The first page was read; the search index was saved for the next popup. */
export const MARK_FIRST_PAGE = 'paper-scout:first-page';
export const MARK_INDEX_SAVED = 'paper-scout:index-saved';

/** Rows read directly for the first paint (more than fit in the popup: 4 show, 6 render). */
export const FIRST_PAGE = 24;

let prefetched: Promise<PaperRecord[] | null> | undefined;

/**
 * Starts reading the first rows before the popup's first render (entrypoints/popup/main.tsx): the
 * read waits on the database process, the render does not need it. The next reading list to
 * mount takes it; any later one reads again.
 */
export function prefetchFirstRows(): void {
  prefetched ??= readFirstRecords(FIRST_PAGE);
}

/** Search results for one query. */
export interface Results {
  seq: number;
  text: string;
  ids: string[];
  /** Field bits per id (see `fieldBit`). */
  fields: Map<string, number>;
  terms: Set<string>;
}

/** What the list knows at a moment. */
export interface ListData {
  /** Rows by id. */
  rows: Map<string, ListRow>;
  /** Ids, newest saved first. */
  order: string[];
  /** Every saved paper is in `rows` (false while only the first page is). */
  full: boolean;
  /** Saved papers in all (known before `full` from a count). */
  total?: number;
  /** Papers indexed for search so far. */
  indexed: number;
  results?: Results;
  snippets: Map<string, string>;
  error?: string;
  /** Bumped on every change (rows are updated in place). */
  version: number;
  /** Bumped when rows change (not for search results, progress or excerpts). */
  rowsVersion: number;
}

interface Port {
  post(m: ToStore): void;
  stop(): void;
}

/** Starts the list worker (or, where workers fail, the same store on this thread). */
function connect(onMessage: (m: FromStore) => void): Port {
  let inThread: Port | undefined;
  const queue: ToStore[] = [];
  const fallback = () => {
    void Promise.all([import('../../lib/liststore'), import('../../lib/db')]).then(([l, db]) => {
      const store = new l.ListStore(db.getDb(), onMessage);
      store.start();
      inThread = { post: (m) => store.handle(m), stop: () => store.stop() };
      for (const m of queue.splice(0)) store.handle(m);
    });
  };
  try {
    const worker = new Worker(new URL('../../lib/readinglist.worker.ts', import.meta.url), {
      type: 'module',
    });
    worker.onmessage = (e: MessageEvent<FromStore>) => onMessage(e.data);
    worker.onerror = (e) => {
      console.warn('Paper Scout: list worker failed, running in the page', e.message);
      worker.terminate();
      if (!inThread) fallback();
    };
    return {
      post: (m) => (inThread ? inThread.post(m) : worker.postMessage(m)),
      stop: () => {
        worker.terminate();
        inThread?.stop();
      },
    };
  } catch {
    fallback();
    return {
      post: (m) => (inThread ? inThread.post(m) : queue.push(m)),
      stop: () => inThread?.stop(),
    };
  }
}

/** The list's data, and a way to ask the store (queries, snippets). */
export function useListStore(): {
  data: ListData;
  ask(m: ToStore): void;
  patch(row: ListRow): void;
} {
  const data = useRef<ListData>({
    rows: new Map(),
    order: [],
    full: false,
    indexed: 0,
    snippets: new Map(),
    version: 0,
    rowsVersion: 0,
  });
  const [, setVersion] = useState(0);
  const port = useRef<Port>();
  const waiting = useRef<ToStore[]>([]);
  const bump = (rows = false) => {
    const d = data.current;
    data.current = { ...d, version: d.version + 1, rowsVersion: d.rowsVersion + (rows ? 1 : 0) };
    setVersion(data.current.version);
  };

  // A layout effect, not an effect: the first read starts before the first paint, not after it.
  useLayoutEffect(() => {
    let started = false;
    let stopped = false;
    const onMessage = (m: FromStore) => handle(m);
    // The worker starts once the first rows are painted: its big read must not delay them.
    const startWorker = () => {
      if (started || stopped) return;
      started = true;
      port.current = connect(onMessage);
      for (const m of waiting.current.splice(0)) port.current.post(m);
    };
    const fallbackStart = setTimeout(startWorker, 300);
    // First rows. No count here: counting 10,000 index entries costs more than reading the first
    // 40 records.
    const read = prefetched ?? readFirstRecords(FIRST_PAGE);
    prefetched = undefined;
    void read.then((recs) => {
      if (stopped || data.current.full) return;
      if (!recs) {
        // Nothing to read this way (no database yet): the worker opens it.
        startWorker();
        return;
      }
      const rows = recs.map(rowOf);
      data.current.rows = new Map(rows.map((r) => [r.id, r]));
      data.current.order = rows.map((r) => r.id);
      data.current.total = rows.length < FIRST_PAGE ? rows.length : undefined;
      performance.mark(MARK_FIRST_PAGE, { detail: rows.length });
      bump(true);
      requestAnimationFrame(() => setTimeout(startWorker, 0));
    });

    const handle = (m: FromStore) => {
      const d = data.current;
      switch (m.type) {
        case 'rows':
          d.rows = new Map(m.rows.map((r) => [r.id, r]));
          d.order = m.rows.map((r) => r.id);
          d.full = true;
          d.total = m.rows.length;
          performance.mark(MARK_LIST_LOADED, { detail: m.rows.length });
          break;
        case 'delta': {
          d.rows = new Map(d.rows);
          for (const id of m.remove) d.rows.delete(id);
          let reorder = m.remove.length > 0;
          for (const r of m.upsert) {
            const old = d.rows.get(r.id);
            if (!old || old.savedAt !== r.savedAt) reorder = true;
            d.rows.set(r.id, r);
          }
          if (reorder) {
            d.order = [...d.rows.values()].sort((a, b) => b.savedAt - a.savedAt).map((r) => r.id);
          }
          d.total = d.rows.size;
          break;
        }
        case 'progress':
          d.indexed = m.indexed;
          if (m.indexed >= m.total && !performance.getEntriesByName(MARK_LIST_INDEXED).length)
            performance.mark(MARK_LIST_INDEXED, { detail: m.indexed });
          break;
        case 'results': {
          performance.mark('paper-scout:search-results', { detail: m.seq });
          const fields = new Map<string, number>();
          m.ids.forEach((id, i) => fields.set(id, m.fields[i] ?? 0));
          const termsChanged =
            !d.results ||
            d.results.terms.size !== m.terms.length ||
            m.terms.some((t) => !d.results?.terms.has(t));
          if (termsChanged) d.snippets = new Map();
          d.results = { seq: m.seq, text: m.text, ids: m.ids, fields, terms: new Set(m.terms) };
          d.indexed = m.indexed;
          break;
        }
        case 'snippets':
          if (d.results?.seq !== m.seq) return;
          d.snippets = new Map([...d.snippets, ...Object.entries(m.snippets)]);
          break;
        case 'saved':
          performance.mark(MARK_INDEX_SAVED);
          return;
        case 'error':
          d.error = m.message;
          break;
      }
      bump(m.type === 'rows' || m.type === 'delta');
    };
    return () => {
      stopped = true;
      clearTimeout(fallbackStart);
      port.current?.stop();
    };
  }, []);

  return {
    data: data.current,
    ask: (m) => (port.current ? port.current.post(m) : void waiting.current.push(m)),
    /** Shows a change at once (the store's delta confirms it a moment later). */
    patch: (row) => {
      data.current.rows = new Map(data.current.rows).set(row.id, row);
      bump(true);
    },
  };
}
