/**
 * The JSON backup: every table of the database (whatever tables a later version adds: rules,
 * hits, topics …), read in one transaction, written losslessly with a format version and the
 * database's schema. One row per line, so a backup reads well in a text editor and diffs well.
 *
 * ```json
 * { "format": "paper-scout-backup", "version": 1, "exportedAt": "…", "app": {…},
 *   "database": { "name": "paper-scout", "version": 3, "tables": { "papers": "id, *aliases, …" } },
 *   "scope": "all", "counts": { "papers": 2, … },
 *   "tables": { "papers": [ {…}, {…} ], "sightings": [ … ], … } }
 * ```
 */
import type { Table } from 'dexie';
import { formatCount, formatPosition } from '../count';
import type { PaperScoutDB } from '../db';
import { sightingKey } from '../librarycache';
import { ExchangeError, jsonErrorOffset, lineCol, lineText } from './errors';

/** The `format` of a Paper Scout backup. */
export const BACKUP_FORMAT = 'paper-scout-backup';
/** The backup format version this code writes (and the newest it reads). */
export const BACKUP_VERSION = 1;

/** A backup's header (everything but the rows). */
export interface BackupMeta {
  format: typeof BACKUP_FORMAT;
  version: number;
  exportedAt: string;
  app: { name: string; version?: string };
  database: { name: string; version: number; tables: Record<string, string> };
  /** `all`: the whole database; `selection`: some papers and the rows that name them. */
  scope: 'all' | 'selection';
  counts: Record<string, number>;
}

type Row = Record<string, unknown>;

/** The Dexie schema line of a table ("id, *aliases, titleKey"). */
function schemaLine(t: Table): string {
  return [t.schema.primKey, ...t.schema.indexes].map((ix) => ix.src).join(', ');
}

function inlineKeyed(db: PaperScoutDB): Table[] {
  for (const t of db.tables) {
    if (t.schema.primKey.keyPath === null || t.schema.primKey.keyPath === undefined) {
      throw new Error(
        `Table ${t.name} has no inline primary key; lib/exchange/backup.ts must learn to back it up.`,
      );
    }
  }
  return db.tables;
}

/** Which field of a table's rows names a paper (sightings, hits …), if any. */
export function paperRefOf(t: Table): string | undefined {
  const paths = [t.schema.primKey, ...t.schema.indexes].flatMap((ix) =>
    ix.keyPath === null || ix.keyPath === undefined ? [] : [ix.keyPath].flat(),
  );
  return paths.includes('paperId') ? 'paperId' : undefined;
}

/**
 * Reads the database in one transaction: every table, or (given `paperIds`) those papers and the
 * rows of other tables that name them.
 */
export async function readTables(
  db: PaperScoutDB,
  paperIds?: readonly string[],
): Promise<Map<string, Row[]>> {
  const tables = inlineKeyed(db);
  return db.transaction('r', tables, async () => {
    const out = new Map<string, Row[]>();
    for (const t of tables) {
      if (!paperIds) out.set(t.name, (await t.toArray()) as Row[]);
      else if (t.name === 'papers') {
        out.set(
          t.name,
          ((await t.bulkGet([...paperIds])) as (Row | undefined)[]).filter((r): r is Row => !!r),
        );
      } else {
        const ref = paperRefOf(t);
        if (ref)
          out.set(
            t.name,
            (await t
              .where(ref)
              .anyOf([...paperIds])
              .toArray()) as Row[],
          );
      }
    }
    return spreadInlineSightings(out);
  });
}

/**
 * The tables with the sightings papers hold in their records (`PaperRecord.inlineSightings`) as
 * rows of `sightings`, the form every backup has had: a file reads the same whichever way a
 * version stored them, and imports into any version. A row of the same paper and page, when
 * there is one, supersedes the record's entry (lib/library.ts), so that entry is left out.
 */
export function spreadInlineSightings(tables: Map<string, Row[]>): Map<string, Row[]> {
  const papers = tables.get('papers');
  const rows = tables.get('sightings');
  if (!papers || !rows) return tables;
  const hasRow = new Set(rows.map((r) => sightingKey(String(r.paperId), String(r.url))));
  const extra: Row[] = [];
  const plain = papers.map((p) => {
    const inline = p.inlineSightings;
    if (inline === undefined) return p;
    const rest = { ...p };
    delete rest.inlineSightings;
    if (Array.isArray(inline)) {
      for (const e of inline as Row[]) {
        if (!hasRow.has(sightingKey(String(p.id), String(e.url))))
          extra.push({ paperId: p.id, ...e });
      }
    }
    return rest;
  });
  tables.set('papers', plain);
  if (extra.length) tables.set('sightings', [...rows, ...extra]);
  return tables;
}

