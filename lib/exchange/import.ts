/**
 * Import from an extension page: read a file (Paper Scout backup, BibTeX, RIS, CSL-JSON), parse it
 * in slices with progress (the page stays responsive; a cancel stops between slices), stage the
 * rows in the background worker, preview, then commit in one transaction — or cancel, which
 * writes nothing. See lib/exchange/protocol.ts for the messages.
 *
 * Parse errors that make a file unreadable (broken syntax, a cut-off file, hostile nesting) throw
 * an ExchangeError naming the entry and line; entries that are readable but unusable (no title,
 * an absurd title) are skipped and reported in the preview.
 */
import { countOf, formatCount, formatPosition } from '../count';
import type { Request, Result } from '../messages';
import { parseBackup, jsonError } from './backup';
import { cslTags, fromCsl, type CitationExtras, type CslItem } from './csl';
import { ExchangeError } from './errors';
import type { Progress } from './export';
import {
  STAGE_MAX_BYTES,
  STAGE_MAX_ROWS,
  TABLE_NAME,
  type ImportIssue,
  type ImportMode,
  type ImportReplies,
  type ImportReport,
} from './protocol';
import { scanBibtex } from './scan-bibtex';
import { scanRis } from './scan-ris';
import { yieldToEventLoop } from './yield';

/** Formats an import reads. */
export type ImportFormat = 'backup' | 'bibtex' | 'ris' | 'csljson';

/** Names for messages. */
export const IMPORT_FORMAT_NAMES: Record<ImportFormat, string> = {
  backup: 'Paper Scout backup',
  bibtex: 'BibTeX',
  ris: 'RIS',
  csljson: 'CSL-JSON',
};

/** Largest file read (a backup of 100,000 papers with history is well below). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

type Row = Record<string, unknown>;

/** A file read and converted, ready to stage. */
export interface ParsedImport {
  format: ImportFormat;
  mode: ImportMode;
  /** "references.bib (BibTeX)". */
  source: string;
  dbVersion?: number;
  /** Rows per table, `papers` first. */
  tables: Map<string, Row[]>;
  /** Entries of a bibliography that were skipped (each has an issue). */
  skipped: number;
  /** Entries (bibliography) or rows (backup) read. */
  entries: number;
  /** Issues found while reading (skipped entries, values not kept). */
  issues: ImportIssue[];
}

/** Sends a request to the background (lib/rpc.ts `send`, or a test double). */
export type Sender = <T extends keyof ImportReplies>(
  req: Extract<Request, { type: T }>,
) => Promise<Result<ImportReplies[T]>>;

