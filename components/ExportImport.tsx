/**
 * The options page's "Export and import" section.
 *
 * Export: which papers (reading list or everything seen; a tag, a state, a topic), which format,
 * and a full backup. Import: a file (backup, BibTeX, RIS, CSL-JSON) is read with progress, a
 * preview says what would be added, merged, left unchanged or skipped (and why), and nothing is
 * written until "Import" — one transaction in the background. Cancel at any step writes nothing.
 *
 * Leaves user-timing marks (`paper-scout:exchange:*`) for bench/exchange.mjs.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getDb, type PaperRecord, type ReadingState } from '../lib/db';
import { ExchangeError } from '../lib/exchange/errors';
import {
  EXPORT_FORMATS,
  download,
  exportPapers,
  matches,
  selectPapers,
  type ExportFilter,
  type ExportFormat,
  type Progress,
} from '../lib/exchange/export';
import {
  MAX_IMPORT_BYTES,
  Stager,
  cancelImport,
  commitImport,
  finishStaging,
  keepAlive,
  parseImport,
  previewImport,
  readImportFile,
  type ParsedImport,
  type Sender,
} from '../lib/exchange/import';
import type { ImportIssue, ImportReport } from '../lib/exchange/protocol';
import { countOf, formatCount } from '../lib/count';
import { send } from '../lib/rpc';
import { useLiveQuery } from './useLiveQuery';

const STATES: { id: ReadingState; label: string }[] = [
  { id: 'inbox', label: 'Inbox' },
  { id: 'to-read', label: 'To read' },
  { id: 'reading', label: 'Reading' },
  { id: 'done', label: 'Done' },
];

const PHASES: Record<Progress['phase'], string> = {
  reading: 'Reading',
  parsing: 'Reading entries',
  sending: 'Checking entries',
  checking: 'Comparing with your library',
  writing: 'Writing',
  formatting: 'Formatting',
};

const mark = (name: string, detail?: unknown) =>
  performance.mark(`paper-scout:exchange:${name}`, { detail });
/** Counts as the user reads numbers (their browser's locale: "1.234" in German). */
const n = formatCount;
const appVersion = () => {
  try {
    return browser.runtime.getManifest().version;
  } catch {
    return undefined;
  }
};

