/**
 * Export from an extension page: which papers (all saved, everything seen, a tag, a state, a
 * topic, hand-picked ids), in which format, as a file's text. Reads the database directly (extension
 * pages share the worker's IndexedDB); nothing is written. Citation.js is loaded only when a
 * citation format is asked for. Large exports are formatted in slices, yielding between them, so
 * the page stays responsive and can show progress.
 */
import type { PaperRecord, PaperScoutDB, ReadingState } from '../db';
import { readTables, serializeBackup } from './backup';
import { assignCitationKeys } from './keys';
import { formatCsv, formatMarkdown } from './text-formats';
import { yieldToEventLoop } from './yield';

/** Export formats. */
export const EXPORT_FORMATS = {
  backup: { label: 'JSON backup (lossless, re-importable)', ext: 'json', mime: 'application/json' },
  bibtex: { label: 'BibTeX', ext: 'bib', mime: 'application/x-bibtex' },
  ris: {
    label: 'RIS (EndNote, Zotero, Mendeley)',
    ext: 'ris',
    mime: 'application/x-research-info-systems',
  },
  csljson: {
    label: 'CSL-JSON (Zotero, pandoc)',
    ext: 'json',
    mime: 'application/vnd.citationstyles.csl+json',
  },
  csv: { label: 'CSV (spreadsheets)', ext: 'csv', mime: 'text/csv' },
  markdown: { label: 'Markdown list', ext: 'md', mime: 'text/markdown' },
} as const;
/** An export format id. */
export type ExportFormat = keyof typeof EXPORT_FORMATS;

/** Which papers to export. Empty filters select everything in `scope`. */
export interface ExportFilter {
  /** `saved`: the reading list; `all`: every paper Paper Scout knows (history too). */
  scope: 'saved' | 'all';
  tag?: string;
  state?: ReadingState;
  topic?: string;
  /** Hand-picked papers (ids); other filters still apply. */
  ids?: readonly string[];
}

/** Progress of a long export or import. */
export interface Progress {
  phase: 'reading' | 'parsing' | 'sending' | 'checking' | 'writing' | 'formatting';
  done: number;
  total: number;
}

/** Whether paper `p` passes filter `f` (scope, tag ignoring case, state, topic). */
export function matches(p: PaperRecord, f: ExportFilter): boolean {
  const tag = f.tag?.toLowerCase();
  return (
    (f.scope === 'all' || p.savedAt !== undefined) &&
    (!tag || (p.tags ?? []).some((t) => t.toLowerCase() === tag)) &&
    (!f.state || (p.state ?? 'inbox') === f.state) &&
    (!f.topic || (p.topics ?? []).includes(f.topic))
  );
}

/** The papers a filter selects, in reading-list order (saved newest first, then most recently seen). */
export async function selectPapers(db: PaperScoutDB, f: ExportFilter): Promise<PaperRecord[]> {
  return sortPapers((await readScope(db, f)).filter((p) => matches(p, f)));
}

/** Every paper the filter's scope covers (hand-picked ids: those), unfiltered. */
function readScope(db: PaperScoutDB, f: ExportFilter): Promise<PaperRecord[]> {
  if (f.ids)
    return db.papers.bulkGet([...f.ids]).then((ps) => ps.filter((p): p is PaperRecord => !!p));
  return f.scope === 'saved' ? db.papers.orderBy('savedAt').toArray() : db.papers.toArray();
}

function sortPapers(papers: PaperRecord[]): PaperRecord[] {
  return papers.sort(
    (a, b) =>
      (b.savedAt ?? -1) - (a.savedAt ?? -1) ||
      b.lastSeenAt - a.lastSeenAt ||
      (a.id < b.id ? -1 : 1),
  );
}

/** Whether a filter selects the whole database (a full backup). */
export function isEverything(f: ExportFilter): boolean {
  return f.scope === 'all' && !f.tag && !f.state && !f.topic && !f.ids;
}

/** An exported file. */
export interface ExportedFile {
  text: string;
  filename: string;
  mime: string;
  /** Papers in it. */
  count: number;
}

const SLICE = 500;

/** Saved papers (every export's citation keys are stable against them). */
async function savedPapers(db: PaperScoutDB): Promise<PaperRecord[]> {
  return db.papers.orderBy('savedAt').toArray();
}

