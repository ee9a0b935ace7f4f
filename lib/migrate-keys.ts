/**
 * Paper keys that earlier versions made and the current code no longer makes, and how a record
 * (or a backup row) under such a key moves to the key the current code gives the same paper.
 *
 * Which shapes (from the history of lib/paper.ts and lib/exchange/rows.ts):
 * - `arxiv:math.DG/0501001`: before commit d8881b4 an old-style arXiv id kept the subject class
 *   a listing printed; arXiv files that paper as `math/0501001`, and so does `parseArxivId` now.
 *   A card of it found no record (the saved paper showed unsaved; saving made a second one).
 * - `doi:10.1145/ABC`, `doi:10.48550/arXiv.2401.00001`: `canonicalKey` always lower-cased DOIs
 *   and turned arXiv's DOI into `arxiv:<id>`, but a backup row was stored under the id it named
 *   (the row schema accepts either case), so such a key came from a hand-edited backup or a file
 *   of another tool. No card ever names them.
 * - `title:introduction`: before commit d8881b4 a card with no id was keyed by its title however
 *   short; a title under MIN_TITLE_WORDS_FOR_MATCH words is now keyed with the card's address
 *   (`title:introduction @https://…`), so the old record was never found again. Only a record a
 *   card saved (`savedFrom`) says which address that was; an imported citation's record is keyed
 *   `title:introduction` by the current code too, and an unsaved one is history only.
 *
 * Not handled: `arxiv:` keys of ids that no longer parse (`arxiv:1459.2017` read off a DOI) have no
 * key to move to that the record itself tells (the DOI may be gone), and title keys made by an
 * older `normalizeTitle` ("alpha nets" for "$\alpha$-Nets") cannot be told from a title changed
 * since; both stay as they are.
 */
// Types only: Dexie read at load time looks for IndexedDB once (a test's fake one comes later).
import type { EntityTable, Table } from 'dexie';
import type { HitRecord, PaperRecord, SightingRecord } from './db';
import { absorb, idsContradict } from './library';
import { arxivIdOfDoi, canonicalKey, normalizeDoi, parseArxivId, titleMatchable } from './paper';

// Old-style id with its subject class (`math.DG/0501001`): the class is two capitals after a dot.
const ARXIV_WITH_CLASS = /^arxiv:([a-z-]+)\.[A-Z]{2}(\/\d{7})$/;

/**
 * Whether `key` may be of a shape older versions made (decided from the key alone, so that a
 * library with nothing to fix is one pass over its primary keys). `currentKey` decides.
 */
export function maybeStaleKey(key: string): boolean {
  if (key.startsWith('arxiv:')) return ARXIV_WITH_CLASS.test(key);
  if (key.startsWith('doi:')) {
    const doi = key.slice(4);
    return doi !== doi.toLowerCase() || doi.startsWith('10.48550/');
  }
  if (key.startsWith('title:')) {
    const t = key.slice(6);
    // A normalized title has no "@": the current key of a short title ends " @<address>".
    return t !== '' && !t.includes('@') && !titleMatchable(t);
  }
  return false;
}

/**
 * The addresses of a short-title record saved from a card: the one of the site it was saved from
 * first (the card the current code would have keyed it by), then its others. None for a record no
 * card saved: a BibTeX or RIS import has no card (no `savedFrom`), and the current code keys its
 * "Introduction" `title:introduction` still (lib/exchange/csl.ts).
 */
function addressesOf(rec: Pick<PaperRecord, 'urls' | 'savedFrom'>): string[] {
  // A backup row may lack its links (the row schema keeps unknown shapes loosely).
  const urls: PaperRecord['urls'] = rec.urls ?? {};
  const first = rec.savedFrom ? urls[rec.savedFrom] : undefined;
  if (typeof first !== 'string' || !first) return [];
  const all = Object.values(urls).filter((u): u is string => typeof u === 'string' && !!u);
  return [first, ...all.filter((u) => u !== first)];
}

/**
 * The key the current code gives the paper of a record stored under `key`, and further keys it
 * should answer to (a short-title record seen at several addresses answers to each one's key), or
 * null when `key` is current (or cannot be told: a short title that no card saved).
 */
