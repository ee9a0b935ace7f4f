/**
 * The reading list's write paths: a paper's note, tags and reading state (each change stamped with
 * its time), bulk changes over many papers, and their undo. Runs in the background worker (and in
 * unit tests against fake-indexeddb); every write is one Dexie transaction.
 *
 * Undo is a snapshot: a bulk change answers with the previous value of every field it changed, and
 * `restore` puts those values back (a field that was absent is removed again). The page holds the
 * snapshot, so an undo still works after the background worker was stopped and restarted.
 */
import type { PaperRecord, PaperScoutDB, ReadingState } from './db';
import type { SiteId } from './paper';

/** Reading states in the order `s` cycles through them. */
export const STATES: readonly ReadingState[] = ['inbox', 'to-read', 'reading', 'done'];

/** How each state is shown. */
export const STATE_LABELS: Record<ReadingState, string> = {
  inbox: 'Inbox',
  'to-read': 'To read',
  reading: 'Reading',
  done: 'Done',
};

/** Limits of what a person writes (the message schemas use them too). */
export const NOTE_MAX = 20_000;
/**
 * How long a note an edit may send: a record joined from others holds their notes one after the
 * other (lib/library.ts `absorb`), so it can be longer than NOTE_MAX. Such a note can be edited
 * (shortened, corrected) but not made longer: see `applyAnnotation`.
 */
export const NOTE_JOINED_MAX = NOTE_MAX * 10;
export const TAG_MAX = 64;
export const TAGS_MAX = 64;

/** The state after `s` (done wraps to inbox). */
export function nextState(s: ReadingState | undefined): ReadingState {
  const i = STATES.indexOf(s ?? 'inbox');
  return STATES[(i + 1) % STATES.length] ?? 'inbox';
}

/** One tag as stored: trimmed, inner spaces collapsed, at most TAG_MAX characters; '' if nothing. */
export function normalizeTag(tag: string): string {
  return tag.replace(/\s+/g, ' ').trim().slice(0, TAG_MAX).trim();
}

/**
 * Tags as stored: normalized, empty ones dropped, duplicates (ignoring case) dropped, first kept,
 * at most `max` (TAGS_MAX; a record joined from two may already hold more: see applyAnnotation).
 */
export function normalizeTags(tags: readonly string[], max: number = TAGS_MAX): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tags) {
    const n = normalizeTag(t);
    const k = n.toLowerCase();
    if (!n || seen.has(k)) continue;
    seen.add(k);
    out.push(n);
    if (out.length >= max) break;
  }
  return out;
}

/** What the note panel shows and edits (all a content script ever gets of a record). */
export interface PaperView {
  id: string;
  title: string;
  saved: boolean;
  note: string;
  tags: string[];
  state: ReadingState;
  noteAt?: number;
  tagsAt?: number;
  stateAt?: number;
}

/** The panel's view of a record. */
export function viewOf(p: PaperRecord): PaperView {
  const v: PaperView = {
    id: p.id,
    title: p.title,
    saved: p.savedAt !== undefined,
    note: p.note ?? '',
    tags: p.tags ?? [],
    state: p.state ?? 'inbox',
  };
  if (p.noteAt !== undefined) v.noteAt = p.noteAt;
  if (p.tagsAt !== undefined) v.tagsAt = p.tagsAt;
  if (p.stateAt !== undefined) v.stateAt = p.stateAt;
  return v;
}

/** A record by id or by one of its aliases (a merged provisional id). */
export async function findPaper(db: PaperScoutDB, id: string): Promise<PaperRecord | undefined> {
  return (await db.papers.get(id)) ?? (await db.papers.where('aliases').equals(id).first());
}

/** Every tag in use, sorted ignoring case (the autocomplete's vocabulary). */
export async function allTags(db: PaperScoutDB): Promise<string[]> {
  const keys = (await db.papers.orderBy('tags').uniqueKeys()) as string[];
  return dedupeSorted(keys);
}

function dedupeSorted(tags: string[]): string[] {
  const byLower = new Map<string, string>();
  for (const t of tags)
    if (typeof t === 'string' && !byLower.has(t.toLowerCase())) byLower.set(t.toLowerCase(), t);
  return [...byLower.values()].sort((a, b) =>
    a.localeCompare(b, undefined, { sensitivity: 'base' }),
  );
}

/** A change to one paper's note, tags or state (absent fields stay as they are). */
export interface Annotation {
  note?: string;
  tags?: string[];
  /**
   * The tags `tags` was edited from. When given, only the difference is applied to the stored
   * tags (added ones added, removed ones removed), so two editors of one paper keep each other's.
   */
  tagsWas?: string[];
  state?: ReadingState;
}

/** `a.tags`, or with `a.tagsWas` the stored tags changed by the editor's own additions and removals. */
function wantedTags(rec: PaperRecord, a: Annotation): string[] {
  const tags = a.tags ?? [];
  if (!a.tagsWas) return tags;
  const key = (t: string) => normalizeTag(t).toLowerCase();
  const was = new Set(a.tagsWas.map(key));
  const now = new Set(tags.map(key));
  const removed = new Set([...was].filter((k) => !now.has(k)));
  const kept = (rec.tags ?? []).filter((t) => !removed.has(key(t)));
  return [...kept, ...tags.filter((t) => !was.has(key(t)))];
}

