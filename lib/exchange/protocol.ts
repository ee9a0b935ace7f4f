/**
 * The import messages (extension pages → background worker). An import is staged in chunks and
 * written in ONE Dexie transaction at the end, so a 10,000-paper file never has to fit in one
 * message and a cancel, a refused row or a closed page leaves the library untouched:
 *
 *   import/begin → import/stage × n (rows of one table each) → import/preview (dry run, nothing
 *   written) → import/commit (one transaction) | import/cancel
 *
 * The router checks only the envelope here (lib/messages.ts spreads `IMPORT_REQUESTS` into its
 * union); every staged row is then validated against its table's zod schema (lib/exchange/rows.ts)
 * in the background before it is kept. Kept free of Dexie and of the row schemas so the content
 * scripts, which share lib/messages.ts, do not grow.
 */
import { z } from 'zod';

/** Rows per `import/stage` message (the page also keeps each message under STAGE_MAX_BYTES). */
export const STAGE_MAX_ROWS = 2_000;
/** Bytes (of JSON) per `import/stage` message: far below Chrome's 64 MiB message limit. */
export const STAGE_MAX_BYTES = 8 * 1024 * 1024;

const id = z.string().min(1).max(64);
/** What a table of ours may be called (a name outside it is a table this version cannot have). */
export const TABLE_NAME = /^[A-Za-z_$][\w$]{0,63}$/;
const tableName = z.string().regex(TABLE_NAME, 'must be a table name');

/** How staged papers merge into the library. */
export const ImportModeSchema = z.enum(['backup', 'citations']);
/** `backup`: a Paper Scout backup (newest change wins per field); `citations`: BibTeX/RIS/CSL-JSON. */
export type ImportMode = z.infer<typeof ImportModeSchema>;

/** The import requests, spread into `Request` of lib/messages.ts. */
export const IMPORT_REQUESTS = [
  /** Extension page: opens an import session; the worker answers its id. */
  z.object({
    type: z.literal('import/begin'),
    mode: ImportModeSchema,
    /** What is imported, for messages: "paper-scout-2026-11-23.json (JSON backup)". */
    source: z.string().max(300),
    /** The backup's database version (`backup` mode): newer than ours → fields we keep as they are. */
    dbVersion: z.number().int().nonnegative().max(1e6).optional(),
  }),
  /** Extension page: rows of one table, the `offset`-th onwards of that table in the file. */
  z.object({
    type: z.literal('import/stage'),
    importId: id,
    table: tableName,
    offset: z.number().int().nonnegative().max(1e8),
    rows: z.array(z.record(z.string(), z.unknown())).max(STAGE_MAX_ROWS),
  }),
  /** Extension page: what a commit would do now (nothing is written). */
  z.object({ type: z.literal('import/preview'), importId: id }),
  /** Extension page: write the staged rows in one transaction; the session ends. */
  z.object({ type: z.literal('import/commit'), importId: id }),
  /** Extension page: forget the staged rows (nothing was written); also keeps a session alive. */
  z.object({ type: z.literal('import/cancel'), importId: id }),
  /** Extension page: still there? (an MV3 worker stops after 30 s without events). */
  z.object({ type: z.literal('import/ping'), importId: id }),
] as const;

/** Counts of one table's rows in an import. */
export interface TableCounts {
  /** Rows not in the library before. */
  added: number;
  /** Rows that changed an existing one. */
  merged: number;
  /** Rows identical to what the library has (or adding nothing to it). */
  unchanged: number;
  /** Rows not imported (each has an issue saying why). */
  skipped: number;
}

/** Something the person should know about one row: why it was skipped, which value won. */
export interface ImportIssue {
  /**
   * `skipped`: a row or entry not imported; `dropped`: values of an entry not kept (fields
   * Paper Scout has no place for, text cut to its limits); `conflict`: a value replaced by a newer
   * one; `kept`: a row merged into another, this browser's differing row kept, or a key of the
   * row left with another paper that holds it (their arXiv ids or DOIs differ).
   */
  kind: 'skipped' | 'dropped' | 'conflict' | 'kept';
  /** Where: "papers row 12 (arxiv:2401.00001)". */
  where: string;
  message: string;
}

/** What an import did (commit) or would do (preview). */
export interface ImportReport {
  dryRun: boolean;
  mode: ImportMode;
  /** Per table; `papers` first. */
  tables: Record<string, TableCounts>;
  /** Issues, at most MAX_ISSUES (the counts say how many there were of each kind). */
  issues: ImportIssue[];
  issueCounts: Record<ImportIssue['kind'], number>;
  /** Papers whose saved state changed (tabs are told). */
  savedChanged: number;
  /** Milliseconds the worker spent (planning, and writing for a commit). */
  ms: number;
}

/** The reply type of each import request (lib/messages.ts `Replies` extends this). */
export interface ImportReplies {
  'import/begin': { importId: string };
  'import/stage': { staged: number };
  'import/preview': ImportReport;
  'import/commit': ImportReport;
  'import/cancel': { cancelled: boolean };
  'import/ping': { alive: boolean };
}