export function currentKey(
  key: string,
  rec: Pick<PaperRecord, 'urls' | 'savedFrom'>,
): { key: string; also: string[] } | null {
  if (!maybeStaleKey(key)) return null;
  const a = ARXIV_WITH_CLASS.exec(key);
  if (a) return { key: `arxiv:${a[1]}${a[2]}`, also: [] };
  if (key.startsWith('doi:')) {
    const k = canonicalKey({ doi: key.slice(4), title: '' });
    return k && k !== key ? { key: k, also: [] } : null;
  }
  const title = key.slice(6);
  const keys = addressesOf(rec)
    .map((url) => canonicalKey({ title, url }))
    .filter((k): k is string => !!k && k !== key);
  return keys[0] ? { key: keys[0], also: keys.slice(1) } : null;
}

/** The arXiv id field of a record moved from `from` to `to` (the id the new key names). */
function movedArxivId(rec: PaperRecord, from: string, to: string): string | undefined {
  if (!from.startsWith('arxiv:') || !to.startsWith('arxiv:')) return rec.arxivId;
  return rec.arxivId === from.slice(6) ? to.slice(6) : rec.arxivId;
}

/**
 * A paper row (a record, or a backup's row) moved to its current key, the old key kept as an
 * alias; the row itself when its key is current.
 */
export function rekeyRow<R extends Pick<PaperRecord, 'id' | 'aliases' | 'urls' | 'savedFrom'>>(
  row: R,
): R {
  const next = currentKey(row.id, row);
  if (!next) return row;
  const out = {
    ...row,
    id: next.key,
    aliases: [...new Set([...row.aliases, row.id, ...next.also])].filter((k) => k !== next.key),
  } as R & { arxivId?: string };
  const arxivId = movedArxivId(out as unknown as PaperRecord, row.id, next.key);
  if (arxivId !== undefined) out.arxivId = arxivId;
  return out;
}

/** The tables the upgrade works on (an upgrade transaction's, or the database's). */
export interface KeyTables {
  papers: EntityTable<PaperRecord, 'id'>;
  sightings: Table<SightingRecord, [string, string]>;
  hits: Table<HitRecord, [string, string]>;
}

const keysOf = (r: PaperRecord): string[] => [r.id, ...r.aliases];

/**
 * Moves every record stored under a key of an older shape to its current key (see the module
 * comment), keeping the old key as an alias. A record already stored under the new key (or
 * holding it as an alias) takes the old one in as lib/library.ts `absorb` joins records: both
 * notes, every tag, the earliest save; sightings and watch-rule hits move with it. Records under
 * current keys are not written. Idempotent; a library with nothing to fix costs one read of its
 * primary keys (and of its arXiv-like alias keys: `dropOtherArxivAliases` runs first).
 * @returns how many records moved.
 */
