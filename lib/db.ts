/**
 * The database (IndexedDB through Dexie). Only extension pages and the background worker open it:
 * a content script would get the page's IndexedDB, so content scripts go through messages.
 *
 * Schema history (every version stays declared so an old database upgrades in place):
 * - v1: papers, sightings, visits, settings.
 * - v2: rules (watch rules) and hits (which paper matched which rule, for the Highlighted tab).
 * - v3: papers gain a multi-entry `tags` index (the reading list's tag vocabulary and filter).
 * - v4: sightings lose their `paperId` and `lastAt` indexes. `lastAt` was never queried, and the
 *   primary key `[paperId+url]` already finds a paper's sightings (Dexie queries `paperId` on it
 *   as a virtual index). Every sighting written cost three index entries; now one (a 1,000-card
 *   page writes 1,000 sightings).
 * - v5: no schema change; records stored under keys earlier versions made and the current code
 *   does not (`arxiv:math.DG/0501001`, `doi:10.1145/ABC`, a short title without its address) move
 *   to their current key, merging with a record already there; first, a record of arXiv paper A
 *   loses the aliases naming another arXiv paper B that older versions gave it, which made B's
 *   cards show A (lib/migrate-keys.ts).
 * @see https://dexie.org/docs/Tutorial/Design#database-versioning
 */
import { Dexie, type DBCoreMutateRequest, type EntityTable } from 'dexie';
import { rekeyStaleRecords } from './migrate-keys';
import type { SiteId } from './paper';

/** Reading state of a saved paper. */
export type ReadingState = 'inbox' | 'to-read' | 'reading' | 'done';

/** One paper, however many sites showed it. */
export interface PaperRecord {
  /** `arxiv:<id>`, `doi:<doi>`, or a provisional `acl:<id>` / `title:<normalized title>`. */
  id: string;
  /** Other keys this paper was known by (merged provisional records, DOI of an arXiv paper …). */
  aliases: string[];
  /** normalizeTitle(title): finds the record for a card with no id. */
  titleKey: string;
  title: string;
  abstract?: string;
  authors: string[];
  date?: string;
  year?: number;
  venue?: string;
  upvotes?: number;
  comments?: number;
  citations?: number;
  organization?: string;
  github?: string;
  categories?: string[];
  keywords?: string[];
  /** Topic ids of the paper's badges (watch rules of kind `topic` match them). */
  topics?: string[];
  arxivId?: string;
  doi?: string;
  aclId?: string;
  /** Highest arXiv version seen. */
  version?: number;
  /** Link per site the paper was seen on. */
  urls: Partial<Record<SiteId, string>>;
  pdfUrl?: string;
  /** Site the paper was saved from. */
  savedFrom?: SiteId;
  /** When saved (ms); absent when not saved, so the index lists only saved papers. */
  savedAt?: number;
  /** arXiv version current when the paper was saved (a later replacement is "new version"). */
  savedVersion?: number;
  note?: string;
  tags?: string[];
  state?: ReadingState;
  /** When the note, the tags, the reading state last changed (ms; lib/readinglist.ts). */
  noteAt?: number;
  tagsAt?: number;
  stateAt?: number;
  firstSeenAt: number;
  lastSeenAt: number;
  updatedAt: number;
  /**
   * Sightings kept in the record instead of as rows of `sightings`: the page a paper was first
   * recorded on (lib/library.ts `recordCards`). A row of the same paper and page, when there is
   * one, supersedes the entry (it was folded in when the row was written). A 1,000-card listing
   * of new papers then writes 1,000 records and no sighting rows: each put costs the worker
   * ~20-50 µs whatever its size (Blink clones and serializes the value, makes a request), and
   * the rows were ~30% of that page's worker time. Backups show them as sighting rows
   * (lib/exchange/backup.ts `readTables`).
   */
  inlineSightings?: InlineSighting[];
}

/** A sighting stored in its paper's record (`PaperRecord.inlineSightings`). */
export type InlineSighting = Omit<SightingRecord, 'paperId'>;

/** A paper seen on one page URL: first and last time, how often. One row per (paper, url). */
export interface SightingRecord {
  paperId: string;
  url: string;
  site: SiteId;
  firstAt: number;
  lastAt: number;
  count: number;
}

/** A listing page visit, to tell which papers are new since the last visit. */
export interface VisitRecord {
  url: string;
  /** Page load currently recorded (content script's random id). */
  loadId: string;
  /** When the current load started recording. */
  loadAt: number;
  /** When the previous load of this page happened; absent on the first visit. */
  prevLoadAt?: number;
}

/** What a watch rule looks for. */
export type RuleKind = 'words' | 'author' | 'organization' | 'topic' | 'category';

