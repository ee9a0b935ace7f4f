/**
 * The popup header's Export menu: the reading list in any format in one click, and a link to the
 * options page for filters, backups and import. The export code loads on the first click.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { countOf } from '../../lib/count';
import { getDb } from '../../lib/db';
import type { ExportFormat } from '../../lib/exchange/export';

const FORMATS: { id: ExportFormat; label: string }[] = [
  { id: 'bibtex', label: 'BibTeX' },
  { id: 'ris', label: 'RIS' },
  { id: 'csljson', label: 'CSL-JSON' },
  { id: 'csv', label: 'CSV' },
  { id: 'markdown', label: 'Markdown' },
  { id: 'backup', label: 'JSON backup' },
];

/** The menu. */
export function ExportMenu(): JSX.Element {
  const [status, setStatus] = useState<string>();
  const details = useRef<HTMLDetailsElement>(null);
  const run = async (format: ExportFormat) => {
    setStatus('Exporting…');
    try {
      const { exportPapers, download } = await import('../../lib/exchange/export');
      const file = await exportPapers(getDb(), format, { scope: 'saved' });
      download(file);
      setStatus(`${countOf(file.count, 'paper')} → ${file.filename}`);
      if (details.current) details.current.open = false;
    } catch (e) {
      setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  // Drawn over the list: a click anywhere else closes it, as Escape does (focus back on Export).
  useEffect(() => {
    const outside = (e: Event) => {
      const d = details.current;
      if (d?.open && !e.composedPath().includes(d)) d.open = false;
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    const d = details.current;
    if (e.key !== 'Escape' || !d?.open) return;
    e.preventDefault(); // the reading list's Escape (clear the selection) stays out of it
    d.open = false;
    d.querySelector<HTMLElement>('summary')?.focus();
  };
  return (
    <details class="export-menu" ref={details} onKeyDown={onKeyDown}>
      <summary data-action="export-menu">Export</summary>
      <div class="export-menu-list" role="group" aria-label="Export the reading list">
        {FORMATS.map((f) => (
          <button key={f.id} type="button" data-format={f.id} onClick={() => void run(f.id)}>
            {f.label}
          </button>
        ))}
        <a href="options.html#export" target="_blank" rel="noopener">
          More: filters, import…
        </a>
        {status && (
          <p class="export-menu-status" role="status">
            {status}
          </p>
        )}
      </div>
    </details>
  );
}
