/**
 * The popup's first screenful of the reading list, read straight from IndexedDB: the newest saved
 * papers by the `savedAt` index, a few dozen records, with no database library. Dexie (about
 * 100 KB of script) then loads after the first rows are painted, for everything else; the list
 * worker (lib/liststore.ts) reads every saved paper and follows changes.
 *
 * It only ever reads, and never creates or upgrades the database: when the database, its
 * `papers` store or the `savedAt` index is not there (a first run, before the background worker
 * made it), the answer is null and the popup waits for the worker, which opens the database
 * through Dexie and its schema (lib/db.ts).
 */
import type { PaperRecord } from './db';

/** The library database's name (lib/db.ts `PaperScoutDB`'s default; a unit test checks it). */
export const LIBRARY_DB = 'paper-scout';

/** `IDBIndex.getAllRecords` (Chromium 141+): many records in one round trip, newest first. */
interface WithGetAllRecords {
  getAllRecords(options: {
    query?: IDBKeyRange | null;
    count?: number;
    direction?: IDBCursorDirection;
  }): IDBRequest<{ value: unknown }[]>;
}

/**
 * The `n` most recently saved papers (newest first, as `orderBy('savedAt').reverse()` lists them),
 * or null when they cannot be read this way (no database yet, another layout, an error).
 */
export function readFirstRecords(
  n: number,
  name = LIBRARY_DB,
  idb: IDBFactory = indexedDB,
): Promise<PaperRecord[] | null> {
  return new Promise((resolve) => {
    let open: IDBOpenDBRequest;
    try {
      // No version: the database as it is, never an upgrade.
      open = idb.open(name);
    } catch {
      resolve(null);
      return;
    }
    // Only a database that does not exist yet asks for an upgrade here: leave it to Dexie (the
    // aborted request creates nothing).
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = (e) => {
      e.preventDefault();
      resolve(null);
    };
    open.onsuccess = () => {
      const db = open.result;
      // Never hold up a schema upgrade elsewhere (the background worker after an update).
      db.onversionchange = () => db.close();
      // The answer goes out with the last record read, not at the transaction's end (one more
      // round trip to the browser's database process); the connection closes once it ends.
      const done = (out: PaperRecord[] | null) => {
        db.close();
        resolve(out);
      };
      try {
        const tx = db.transaction('papers', 'readonly');
        const index = tx.objectStore('papers').index('savedAt');
        const out: PaperRecord[] = [];
        tx.oncomplete = () => done(out);
        tx.onabort = () => done(null);
        if ('getAllRecords' in index) {
          const req = (index as unknown as WithGetAllRecords).getAllRecords({
            count: n,
            direction: 'prev',
          });
          req.onsuccess = () => {
            for (const r of req.result) out.push(r.value as PaperRecord);
            done(out);
          };
          return;
        }
        const req = index.openCursor(null, 'prev');
        req.onsuccess = () => {
          const cursor = req.result;
          if (cursor) out.push(cursor.value as PaperRecord);
          if (cursor && out.length < n) cursor.continue();
          else done(out);
        };
      } catch {
        done(null);
      }
    };
  });
}