/** The backup file's text. */
export function serializeBackup(
  db: PaperScoutDB,
  tables: Map<string, Row[]>,
  opts: { scope: 'all' | 'selection'; appVersion?: string; now?: Date },
): string {
  const meta: BackupMeta = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: (opts.now ?? new Date()).toISOString(),
    app: { name: 'Paper Scout', ...(opts.appVersion ? { version: opts.appVersion } : {}) },
    database: {
      name: db.name,
      version: db.verno,
      tables: Object.fromEntries(db.tables.map((t) => [t.name, schemaLine(t)])),
    },
    scope: opts.scope,
    counts: Object.fromEntries([...tables].map(([name, rows]) => [name, rows.length])),
  };
  const head = JSON.stringify(meta, null, 2).replace(/\n}$/, '');
  const parts: string[] = [head, ',\n  "tables": {'];
  let first = true;
  for (const [name, rows] of tables) {
    parts.push(`${first ? '' : ','}\n    ${JSON.stringify(name)}: [`);
    first = false;
    for (let i = 0; i < rows.length; i++) {
      parts.push(`${i ? ',' : ''}\n      ${JSON.stringify(rows[i])}`);
    }
    parts.push(rows.length ? '\n    ]' : ']');
  }
  parts.push('\n  }\n}\n');
  return parts.join('');
}

/** A parsed backup: its header and rows per table (rows are checked by the background). */
export interface ParsedBackup {
  meta: BackupMeta;
  tables: Map<string, Row[]>;
}

/** Says where JSON.parse failed (line, column, the line's text). */
export function jsonError(text: string, e: unknown, what: string): ExchangeError {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /line (\d+) column (\d+)/.exec(msg);
  const pos = /position (\d+)/.exec(msg);
  let line: number | undefined;
  let column: number | undefined;
  if (m) {
    line = Number(m[1]);
    column = Number(m[2]);
  } else {
    const at = pos ? Number(pos[1]) : jsonErrorOffset(text);
    if (at !== null) ({ line, column } = lineCol(text, at));
  }
  const reason = msg
    .replace(/^JSON\.parse: /, '')
    .replace(/\s*(in JSON )?at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/, "[\s\S]*" is not valid JSON$/, '')
    .replace(/, \.\.\.[\s\S]*$/, '');
  if (line === undefined || column === undefined) {
    return new ExchangeError(`This ${what} is not valid JSON (${reason}). It may be cut off.`);
  }
  const excerpt = lineText(text, line);
  return new ExchangeError(
    `This ${what} is not valid JSON: ${reason} at line ${formatPosition(line)}, column ${formatPosition(column)}${excerpt ? ` (“${excerpt}”)` : ''}. It may be cut off or edited by hand.`,
    line,
  );
}

/**
 * Deepest nesting of objects and arrays a backup's row may have. Our rows nest a few levels (the
 * learned topics setting, five); JSON.parse reads any depth, but a row nested thousands deep
 * overflowed the stack of every later step that walks it (measuring it for the message, the
 * message's copy, the worker's checks) and the import failed with "Maximum call stack size
 * exceeded".
 */
export const MAX_ROW_DEPTH = 64;

/** Whether `v` nests objects/arrays more than `max` levels (a loop: any depth is safe to ask). */
function nestingExceeds(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length) {
    const [x, depth] = stack.pop()!;
    if (depth > max) return true;
    const children = Array.isArray(x) ? x : Object.values(x as object);
    for (const c of children) if (typeof c === 'object' && c !== null) stack.push([c, depth + 1]);
  }
  return false;
}

/** Reads a backup file's structure. Throws ExchangeError saying what is wrong and where. */
export function parseBackup(text: string): ParsedBackup {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw jsonError(text, e, 'backup');
  }
  const o = data as Partial<BackupMeta> & { tables?: unknown };
  if (
    typeof data !== 'object' ||
    data === null ||
    Array.isArray(data) ||
    o.format !== BACKUP_FORMAT
  ) {
    throw new ExchangeError(
      `This JSON file is not a Paper Scout backup (it has no "format": "${BACKUP_FORMAT}").`,
    );
  }
  if (typeof o.version !== 'number' || !Number.isInteger(o.version) || o.version < 1) {
    throw new ExchangeError('This backup has no valid "version".');
  }
  if (o.version > BACKUP_VERSION) {
    throw new ExchangeError(
      `This backup was written by a newer Paper Scout (backup format ${o.version}; this version reads up to ${BACKUP_VERSION}). Update the extension, then import it.`,
    );
  }
  if (typeof o.tables !== 'object' || o.tables === null || Array.isArray(o.tables)) {
    throw new ExchangeError('This backup has no "tables" object.');
  }
  const tables = new Map<string, Row[]>();
  for (const [name, rows] of Object.entries(o.tables as Record<string, unknown>)) {
    if (!Array.isArray(rows))
      throw new ExchangeError(`Table "${name.slice(0, 64)}" of this backup is not a list of rows.`);
    const bad = rows.findIndex((r) => typeof r !== 'object' || r === null || Array.isArray(r));
    if (bad !== -1)
      throw new ExchangeError(
        `Row ${formatPosition(bad + 1)} of table "${name.slice(0, 64)}" is not an object.`,
      );
    const deep = rows.findIndex((r) => nestingExceeds(r, MAX_ROW_DEPTH));
    if (deep !== -1)
      throw new ExchangeError(
        `Row ${formatPosition(deep + 1)} of table "${name.slice(0, 64)}" nests values more than ${formatCount(MAX_ROW_DEPTH)} levels deep, which no row of Paper Scout does; this file was not written by Paper Scout. Nothing was written.`,
      );
    tables.set(name, rows as Row[]);
  }
  return { meta: o as BackupMeta, tables };
}