function ProgressLine({ p, onCancel }: { p: Progress; onCancel?: () => void }): JSX.Element {
  return (
    <div class="x-progress" role="status" aria-live="polite">
      <progress max={p.total || 1} value={p.done} />
      <span>
        {PHASES[p.phase]}
        {p.total > 1 ? ` ${n(p.done)} of ${n(p.total)}` : '…'}
      </span>
      {onCancel && (
        <button type="button" data-action="cancel" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

const KIND_TITLES: Record<ImportIssue['kind'], string> = {
  skipped: 'Skipped',
  dropped: 'Not kept',
  conflict: 'Replaced by the newer value',
  kept: 'Merged or kept',
};

/** What an import did or would do: counts per table, then the issues grouped by kind. */
export function ImportSummary({ report }: { report: ImportReport }): JSX.Element {
  const tables = Object.entries(report.tables).filter(
    ([, c]) => c.added + c.merged + c.unchanged + c.skipped > 0,
  );
  const kinds = (Object.keys(KIND_TITLES) as ImportIssue['kind'][]).filter(
    (k) => report.issueCounts[k] > 0,
  );
  return (
    <div
      class="x-summary"
      data-report={report.dryRun ? 'preview' : 'done'}
      data-worker-ms={report.ms}
    >
      <table>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">New</th>
            <th scope="col">Merged</th>
            <th scope="col">Unchanged</th>
            <th scope="col">Skipped</th>
          </tr>
        </thead>
        <tbody>
          {tables.map(([name, c]) => (
            <tr key={name} data-table={name}>
              <th scope="row">{name}</th>
              <td data-count="added">{n(c.added)}</td>
              <td data-count="merged">{n(c.merged)}</td>
              <td data-count="unchanged">{n(c.unchanged)}</td>
              <td data-count="skipped">{n(c.skipped)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {kinds.map((k) => {
        const list = report.issues.filter((i) => i.kind === k);
        return (
          <details key={k} data-issues={k} open={k === 'skipped'}>
            <summary>
              {KIND_TITLES[k]}: {n(report.issueCounts[k])}
            </summary>
            <ul>
              {list.map((i, j) => (
                <li key={j}>
                  {i.where}: {i.message}
                </li>
              ))}
              {report.issueCounts[k] > list.length && (
                <li>… and {n(report.issueCounts[k] - list.length)} more.</li>
              )}
            </ul>
          </details>
        );
      })}
    </div>
  );
}

type ImportState =
  | { step: 'idle' }
  | { step: 'busy'; progress: Progress }
  | { step: 'preview'; report: ImportReport; parsed: ParsedImport; importId: string }
  | { step: 'done'; report: ImportReport }
  | { step: 'error'; message: string };

function ImportPanel(): JSX.Element {
  const [state, setState] = useState<ImportState>({ step: 'idle' });
  const abort = useRef<AbortController>();
  const session = useRef<string>();
  const stopPing = useRef<() => void>();
  const fileInput = useRef<HTMLInputElement>(null);
  const sender = send as Sender;

  // The Import and Cancel buttons (and the progress line's Cancel) leave the page when the step
  // changes: focus that fell to the body goes to the file field (enabled again), not the page top.
  const wasOpen = useRef(false);
  useEffect(() => {
    const open = state.step === 'busy' || state.step === 'preview';
    const closed = wasOpen.current && !open;
    wasOpen.current = open;
    const active = document.activeElement;
    if (closed && (!active || active === document.body)) fileInput.current?.focus();
  }, [state.step]);

  useEffect(
    () => () => {
      abort.current?.abort();
      stopPing.current?.();
      if (session.current) void cancelImport(session.current, sender);
    },
    [],
  );

  const reset = () => {
    stopPing.current?.();
    stopPing.current = undefined;
    session.current = undefined;
    if (fileInput.current) fileInput.current.value = '';
  };

  const start = async (file: File) => {
    abort.current?.abort();
    const ac = (abort.current = new AbortController());
    mark('import:start', { name: file.name, size: file.size });
    let stager: Stager | undefined;
    // This run's own session: `session.current` may be a later file's by the time this one ends.
    let importId: string | undefined;
    try {
      if (file.size > MAX_IMPORT_BYTES) {
        throw new ExchangeError(
          `This file is ${n(Math.round(file.size / 2 ** 20))} MB; Paper Scout reads files up to ${n(MAX_IMPORT_BYTES / 2 ** 20)} MB.`,
        );
      }
      setState({ step: 'busy', progress: { phase: 'reading', done: 0, total: 1 } });
      // Not file.text(): that is always UTF-8, and older EndNote exports are Windows-1252.
      const text = await readImportFile(file);
      ac.signal.throwIfAborted();
      // A cancelled run (perhaps replaced by another file) no longer shows its progress.
      const onProgress = (progress: Progress) => {
        if (!ac.signal.aborted) setState({ step: 'busy', progress });
      };
      // A bibliography is staged slice by slice while it is read (the worker checks rows while
      // the page reads the next); a backup once it is read.
      stager = new Stager(sender, { onProgress, signal: ac.signal });
      const parsed = await parseImport(text, file.name, { onProgress, signal: ac.signal, stager });
      mark('import:parsed', { entries: parsed.entries });
      importId = await finishStaging(stager, parsed);
      ac.signal.throwIfAborted();
      session.current = importId;
      mark('import:staged');
      setState({ step: 'busy', progress: { phase: 'checking', done: 0, total: 1 } });
      const report = await previewImport(importId, parsed, sender);
      ac.signal.throwIfAborted();
      mark('import:preview', report.tables.papers);
      stopPing.current = keepAlive(importId, sender);
      setState({ step: 'preview', report, parsed, importId });
    } catch (e) {
      if (importId) await cancelImport(importId, sender);
      else await stager?.cancel();
      // Another file was chosen since: its import is not this one's to end.
      if (abort.current !== ac) return;
      reset();
      if (ac.signal.aborted) setState({ step: 'idle' });
      else setState({ step: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };

  const commit = async (s: Extract<ImportState, { step: 'preview' }>) => {
    stopPing.current?.();
    setState({ step: 'busy', progress: { phase: 'writing', done: 0, total: 1 } });
    mark('import:commit');
    try {
      const report = await commitImport(s.importId, s.parsed, sender);
      session.current = undefined;
      mark('import:done', report.tables.papers);
      reset();
      setState({ step: 'done', report });
    } catch (e) {
      reset();
      setState({ step: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };

  const cancel = async () => {
    abort.current?.abort();
    const id = session.current;
    reset();
    setState({ step: 'idle' });
    if (id) await cancelImport(id, sender);
  };

  return (
    <div class="x-import" data-step={state.step}>
      <h3>Import</h3>
      <p class="x-hint">
        A Paper Scout backup, or a bibliography from Zotero, Mendeley, Google Scholar or arXiv:
        BibTeX (.bib), RIS (.ris) or CSL-JSON. You see what would change before anything is written.
      </p>
      <label class="field">
        File
        <input
          ref={fileInput}
          type="file"
          name="import-file"
          accept=".json,.bib,.bibtex,.ris,.txt,application/json"
          disabled={state.step === 'busy' || state.step === 'preview'}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) void start(f);
          }}
        />
      </label>
      {state.step === 'busy' && (
        <ProgressLine
          p={state.progress}
          onCancel={state.progress.phase === 'writing' ? undefined : () => void cancel()}
        />
      )}
      {state.step === 'preview' && (
        <div class="x-preview">
          <p>
            <strong>{state.parsed.source}</strong>:{' '}
            {state.parsed.mode === 'backup'
              ? countOf(state.parsed.entries, 'paper')
              : countOf(state.parsed.entries, 'entry', 'entries')}
            . Nothing is written until you import.
          </p>
          <ImportSummary report={state.report} />
          <div class="x-actions">
            <button type="button" data-action="import" onClick={() => void commit(state)}>
              Import
            </button>
            <button type="button" data-action="cancel" onClick={() => void cancel()}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {state.step === 'done' && (
        <div class="x-done" role="status">
          <p>
            Imported: {n(state.report.tables.papers?.added ?? 0)} new,{' '}
            {n(state.report.tables.papers?.merged ?? 0)} merged,{' '}
            {n(state.report.tables.papers?.unchanged ?? 0)} unchanged,{' '}
            {n(state.report.tables.papers?.skipped ?? 0)} skipped papers.
          </p>
          <ImportSummary report={state.report} />
        </div>
      )}
      {state.step === 'error' && (
        <p class="error" role="alert" data-error="import">
          {state.message}
          {/nothing (was|stored was) (written|changed)/i.test(state.message)
            ? ''
            : ' Nothing was written.'}
        </p>
      )}
    </div>
  );
}

function ExportPanel(): JSX.Element {
  const [filter, setFilter] = useState<ExportFilter>({ scope: 'saved' });
  const [format, setFormat] = useState<ExportFormat>('bibtex');
  const [progress, setProgress] = useState<Progress>();
  const [status, setStatus] = useState<string>();
  const abort = useRef<AbortController>();

  // Follows the library (an import, a save in another tab): the count and the tag/topic choices.
  // The list also spares an export reading the library again; it says which scope it is of, so
  // a list of the previous scope is never taken for the new one while it loads.
  const { value: live } = useLiveQuery(
    async () => ({
      scope: filter.scope,
      papers: await selectPapers(getDb(), { scope: filter.scope }),
    }),
    [filter.scope],
  );
  const scoped = live?.scope === filter.scope ? live.papers : undefined;
  const count = scoped === undefined ? undefined : scoped.filter((p) => matches(p, filter)).length;
  const vocab = useMemo(() => {
    const tags = new Map<string, string>();
    const topics = new Set<string>();
    for (const p of scoped ?? []) {
      for (const t of p.tags ?? []) if (!tags.has(t.toLowerCase())) tags.set(t.toLowerCase(), t);
      for (const t of p.topics ?? []) topics.add(t);
    }
    // A tag or topic chosen for another scope (or of papers since removed) still filters: it stays
    // a choice, so the select shows it and can be set back to Any.
    if (filter.tag && !tags.has(filter.tag.toLowerCase()))
      tags.set(filter.tag.toLowerCase(), filter.tag);
    if (filter.topic) topics.add(filter.topic);
    return {
      tags: [...tags.values()].sort((a, b) => a.localeCompare(b)),
      topics: [...topics].sort(),
    };
  }, [scoped, filter.tag, filter.topic]);

  const run = async (fmt: ExportFormat, f: ExportFilter, inScope?: readonly PaperRecord[]) => {
    abort.current?.abort();
    const ac = (abort.current = new AbortController());
    setStatus(undefined);
    mark('export:start', { format: fmt });
    try {
      const file = await exportPapers(getDb(), fmt, f, {
        onProgress: setProgress,
        signal: ac.signal,
        appVersion: appVersion(),
        inScope,
      });
      mark('export:done', { format: fmt, count: file.count, bytes: file.text.length });
      download(file);
      setStatus(`Exported ${countOf(file.count, 'paper')} to ${file.filename}.`);
    } catch (e) {
      if (!ac.signal.aborted)
        setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setProgress(undefined);
    }
  };
  const set = (patch: Partial<ExportFilter>) => setFilter((f) => ({ ...f, ...patch }));

  return (
    <div class="x-export">
      <h3>Export</h3>
      <div class="x-filters">
        <label class="field">
          Papers
          <select
            name="scope"
            value={filter.scope}
            onChange={(e) => set({ scope: e.currentTarget.value as ExportFilter['scope'] })}
          >
            <option value="saved">Reading list (saved papers)</option>
            <option value="all">Every paper Paper Scout has seen</option>
          </select>
        </label>
        <label class="field">
          Tag
          <select
            name="tag"
            value={filter.tag ?? ''}
            onChange={(e) => set({ tag: e.currentTarget.value || undefined })}
          >
            <option value="">Any</option>
            {vocab.tags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          State
          <select
            name="state"
            value={filter.state ?? ''}
            onChange={(e) =>
              set({ state: (e.currentTarget.value || undefined) as ReadingState | undefined })
            }
          >
            <option value="">Any</option>
            {STATES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        {vocab.topics.length > 0 && (
          <label class="field">
            Topic
            <select
              name="topic"
              value={filter.topic ?? ''}
              onChange={(e) => set({ topic: e.currentTarget.value || undefined })}
            >
              <option value="">Any</option>
              {vocab.topics.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="field">
          Format
          <select
            name="format"
            value={format}
            onChange={(e) => setFormat(e.currentTarget.value as ExportFormat)}
          >
            {(Object.keys(EXPORT_FORMATS) as ExportFormat[]).map((f) => (
              <option key={f} value={f}>
                {EXPORT_FORMATS[f].label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="x-actions">
        <button
          type="button"
          data-action="export"
          disabled={!!progress || !count}
          onClick={() => void run(format, filter, scoped)}
        >
          Export {count === undefined ? '' : countOf(count, 'paper')}
        </button>
        <button
          type="button"
          data-action="backup"
          disabled={!!progress}
          title="Everything: papers, notes, tags, states, history, watch rules, settings"
          onClick={() => void run('backup', { scope: 'all' })}
        >
          Back up everything
        </button>
      </div>
      {progress && <ProgressLine p={progress} onCancel={() => abort.current?.abort()} />}
      {status && (
        <p role="status" data-status="export">
          {status}
        </p>
      )}
    </div>
  );
}

/** The "Export and import" section of the options page. */
export function ExportImport(): JSX.Element {
  return (
    <section class="exchange" id="export" aria-labelledby="exchange-h">
      <h2 id="exchange-h">Export and import</h2>
      <p class="x-hint">
        Your library is yours: take it to a reference manager, a spreadsheet or another browser, and
        bring libraries in. A backup keeps everything and imports back exactly.
      </p>
      <ExportPanel />
      <ImportPanel />
    </section>
  );
}
