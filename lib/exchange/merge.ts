/**
 * Merging staged rows into the library: the background half of an import. `runImport` plans the
 * whole import inside one Dexie transaction over every table and, unless it is a dry run, writes
 * it in that same transaction: a commit writes everything or (on any error) nothing, and a preview
 * is the same plan with nothing written.
 *
 * Papers are matched like cards are (lib/library.ts): by id, by alias, then by normalized title
 * (a provisional record and a record with a real id that share a title of ≥ 3 words are one paper).
 * Never through a key shared by two records whose arXiv ids (else DOIs) differ (lib/library.ts
 * `idsContradict`): they are two papers, and the key stays with the record that held it first
 * (the library's, else the earlier row's), as it does for cards.
 *
 * - `backup` mode (a Paper Scout backup): for each field the newest change wins. A field with its
 *   own time stamp (`note`/`noteAt`, `tags`/`tagsAt`, `state`/`stateAt`) compares those; other
 *   fields compare the records' `updatedAt`, and a value never loses to an absent one (without a
 *   stamp an absent field may never have been set). Saved wins over not saved (the earliest save
 *   time is kept). Seen times span both records. Every replaced value is reported as a conflict.
 * - `citations` mode (BibTeX, RIS, CSL-JSON): what the library has stays; missing fields are filled
 *   in, tags are added, a note that is new is appended, and the paper is saved if it was not.
 *
 * Other tables: rows are keyed by their table's primary key (a `paperId` follows its paper when the
 * paper's id changes). Sightings combine (first/last time, count); visits keep the latest load;
 * rows with an `updatedAt` keep the newest; any other differing row keeps this browser's version
 * and says so. Rows of a table this version does not have are skipped and reported.
 */
import type { Table } from 'dexie';
import { countOf } from '../count';
import type { InlineSighting, PaperRecord, PaperScoutDB } from '../db';
import { absorb, foldInline, idsContradict } from '../library';
import { arxivIdOfKey, rekeyRow, withoutOtherArxivIds } from '../migrate-keys';
import { isCanonical, normalizeDoi } from '../paper';
import { NOTE_MAX, TAGS_MAX, normalizeTags } from '../readinglist';
import { deepEqual, withoutUndefined } from './equal';
import type { ImportIssue, ImportMode, ImportReport, TableCounts } from './protocol';

/** A row as staged: validated, with where it came from in the file (for messages). */
export interface StagedRow {
  row: Record<string, unknown>;
  where: string;
  /** Its place among the file's rows of its table (staging keeps them in this order). */
  n?: number;
}

/** What an import session holds when it is planned. */
export interface StagedImport {
  mode: ImportMode;
  /** Staged rows per table, in file order. */
  tables: Map<string, StagedRow[]>;
  /** Issues found while staging (before planning). */
  issues: ImportIssue[];
}

/** A change of a paper's saved state, for tabs showing it. */
export interface SavedChange {
  id: string;
  saved: boolean;
  aliases: string[];
}

/** At most this many issues are listed in a report (all are counted). */
export const MAX_ISSUES = 500;
const MIN_TITLE_WORDS_FOR_MATCH = 3;
/** Imports of more keys than this read the library's ids before looking records up. */
const KEYS_FIRST_ABOVE = 200;
/** Fields with their own change time (lib/readinglist.ts). */
const STAMPED = ['note', 'tags', 'state'] as const;
const SAVED_FIELDS = ['savedAt', 'savedFrom', 'savedVersion'] as const;

class Report {
  tables: Record<string, TableCounts> = {};
  issues: ImportIssue[] = [];
  issueCounts: Record<ImportIssue['kind'], number> = {
    skipped: 0,
    dropped: 0,
    conflict: 0,
    kept: 0,
  };

