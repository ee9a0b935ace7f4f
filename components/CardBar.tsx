/**
 * The bar Paper Scout puts into every paper card: the save toggle and the quiet marks (seen, new
 * since your last visit, new version of a saved paper). Rendered by Preact inside the card's
 * shadow root; all page text arrives as props and is rendered as text.
 */
import type { ComponentChildren, JSX } from 'preact';
import type { RuleKind } from '../lib/db';
import type { CardBadge, CardHighlight } from '../lib/messages';
import { WatchMenu, type WatchOptions } from './WatchMenu';

/** What one card shows. */
export interface CardBarProps {
  title: string;
  saved: boolean;
  /** The saved state is not known yet. */
  loading: boolean;
  /** A save or unsave is in flight. */
  busy: boolean;
  seen: boolean;
  isNew: boolean;
  newVersion: boolean;
  error?: string;
  /** Called with the click event; the caller checks `isTrusted`. */
  onToggle(event: MouseEvent): void;
  /** Active watch rules this paper matches. */
  highlights?: CardHighlight[];
  /** Topic badges (at most three). */
  badges?: CardBadge[];
  /** A topic badge was clicked; the caller checks `isTrusted`. */
  onTopic?(event: MouseEvent, topic: string): void;
  /** The saved paper this one is close to ("related" mark). */
  related?: { id: string; title: string };
  /** What the card offers to watch, and what to do when the user picks one. */
  watch?: WatchOptions;
  onWatch?(event: Event, kind: RuleKind, term: string): void;
  /** The note panel is open (components/NotePanel.tsx). */
  noteOpen?: boolean;
  /** Opens or closes the note panel; the caller checks `isTrusted`. */
  onNote?(event: MouseEvent): void;
  /** The note panel, shown under the bar's buttons while open. */
  notePanel?: ComponentChildren;
}

const MAX_LABEL_TITLE = 120;

function shortTitle(title: string): string {
  return title.length > MAX_LABEL_TITLE ? `${title.slice(0, MAX_LABEL_TITLE - 1)}…` : title;
}

/** The save toggle's accessible name. */
function toggleLabel(saved: boolean, title: string): string {
  return saved
    ? `Saved to Paper Scout: ${shortTitle(title)}. Press to remove.`
    : `Save to Paper Scout: ${shortTitle(title)}`;
}

const TOGGLE_TITLE = 'Save to your reading list';

/**
 * The bar of a card whose state has not arrived, built with plain DOM calls into an empty
 * `container`: only the save toggle, exactly as `CardBar` renders it for `{saved: false,
 * loading: true, busy: false}`. A page mounts hundreds of these in one pass, which Preact would
 * make several times slower; the first `render(<CardBar/>)` into the same container then re-uses
 * these very elements (Preact diffs against a container's existing children), so a focused toggle
 * keeps its focus. Page text goes in as text only.
 * @returns a function that detaches `onClick` (call it before Preact takes the container over).
 */
export function mountToggle(
  container: HTMLElement,
  title: string,
  onClick: (event: MouseEvent) => void,
): () => void {
  const doc = container.ownerDocument;
  const bar = doc.createElement('div');
  bar.className = 'bar';
  const button = doc.createElement('button');
  button.setAttribute('type', 'button');
  button.setAttribute('data-action', 'save');
  button.setAttribute('aria-pressed', 'false');
  button.setAttribute('aria-busy', 'true');
  button.setAttribute('aria-label', toggleLabel(false, title));
  button.setAttribute('title', TOGGLE_TITLE);
  const star = doc.createElement('span');
  star.className = 'star';
  star.setAttribute('aria-hidden', 'true');
  star.textContent = '☆';
  button.append(star, 'Save');
  button.addEventListener('click', onClick);
  bar.append(button);
  container.append(bar);
  return () => button.removeEventListener('click', onClick);
}

/** The card bar. */
export function CardBar(props: CardBarProps): JSX.Element {
  const label = toggleLabel(props.saved, props.title);
  return (
    <div
      class="bar"
      style={props.highlights?.[0] ? { '--first-rule': props.highlights[0].color } : undefined}
    >
      <button
        type="button"
        data-action="save"
        aria-pressed={props.saved ? 'true' : 'false'}
        aria-busy={props.busy || props.loading ? 'true' : 'false'}
        aria-label={label}
        title={props.saved ? 'Saved — click to remove' : TOGGLE_TITLE}
        onClick={(e) => props.onToggle(e)}
      >
        <span class="star" aria-hidden="true">
          {props.saved ? '★' : '☆'}
        </span>
        {props.saved ? 'Saved' : 'Save'}
      </button>
      {props.onNote && (
        <button
          type="button"
          data-action="note"
          aria-expanded={props.noteOpen ? 'true' : 'false'}
          aria-label={`Note, tags and reading state: ${shortTitle(props.title)}`}
          title="Note, tags and reading state"
          onClick={(e) => props.onNote?.(e)}
        >
          <span aria-hidden="true">✎</span>
          Note
        </button>
      )}
      {props.newVersion && (
        <span
          class="mark version"
          data-mark="new-version"
          title="A new version of a paper you saved"
        >
          new version
        </span>
      )}
      {props.isNew && !props.newVersion && (
        <span class="mark new" data-mark="new" title="Not on this page at your last visit">
          new
        </span>
      )}
      {props.seen && !props.isNew && !props.newVersion && (
        <span class="mark" data-mark="seen" title="You have seen this paper before">
          seen
        </span>
      )}
      {props.related && !props.saved && (
        <span
          class="mark related"
          data-mark="related"
          // Not a Tab stop (nothing to activate); a role that takes the name, which a plain span
          // does not (screen readers drop aria-label on the generic role).
          role="note"
          // Which saved paper is not said here: the page's scripts can read this shadow root, and
          // the paper is not on their page (the popup's Related tab names it).
          title="Close to a paper you saved (see Related in the Paper Scout popup)"
          aria-label="Related to a paper you saved"
        >
          related
        </span>
      )}
      {props.badges?.map((b) => (
        <button
          type="button"
          key={b.id}
          class={`badge ${b.kind}`}
          data-topic={b.id}
          title={`${b.kind === 'learned' ? 'Suggested from your tag' : 'Topic'} “${b.name}” because of: ${b.why.join(', ')}. Click to see your saved papers on it.`}
          aria-label={`Topic ${b.name}, because of: ${b.why.join(', ')}. Show saved papers on this topic.`}
          onClick={(e) => props.onTopic?.(e, b.id)}
        >
          {b.name}
        </button>
      ))}
      {props.highlights?.map((h) => (
        <span
          key={h.ruleId}
          class="mark rule"
          data-highlight={h.ruleId}
          style={{ '--rule': h.color }}
          title={`Matches your watch rule “${h.name}”: ${h.terms.join(', ')}`}
        >
          {h.name}
        </span>
      ))}
      {props.watch && props.onWatch && <WatchMenu options={props.watch} onWatch={props.onWatch} />}
      {props.error && (
        <span class="error" role="alert">
          {props.error}
        </span>
      )}
      {props.noteOpen && props.notePanel}
    </div>
  );
}
