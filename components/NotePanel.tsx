/**
 * A paper's note, tags and reading state: the panel a card opens in its shadow root ("✎ Note") and
 * the popup's editor. The note autosaves a moment after typing stops (and at once on close); tags
 * and state save as they change. Keyboard: Tab through note → tags → state; in the tags box
 * ArrowUp/Down pick a suggestion, Enter or "," adds, Backspace on an empty box removes the last
 * tag; Escape closes (the caller returns focus to what opened it).
 *
 * On a web page (`trustedOnly`) every handler ignores events a page script fabricated
 * (`isTrusted === false`), as the save toggle does; the panel's values live in Preact state, set
 * only from trusted events, so a script writing into the textarea changes nothing that is saved.
 * All text is rendered as text.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatCount } from '../lib/count';
import type { ReadingState } from '../lib/db';
import type { Result, WireCandidate } from '../lib/messages';
import {
  NOTE_MAX,
  STATES,
  STATE_LABELS,
  TAGS_MAX,
  normalizeTag,
  type Annotation,
  type PaperView,
} from '../lib/readinglist';
import { send } from '../lib/rpc';
import css from './NotePanel.css?inline';

/** Autosave delay after the last keystroke in the note (ms). */
export const NOTE_DEBOUNCE_MS = 400;
/** User-timing measure of one note save, start to the background's reply (extension pages). */
export const MEASURE_NOTE_SAVE = 'paper-scout:note-save';
const MAX_SUGGESTIONS = 8;

/** What the panel needs from its host. */
export interface NotePanelProps {
  /** The paper's title (labels only). */
  title: string;
  /** Reads note, tags, state and the tag vocabulary. */
  load(): Promise<Result<{ paper: PaperView | null; allTags: string[] }>>;
  /** Saves a change; answers the paper as stored. */
  save(change: Annotation): Promise<Result<PaperView>>;
  /** Close request (Escape, the close button); pending note text is saved first. */
  onClose(): void;
  /** Called after each successful save. */
  onSaved?(paper: PaperView): void;
  /** Field focused on open. */
  focus?: 'note' | 'tags';
  /** Ignore events that are not the user's (the panel sits on a web page). */
  trustedOnly?: boolean;
  /** Leave a user-timing measure per note save (extension pages only, for the benchmark). */
  measure?: boolean;
  /** Prefix for element ids (unique in the document or shadow root). */
  idPrefix?: string;
}

/** Suggestions for a partly typed tag: prefix matches first, then other matches. */
export function suggestTags(
  vocabulary: readonly string[],
  typed: string,
  have: readonly string[],
): string[] {
  const q = typed.trim().toLowerCase();
  const taken = new Set(have.map((t) => t.toLowerCase()));
  const free = vocabulary.filter((t) => !taken.has(t.toLowerCase()));
  if (!q) return free.slice(0, MAX_SUGGESTIONS);
  const starts = free.filter((t) => t.toLowerCase().startsWith(q));
  const inside = free.filter((t) => !t.toLowerCase().startsWith(q) && t.toLowerCase().includes(q));
  return [...starts, ...inside].slice(0, MAX_SUGGESTIONS);
}