  count(table: string, what: keyof TableCounts): void {
    // Own keys only: a file's table named "__proto__" must not count into Object.prototype.
    let t = Object.hasOwn(this.tables, table) ? this.tables[table] : undefined;
    if (!t) {
      t = { added: 0, merged: 0, unchanged: 0, skipped: 0 };
      Object.defineProperty(this.tables, table, {
        value: t,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    t[what]++;
  }
  issue(kind: ImportIssue['kind'], where: string, message: string): void {
    this.issueCounts[kind]++;
    if (this.issues.length < MAX_ISSUES) this.issues.push({ kind, where, message });
  }
}

type Rec = Record<string, unknown>;
const isSaved = (p: Rec) => typeof p.savedAt === 'number';
/** At least MIN_TITLE_WORDS_FOR_MATCH words (`split(' ')` parts), counted without splitting. */
const titleMatchable = (tk: unknown): tk is string => {
  if (typeof tk !== 'string') return false;
  let words = 1;
  for (let i = tk.indexOf(' '); i !== -1; i = tk.indexOf(' ', i + 1))
    if (++words >= MIN_TITLE_WORDS_FOR_MATCH) return true;
  return words >= MIN_TITLE_WORDS_FOR_MATCH;
};
const short = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? 'nothing' : s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/** When `p`'s value of stamped field `f` was set: its stamp, else (if it has one) `updatedAt`. */
function stampOf(p: Rec, f: string): number {
  const at = p[`${f}At`];
  if (typeof at === 'number') return at;
  return p[f] === undefined ? -Infinity : (p.updatedAt as number);
}

/**
 * Merges a backup's record `b` into the library's record `a` (same paper): newest change wins
 * per field. Returns the merged record (id: `a`'s) and the fields where `b` and `a` disagreed.
 */
export function mergeBackupPaper(a: Rec, b: Rec): { merged: Rec; conflicts: string[] } {
  const aNewer = (a.updatedAt as number) >= (b.updatedAt as number);
  const newer = aNewer ? a : b;
  const older = aNewer ? b : a;
  const out: Rec = {};
  const conflicts: string[] = [];
  const skip = new Set<string>(['id', 'aliases', 'urls', 'titleKey', ...SAVED_FIELDS]);
  for (const f of STAMPED) skip.add(f).add(`${f}At`);
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (skip.has(k)) continue;
    const av = a[k];
    const bv = b[k];
    if (k === 'firstSeenAt') out[k] = Math.min(av as number, bv as number);
    else if (k === 'lastSeenAt' || k === 'updatedAt') out[k] = Math.max(av as number, bv as number);
    else if (k === 'inlineSightings')
      // Two copies of one record's sightings (a file of this library): the larger count.
      out[k] = foldInline(
        av as InlineSighting[] | undefined,
        bv as InlineSighting[] | undefined,
        Math.max,
      );
    else if (k === 'version')
      out[k] = Math.max((av as number) ?? 0, (bv as number) ?? 0) || undefined;
    else {
      const v = newer[k] !== undefined ? newer[k] : older[k];
      out[k] = v;
      if (av !== undefined && bv !== undefined && !deepEqual(av, bv)) conflicts.push(k);
    }
  }
  // The title's key follows the title.
  out.titleKey = (newer.title !== undefined ? newer : older).titleKey;
  out.id = a.id;
  out.aliases = [
    ...new Set([...(a.aliases as string[]), ...(b.aliases as string[]), b.id as string]),
  ].filter((x) => x !== a.id);
  out.urls = { ...(older.urls as Rec), ...(newer.urls as Rec) };
  for (const f of STAMPED) {
    const ta = stampOf(a, f);
    const tb = stampOf(b, f);
    const win = tb > ta ? b : a;
    out[f] = win[f];
    out[`${f}At`] = win[`${f}At`];
    if (a[f] !== undefined && b[f] !== undefined && !deepEqual(a[f], b[f])) conflicts.push(f);
  }
  // Saved wins over not saved; of two saves the first is kept.
  const saver = !isSaved(a)
    ? b
    : !isSaved(b)
      ? a
      : (b.savedAt as number) < (a.savedAt as number)
        ? b
        : a;
  for (const f of SAVED_FIELDS) out[f] = saver[f];
  return { merged: withoutUndefined(out), conflicts };
}

/** Whether two records of one paper were kept apart where they were made (neither names the other). */
function isApart(a: Rec, b: Rec): boolean {
  return (
    a.id !== b.id &&
    !(a.aliases as string[]).includes(b.id as string) &&
    !(b.aliases as string[]).includes(a.id as string)
  );
}

/** `merged` with the notes of both `a` and `b` (one after the other) and the tags of both. */
function keepBoth(merged: Rec, a: Rec, b: Rec): Rec {
  const out = { ...merged };
  const an = typeof a.note === 'string' ? a.note : '';
  const bn = typeof b.note === 'string' ? b.note : '';
  // One record's cleared note says nothing of the other's: a note either has is kept.
  const note =
    an && bn ? (an.includes(bn) ? an : bn.includes(an) ? bn : `${an}\n\n${bn}`) : an || bn;
  if (note && note !== out.note) {
    out.note = note;
    out.noteAt = Math.max(stampOf(a, 'note'), stampOf(b, 'note'));
  }
  const tags = [...new Set([...((a.tags as string[]) ?? []), ...((b.tags as string[]) ?? [])])];
  if (tags.length > ((out.tags as string[] | undefined)?.length ?? 0)) {
    out.tags = tags;
    out.tagsAt = Math.max(stampOf(a, 'tags'), stampOf(b, 'tags'));
  }
  return out;
}

/**
 * Merges a paper read from a bibliography (`b`) into the library's record `a`: `a`'s values stay,
 * missing ones are filled in, tags are added, a new note is appended, and the paper is saved.
 */
export function mergeCitationPaper(a: Rec, b: Rec, now: number): Rec {
  const out: Rec = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined || k === 'id' || k === 'titleKey' || k === 'title') continue;
    if (['note', 'tags', 'state', 'noteAt', 'tagsAt', 'stateAt', 'updatedAt'].includes(k)) continue;
    if (['firstSeenAt', 'lastSeenAt', ...SAVED_FIELDS].includes(k)) continue;
    const cur = out[k];
    if (cur === undefined || (Array.isArray(cur) && cur.length === 0) || cur === '') out[k] = v;
  }
  out.aliases = [
    ...new Set([...(a.aliases as string[]), ...(b.aliases as string[]), b.id as string]),
  ].filter((x) => x !== a.id);
  out.urls = { ...(b.urls as Rec), ...(a.urls as Rec) };
  // The library's tags and note stay whole (a record joined from two may hold more than the
  // limits: lib/library.ts `absorb`); the file's new ones are added while there is room. They
  // were normalized and cut together, so 80 tags became 64 and a 30,000-character note 20,000.
  const aTags = (a.tags as string[] | undefined) ?? [];
  const have = new Set(aTags.map((t) => t.toLowerCase()));
  const room = Math.max(0, TAGS_MAX - aTags.length);
  const added = normalizeTags((b.tags as string[] | undefined) ?? [])
    .filter((t) => !have.has(t.toLowerCase()))
    .slice(0, room);
  if (added.length) {
    out.tags = [...aTags, ...added];
    out.tagsAt = now;
  }
  const an = (a.note as string | undefined) ?? '';
  const bn = (b.note as string | undefined) ?? '';
  const note = (an ? `${an}\n\n${bn}` : bn).slice(0, Math.max(NOTE_MAX, an.length));
  if (bn.trim() && !an.includes(bn.trim()) && note !== an) {
    out.note = note;
    out.noteAt = now;
  }
  if (!isSaved(a) && isSaved(b)) {
    for (const f of SAVED_FIELDS) out[f] = b[f];
    if (out.state === undefined) out.state = b.state;
  }
  out.firstSeenAt = Math.min(a.firstSeenAt as number, b.firstSeenAt as number);
  const merged = withoutUndefined(out);
  if (!deepEqual(merged, a)) merged.updatedAt = now;
  return merged;
}

