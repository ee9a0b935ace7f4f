/**
 * One row of the reading list: selection box, title (a link), byline and date, reading state,
 * tags, and a line of the note (or, for a search that matched the abstract, an excerpt of it).
 * Matched words are <mark> elements built from the search's matched terms; all text stays text.
 * Titles take their direction from their own text (`dir="auto"`): an Arabic or Hebrew title reads
 * right to left, with a Latin name at its end on the left, as on the site it came from.
 */
import { Component, type ComponentType, type JSX } from 'preact';
import { formatCount } from '../../lib/count';
import type { SiteId } from '../../lib/paper';
import { STATE_LABELS, type ListRow } from '../../lib/readinglist';
import { highlight } from '../../lib/searchtext';
import { SIMILAR_EVENT } from './events';

export const SITE_NAMES: Record<SiteId, string> = {
  huggingface: 'Hugging Face',
  arxiv: 'arXiv',
  scholar: 'Google Scholar',
  acl: 'ACL Anthology',
};

/** Text with its matched words marked. */
export function Marked({
  text,
  terms,
}: {
  text: string;
  terms?: ReadonlySet<string>;
}): JSX.Element {
  if (!terms?.size) return <>{text}</>;
  return (
    <>{highlight(text, terms).map((s, i) => (s.mark ? <mark key={i}>{s.text}</mark> : s.text))}</>
  );
}

/**
 * One formatter for every row, and each date formatted once: `toLocaleDateString` builds a new
 * ICU formatter per call, which cost more than the rest of a row's render (about 0.5 ms a row).
 */
let dateFormat: Intl.DateTimeFormat | undefined;
const formatted = new Map<string, string | undefined>();

function formatDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  if (formatted.has(iso)) return formatted.get(iso);
  const d = new Date(iso);
  // The paper's calendar day as the site gave it: "2009-06-11" is UTC midnight, which a local
  // formatter west of UTC would show as June 10 (arXiv, the sort key and HF all date in UTC).
  dateFormat ??= new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
  const text = Number.isNaN(d.getTime()) ? undefined : dateFormat.format(d);
  if (formatted.size > 5_000) formatted.clear();
  formatted.set(iso, text);
  return text;
}

function authorsText(r: ListRow): string | undefined {
  if (!r.authors.length) return r.organization;
  const more = r.authorCount > r.authors.length ? ' et al.' : '';
  return `${r.authors.join(', ')}${more}`;
}

export interface PaperRowProps {
  row: ListRow;
  index: number;
  setSize: number;
  style: JSX.CSSProperties;
  active: boolean;
  selected: boolean;
  terms?: ReadonlySet<string>;
  /** Abstract excerpt around a match. */
  snippet?: string;
  /** The search matched this paper's abstract (excerpt may still be on its way). */
  inAbstract: boolean;
  error?: string;
  /**
   * The BibTeX copy button (components/exchange/CopyBibtexButton.tsx), once loaded: it reads the
   * database, and the database code loads after the first rows are painted. Until then the row
   * shows the same button, disabled.
   */
  CopyButton?: ComponentType<{ id: string; title?: string; class?: string; tabIndex?: number }>;
  onActivate(index: number): void;
  onSelect(id: string): void;
  onCycleState(id: string): void;
  onEdit(id: string): void;
  onUnsave(id: string): void;
}