export async function rekeyStaleRecords(t: KeyTables): Promise<number> {
  // First, in the same transaction: a record answering to another arXiv paper's key would take
  // that paper's old-key record in below (records are found by alias too).
  await dropOtherArxivAliases(t);
  const stale = (await t.papers.toCollection().primaryKeys()).filter(
    (k): k is string => typeof k === 'string' && maybeStaleKey(k),
  );
  if (!stale.length) return 0;
  // Records as they will be written, by id; ids that go (moved or taken in); old id → new id.
  const working = new Map<string, PaperRecord>();
  const gone = new Set<string>();
  const movedTo = new Map<string, string>();
  const final = (id: string): string => {
    let cur = id;
    for (let hops = 0; hops < 10 && movedTo.has(cur); hops++) cur = movedTo.get(cur)!;
    return cur;
  };
  const read = async (id: string): Promise<PaperRecord | undefined> =>
    gone.has(id) ? undefined : (working.get(id) ?? (await t.papers.get(id)));
  /** The record `rec` becomes under its current key, or null when it stays as it is. */
  const plan = async (rec: PaperRecord): Promise<PaperRecord | null> => {
    const next = currentKey(rec.id, rec);
    if (!next) return null;
    let target = await read(next.key);
    if (!target) {
      const holder = await t.papers.where('aliases').equals(next.key).first();
      if (holder) target = await read(final(holder.id));
    }
    if (!target || target.id === rec.id) return rekeyRow(rec);
    // Two papers by their real ids (a record filed under another arXiv id that holds this key
    // as an alias): joining them would mix two papers' notes. The record stays as it is.
    // The record's keys are compared as the current code writes them (its old key is the
    // same paper as the new one, which it would otherwise contradict).
    const mine = [next.key, ...rec.aliases.map((k) => currentKey(k, rec)?.key ?? k)];
    if (idsContradict(keysOf(target), mine)) return null;
    const out = absorb(target, rec);
    return {
      ...out,
      aliases: [...new Set([...out.aliases, ...next.also])].filter((k) => k !== out.id),
    };
  };
  for (const id of stale) {
    const rec = await read(id);
    if (!rec) continue;
    let out: PaperRecord | null;
    try {
      // A record of a shape no version wrote (no aliases list, hand-edited): it stays under its
      // key. A throw here would fail the upgrade, and with it every open of the database.
      if (!Array.isArray(rec.aliases)) continue;
      out = await plan(rec);
    } catch (e) {
      console.warn(`Paper Scout: left ${id} under its old key`, e);
      continue;
    }
    if (!out) continue;
    working.delete(rec.id);
    gone.add(rec.id);
    gone.delete(out.id);
    working.set(out.id, out);
    movedTo.set(rec.id, out.id);
  }
  if (!movedTo.size) return 0;
  await t.papers.bulkDelete([...gone]);
  await t.papers.bulkPut([...working.values()]);
  for (const [from] of movedTo) await moveRows(t, from, final(from));
  return movedTo.size;
}

// No links: the key alone tells an arXiv key's current shape (only title keys read the links).
const NO_LINKS: Pick<PaperRecord, 'urls' | 'savedFrom'> = { urls: {} };

/**
 * The arXiv id a key names as the current code writes it (`arxiv:<id>`, or arXiv's DOI
 * `doi:10.48550/arxiv.<id>` in any case; an old-style id's subject class dropped, a version
 * ignored), null for any other key.
 */
export function arxivIdOfKey(key: string): string | null {
  const k = currentKey(key, NO_LINKS)?.key ?? key;
  if (k.startsWith('arxiv:')) {
    const raw = k.slice(6).toLowerCase();
    return parseArxivId(raw)?.id ?? raw;
  }
  return k.startsWith('doi:') ? arxivIdOfDoi(k.slice(4)) : null;
}

/**
 * `row` (a record, or a backup's row) without the aliases and the `doi` field that name another
 * arXiv paper than `own` (an arXiv id, see `arxivIdOfKey`), and what it dropped (the `doi` field
 * as `doi:<field>`); the same row when nothing names another. Used by the upgrade
 * (`dropOtherArxivAliases`) and by backup import (lib/exchange/merge.ts).
 */
export function withoutOtherArxivIds<R extends { aliases: unknown[]; doi?: unknown }>(
  row: R,
  own: string,
): { row: R; dropped: string[] } {
  const names = (k: unknown): boolean => {
    if (typeof k !== 'string') return false;
    const a = arxivIdOfKey(k);
    return a !== null && a !== own;
  };
  const keep = row.aliases.filter((k) => !names(k));
  const doi = typeof row.doi === 'string' ? normalizeDoi(row.doi) : null;
  const doiOther = doi !== null && names(`doi:${doi}`);
  if (keep.length === row.aliases.length && !doiOther) return { row, dropped: [] };
  const out: R = { ...row, aliases: keep };
  if (doiOther) delete out.doi;
  const dropped = row.aliases.filter(
    (k): k is string => !keep.includes(k) && typeof k === 'string',
  );
  if (doiOther) dropped.push(`doi:${row.doi as string}`);
  return { row: out, dropped };
}

/** Alias prefixes of the keys that may name an arXiv paper (arXiv ids, arXiv's DOIs). */
const ARXIV_ALIAS_PREFIXES = ['arxiv:', 'doi:10.48550/'];