/** The primary key of `row` in `table` (undefined when the row lacks it). */
function keyOf(table: Table, row: Rec): unknown {
  const kp = table.schema.primKey.keyPath;
  if (kp === null || kp === undefined) return undefined;
  if (Array.isArray(kp)) {
    const parts = kp.map((p) => row[p]);
    return parts.every(validKeyPart) ? parts : undefined;
  }
  const k = row[kp];
  return validKeyPart(k) ? k : undefined;
}
const validKeyPart = (k: unknown) =>
  typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k));
const keyString = (k: unknown) => (typeof k === 'string' ? k : JSON.stringify(k));

/** Which fields of a table's rows name a paper (moved when a paper's id changes). */
function paperRefField(table: Table): string | undefined {
  const names = [table.schema.primKey, ...table.schema.indexes].flatMap((ix) =>
    ix.keyPath === undefined || ix.keyPath === null ? [] : [ix.keyPath].flat(),
  );
  return names.includes('paperId') ? 'paperId' : undefined;
}

interface PaperPlan {
  /** Final records to write, by id. */
  put: Map<string, Rec>;
  /** Library records as they were (by id) for the records touched. */
  before: Map<string, Rec>;
  /** Library ids that disappear (merged into another record). */
  removed: Set<string>;
  /** Old id → new id for every paper id that now lives under another id. */
  idMap: Map<string, string>;
}