/** A watch rule: matching cards are highlighted in the rule's color. */
export interface RuleRecord {
  id: string;
  name: string;
  kind: RuleKind;
  /** Phrases (words kind), author names, organizations, topic ids or arXiv categories. */
  terms: string[];
  /** Phrases that cancel a match they contain ("diffusion MRI" for "diffusion"). */
  exclude: string[];
  /** CSS color, `#rrggbb`. */
  color: string;
  paused: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A paper that matched a rule: one row per (paper, rule). */
export interface HitRecord {
  paperId: string;
  ruleId: string;
  /** The words (as written on the page) that matched. */
  terms: string[];
  /** When the match was first seen. */
  at: number;
}

/** A key/value setting. */
export interface SettingRecord {
  key: string;
  value: unknown;
}

/** Tables whose writes are reported to `PaperScoutDB.writeListeners`. */
export type WatchedTable = 'papers' | 'sightings';

/**
 * Told of every write to papers or sightings when it is issued: the keys (papers: id; sightings:
 * `paperId + "\u0000" + url`), or null for a range (clear, delete by query), and the
 * transaction. May return a function called once that transaction has ended (committed or not).
 */
export type WriteListener = (
  table: WatchedTable,
  keys: string[] | null,
  trans: object,
) => (() => void) | void;

const SIGHTING_SEP = '\u0000';

/** The keys a write touches, as `WriteListener` names them; null when they cannot be told. */
function writtenKeys(table: WatchedTable, req: DBCoreMutateRequest): string[] | null {
  const name = (k: unknown): string | null =>
    table === 'papers'
      ? typeof k === 'string'
        ? k
        : null
      : Array.isArray(k) && typeof k[0] === 'string' && typeof k[1] === 'string'
        ? `${k[0]}${SIGHTING_SEP}${k[1]}`
        : null;
  let raw: unknown[] | undefined;
  if (req.type === 'delete') raw = req.keys;
  else if (req.type === 'put' || req.type === 'add') {
    raw =
      req.keys ??
      req.values.map((v: { id?: unknown; paperId?: unknown; url?: unknown } | null) =>
        table === 'papers' ? v?.id : [v?.paperId, v?.url],
      );
  }
  if (!raw) return null;
  const out: string[] = [];
  for (const k of raw) {
    const n = name(k);
    if (n === null) return null;
    out.push(n);
  }
  return out;
}

/** The Paper Scout database. */
export class PaperScoutDB extends Dexie {
  /** See `WriteListener` (the worker's cache of known papers: lib/librarycache.ts). */
  readonly writeListeners = new Set<WriteListener>();

  papers!: EntityTable<PaperRecord, 'id'>;
  sightings!: Dexie.Table<SightingRecord, [string, string]>;
  visits!: EntityTable<VisitRecord, 'url'>;
  settings!: EntityTable<SettingRecord, 'key'>;
  rules!: EntityTable<RuleRecord, 'id'>;
  hits!: Dexie.Table<HitRecord, [string, string]>;

  constructor(name = 'paper-scout') {
    super(name);
    this.version(1).stores({
      papers: 'id, *aliases, titleKey, savedAt, lastSeenAt',
      sightings: '[paperId+url], paperId, lastAt',
      visits: 'url',
      settings: 'key',
    });
    this.version(2).stores({
      rules: 'id, updatedAt',
      hits: '[paperId+ruleId], ruleId, paperId, at',
    });
    this.version(3).stores({
      papers: 'id, *aliases, titleKey, savedAt, lastSeenAt, *tags',
    });
    this.version(4).stores({
      sightings: '[paperId+url]',
    });
    // A card of a paper saved under an old key found no record: it showed unsaved, and saving it
    // made a second record beside the one holding the note.
    this.version(5)
      .stores({})
      .upgrade((tx) =>
        rekeyStaleRecords({
          papers: tx.table('papers'),
          sightings: tx.table('sightings'),
          hits: tx.table('hits'),
        }),
      );
    // Every write to papers and sightings, whoever makes it, is reported (a DBCore middleware
    // sees them all: puts, deletes, clears, deletes and changes by query).
    this.use({
      stack: 'dbcore',
      name: 'paper-scout-writes',
      create: (down) => ({
        ...down,
        table: (tableName) => {
          const table = down.table(tableName);
          if (tableName !== 'papers' && tableName !== 'sightings') return table;
          const watched: WatchedTable = tableName;
          return {
            ...table,
            mutate: (req) => {
              if (this.writeListeners.size) {
                const keys = writtenKeys(watched, req);
                const trans = req.trans as unknown as Partial<IDBTransaction> & object;
                const done: (() => void)[] = [];
                for (const l of this.writeListeners) {
                  const d = l(watched, keys, trans);
                  if (d) done.push(d);
                }
                if (done.length) {
                  let ended = false;
                  const end = () => {
                    if (ended) return;
                    ended = true;
                    for (const d of done) d();
                  };
                  if (typeof trans.addEventListener === 'function') {
                    trans.addEventListener('complete', end);
                    trans.addEventListener('abort', end);
                  } else end();
                }
              }
              return table.mutate(req);
            },
          };
        },
      }),
    });
  }
}

let instance: PaperScoutDB | undefined;

/** The shared database instance (opened lazily, so importing this module does no work). */
export function getDb(): PaperScoutDB {
  instance ??= new PaperScoutDB();
  return instance;
}
