/**
 * Helpers of the export/import tests: a fresh database, a `send` that goes through the real
 * message router (zod envelope, sender check, session handling), a whole import, paper factories.
 */
import 'fake-indexeddb/auto';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import { PaperScoutDB, type PaperRecord } from '../../lib/db';
import type { ChangedNotice } from '../../lib/messages';
import {
  commitImport,
  parseImport,
  previewImport,
  stageImport,
  type ParsedImport,
  type Sender,
} from '../../lib/exchange/import';
import type { ImportReport } from '../../lib/exchange/protocol';
import { readTables } from '../../lib/exchange/backup';

const EXT = 'abcdefghijklmnop';
export const ORIGIN = `chrome-extension://${EXT}/`;
/** The options page as a sender. */
export const OPTIONS_PAGE: SenderInfo = { id: EXT, url: `${ORIGIN}options.html` };
/** A content script on a supported page as a sender. */
export const CONTENT: SenderInfo = {
  id: EXT,
  url: 'https://huggingface.co/papers',
  tab: { id: 3 },
};

let n = 0;
/** A new, empty, open database. */
export async function newDb(): Promise<PaperScoutDB> {
  const db = new PaperScoutDB(`exchange-${n++}-${Math.random().toString(36).slice(2)}`);
  await db.open();
  return db;
}

/** The router's environment for `db`, collecting notices. */
export function envOf(db: PaperScoutDB): RouterEnv & { notices: ChangedNotice[] } {
  const notices: ChangedNotice[] = [];
  return {
    db,
    extensionId: EXT,
    extensionOrigin: ORIGIN,
    notify: (x) => void notices.push(x as ChangedNotice),
    notices,
  };
}

/** A Sender that answers through the real router, as the options page's messages are. */
export function sender(env: RouterEnv, from: SenderInfo = OPTIONS_PAGE): Sender {
  // A structured clone, like a real message; the reply too.
  return (async (req: unknown) =>
    structuredClone(await handleMessage(structuredClone(req), from, env))) as Sender;
}

/** Parses, stages, previews and commits `text` into `db`. */
export async function importText(
  db: PaperScoutDB,
  text: string,
  fileName: string,
  now = 1_800_000_000_000,
): Promise<{
  parsed: ParsedImport;
  preview: ImportReport;
  report: ImportReport;
  env: ReturnType<typeof envOf>;
}> {
  const env = envOf(db);
  const send = sender(env);
  const parsed = await parseImport(text, fileName, { now });
  const id = await stageImport(parsed, send);
  const preview = await previewImport(id, parsed, send);
  const report = await commitImport(id, parsed, send);
  return { parsed, preview, report, env };
}

/** Every table's rows, sorted by primary key (to compare databases). */
export async function dump(db: PaperScoutDB): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of db.tables) {
    const rows = await t.toArray();
    const keys = (await t.toCollection().primaryKeys()).map((k) => JSON.stringify(k));
    out[t.name] = rows
      .map((r, i) => [keys[i]!, r] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([, r]) => r);
  }
  return out;
}

/**
 * `dump` as a backup shows the library: the sightings records hold inline are rows (a restored
 * library stores them as rows; lib/exchange/backup.ts `readTables`).
 */
export async function dumpAsBackup(db: PaperScoutDB): Promise<Record<string, unknown[]>> {
  const tables = await readTables(db);
  const key = (r: unknown) => {
    const o = r as Record<string, unknown>;
    return JSON.stringify(
      o.paperId !== undefined ? [o.paperId, o.url ?? o.ruleId] : (o.id ?? o.key ?? o.url),
    );
  };
  return Object.fromEntries(
    [...tables].map(([name, rows]) => [name, [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1))]),
  );
}

/** A stored paper. */
export function paper(over: Partial<PaperRecord> & { id: string }): PaperRecord {
  return {
    aliases: [],
    titleKey: 'a paper about things',
    title: 'A Paper About Things',
    authors: ['Ada Lovelace'],
    urls: {},
    firstSeenAt: 1_700_000_000_000,
    lastSeenAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...over,
  };
}