/**
 * `row` without the keys (alias or `doi` field) naming another arXiv id than its own: a record an
 * older version made from a card linking arXiv 2401.00001 beside `10.48550/arXiv.2402.00002`
 * (lib/library.ts `cardDoi`), or from an ACL card linking the wrong preprint (the alias
 * `arxiv:2401.00003`, before commit d8d42cb). Such a key names the other paper: through it the
 * row joined that paper's record, and a card of that paper was taken for this one. Two arXiv ids
 * are two papers (`idsContradict`). Keys are compared as the current code writes them
 * (`arxiv:math.DG/0501001` is `arxiv:math/0501001`'s own old key). Reported as dropped; the same
 * row when it has none. The same repair as schema v5's (lib/migrate-keys.ts `dropOtherArxivAliases`).
 */
function withoutOtherArxivKeys(row: Rec, where: string, report: Report): Rec {
  const id = row.id as string;
  if (!id.startsWith('arxiv:')) return row;
  const { row: out, dropped } = withoutOtherArxivIds(
    row as Rec & { aliases: string[] },
    arxivIdOfKey(id)!,
  );
  if (!dropped.length) return row;
  report.issue(
    'dropped',
    where,
    `${short([...new Set(dropped)].join(', '))} not kept: the arXiv id or DOI of another paper than ${id}.`,
  );
  return out;
}