/** Formats papers slice by slice, yielding in between (Citation.js is synchronous). */
async function inSlices(
  papers: readonly PaperRecord[],
  fmt: (slice: readonly PaperRecord[]) => string,
  sep: string,
  onProgress?: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<string> {
  const parts: string[] = [];
  for (let i = 0; i < papers.length; i += SLICE) {
    signal?.throwIfAborted();
    parts.push(fmt(papers.slice(i, i + SLICE)));
    onProgress?.({
      phase: 'formatting',
      done: Math.min(i + SLICE, papers.length),
      total: papers.length,
    });
    await yieldToEventLoop();
  }
  return parts.filter(Boolean).join(sep);
}

/**
 * Exports the papers `filter` selects as `format`. A backup of everything (`isEverything`) has
 * every table; a backup of a selection has those papers and the rows naming them.
 */
export async function exportPapers(
  db: PaperScoutDB,
  format: ExportFormat,
  filter: ExportFilter,
  opts: {
    onProgress?: (p: Progress) => void;
    signal?: AbortSignal;
    appVersion?: string;
    now?: Date;
    /**
     * Every paper of `filter.scope`, already read (the options page follows them live): spares
     * reading the library again. Not used for a backup, nor with hand-picked `ids`.
     */
    inScope?: readonly PaperRecord[];
  } = {},
): Promise<ExportedFile> {
  const now = opts.now ?? new Date();
  // The day where the person is (toISOString's UTC day is tomorrow's each evening west of UTC).
  const stamp = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
    .map((x, i) => String(x).padStart(i ? 2 : 4, '0'))
    .join('-');
  const { ext, mime } = EXPORT_FORMATS[format];
  const filename = `paper-scout-${filter.scope === 'saved' ? 'reading-list-' : ''}${stamp}${format === 'csljson' ? '.csl' : ''}.${ext}`;
  opts.onProgress?.({ phase: 'reading', done: 0, total: 1 });
  if (format === 'backup') {
    const all = isEverything(filter);
    const ids = all ? undefined : (await selectPapers(db, filter)).map((p) => p.id);
    const tables = await readTables(db, ids);
    await yieldToEventLoop();
    const text = serializeBackup(db, tables, {
      scope: all ? 'all' : 'selection',
      appVersion: opts.appVersion,
      now,
    });
    return {
      text,
      filename: filename.replace('.json', '.backup.json'),
      mime,
      count: tables.get('papers')?.length ?? 0,
    };
  }
  // One read: the scope's papers, and the saved papers that make citation keys stable.
  const scope = (!filter.ids && opts.inScope) || (await readScope(db, filter));
  const papers = sortPapers(scope.filter((p) => matches(p, filter)));
  const saved = filter.ids ? await savedPapers(db) : scope.filter((p) => p.savedAt !== undefined);
  const keys = assignCitationKeys(papers, saved);
  const { signal, onProgress } = opts;
  let text: string;
  switch (format) {
    case 'bibtex': {
      const { formatBibtex } = await import('./citation');
      text = await inSlices(papers, (s) => formatBibtex(s, keys), '\n', onProgress, signal);
      break;
    }
    case 'ris': {
      const { formatRis } = await import('./citation');
      text = await inSlices(papers, (s) => formatRis(s, keys), '\n', onProgress, signal);
      break;
    }
    case 'csljson': {
      const { formatCslJson } = await import('./citation');
      const body = await inSlices(
        papers,
        (s) =>
          formatCslJson(s, keys)
            .map((i) => `  ${JSON.stringify(i)}`)
            .join(',\n'),
        ',\n',
        onProgress,
        signal,
      );
      text = `[\n${body}${body ? '\n' : ''}]\n`;
      break;
    }
    case 'csv':
      text = formatCsv(papers, keys);
      break;
    case 'markdown':
      text = formatMarkdown(papers, keys, {
        title: filter.scope === 'saved' ? 'Paper Scout reading list' : 'Paper Scout papers',
        now,
      });
      break;
  }
  return { text, filename, mime, count: papers.length };
}

/** One paper's BibTeX entry (its key stable against the saved papers), for the clipboard. */
export async function bibtexOf(db: PaperScoutDB, paper: PaperRecord): Promise<string> {
  const [{ formatBibtex }, saved] = await Promise.all([import('./citation'), savedPapers(db)]);
  return formatBibtex([paper], assignCitationKeys([paper], saved));
}

/** Offers `file` as a download (an object URL on a link; no `downloads` permission needed). */
export function download(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: `${file.mime};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