/**
 * Applies an annotation to a record (pure). Only fields whose value really changes are written and
 * stamped; the record is returned unchanged (same object) when nothing changes.
 */
export function applyAnnotation(rec: PaperRecord, a: Annotation, now: number): PaperRecord {
  const next: PaperRecord = { ...rec };
  let changed = false;
  if (a.note !== undefined) {
    // NOTE_MAX, or the stored note's length when a join made it longer (an edit of it must not
    // cut what the user did not touch; the editors only let it shrink: components/NotePanel.tsx).
    const note = a.note.slice(0, Math.max(NOTE_MAX, rec.note?.length ?? 0));
    if (note !== (rec.note ?? '')) {
      if (note.trim()) next.note = note;
      else delete next.note;
      next.noteAt = now;
      changed = true;
    }
  }
  if (a.tags !== undefined) {
    // A record joined from two (lib/library.ts `absorb`) may hold more than TAGS_MAX tags: an
    // edit or a bulk "add tag" must not cut the ones it keeps (80 tags became 64).
    const tags = normalizeTags(wantedTags(rec, a), Math.max(TAGS_MAX, rec.tags?.length ?? 0));
    const before = rec.tags ?? [];
    if (tags.length !== before.length || tags.some((t, i) => t !== before[i])) {
      if (tags.length) next.tags = tags;
      else delete next.tags;
      next.tagsAt = now;
      changed = true;
    }
  }
  if (a.state !== undefined && a.state !== (rec.state ?? 'inbox')) {
    next.state = a.state;
    next.stateAt = now;
    changed = true;
  } else if (a.state !== undefined && rec.state === undefined) {
    // Stored explicitly the first time it is chosen, so filters see it; not a change of state.
    next.state = a.state;
    changed = true;
  }
  if (!changed) return rec;
  next.updatedAt = now;
  return next;
}

/** Changes one paper's note, tags or state. Null when there is no such paper. */
export async function annotate(
  db: PaperScoutDB,
  id: string,
  a: Annotation,
  now = Date.now(),
): Promise<PaperRecord | null> {
  return db.transaction('rw', db.papers, async () => {
    const rec = await findPaper(db, id);
    if (!rec) return null;
    const next = applyAnnotation(rec, a, now);
    if (next !== rec) await db.papers.put(next);
    return next;
  });
}

/** A bulk change over selected papers. */
export type BulkOp =
  | { kind: 'state'; state: ReadingState }
  | { kind: 'addTag'; tag: string }
  | { kind: 'removeTag'; tag: string }
  | { kind: 'unsave' };

/**
 * What a paper was before a bulk change: for each field the change touched, its old value, or
 * null when the field was absent (restore removes it then).
 */
export interface Snapshot {
  id: string;
  state?: ReadingState | null;
  stateAt?: number | null;
  tags?: string[] | null;
  tagsAt?: number | null;
  savedAt?: number | null;
  savedFrom?: PaperRecord['savedFrom'] | null;
  savedVersion?: number | null;
}

/** The fields a snapshot may carry (besides `id`). */
export const SNAPSHOT_FIELDS = [
  'state',
  'stateAt',
  'tags',
  'tagsAt',
  'savedAt',
  'savedFrom',
  'savedVersion',
] as const;

function snapshotOf(
  rec: PaperRecord,
  fields: readonly (typeof SNAPSHOT_FIELDS)[number][],
): Snapshot {
  const s: Snapshot = { id: rec.id };
  const out = s as unknown as Record<string, unknown>;
  for (const f of fields) out[f] = rec[f] ?? null;
  return s;
}

/** The result of a bulk change: the records written, and how to undo it. */
export interface BulkResult {
  changed: PaperRecord[];
  undo: Snapshot[];
}

/** Applies one bulk change to one record (pure); the same object back when nothing changes. */
function applyBulk(rec: PaperRecord, op: BulkOp, now: number): PaperRecord {
  switch (op.kind) {
    case 'state':
      return applyAnnotation(rec, { state: op.state }, now);
    case 'addTag': {
      const tag = normalizeTag(op.tag);
      return tag ? applyAnnotation(rec, { tags: [...(rec.tags ?? []), tag] }, now) : rec;
    }
    case 'removeTag': {
      const k = normalizeTag(op.tag).toLowerCase();
      return applyAnnotation(
        rec,
        { tags: (rec.tags ?? []).filter((t) => t.toLowerCase() !== k) },
        now,
      );
    }
    case 'unsave': {
      if (rec.savedAt === undefined) return rec;
      const next = { ...rec, updatedAt: now };
      delete next.savedAt;
      delete next.savedVersion;
      return next;
    }
  }
}

const FIELDS_OF: Record<BulkOp['kind'], readonly (typeof SNAPSHOT_FIELDS)[number][]> = {
  state: ['state', 'stateAt'],
  addTag: ['tags', 'tagsAt'],
  removeTag: ['tags', 'tagsAt'],
  unsave: ['savedAt', 'savedFrom', 'savedVersion'],
};