async function planPapers(
  db: PaperScoutDB,
  stagedRows: StagedRow[],
  mode: ImportMode,
  now: number,
  report: Report,
): Promise<PaperPlan> {
  // A backup of an older version may name papers by keys the current code no longer makes
  // (arxiv:math.DG/0501001, doi:10.1145/ABC, title:introduction): such a row moves to its current
  // key, its old one an alias, as schema v5 moved this library's records (lib/migrate-keys.ts).
  // The id it had in the file still tells whether two records were apart where they were made.
  const fileId = new Map<Rec, string>();
  // A row's keys of another arXiv paper are dropped first (withoutOtherArxivKeys).
  const staged = stagedRows.map((s) => {
    const moved = rekeyRow(s.row as unknown as PaperRecord) as unknown as Rec;
    const row = withoutOtherArxivKeys(moved, s.where, report);
    if (row === s.row) return s;
    if (moved !== s.row) fileId.set(row, s.row.id as string);
    return { ...s, row };
  });
  const idInFile = (row: Rec): string => fileId.get(row) ?? (row.id as string);
  // For each record first made from a row of the file, that row's id in the file.
  const madeFromRow = new Map<string, string>();
  const rows = staged.map((s) => s.row);
  const allKeys = [...new Set(rows.flatMap((r) => [r.id as string, ...(r.aliases as string[])]))];
  const lib = new Map<string, Rec>();
  const byKey = new Map<string, Rec>();
  // By id, then by alias for keys not found, then by title for rows still without a record: a
  // backup imported into the library it came from reads each record once, not three times.
  const found = new Set<string>();
  // A large import first reads which ids the library has (one request for all keys) and looks up
  // only those: into an empty or small library, thousands of lookups of absent ids are skipped.
  const present =
    allKeys.length > KEYS_FIRST_ABOVE
      ? new Set(await db.papers.toCollection().primaryKeys())
      : null;
  const wanted = present ? allKeys.filter((k) => present.has(k)) : allKeys;
  // Most of the library (a backup imported back where it came from): one read of every record
  // (getAll) costs far less than as many single lookups; only the records asked for are kept.
  let records: (PaperRecord | undefined)[];
  if (present && wanted.length > present.size / 2) {
    const ids = new Set(wanted);
    records = (await db.papers.toArray()).filter((r) => ids.has(r.id));
  } else records = await db.papers.bulkGet(wanted);
  for (const r of records) {
    if (!r) continue;
    lib.set(r.id, r as unknown as Rec);
    found.add(r.id);
  }
  // An empty library (the first import into a new browser) holds no alias or title to find:
  // asking its indexes for every key and title of the file (sorted first, 10,000 of each) is
  // skipped.
  const empty = present !== null && present.size === 0;
  const missing = empty ? [] : allKeys.filter((k) => !found.has(k));
  if (missing.length) {
    for (const r of await db.papers.where('aliases').anyOf(missing).toArray()) {
      lib.set(r.id, r as unknown as Rec);
      for (const a of r.aliases) found.add(a);
    }
  }
  const unmatched = empty
    ? []
    : rows.filter((r) => ![r.id as string, ...(r.aliases as string[])].some((k) => found.has(k)));
  const titleKeys = [...new Set(unmatched.map((r) => r.titleKey).filter(titleMatchable))];
  const byTitle = new Map<string, Rec[]>();
  if (titleKeys.length) {
    for (const r of await db.papers.where('titleKey').anyOf(titleKeys).toArray()) {
      lib.set(r.id, r as unknown as Rec);
    }
  }
  for (const r of lib.values()) {
    byKey.set(r.id as string, r);
    for (const a of r.aliases as string[]) if (!byKey.has(a)) byKey.set(a, r);
    if (titleMatchable(r.titleKey))
      byTitle.set(r.titleKey, [...(byTitle.get(r.titleKey) ?? []), r]);
  }

  const plan: PaperPlan = {
    put: new Map(),
    before: new Map(),
    removed: new Set(),
    idMap: new Map(),
  };
  // Current version of every record touched, reachable by each of its keys.
  const working = new Map<string, Rec>();
  // Ids of records first made from the file, by title key (for title matches among them).
  const fileByTitle = new Map<string, string[]>();
  const index = (rec: Rec) => {
    working.set(rec.id as string, rec);
    for (const a of rec.aliases as string[]) working.set(a, rec);
  };
  const fromFile = new Set<string>();

  const keysOf = (r: Rec) => [r.id as string, ...(r.aliases as string[])];
  // Where each row ended when its own id went to another paper (see `contested` below).
  const rekeyed = new Map<string, string>();

  staged.forEach(({ row, where }) => {
    const keys = keysOf(row);
    // A record reached by one of the row's keys that carries other real ids (lib/library.ts
    // `idsContradict`: arXiv 2402.00002 holding the ACL id the row gives arXiv 2401.00001) is
    // another paper: the row is not merged into it, and the record keeps that key (it had it
    // first: the library's, or an earlier row's of the file), as a card's record leaves it. So a
    // backup restored twice, or into a library that already filed the key, moves nothing. A
    // provisional record (an ACL id, a title) carries no real id and contradicts nothing: it
    // still joins the arXiv or DOI record of its paper.
    let cur: Rec | undefined;
    for (const k of keys) {
      const r = working.get(k) ?? byKey.get(k);
      // A row of one key (most rows) cannot contradict the record holding that key.
      if (r && (keys.length === 1 || !idsContradict(keys, keysOf(r)))) {
        cur = r;
        break;
      }
    }
    if (!cur && titleMatchable(row.titleKey)) {
      const candidates: Rec[] = [
        ...(byTitle.get(row.titleKey) ?? []).map((r) => working.get(r.id as string) ?? r),
        ...(fileByTitle.get(row.titleKey) ?? [])
          .map((id) => working.get(id))
          .filter((r): r is Rec => r !== undefined),
      ];
      cur = candidates.find(
        (r) =>
          (!isCanonical(row.id as string) || !isCanonical(r.id as string) || r.id === row.id) &&
          !idsContradict(keys, keysOf(r)),
      );
    }
    // The row's keys held by a record of another paper, with who holds each.
    const contested = new Map<string, string>();
    // (Its one key, if held, found `cur`: nothing to contest.)
    if (keys.length > 1)
      for (const k of keys) {
        const other = working.get(k) ?? byKey.get(k);
        if (!other || other.id === cur?.id || (cur && keysOf(cur).includes(k))) continue;
        if (idsContradict(cur ? [...keysOf(cur), ...keys] : keys, keysOf(other)))
          contested.set(k, other.id as string);
      }
    // The row's own id, unless another paper holds it: then its first real id nobody else holds
    // (a row filed under DOI 10.1/x with arXiv 2401.00001, where the library files 10.1/x under
    // arXiv 2402.00002, becomes arxiv:2401.00001).
    const ownId = (): string => {
      if (!contested.has(row.id as string)) return row.id as string;
      const free = keys.filter((k) => isCanonical(k) && !contested.has(k));
      return free.find((k) => k.startsWith('arxiv:')) ?? free[0] ?? (row.id as string);
    };
    // Told once the row's record is known (joining records may contest more keys).
    const tellContested = () => {
      if (!contested.size) return;
      const list = [...contested].map(([k, by]) => `${k} (filed under ${by})`).join(', ');
      report.issue(
        'kept',
        where,
        `names ${list.length > 200 ? `${list.slice(0, 197)}…` : list}, which another paper holds (the two have different arXiv ids or DOIs); kept apart, without ${contested.size === 1 ? 'that key' : 'those keys'}.`,
      );
    };
    if (!cur) {
      tellContested();
      const rowId = ownId();
      let rec = withoutUndefined({ ...row });
      if (rowId !== row.id) {
        rec = { ...rec, id: rowId, aliases: keys.filter((a) => a !== rowId) };
        rekeyed.set(row.id as string, rowId);
      }
      rec = withoutKeys(rec, contested);
      plan.put.set(rec.id as string, rec);
      fromFile.add(rec.id as string);
      madeFromRow.set(rec.id as string, idInFile(row));
      index(rec);
      if (titleMatchable(rec.titleKey)) {
        fileByTitle.set(rec.titleKey, [...(fileByTitle.get(rec.titleKey) ?? []), rec.id as string]);
      }
      report.count('papers', 'added');
      return;
    }
    const curId = cur.id as string;
    if (!fromFile.has(curId) && !plan.before.has(curId) && lib.has(curId))
      plan.before.set(curId, lib.get(curId)!);
    // The row's other keys may name other records (this library never saw one card with both
    // ids; the file's browser did): they are one paper, joined as lib/library.ts absorbs them.
    let joined = false;
    for (const k of keys) {
      const other = working.get(k) ?? byKey.get(k);
      if (!other || other.id === cur.id || contested.has(k)) continue;
      // A record joined just before may have brought real ids of its own.
      if (idsContradict([...keysOf(cur), ...keys], keysOf(other))) {
        contested.set(k, other.id as string);
        continue;
      }
      const otherId = other.id as string;
      if (!fromFile.has(otherId) && !plan.before.has(otherId) && lib.has(otherId))
        plan.before.set(otherId, lib.get(otherId)!);
      cur = withoutUndefined(
        absorb(cur as unknown as PaperRecord, other as unknown as PaperRecord) as unknown as Rec,
      );
      plan.put.delete(otherId);
      if (lib.has(otherId)) plan.removed.add(otherId);
      plan.idMap.set(otherId, curId);
      if (fromFile.has(otherId)) fromFile.add(curId);
      index(cur);
      joined = true;
    }
    let merged: Rec;
    if (mode === 'backup') {
      const m = mergeBackupPaper(cur, row);
      merged = m.merged;
      // Two records kept apart where they were made (neither id names the other) that meet here,
      // by a key both carry or by title, are one paper joined as lib/library.ts `absorb` joins
      // them: both notes and every tag stay (newest-wins kept one record's note and dropped the
      // other's, restoring a backup into an empty browser too).
      // Two rows of the file are two live records there, whatever their aliases say.
      const apart = fromFile.has(curId)
        ? (madeFromRow.get(curId) ?? curId) !== idInFile(row)
        : isApart(cur, { ...row, id: idInFile(row) });
      if (apart) merged = keepBoth(merged, cur, row);
      for (const f of m.conflicts) {
        if (apart && (f === 'note' || f === 'tags')) continue;
        const won = deepEqual(merged[f], row[f]) ? 'the file’s' : 'this browser’s';
        report.issue(
          'conflict',
          where,
          `${f} differs (file: ${short(row[f])}; this browser: ${short(cur[f])}); kept ${won} (newer).`,
        );
      }
    } else merged = mergeCitationPaper(cur, row, now);
    tellContested();
    merged = withoutKeys(merged, contested, cur);
    const rowId = ownId();
    if (rowId !== row.id) rekeyed.set(row.id as string, rowId);
    // A real id (arXiv, DOI) replaces a provisional one; the old id stays as an alias.
    if (isCanonical(rowId) && !isCanonical(curId) && rowId !== curId) {
      merged = {
        ...merged,
        id: rowId,
        aliases: [...new Set([...(merged.aliases as string[]), curId])].filter((x) => x !== rowId),
      };
    }
    const newId = merged.id as string;
    if (newId !== curId) {
      plan.put.delete(curId);
      if (lib.has(curId)) plan.removed.add(curId);
      plan.idMap.set(curId, newId);
      if (fromFile.has(curId)) fromFile.add(newId);
    }
    const changed = joined || !deepEqual(merged, cur);
    if (changed) {
      plan.put.set(newId, merged);
      index(merged);
    }
    if (fromFile.has(curId) || fromFile.has(newId)) {
      report.count('papers', 'merged');
      report.issue(
        'kept',
        where,
        'is the same paper as an earlier entry of the file; merged into it.',
      );
    } else report.count('papers', changed ? 'merged' : 'unchanged');
  });
  // Every incoming key names the record it ended in (for sightings and other rows of the file).
  for (const { row } of staged) {
    for (const k of [row.id as string, ...(row.aliases as string[])]) {
      // A record left unchanged is not in `working`: the library's own record names it.
      const found = working.get(k) ?? byKey.get(k);
      const rec = found && (working.get(found.id as string) ?? found);
      if (rec && rec.id !== k) plan.idMap.set(k, rec.id as string);
    }
  }
  // A row's id that another paper holds as an alias names, in the file, the row's paper (its
  // sightings there): they follow the row. One the library holds as a record's id stays its.
  for (const [from, to] of rekeyed) {
    if (lib.has(from)) continue;
    const rec = working.get(to) ?? byKey.get(to);
    plan.idMap.set(from, (rec?.id as string | undefined) ?? to);
  }
  // Records the library had whose final version equals it need no write.
  for (const [id, rec] of plan.put) {
    const before = lib.get(id);
    if (before && deepEqual(before, rec)) plan.put.delete(id);
  }
  for (const id of plan.removed) plan.put.delete(id);
  return plan;
}