/**
 * Drops from each record of an arXiv paper A the aliases naming another arXiv paper B (`arxiv:B`,
 * `doi:10.48550/arxiv.B`) and a `doi` field that is B's arXiv DOI. Versions before commits
 * d8d42cb and 0f98710 stored them when a card mixed two papers' ids (an ACL card linking the
 * wrong preprint, a Scholar card with another paper's arXiv DOI); since then a card of B was taken
 * for A: it showed A's saved state, saving it saved A, its note panel opened A's note. Two arXiv
 * ids are two papers (lib/library.ts `idsContradict`), so the record's own id is the right one.
 * Nothing else of a record changes, no record is made for B (a card of B makes one), and a record
 * with nothing to drop is not written. A record keyed by a DOI or a title that holds two arXiv ids
 * is left as it is: nothing tells which one is its paper. Only records with an alias of those
 * prefixes are read (the aliases index); idempotent. `rekeyStaleRecords` runs it first: it finds
 * records by alias too, and would otherwise take B's old-key record into A.
 * @returns how many records were repaired.
 */
export async function dropOtherArxivAliases(t: Pick<KeyTables, 'papers'>): Promise<number> {
  // Decided from the index keys alone: the record's key and each arXiv-like alias it holds.
  const suspect = new Set<string>();
  for (const prefix of ARXIV_ALIAS_PREFIXES) {
    await t.papers
      .where('aliases')
      .startsWith(prefix)
      .eachKey((alias, cursor) => {
        const id = cursor.primaryKey;
        if (typeof id !== 'string' || typeof alias !== 'string' || suspect.has(id)) return;
        try {
          const own = arxivIdOfKey(id);
          const other = arxivIdOfKey(alias);
          if (own && other && other !== own) suspect.add(id);
        } catch (e) {
          console.warn(`Paper Scout: left the aliases of ${id} as they were`, e);
        }
      });
  }
  if (!suspect.size) return 0;
  const fixed: PaperRecord[] = [];
  for (const rec of await t.papers.bulkGet([...suspect])) {
    try {
      // A record of a shape no version wrote stays as it is: a throw would fail the upgrade,
      // and with it every open of the database.
      if (!rec || !Array.isArray(rec.aliases)) continue;
      const own = arxivIdOfKey(rec.id);
      if (!own) continue;
      const { row, dropped } = withoutOtherArxivIds(rec, own);
      if (dropped.length) fixed.push(row);
    } catch (e) {
      console.warn(`Paper Scout: left the aliases of ${rec?.id} as they were`, e);
    }
  }
  if (fixed.length) await t.papers.bulkPut(fixed);
  return fixed.length;
}

/** Re-points the sightings and hits of paper `from` to `to`, combining rows of one page / rule. */
async function moveRows(t: KeyTables, from: string, to: string): Promise<void> {
  // `paperId` is the primary key's first part (Dexie's virtual index of [paperId+url]).
  const sightings = await t.sightings.where('paperId').equals(from).toArray();
  if (sightings.length) {
    await t.sightings.bulkDelete(sightings.map((s) => [s.paperId, s.url] as [string, string]));
    const there = await t.sightings.bulkGet(sightings.map((s) => [to, s.url] as [string, string]));
    // A sighting of the same page under the record it moves to combines with it.
    await t.sightings.bulkPut(
      sightings.map((s, i) => {
        const had = there[i];
        const moved = { ...s, paperId: to };
        return had
          ? {
              ...moved,
              firstAt: Math.min(had.firstAt, s.firstAt),
              lastAt: Math.max(had.lastAt, s.lastAt),
              count: had.count + s.count,
            }
          : moved;
      }),
    );
  }
  const hits = await t.hits.where('paperId').equals(from).toArray();
  if (hits.length) {
    await t.hits.bulkDelete(hits.map((h) => [h.paperId, h.ruleId] as [string, string]));
    const there = await t.hits.bulkGet(hits.map((h) => [to, h.ruleId] as [string, string]));
    // The first match time is kept (the Highlighted tab orders by it).
    await t.hits.bulkPut(
      hits.map((h, i) => {
        const had = there[i];
        return had && had.at <= h.at ? had : { ...h, paperId: to };
      }),
    );
  }
}