/** Applies `op` to every paper of `ids` (ids or aliases; unknown ones are skipped). */
export async function bulkChange(
  db: PaperScoutDB,
  ids: readonly string[],
  op: BulkOp,
  now = Date.now(),
): Promise<BulkResult> {
  return db.transaction('rw', db.papers, async () => {
    const unique = [...new Set(ids)];
    const found = await db.papers.bulkGet(unique);
    const missing = unique.filter((_, i) => !found[i]);
    const byAlias = missing.length ? await db.papers.where('aliases').anyOf(missing).toArray() : [];
    const recs = new Map<string, PaperRecord>();
    for (const r of [...found, ...byAlias]) if (r) recs.set(r.id, r);
    const changed: PaperRecord[] = [];
    const undo: Snapshot[] = [];
    for (const rec of recs.values()) {
      const next = applyBulk(rec, op, now);
      if (next === rec) continue;
      changed.push(next);
      undo.push(snapshotOf(rec, FIELDS_OF[op.kind]));
    }
    if (changed.length) await db.papers.bulkPut(changed);
    return { changed, undo };
  });
}

/** Puts snapshotted fields back (undo of a bulk change). Returns the records written. */
export async function restore(
  db: PaperScoutDB,
  snapshots: readonly Snapshot[],
  now = Date.now(),
): Promise<PaperRecord[]> {
  return db.transaction('rw', db.papers, async () => {
    const found = await db.papers.bulkGet(snapshots.map((s) => s.id));
    // A paper that moved to another id since (a card revealed its arXiv id) is found by alias.
    const missing = snapshots.filter((_, i) => !found[i]).map((s) => s.id);
    const byAlias = new Map<string, PaperRecord>();
    if (missing.length) {
      for (const r of await db.papers.where('aliases').anyOf(missing).toArray())
        for (const a of r.aliases) byAlias.set(a, r);
    }
    const out = new Map<string, PaperRecord>();
    snapshots.forEach((s, i) => {
      const stored = found[i] ?? byAlias.get(s.id);
      if (!stored) return;
      const rec = out.get(stored.id) ?? stored;
      const next = { ...rec, updatedAt: now } as unknown as Record<string, unknown>;
      for (const f of SNAPSHOT_FIELDS) {
        if (!(f in s)) continue;
        const v = s[f];
        if (v === null || v === undefined) delete next[f];
        else next[f] = v;
      }
      out.set(stored.id, next as unknown as PaperRecord);
    });
    if (out.size) await db.papers.bulkPut([...out.values()]);
    return [...out.values()];
  });
}

/** The best link for a paper: where it was saved from, else any site, else arXiv. */
export function paperLink(
  p: Pick<PaperRecord, 'savedFrom' | 'urls' | 'arxivId'>,
): string | undefined {
  const url = (p.savedFrom && p.urls[p.savedFrom]) ?? Object.values(p.urls)[0];
  if (url && /^https:\/\//.test(url)) return url;
  return p.arxivId ? `https://arxiv.org/abs/${p.arxivId}` : undefined;
}

/** Characters of a note a list row carries (the row shows one line; the editor reads the rest). */
const ROW_NOTE = 400;

/** What the popup's list needs of a saved paper (small: 10,000 of them travel between threads). */
export interface ListRow {
  id: string;
  title: string;
  /** First authors (at most 3) and the total. */
  authors: string[];
  authorCount: number;
  organization?: string;
  date?: string;
  /** Paper date as a number for sorting (ms, or the year's first day; 0 when unknown). */
  dateKey: number;
  upvotes?: number;
  savedAt: number;
  savedFrom?: SiteId;
  /** Sites the paper was seen on. */
  sites: SiteId[];
  href?: string;
  state: ReadingState;
  tags: string[];
  /** The note's beginning (ROW_NOTE characters). */
  note: string;
  /** Topic ids (from the topic badges; empty until a paper has any). */
  topics: string[];
}

/** The list row of a saved record. */
export function rowOf(p: PaperRecord): ListRow {
  const parsed = p.date ? Date.parse(p.date) : NaN;
  const row: ListRow = {
    id: p.id,
    title: p.title,
    authors: p.authors.slice(0, 3),
    authorCount: p.authors.length,
    dateKey: Number.isNaN(parsed) ? (p.year ? Date.UTC(p.year, 0, 1) : 0) : parsed,
    savedAt: p.savedAt ?? 0,
    sites: Object.keys(p.urls) as SiteId[],
    state: p.state ?? 'inbox',
    tags: p.tags ?? [],
    note: (p.note ?? '').slice(0, ROW_NOTE),
    topics: p.topics ?? [],
  };
  const href = paperLink(p);
  if (href) row.href = href;
  if (p.organization) row.organization = p.organization;
  if (p.date) row.date = p.date;
  if (p.upvotes !== undefined) row.upvotes = p.upvotes;
  if (p.savedFrom) row.savedFrom = p.savedFrom;
  return row;
}