/**
 * `rec` without the aliases in `keys` (another paper's: see planPapers), and without the ACL id or
 * DOI field they name unless the record's own id is that key: then `was`'s value (the library's
 * record the row merged into, whose own ACL id or DOI a newer row's value had replaced), if any.
 * The same record when none is there.
 */
function withoutKeys(rec: Rec, keys: ReadonlyMap<string, string>, was?: Rec): Rec {
  if (!keys.size) return rec;
  const out: Rec = {
    ...rec,
    aliases: (rec.aliases as string[]).filter((a) => !keys.has(a)),
  };
  const names = (f: 'aclId' | 'doi', v: unknown): string | undefined => {
    if (typeof v !== 'string') return undefined;
    const k = f === 'aclId' ? `acl:${v}` : `doi:${normalizeDoi(v)}`;
    return keys.has(k) && rec.id !== k ? k : undefined;
  };
  for (const f of ['aclId', 'doi'] as const) {
    if (!names(f, rec[f])) continue;
    if (was && was[f] !== undefined && !names(f, was[f])) out[f] = was[f];
    else delete out[f];
  }
  return out;
}

function mergeGenericRow(table: string, cur: Rec, row: Rec): { merged: Rec; kept?: boolean } {
  if (table === 'sightings') {
    return {
      merged: {
        ...cur,
        firstAt: Math.min(cur.firstAt as number, row.firstAt as number),
        lastAt: Math.max(cur.lastAt as number, row.lastAt as number),
        count: Math.max(cur.count as number, row.count as number),
      },
    };
  }
  if (table === 'visits') {
    return { merged: (row.loadAt as number) > (cur.loadAt as number) ? row : cur };
  }
  if (typeof cur.updatedAt === 'number' && typeof row.updatedAt === 'number') {
    return { merged: row.updatedAt > cur.updatedAt ? row : cur };
  }
  return { merged: cur, kept: true };
}

