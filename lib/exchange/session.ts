/**
 * Import sessions in the background worker: rows staged by `import/stage` wait here (validated)
 * until `import/commit` writes them in one transaction, or `import/cancel` forgets them. Nothing
 * touches the database before the commit, so a cancel, an invalid row, a closed page or a worker
 * that is stopped mid-way leaves the library as it was. Sessions idle for SESSION_TTL_MS expire.
 */
import { formatCount, formatPosition } from '../count';
import type { PaperScoutDB } from '../db';
import { err, ok, type ChangedNotice, type Request, type Result } from '../messages';
import type { ImportReplies, ImportMode } from './protocol';
import { runImport, type StagedImport, type StagedRow } from './merge';
import { describeZodError, schemaFor } from './rows';

/** An idle session is forgotten after this long (the page pings every 20 s while it waits). */
export const SESSION_TTL_MS = 10 * 60_000;
/** At most this many rows are staged in all sessions together. */
export const MAX_STAGED_ROWS = 2_000_000;
const MAX_SESSIONS = 4;

interface Session extends StagedImport {
  id: string;
  source: string;
  dbVersion?: number;
  rows: number;
  touched: number;
}

const sessions = new Map<string, Session>();

function sweep(now: number): void {
  for (const [id, s] of sessions) if (now - s.touched > SESSION_TTL_MS) sessions.delete(id);
}

function stagedRows(): number {
  let n = 0;
  for (const s of sessions.values()) n += s.rows;
  return n;
}

type ImportRequest = Extract<Request, { type: keyof ImportReplies }>;

/** What the handler needs of the router's environment. */
export interface ImportEnv {
  db: PaperScoutDB;
  notify(notice: ChangedNotice): void;
}

const gone = (id: string) =>
  err(
    'not-found',
    `Import ${id} is no longer open (it was finished, cancelled, or the extension restarted). Nothing was written; start the import again.`,
  );

/** Answers one import request (already validated by the router). */
export async function handleImport(
  msg: ImportRequest,
  env: ImportEnv,
  now = Date.now(),
): Promise<Result<ImportReplies[keyof ImportReplies]>> {
  sweep(now);
  if (msg.type === 'import/begin') {
    if (sessions.size >= MAX_SESSIONS) {
      const oldest = [...sessions.values()].sort((a, b) => a.touched - b.touched)[0];
      if (oldest) sessions.delete(oldest.id);
    }
    const id = crypto.randomUUID();
    sessions.set(id, {
      id,
      mode: msg.mode as ImportMode,
      source: msg.source,
      dbVersion: msg.dbVersion,
      tables: new Map(),
      issues: [],
      rows: 0,
      touched: now,
    });
    return ok({ importId: id });
  }
  const s = sessions.get(msg.importId);
  if (msg.type === 'import/cancel') return ok({ cancelled: sessions.delete(msg.importId) });
  if (msg.type === 'import/ping') {
    if (s) s.touched = now;
    return ok({ alive: s !== undefined });
  }
  if (!s) return gone(msg.importId);
  s.touched = now;
  switch (msg.type) {
    case 'import/stage': {
      if (s.mode === 'citations' && msg.table !== 'papers') {
        return err('invalid', 'A bibliography import stages papers only.');
      }
      if (stagedRows() + msg.rows.length > MAX_STAGED_ROWS) {
        sessions.delete(s.id);
        return err(
          'invalid',
          `The file has more than ${formatCount(MAX_STAGED_ROWS)} rows; nothing was written.`,
        );
      }
      const schema = schemaFor(msg.table);
      const list: StagedRow[] = s.tables.get(msg.table) ?? [];
      // Rows of a table this database does not have are skipped at the commit, so they are only
      // counted: a newer version's table with a large row (or a link we would refuse) must not
      // refuse the whole backup.
      if (!env.db.tables.some((t) => t.name === msg.table)) {
        for (let i = 0; i < msg.rows.length; i++)
          list.push({
            row: {},
            where: `${msg.table} row ${formatPosition(msg.offset + i + 1)}`,
            n: msg.offset + i,
          });
        s.tables.set(msg.table, list);
        s.rows += msg.rows.length;
        return ok({ staged: list.length });
      }
      for (let i = 0; i < msg.rows.length; i++) {
        const raw = { ...msg.rows[i] };
        const hint = typeof raw.$where === 'string' ? raw.$where.slice(0, 200) : undefined;
        delete raw.$where;
        const where = hint ?? `${msg.table} row ${formatPosition(msg.offset + i + 1)}`;
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
          sessions.delete(s.id);
          return err(
            'invalid',
            `${where}${id(raw)}: ${describeZodError(parsed.error)}. Nothing was written.`,
          );
        }
        list.push({ row: parsed.data, where: `${where}${id(raw)}`, n: msg.offset + i });
      }
      // Messages may overtake each other (the page keeps several in flight): file order counts
      // (a later entry merges into an earlier one), so the rows are kept sorted by their offset.
      const prev = list.length - msg.rows.length - 1;
      if (prev >= 0 && (list[prev]!.n ?? 0) > msg.offset)
        list.sort((a, b) => (a.n ?? 0) - (b.n ?? 0));
      s.tables.set(msg.table, list);
      s.rows += msg.rows.length;
      return ok({ staged: list.length });
    }
    case 'import/preview': {
      const { report } = await runImport(env.db, s, { dryRun: true, now });
      return ok(report);
    }
    case 'import/commit': {
      // One commit per session: a second click finds it gone. A failed commit wrote nothing.
      sessions.delete(s.id);
      const { report, savedChanges } = await runImport(env.db, s, { dryRun: false, now });
      if (savedChanges.length) env.notify({ type: 'papers/changed', changes: savedChanges });
      return ok(report);
    }
  }
}

const id = (raw: Record<string, unknown>) =>
  typeof raw.id === 'string' ? ` (${raw.id.slice(0, 80)})` : '';

/** Open sessions (tests). */
export function openSessions(): number {
  return sessions.size;
}
