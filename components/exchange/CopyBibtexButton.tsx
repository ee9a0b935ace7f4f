/**
 * One click copies a paper's BibTeX entry (its citation key stable against the saved papers).
 * Takes the paper's id, so a list row that holds only a summary of the record can mount it; the
 * export code and Citation.js load on the first click, not with the popup.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { getDb } from '../../lib/db';

/**
 * The copy button. `title` names the paper for screen readers; `tabIndex` -1 keeps it out of the
 * Tab order (a reading-list row that is not the active one: components/popup/PaperRow.tsx).
 */
export function CopyBibtexButton({
  id,
  title,
  class: cls,
  tabIndex,
}: {
  id: string;
  title?: string;
  class?: string;
  tabIndex?: number;
}): JSX.Element {
  const [state, setState] = useState<'idle' | 'busy' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async (e: MouseEvent) => {
    e.stopPropagation();
    setState('busy');
    try {
      const db = getDb();
      const paper =
        (await db.papers.get(id)) ?? (await db.papers.where('aliases').equals(id).first());
      if (!paper) throw new Error(`No paper ${id}`);
      const { bibtexOf } = await import('../../lib/exchange/export');
      await navigator.clipboard.writeText(await bibtexOf(db, paper));
      setState('copied');
    } catch (err) {
      console.warn('Paper Scout: copying BibTeX failed', err);
      setState('failed');
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2000);
  };
  // Short words: the reading list's row has a narrow button (components/popup.css).
  const label = state === 'copied' ? 'Copied' : state === 'failed' ? 'Failed' : 'BibTeX';
  return (
    <button
      type="button"
      class={`copy-bibtex${cls ? ` ${cls}` : ''}`}
      data-action="copy-bibtex"
      data-state={state}
      aria-label={
        title ? `Copy the BibTeX entry of “${title.slice(0, 120)}”` : 'Copy the BibTeX entry'
      }
      title={state === 'failed' ? 'Copying the BibTeX entry failed' : 'Copy BibTeX'}
      disabled={state === 'busy'}
      tabIndex={tabIndex}
      onClick={(e) => void copy(e)}
    >
      <span aria-live="polite">{label}</span>
    </button>
  );
}