/** Which format `text` is in (by content; the file name only breaks ties). */
export function detectFormat(text: string, fileName = ''): ImportFormat {
  const head = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 4096);
  if (head.startsWith('{') && /"format"\s*:\s*"paper-scout-backup"/.test(head)) return 'backup';
  if (head.startsWith('[') || head.startsWith('{')) return 'csljson';
  // A file that starts with a TY tag is RIS, whatever its values hold ("@OpenAI (…)", a note
  // with a BibTeX entry).
  if (/^TY {1,2}-/.test(head)) return 'ris';
  if (/^TY {1,2}-/m.test(head) && !/@[A-Za-z]+\s*[{(]/.test(head)) return 'ris';
  if (/@[A-Za-z]+\s*[{(]/.test(head)) return 'bibtex';
  const start = text.slice(0, 1024);
  if (start.startsWith('%PDF') || start.startsWith('PK\u0003\u0004') || start.includes('\u0000')) {
    throw new ExchangeError(
      'This is a binary file (a PDF, a ZIP …), not a backup or a bibliography.',
    );
  }
  if (/\.ris$/i.test(fileName)) return 'ris';
  if (/\.(bib|bibtex)$/i.test(fileName)) return 'bibtex';
  if (/\.json$/i.test(fileName)) return 'csljson';
  throw new ExchangeError(
    'This file is not a Paper Scout backup, BibTeX, RIS or CSL-JSON file (nothing in it looks like one).',
  );
}

/**
 * A chosen file's bytes as text. A byte-order mark says the encoding (UTF-8, UTF-16 LE or BE);
 * without one the bytes are UTF-8 if they are valid UTF-8, else Windows-1252. Older EndNote and
 * Web of Science exports are Windows-1252 (or ISO-8859-1, which it extends), and read as UTF-8 each
 * "é" became U+FFFD (the title and author names were stored that way). Valid UTF-8 by accident is
 * very unlikely for Windows-1252 text with accents (an accented letter followed by the right
 * continuation bytes), so the check is a safe tell.
 */
export function decodeImportBytes(bytes: Uint8Array): string {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return new TextDecoder('utf-8').decode(bytes);
  if (a === 0xff && b === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (a === 0xfe && b === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The text of a file the person chose to import (see decodeImportBytes). */
export async function readImportFile(file: Blob): Promise<string> {
  return decodeImportBytes(new Uint8Array(await file.arrayBuffer()));
}

const SLICE = 250;

interface Entry {
  where: string;
  item?: CslItem;
  extras: CitationExtras;
  notKept?: string[];
  error?: string;
}

/** Converts read entries to paper rows; skipped entries and values not kept become issues. */
function toRows(
  entries: Entry[],
  now: number,
  out: ParsedImport,
  notKept: Map<string, number>,
): void {
  const papers = out.tables.get('papers')!;
  for (const e of entries) {
    for (const f of new Set(e.notKept ?? [])) notKept.set(f, (notKept.get(f) ?? 0) + 1);
    if (e.error || !e.item) {
      out.skipped++;
      out.issues.push({
        kind: 'skipped',
        where: e.where,
        message: e.error ?? 'could not be read.',
      });
      continue;
    }
    const r = fromCsl(e.item, e.extras, now, out.format !== 'ris');
    if (!r.ok) {
      out.skipped++;
      out.issues.push({ kind: 'skipped', where: e.where, message: `${r.reason}; skipped.` });
      continue;
    }
    for (const w of r.warnings)
      out.issues.push({ kind: 'dropped', where: e.where, message: `${w}.` });
    // The record is fromCsl's own (not shared): `$where` is added to it, not to a copy.
    const row: Row = r.record as unknown as Row;
    row.$where = e.where;
    papers.push(row);
  }
}

/**
 * Reads and converts a file. Throws ExchangeError when it cannot be read (saying what and where),
 * or an AbortError when `signal` aborts.
 */
export async function parseImport(
  text: string,
  fileName: string,
  opts: {
    onProgress?: (p: Progress) => void;
    signal?: AbortSignal;
    now?: number;
    /** Fed the rows of each slice of a bibliography as soon as they are read (see Stager). */
    stager?: Stager;
  } = {},
): Promise<ParsedImport> {
  const now = opts.now ?? Date.now();
  const format = detectFormat(text, fileName);
  const out: ParsedImport = {
    format,
    mode: format === 'backup' ? 'backup' : 'citations',
    source: `${fileName || 'file'} (${IMPORT_FORMAT_NAMES[format]})`,
    tables: new Map([['papers', []]]),
    skipped: 0,
    entries: 0,
    issues: [],
  };
  const progress = (done: number, total: number) =>
    opts.onProgress?.({ phase: 'parsing', done, total });
  const step = async (done: number, total: number) => {
    progress(done, total);
    // The rows read so far go to the worker while the next slice is read.
    const papers = out.tables.get('papers')!;
    if (opts.stager && out.mode === 'citations') {
      opts.stager.begin(out);
      const from = opts.stager.sentOf('papers');
      if (from < papers.length) await opts.stager.add('papers', papers.slice(from));
    }
    await yieldToEventLoop();
    opts.signal?.throwIfAborted();
  };
  const notKept = new Map<string, number>();
  progress(0, 1);
  if (format === 'backup') {
    const b = parseBackup(text);
    // Informational (the rows are checked one by one): a hand-edited "version": "3" or 3.5 is
    // left out rather than failing the whole import with "Invalid message: dbVersion".
    const dbVersion: unknown = (b.meta.database as { version?: unknown } | null | undefined)
      ?.version;
    if (typeof dbVersion === 'number' && Number.isSafeInteger(dbVersion) && dbVersion >= 0)
      out.dbVersion = dbVersion <= 1e6 ? dbVersion : undefined;
    const papers = b.tables.get('papers') ?? [];
    out.tables = new Map([['papers', papers], ...[...b.tables].filter(([n]) => n !== 'papers')]);
    // A table no version of Paper Scout can have ("my-notes", 70 characters) is skipped here as
    // the worker skips tables it does not know (the whole import failed on the message's name).
    for (const [name, rows] of out.tables) {
      if (TABLE_NAME.test(name)) continue;
      out.tables.delete(name);
      out.issues.push({
        kind: 'skipped',
        where: `table ${name.slice(0, 64)}`,
        message: `${countOf(rows.length, 'row')} not imported: this version of Paper Scout has no such table.`,
      });
    }
    out.entries = papers.length;
    await step(1, 1);
    return out;
  }
  if (format === 'bibtex') {
    const scan = scanBibtex(text);
    const { readBibtex } = await import('./citation');
    await step(0, scan.entries.length);
    for (let i = 0; i < scan.entries.length; i += SLICE) {
      toRows(readBibtex(text, scan.entries.slice(i, i + SLICE), scan), now, out, notKept);
      await step(Math.min(i + SLICE, scan.entries.length), scan.entries.length);
    }
    out.entries = scan.entries.length;
  } else if (format === 'ris') {
    const records = scanRis(text);
    const { readRis } = await import('./citation');
    await step(0, records.length);
    for (let i = 0; i < records.length; i += SLICE) {
      toRows(readRis(records.slice(i, i + SLICE)), now, out, notKept);
      await step(Math.min(i + SLICE, records.length), records.length);
    }
    out.entries = records.length;
  } else {
    let data: unknown;
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw jsonError(text, e, 'CSL-JSON file');
    }
    const items = Array.isArray(data) ? data : [data];
    if (!items.length)
      throw new ExchangeError('This CSL-JSON file has no items (it is an empty list).');
    if (
      !Array.isArray(data) &&
      (typeof data !== 'object' || data === null || !('title' in data || 'type' in data))
    ) {
      throw new ExchangeError(
        'This JSON file is neither a Paper Scout backup nor CSL-JSON (a list of items with a title and a type).',
      );
    }
    for (let i = 0; i < items.length; i += SLICE) {
      const slice = items.slice(i, i + SLICE).map((it, k): Entry => {
        const n = i + k + 1;
        const ok = typeof it === 'object' && it !== null && !Array.isArray(it);
        const o = (ok ? it : {}) as CslItem;
        const label =
          typeof o.id === 'string' || typeof o.id === 'number'
            ? `“${String(o.id).slice(0, 60)}”`
            : '';
        const where = `CSL-JSON item ${formatPosition(n)}${label ? ` (${label})` : ''}`;
        if (!ok) return { where, extras: {}, error: 'is not an object.' };
        const key = o['citation-key'];
        return {
          where,
          item: o,
          // Our own export's exact tags, when it wrote them (else `keyword` is split).
          extras: { citationKey: typeof key === 'string' ? key : undefined, tags: cslTags(o) },
        };
      });
      toRows(slice, now, out, notKept);
      await step(Math.min(i + SLICE, items.length), items.length);
    }
    out.entries = items.length;
  }
  if (notKept.size) {
    const list = [...notKept]
      .sort((a, b) => b[1] - a[1])
      .map(([f, n]) => `${f} (${formatCount(n)})`);
    out.issues.unshift({
      kind: 'dropped',
      where: 'fields',
      message: `Not kept, Paper Scout has no place for them: ${list.join(', ')}.`,
    });
  }
  if (!out.tables.get('papers')!.length) {
    const first = out.issues.find((i) => i.kind === 'skipped');
    // One entry is "the only entry", not "none of the 1 entries".
    const none =
      out.entries === 1
        ? 'The only entry cannot be imported'
        : `None of the ${formatCount(out.entries)} entries can be imported`;
    throw new ExchangeError(`${none}${first ? `: ${first.where} ${first.message}` : '.'}`);
  }
  return out;
}

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new ExchangeError(r.error.message);
  return r.value;
}

/**
 * Sends rows to an import session in the background as they become ready, a few messages in
 * flight (the page prepares the next while the worker checks the last: two threads). Fed slice by
 * slice while a bibliography is still being read, so reading and checking overlap. The worker
 * keeps each table's rows in file order by their offset; the first error surfaces first.
 */
export class Stager {
  private importId?: Promise<string>;
  private readonly inFlight: Promise<void>[] = [];
  private readonly sent = new Map<string, number>();
  private done = 0;
  private failed = false;

  constructor(
    private readonly send: Sender,
    private readonly opts: { onProgress?: (p: Progress) => void; signal?: AbortSignal } = {},
  ) {}

  /** Opens the session (once; later calls are ignored). */
  begin(meta: Pick<ParsedImport, 'mode' | 'source' | 'dbVersion'>): void {
    this.importId ??= this.send({
      type: 'import/begin',
      mode: meta.mode,
      source: meta.source.slice(0, 300),
      dbVersion: meta.dbVersion,
    }).then((r) => unwrap(r).importId);
    this.importId.catch(() => undefined);
  }

  /** Sends `rows`, the next rows of `table` in file order (waits while too many are in flight). */
  async add(table: string, rows: readonly Row[], total = 0): Promise<void> {
    if (!this.importId) throw new Error('Stager.add before begin');
    let i = 0;
    while (i < rows.length) {
      this.opts.signal?.throwIfAborted();
      // Up to STAGE_ROWS rows and about STAGE_MAX_BYTES of JSON per message.
      let bytes = 0;
      let j = i;
      while (j < rows.length && j - i < STAGE_ROWS) {
        const size = jsonSize(rows[j]);
        if (size > ROW_MAX_CHARS) {
          // Sent alone it would pass the browser's message limit (64 MiB), and the page would
          // say that Paper Scout "stopped before answering".
          throw new ExchangeError(
            `${table} row ${formatPosition((this.sent.get(table) ?? 0) + (j - i) + 1)}${idHint(rows[j])}: is larger than ${formatCount(ROW_MAX_CHARS)} characters, which no row of Paper Scout is. Nothing was written.`,
          );
        }
        bytes += size;
        if (bytes > STAGE_MAX_BYTES && j > i) break;
        j++;
      }
      const n = j - i;
      const offset = this.sent.get(table) ?? 0;
      this.sent.set(table, offset + n);
      const chunk = rows.slice(i, j) as Record<string, unknown>[];
      const importId = await this.importId;
      const p = this.send({ type: 'import/stage', importId, table, offset, rows: chunk }).then(
        (r) => {
          unwrap(r);
          this.done += n;
          if (total) this.opts.onProgress?.({ phase: 'sending', done: this.done, total });
        },
      );
      p.catch(() => undefined);
      this.inFlight.push(p);
      i = j;
      if (this.inFlight.length >= STAGE_IN_FLIGHT) await this.inFlight.shift();
    }
  }

  /** Waits for every row to be staged; the session id. */
  async finish(): Promise<string> {
    if (!this.importId) throw new Error('Stager.finish before begin');
    while (this.inFlight.length) await this.inFlight.shift();
    return this.importId;
  }

  /** Rows of `table` sent so far. */
  sentOf(table: string): number {
    return this.sent.get(table) ?? 0;
  }

  /** Forgets the session (after an error or a cancel): nothing was written. */
  async cancel(): Promise<void> {
    if (this.failed || !this.importId) return;
    this.failed = true;
    const id = await this.importId.catch(() => undefined);
    if (id) await cancelImport(id, this.send);
  }
}

/** Opens an import session in the background and sends it every row. Returns the session id. */
export async function stageImport(
  parsed: ParsedImport,
  send: Sender,
  opts: { onProgress?: (p: Progress) => void; signal?: AbortSignal } = {},
): Promise<string> {
  const stager = new Stager(send, opts);
  try {
    return await finishStaging(stager, parsed);
  } catch (e) {
    await stager.cancel();
    throw e;
  }
}

/**
 * Sends what `stager` has not sent yet of `parsed` (all of it, unless parseImport fed it) and
 * waits until everything is staged. Returns the session id.
 */
export async function finishStaging(stager: Stager, parsed: ParsedImport): Promise<string> {
  stager.begin(parsed);
  await stageRest(stager, parsed);
  return stager.finish();
}

async function stageRest(stager: Stager, parsed: ParsedImport): Promise<void> {
  const total = [...parsed.tables.values()].reduce((n, rows) => n + rows.length, 0);
  for (const [table, rows] of parsed.tables) {
    const from = stager.sentOf(table);
    if (from < rows.length) await stager.add(table, rows.slice(from), total);
  }
}

const idHint = (row: Row | undefined) =>
  typeof row?.id === 'string' ? ` (${row.id.slice(0, 80)})` : '';

/**
 * Largest row sent (characters of JSON): the largest a row of ours may be (learned topics, 16
 * million: lib/exchange/rows.ts), and at 3 bytes a character within a message's 64 MiB.
 */
export const ROW_MAX_CHARS = 20_000_000;

/** Rows per stage message (at most STAGE_MAX_ROWS), and messages in flight at once. */
const STAGE_ROWS = Math.min(1_000, STAGE_MAX_ROWS);
const STAGE_IN_FLIGHT = 3;

/**
 * About the length of `v` as JSON (strings and keys by their length), without making the JSON:
 * enough to keep a message near STAGE_MAX_BYTES.
 */
function jsonSize(v: unknown, depth = 0): number {
  if (typeof v === 'string') return v.length + 2;
  if (typeof v !== 'object' || v === null) return 8;
  if (depth > 16) return JSON.stringify(v).length;
  let n = 2;
  if (Array.isArray(v)) for (const x of v) n += jsonSize(x, depth + 1) + 1;
  else {
    const o = v as Record<string, unknown>;
    for (const k in o) if (Object.hasOwn(o, k)) n += k.length + 4 + jsonSize(o[k], depth + 1);
  }
  return n;
}

/** The page's issues and skipped entries added to the worker's report. */
export function withParseIssues(report: ImportReport, parsed: ParsedImport): ImportReport {
  const papers = report.tables.papers ?? { added: 0, merged: 0, unchanged: 0, skipped: 0 };
  const counts = { ...report.issueCounts };
  for (const i of parsed.issues) counts[i.kind]++;
  return {
    ...report,
    tables: { ...report.tables, papers: { ...papers, skipped: papers.skipped + parsed.skipped } },
    issues: [...parsed.issues, ...report.issues].slice(0, 500),
    issueCounts: counts,
  };
}

/** The dry run: what committing would do now. */
export async function previewImport(
  importId: string,
  parsed: ParsedImport,
  send: Sender,
): Promise<ImportReport> {
  return withParseIssues(unwrap(await send({ type: 'import/preview', importId })), parsed);
}

/**
 * Writes the import (one transaction). If the worker forgot the session (it was stopped while the
 * preview was open), the rows are staged again first.
 */
export async function commitImport(
  importId: string,
  parsed: ParsedImport,
  send: Sender,
): Promise<ImportReport> {
  let r = await send({ type: 'import/commit', importId });
  if (!r.ok && r.error.code === 'not-found') {
    const again = await stageImport(parsed, send);
    r = await send({ type: 'import/commit', importId: again });
  }
  return withParseIssues(unwrap(r), parsed);
}

/** Keeps a session alive while a preview waits for the person (pings every 20 s). */
export function keepAlive(importId: string, send: Sender): () => void {
  const t = setInterval(
    () => void send({ type: 'import/ping', importId }).catch(() => undefined),
    20_000,
  );
  return () => clearInterval(t);
}

/** Forgets a session (nothing was written). */
export async function cancelImport(importId: string, send: Sender): Promise<void> {
  await send({ type: 'import/cancel', importId }).catch(() => undefined);
}