/**
 * Plans an import and, unless `dryRun`, writes it — all in one transaction.
 * @returns the report and the papers whose saved state changed (to tell open tabs).
 */
export async function runImport(
  db: PaperScoutDB,
  staged: StagedImport,
  opts: { dryRun: boolean; now?: number },
): Promise<{ report: ImportReport; savedChanges: SavedChange[] }> {
  const started = performance.now();
  const now = opts.now ?? Date.now();
  const tables = db.tables;
  return db.transaction(opts.dryRun ? 'r' : 'rw', tables, async () => {
    const report = new Report();
    for (const i of staged.issues) report.issue(i.kind, i.where, i.message);
    const known = new Set(tables.map((t) => t.name));
    for (const [name, rows] of staged.tables) {
      if (known.has(name)) continue;
      for (let i = 0; i < rows.length; i++) report.count(name, 'skipped');
      report.issue(
        'skipped',
        `table ${name}`,
        `${countOf(rows.length, 'row')} not imported: this version of Paper Scout has no such table.`,
      );
    }
    report.tables.papers ??= { added: 0, merged: 0, unchanged: 0, skipped: 0 };
    const plan = await planPapers(db, staged.tables.get('papers') ?? [], staged.mode, now, report);
    const finalIds = new Set([...plan.put.keys()]);
    const remap = (id: string) => {
      let cur = id;
      for (let hops = 0; hops < 10 && plan.idMap.has(cur); hops++) cur = plan.idMap.get(cur)!;
      return cur;
    };

    // Other tables: staged rows, plus library rows that name a paper whose id changes.
    const writes: { table: Table; put: Rec[]; del: unknown[] }[] = [];
    for (const table of tables) {
      if (table.name === 'papers') continue;
      const ref = paperRefField(table);
      const incoming = staged.tables.get(table.name) ?? [];
      const moved: StagedRow[] = [];
      const del: unknown[] = [];
      if (ref && plan.idMap.size) {
        const oldIds = [...plan.idMap.keys()];
        for (const r of (await table.where(ref).anyOf(oldIds).toArray()) as Rec[]) {
          const key = keyOf(table, r);
          if (key !== undefined) del.push(key);
          moved.push({ row: { ...r, [ref]: remap(r[ref] as string) }, where: '' });
        }
      }
      if (!incoming.length && !moved.length) continue;
      const rows = [
        ...moved,
        ...incoming.map((s) =>
          ref && typeof s.row[ref] === 'string'
            ? { ...s, row: { ...s.row, [ref]: remap(s.row[ref] as string) } }
            : s,
        ),
      ];
      // Rows naming a paper that is neither imported nor in the library are dropped (reported).
      let missing = new Set<string>();
      if (ref) {
        const ids = [
          ...new Set(rows.map((s) => s.row[ref]).filter((x): x is string => typeof x === 'string')),
        ];
        const unknown = ids.filter((id) => !finalIds.has(id));
        const found = await db.papers.bulkGet(unknown);
        missing = new Set(unknown.filter((_, i) => !found[i] || plan.removed.has(unknown[i]!)));
      }
      const keys = rows.map((s) => keyOf(table, s.row));
      const existing = (await table.bulkGet(keys.filter((k) => k !== undefined))) as (
        Rec | undefined
      )[];
      const existingByKey = new Map<string, Rec>();
      keys
        .filter((k) => k !== undefined)
        .forEach((k, i) => {
          const e = existing[i];
          if (e) existingByKey.set(keyString(k), e);
        });
      for (const k of del) existingByKey.delete(keyString(k));
      const out = new Map<string, Rec>();
      rows.forEach((s, i) => {
        const isMoved = i < moved.length;
        const key = keys[i];
        if (key === undefined) {
          report.count(table.name, 'skipped');
          report.issue('skipped', s.where, 'has no valid primary key.');
          return;
        }
        if (ref && missing.has(s.row[ref] as string)) {
          if (!isMoved) {
            report.count(table.name, 'skipped');
            report.issue(
              'skipped',
              s.where,
              `names paper ${short(s.row[ref])}, which is neither in the file nor in the library.`,
            );
          }
          return;
        }
        const ks = keyString(key);
        const cur = out.get(ks) ?? existingByKey.get(ks);
        if (!cur) {
          out.set(ks, s.row);
          if (!isMoved) report.count(table.name, 'added');
          return;
        }
        const { merged, kept } = mergeGenericRow(table.name, cur, s.row);
        const changed = !deepEqual(merged, cur);
        if (changed) out.set(ks, merged);
        else if (isMoved) out.set(ks, cur);
        if (isMoved) return;
        if (kept && !deepEqual(cur, s.row)) {
          report.issue(
            'kept',
            s.where,
            `differs from this browser’s ${table.name} row ${short(ks)}; kept this browser’s.`,
          );
        }
        report.count(table.name, changed ? 'merged' : 'unchanged');
      });
      const put = [...out.entries()]
        .filter(([ks, r]) => !deepEqual(existingByKey.get(ks), r))
        .map(([, r]) => r);
      writes.push({ table, put, del });
    }

    // Saved-state changes, for tabs showing these papers.
    const savedChanges: SavedChange[] = [];
    const beforeByFinal = new Map<string, Rec>();
    // Several records joined into one: the one the row matched first (put in first) counts.
    for (const b of plan.before.values()) {
      const final = remap(b.id as string);
      if (!beforeByFinal.has(final)) beforeByFinal.set(final, b);
    }
    for (const [id, rec] of plan.put) {
      const before = beforeByFinal.get(id);
      if (isSaved(rec) !== (before ? isSaved(before) : false)) {
        savedChanges.push({ id, saved: isSaved(rec), aliases: rec.aliases as string[] });
      }
    }

    if (!opts.dryRun) {
      if (plan.removed.size) await db.papers.bulkDelete([...plan.removed]);
      await db.papers.bulkPut([...plan.put.values()] as unknown as PaperRecord[]);
      for (const w of writes) {
        if (w.del.length) await w.table.bulkDelete(w.del);
        if (w.put.length) await w.table.bulkPut(w.put);
      }
    }
    const result: ImportReport = {
      dryRun: opts.dryRun,
      mode: staged.mode,
      tables: report.tables,
      issues: report.issues,
      issueCounts: report.issueCounts,
      savedChanged: savedChanges.length,
      ms: Math.round(performance.now() - started),
    };
    return { report: result, savedChanges };
  });
}