function formatWhen(ms: number | undefined): string | undefined {
  return ms === undefined
    ? undefined
    : new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The note, tags and state panel. */
export function NotePanel(props: NotePanelProps): JSX.Element {
  const id = props.idPrefix ?? 'ps-note';
  const [paper, setPaper] = useState<PaperView | null>();
  const [vocabulary, setVocabulary] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [state, setState] = useState<ReadingState>('inbox');
  const [typed, setTyped] = useState('');
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<{ text: string; error?: boolean }>();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const tagRef = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const pendingNote = useRef<string | null>(null);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  /** Tag changes sent so far: only the last one's answer replaces the tags shown. */
  const tagSends = useRef(0);
  const props$ = useRef(props);
  props$.current = props;

  const trusted = (e: Event) => !props.trustedOnly || e.isTrusted;

  // Where focus was when the panel opened: the panel takes it once loaded only if it is still
  // there (a user who clicked elsewhere meanwhile keeps the focus they chose).
  const focusAtOpen = useRef<Element | null>(null);
  useEffect(() => {
    focusAtOpen.current = document.activeElement;
    let live = true;
    void props.load().then((r) => {
      if (!live) return;
      if (!r.ok) {
        setPaper(null);
        setStatus({ text: r.error.message, error: true });
        return;
      }
      const p = r.value.paper;
      setPaper(p ?? null);
      setVocabulary(r.value.allTags);
      setNote(p?.note ?? '');
      setTags(p?.tags ?? []);
      setState(p?.state ?? 'inbox');
    });
    return () => {
      live = false;
    };
  }, []);

  const loaded = paper !== undefined;
  useEffect(() => {
    if (!loaded || document.activeElement !== focusAtOpen.current) return;
    (props.focus === 'tags' ? tagRef : noteRef).current?.focus();
  }, [loaded]);

  /** Saves one change after those before it (a card's first save may create the record). */
  const commit = (change: Annotation): Promise<unknown> => {
    const tagSend = change.tags !== undefined ? ++tagSends.current : 0;
    const run = async () => {
      setStatus({ text: 'Saving…' });
      const start = performance.now();
      const r = await props$.current.save(change);
      if (props$.current.measure && change.note !== undefined) {
        performance.measure(MEASURE_NOTE_SAVE, { start });
      }
      if (r.ok) {
        setPaper(r.value);
        // The stored tags (with another editor's changes) once no later tag change is on its way.
        if (tagSend && tagSend === tagSends.current) setTags(r.value.tags);
        setStatus({ text: 'Saved' });
        props$.current.onSaved?.(r.value);
      } else setStatus({ text: r.error.message, error: true });
    };
    const next = chain.current.then(run, run);
    chain.current = next;
    return next;
  };

  /** Saves pending note text; `now`: at once, not after unanswered saves (the document goes). */
  const flushNote = (now = false) => {
    clearTimeout(timer.current);
    const text = pendingNote.current;
    pendingNote.current = null;
    if (text === null) return;
    if (now)
      // If the document stays (a tab only hidden), the answer is shown as a commit's would be.
      void props$.current.save({ note: text }).then((r) => {
        if (!r.ok) return setStatus({ text: r.error.message, error: true });
        setPaper(r.value);
        setStatus({ text: 'Saved' });
        props$.current.onSaved?.(r.value);
      });
    else void commit({ note: text });
  };

  // Whatever was typed is saved when the panel goes away (closed, card removed). A document torn
  // down (the popup closed, the page navigated away) runs no effect cleanups and no timers: the
  // note is saved when it is hidden.
  useEffect(() => {
    const onHide = () => flushNote(true);
    const onVisibility = () => document.visibilityState === 'hidden' && flushNote(true);
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      flushNote();
    };
  }, []);

  const onNoteInput = (e: JSX.TargetedEvent<HTMLTextAreaElement, Event>) => {
    if (!trusted(e)) return;
    const text = e.currentTarget.value;
    setNote(text);
    pendingNote.current = text;
    clearTimeout(timer.current);
    timer.current = setTimeout(flushNote, NOTE_DEBOUNCE_MS);
  };

  const setTagList = (next: string[]) => {
    // Sent with the list it was edited from: the background applies only this change.
    void commit({ tags: next, tagsWas: tags });
    setTags(next);
  };

  /** Adds what was typed or pasted; commas separate tags, as typing "," does. */
  const addTag = (raw: string) => {
    setActive(-1);
    const next = [...tags];
    const vocab = [...vocabulary];
    let said: { text: string; error?: boolean } | undefined;
    let full = false;
    for (const part of raw.split(',')) {
      const tag = normalizeTag(part);
      if (!tag) continue;
      const have = next.find((t) => t.toLowerCase() === tag.toLowerCase());
      if (have) {
        said = { text: `Already tagged “${have}”` };
        continue;
      }
      if (next.length >= TAGS_MAX) {
        said = { text: `A paper has at most ${formatCount(TAGS_MAX)} tags`, error: true };
        full = true;
        break;
      }
      next.push(tag);
      if (!vocab.some((t) => t.toLowerCase() === tag.toLowerCase())) vocab.push(tag);
    }
    // Text refused for the limit stays in the box.
    if (!full) setTyped('');
    if (next.length !== tags.length) {
      setTagList(next);
      setVocabulary(vocab.sort((a, b) => a.localeCompare(b)));
    }
    if (said) setStatus(said);
  };

  /**
   * On a web page the panel sits in an open shadow root the page's scripts can read (and the page
   * can focus the tag box itself): the library's tags are suggested only for what the user typed,
   * never listed whole.
   */
  const suggestFor = (t: string) =>
    props.trustedOnly && !t.trim() ? [] : suggestTags(vocabulary, t, tags);
  const suggestions = useMemo(
    () => (open ? suggestFor(typed) : []),
    [open, vocabulary, typed, tags],
  );

  const onTagKeyDown = (e: JSX.TargetedKeyboardEvent<HTMLInputElement>) => {
    if (!trusted(e)) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) setOpen(true);
      const n = suggestFor(typed).length;
      if (n) setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a - 1 + n) % n));
    } else if (e.key === 'Enter' || e.key === ',') {
      const pick = active >= 0 ? suggestions[active] : undefined;
      if (pick || typed.trim()) {
        e.preventDefault();
        addTag(pick ?? typed);
      }
    } else if (e.key === 'Backspace' && !typed && tags.length) {
      setTagList(tags.slice(0, -1));
    } else if (e.key === 'Escape' && open && suggestions.length) {
      // First Escape closes the suggestions, the next one the panel.
      e.stopPropagation();
      setOpen(false);
      setActive(-1);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!trusted(e)) return;
    // Keys typed here are the panel's: the popup's list shortcuts and the page's never see them.
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      flushNote();
      props.onClose();
    }
  };

  const close = (e: MouseEvent) => {
    if (!trusted(e)) return;
    flushNote();
    props.onClose();
  };

  const noteId = `${id}-note`;
  const tagsId = `${id}-tags`;
  const listId = `${id}-suggestions`;
  const stateId = `${id}-state`;
  return (
    <div
      class="note-panel"
      role="group"
      aria-label={`Note, tags and reading state: ${props.title.slice(0, 120)}`}
      onKeyDown={onKeyDown}
      data-panel="note"
    >
      <style>{css}</style>
      <div class="np-head">
        <label for={noteId}>Note</label>
        <button type="button" class="np-close" aria-label="Close the note panel" onClick={close}>
          ×
        </button>
      </div>
      <textarea
        id={noteId}
        ref={noteRef}
        rows={4}
        value={note}
        disabled={!loaded}
        placeholder={loaded ? 'Your note (saved as you type)' : 'Loading…'}
        onInput={onNoteInput}
        onBlur={(e) => trusted(e) && flushNote()}
        // Over the limit (a note joined from two records' notes), the browser lets it shrink only.
        maxLength={NOTE_MAX}
        aria-describedby={note.length > NOTE_MAX ? `${noteId}-over` : undefined}
      />
      {note.length > NOTE_MAX && (
        <p id={`${noteId}-over`} class="np-status np-over">
          {`This note joins the notes of two records: ${formatCount(note.length - NOTE_MAX)} characters over the ${formatCount(NOTE_MAX)} a note holds. You can edit it; shorten it to add text.`}
        </p>
      )}
      <label for={tagsId}>Tags</label>
      <div class="np-tags">
        {tags.map((t) => (
          <span class="np-tag" key={t} data-tag={t}>
            {t}
            <button
              type="button"
              aria-label={`Remove tag ${t}`}
              onClick={(e) => {
                if (!trusted(e)) return;
                setTagList(tags.filter((x) => x !== t));
                // This button goes away with its tag: focus moves to the tag box, not the body.
                tagRef.current?.focus();
              }}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={tagsId}
          ref={tagRef}
          type="text"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-expanded={suggestions.length ? 'true' : 'false'}
          aria-controls={listId}
          aria-activedescendant={
            active >= 0 && suggestions[active] ? `${listId}-${active}` : undefined
          }
          placeholder={tags.length ? 'Add a tag' : 'Add tags (Enter or comma)'}
          disabled={!loaded}
          value={typed}
          maxLength={64}
          onInput={(e) => {
            if (!trusted(e)) return;
            setTyped(e.currentTarget.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onTagKeyDown}
        />
      </div>
      <ul
        id={listId}
        role="listbox"
        class="np-suggestions"
        hidden={!suggestions.length}
        aria-label="Existing tags"
      >
        {suggestions.map((s, i) => (
          <li
            key={s}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active ? 'true' : 'false'}
            // mousedown, not click: the input keeps focus.
            onMouseDown={(e) => {
              if (!trusted(e)) return;
              e.preventDefault();
              addTag(s);
            }}
          >
            {s}
          </li>
        ))}
      </ul>
      <div class="np-row">
        <label for={stateId}>State</label>
        <select
          id={stateId}
          value={state}
          disabled={!loaded}
          onChange={(e) => {
            if (!trusted(e)) return;
            const s = e.currentTarget.value as ReadingState;
            setState(s);
            void commit({ state: s });
          }}
        >
          {STATES.map((s) => (
            <option key={s} value={s}>
              {STATE_LABELS[s]}
            </option>
          ))}
        </select>
        <span
          class={`np-status${status?.error ? ' np-error' : ''}`}
          role={status?.error ? 'alert' : 'status'}
        >
          {status?.text ?? (paper?.noteAt ? `Note changed ${formatWhen(paper.noteAt)}` : '')}
        </span>
      </div>
    </div>
  );
}

/** The panel as a card shows it: reads and writes through the background, by the card's id. */
export function cardNotePanel(card: {
  id: string;
  candidate: WireCandidate;
  site: 'huggingface' | 'arxiv' | 'scholar' | 'acl';
  onClose(): void;
  onSaved(paper: PaperView): void;
}): JSX.Element {
  return (
    <NotePanel
      title={card.candidate.title}
      idPrefix="ps-card-note"
      trustedOnly
      // The card's paper goes along: the worker answers only for the paper the card shows.
      load={() =>
        send({ type: 'paper/get', id: card.id, card: { paper: card.candidate, site: card.site } })
      }
      save={(change) =>
        send({
          type: 'paper/annotate',
          id: card.id,
          ...change,
          card: { paper: card.candidate, site: card.site },
        })
      }
      onClose={card.onClose}
      onSaved={card.onSaved}
    />
  );
}
