/**
 * The floor under the worker's first-visit figures: what IndexedDB alone costs the worker to store
 * a 1,000-card page's records, with no Dexie, no matching, no topic badges and no other work.
 *
 * Run in the extension's own service worker after the first-visit series: it reads back 1,000
 * paper records and 1,000 sightings that the extension itself stored for the cloned real entries
 * (so the values are exactly what a first visit writes), gives them new keys, and puts them with
 * the bare IndexedDB API into a scratch database with the same object stores and indexes as
 * lib/db.ts (v4). Per run: the worker's main-thread time to issue the puts (a synchronous loop, so
 * its wall time is its CPU time) and the time until the transaction has committed.
 *
 * Then, in a transaction of its own, the same records once more as ONE record (one page load's
 * papers and sightings in a single value, as a design that batches seen-only papers would store
 * them): the time to issue that one put (mostly cloning the values) and until it has committed.
 * This is the least any design must spend to keep what a first visit of 1,000 cards shows.
 *
 * Last, in a third transaction, the 1,000 paper records each holding its own sighting: one put
 * per paper, the least a design keeping one record per paper must issue on a first visit, the
 * spec's "a paper is one record however many sites show it". Since f4423e6 this is what a first
 * visit stores (lib/db.ts `PaperRecord.inlineSightings`); the two-store figures above are the
 * design before it, the papers without their inline sighting and the sightings as rows.
 */

/** Object stores and indexes of lib/db.ts at v4 (papers; sightings keyed by [paperId+url]). */
const PAPER_INDEXES = [
  ['aliases', 'aliases', true],
  ['titleKey', 'titleKey', false],
  ['savedAt', 'savedAt', false],
  ['lastSeenAt', 'lastSeenAt', false],
  ['tags', 'tags', true],
];

/** The timings `idbFloor` returns, one list of runs each. */
const FIGURES = ['papers', 'both', 'commit', 'oneIssue', 'oneCommit', 'foldIssue', 'foldCommit'];

/**
 * @param {import('@playwright/test').BrowserContext} context the context the bench runs in
 * @param {number} runs measured runs (one warm-up run is not counted)
 * @returns {Promise<{ papers: number[]; both: number[]; commit: number[]; oneIssue: number[]; oneCommit: number[]; foldIssue: number[]; foldCommit: number[]; error?: string }>}
 */
export async function idbFloor(context, runs) {
  const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  const none = Object.fromEntries(FIGURES.map((f) => [f, []]));
  if (!worker) return { ...none, error: 'no service worker' };
  try {
    return await worker.evaluate(
      async ({ runs, indexes, figures }) => {
        const request = (r) =>
          new Promise((ok, no) => {
            r.onsuccess = () => ok(r.result);
            r.onerror = () => no(r.error);
          });
        const done = (tx) =>
          new Promise((ok, no) => {
            tx.oncomplete = () => ok();
            tx.onabort = tx.onerror = () => no(tx.error ?? new Error('aborted'));
          });
        const open = (name, upgrade) => {
          const r = indexedDB.open(name);
          if (upgrade) r.onupgradeneeded = () => upgrade(r.result);
          return request(r);
        };
        // What the extension stored for the cloned entries of the first-visit series.
        const real = await open('paper-scout');
        const rt = real.transaction(['papers', 'sightings'], 'readonly');
        const stored = await request(rt.objectStore('papers').getAll(undefined, 1000));
        const rows = await request(rt.objectStore('sightings').getAll(undefined, 1000));
        real.close();
        // A first visit keeps each new paper's sighting in its record (lib/db.ts
        // inlineSightings): as rows, they are what the two-store design writes.
        const papers = stored.map((r) => {
          const bare = { ...r };
          delete bare.inlineSightings;
          return bare;
        });
        const inline = stored.flatMap((r) =>
          (r.inlineSightings ?? []).map((e) => ({ paperId: r.id, ...e })),
        );
        const sightings = [...rows, ...inline].slice(0, 1000);
        if (papers.length < 1000 || sightings.length < 1000) {
          throw new Error(`only ${papers.length} papers / ${sightings.length} sightings stored`);
        }
        const name = `paper-scout-floor-${Date.now()}`;
        const scratch = await open(name, (db) => {
          // "papers" as lib/db.ts has it, and "folded" the same with each sighting inside.
          for (const store of ['papers', 'folded']) {
            const p = db.createObjectStore(store, { keyPath: 'id' });
            for (const [n, path, multiEntry] of indexes) p.createIndex(n, path, { multiEntry });
          }
          db.createObjectStore('sightings', { keyPath: ['paperId', 'url'] });
          db.createObjectStore('loads', { keyPath: 'id' });
        });
        const out = Object.fromEntries(figures.map((f) => [f, []]));
        try {
          for (let run = 0; run <= runs; run++) {
            // New keys every run: each run stores records the store has never held (a first visit).
            const p = papers.map((r) => ({ ...r, id: `${r.id}#${run}` }));
            const s = sightings.map((r) => ({ ...r, paperId: `${r.paperId}#${run}` }));
            const tx = scratch.transaction(['papers', 'sightings'], 'readwrite');
            const ended = done(tx);
            const ps = tx.objectStore('papers');
            const ss = tx.objectStore('sightings');
            const t0 = performance.now();
            for (const r of p) ps.put(r);
            const t1 = performance.now();
            for (const r of s) ss.put(r);
            const t2 = performance.now();
            await ended;
            const t3 = performance.now();
            // The same page as one record (put clones its value, so the same objects will do).
            const load = { id: `load#${run}`, papers: p, sightings: s };
            const tx1 = scratch.transaction(['loads'], 'readwrite');
            const ended1 = done(tx1);
            const t4 = performance.now();
            tx1.objectStore('loads').put(load);
            const t5 = performance.now();
            await ended1;
            const t6 = performance.now();
            // Each paper with its sighting inside (made before the clock starts, as merging would).
            const folded = p.map((r, i) => {
              const own = { ...s[i] };
              delete own.paperId;
              return { ...r, inlineSightings: [own] };
            });
            const tx2 = scratch.transaction(['folded'], 'readwrite');
            const ended2 = done(tx2);
            const fs = tx2.objectStore('folded');
            const t7 = performance.now();
            for (const r of folded) fs.put(r);
            const t8 = performance.now();
            await ended2;
            const t9 = performance.now();
            if (run === 0) continue;
            out.papers.push(t1 - t0);
            out.both.push(t2 - t0);
            out.commit.push(t3 - t0);
            out.oneIssue.push(t5 - t4);
            out.oneCommit.push(t6 - t4);
            out.foldIssue.push(t8 - t7);
            out.foldCommit.push(t9 - t7);
          }
        } finally {
          scratch.close();
          await request(indexedDB.deleteDatabase(name)).catch(() => {});
        }
        return out;
      },
      { runs, indexes: PAPER_INDEXES, figures: FIGURES },
    );
  } catch (e) {
    return { ...none, error: e instanceof Error ? e.message : String(e) };
  }
}