/** A reading-list row (see `PaperRow`). */
function renderRow(p: PaperRowProps): JSX.Element {
  const r = p.row;
  const title = r.title.slice(0, 120);
  const meta = [
    formatDate(r.date),
    r.upvotes !== undefined ? `▲ ${formatCount(r.upvotes)}` : undefined,
    r.savedFrom ? SITE_NAMES[r.savedFrom] : undefined,
  ].filter(Boolean);
  const byline = authorsText(r);
  const note = r.note.split('\n').find((l) => l.trim()) ?? '';
  return (
    <li
      class={`row rl-row${p.active ? ' rl-active' : ''}${p.selected ? ' rl-selected' : ''}`}
      style={p.style}
      data-paper-id={r.id}
      data-index={p.index}
      data-state={r.state}
      aria-posinset={p.index + 1}
      aria-setsize={p.setSize}
      aria-current={p.active ? 'true' : undefined}
      tabIndex={p.active ? 0 : -1}
      onFocusCapture={() => p.onActivate(p.index)}
      onMouseDown={() => p.onActivate(p.index)}
    >
      <input
        type="checkbox"
        class="rl-check"
        checked={p.selected}
        aria-label={`Select “${title}”`}
        tabIndex={-1}
        onChange={() => p.onSelect(r.id)}
      />
      <div class="row-main">
        {r.href ? (
          <a
            class="title"
            dir="auto"
            href={r.href}
            target="_blank"
            rel="noopener noreferrer"
            tabIndex={p.active ? 0 : -1}
          >
            <Marked text={r.title} terms={p.terms} />
          </a>
        ) : (
          <span class="title" dir="auto">
            <Marked text={r.title} terms={p.terms} />
          </span>
        )}
        <div class="meta">
          {byline && <Marked text={byline} terms={p.terms} />}
          {byline && meta.length ? ' · ' : ''}
          {meta.join(' · ')}
        </div>
        <div class="rl-extra">
          <button
            type="button"
            class="rl-state"
            data-action="state"
            data-state={r.state}
            tabIndex={-1}
            title="Reading state — press to change (s)"
            aria-label={`Reading state: ${STATE_LABELS[r.state]}. Press to change.`}
            onClick={() => p.onCycleState(r.id)}
          >
            {STATE_LABELS[r.state]}
          </button>
          {r.tags.map((t) => (
            <span class="rl-tag" key={t} data-tag={t}>
              <Marked text={t} terms={p.terms} />
            </span>
          ))}
          {p.snippet ? (
            <span class="rl-snippet" data-snippet="abstract">
              <Marked text={p.snippet} terms={p.terms} />
            </span>
          ) : note ? (
            <span class="rl-note" data-note>
              ✎ <Marked text={note} terms={p.terms} />
            </span>
          ) : p.inAbstract ? (
            <span class="rl-snippet">matched in the abstract</span>
          ) : null}
        </div>
        {p.error && (
          <div class="error" role="alert">
            {p.error}
          </div>
        )}
      </div>
      <RowActions
        id={r.id}
        title={title}
        fullTitle={r.title}
        active={p.active}
        CopyButton={p.CopyButton}
        onEdit={p.onEdit}
        onUnsave={p.onUnsave}
      />
    </li>
  );
}

/**
 * A component rendered again only when one of its props changed. Hand-written rather than
 * preact/compat's `memo`, whose global vnode hook costs every element of the popup a little on
 * every render.
 */
abstract class Pure<P> extends Component<P> {
  override shouldComponentUpdate(next: P): boolean {
    const prev = this.props as unknown as Record<string, unknown>;
    const now = next as unknown as Record<string, unknown>;
    for (const k in now) if (now[k] !== prev[k]) return true;
    for (const k in prev) if (!(k in now)) return true;
    return false;
  }
}

interface RowActionsProps {
  id: string;
  /** The title as labels quote it (cut), and whole (the Related tab's heading). */
  title: string;
  fullTitle: string;
  active: boolean;
  CopyButton: PaperRowProps['CopyButton'];
  onEdit(id: string): void;
  onUnsave(id: string): void;
}

/** A row's buttons: the same for every search, so a keystroke does not render them again. */
class RowActions extends Pure<RowActionsProps> {
  override render(p: RowActionsProps): JSX.Element {
    return (
      <div class="rl-actions">
        <button
          type="button"
          class="icon"
          data-action="note"
          tabIndex={p.active ? 0 : -1}
          aria-label={`Note and tags for “${p.title}” (e)`}
          title="Note and tags (e)"
          onClick={() => p.onEdit(p.id)}
        >
          ✎
        </button>
        <button
          type="button"
          class="icon"
          data-action="similar"
          tabIndex={p.active ? 0 : -1}
          aria-label={`Papers similar to “${p.title}”`}
          title="Similar papers you have seen"
          onClick={() =>
            window.dispatchEvent(
              new CustomEvent(SIMILAR_EVENT, { detail: { id: p.id, title: p.fullTitle } }),
            )
          }
        >
          ≈
        </button>
        {p.CopyButton ? (
          // In the Tab order with the row's other buttons only: the active row's.
          <p.CopyButton id={p.id} title={p.title} class="icon" tabIndex={p.active ? 0 : -1} />
        ) : (
          <button
            type="button"
            class="copy-bibtex icon"
            data-state="loading"
            aria-label={`Copy the BibTeX entry of “${p.title}”`}
            title="Copy BibTeX"
            disabled
          >
            <span>BibTeX</span>
          </button>
        )}
        <button
          type="button"
          class="icon"
          data-action="unsave"
          tabIndex={p.active ? 0 : -1}
          aria-label={`Remove “${p.title}” from the reading list`}
          title="Remove from reading list"
          onClick={() => p.onUnsave(p.id)}
        >
          ★
        </button>
      </div>
    );
  }
}

/**
 * A reading-list row, rendered again only when one of its props changed (a search re-renders the
 * list on every keystroke; rows whose row, match and position are the same are left alone).
 */
export class PaperRow extends Pure<PaperRowProps> {
  override render(p: PaperRowProps): JSX.Element {
    return renderRow(p);
  }
}
