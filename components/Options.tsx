/**
 * The options page: settings that outlive a popup — sighting history and its cap, the user's own
 * topics, watch rules, import and export.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Settings } from '../lib/messages';
import { countOf, formatCount } from '../lib/count';
import { send } from '../lib/rpc';
import { RulesEditor } from './RulesEditor';
import { TopicsEditor } from './TopicsEditor';
import { ExportImport } from './ExportImport';

/** The history cap's bounds (the worker refuses others: lib/messages.ts). */
const CAP_MIN = 100;
const CAP_MAX = 10_000_000;

/** Grouped digits for counts the page reports, in the browser's locale ("12.345" in German). */
const count = formatCount;

/**
 * What deleting the history costs, said before it happens: turning history off and "Clear
 * history now" both delete every sighting at once, and nothing brings it back.
 */
const HISTORY_LOSS =
  'This deletes every record of where and when you saw a paper, and the unsaved papers kept with it: cards lose their seen and new marks and the Related tab has nothing to suggest until you browse again. Saved papers, their notes and tags stay.';

/** A question asked before the history is deleted: which action, and the control that asked. */
type Confirm = 'history-off' | 'history-clear';

/** The options page's root. */
export function Options(): JSX.Element {
  const [settings, setSettings] = useState<Settings>();
  const [status, setStatus] = useState<string>();
  const [confirm, setConfirm] = useState<Confirm>();
  const historyBox = useRef<HTMLInputElement>(null);
  const clearButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  // The question takes focus on its safe answer: an Enter or Space pressed next deletes nothing.
  useEffect(() => {
    if (confirm) keepButton.current?.focus();
  }, [confirm]);
  /** Closes the question; focus goes back to the control that asked it. */
  const answered = (which: Confirm) => {
    setConfirm(undefined);
    (which === 'history-off' ? historyBox : clearButton).current?.focus();
  };
  useEffect(() => {
    void send({ type: 'settings/get' }).then((r) =>
      r.ok ? setSettings(r.value) : setStatus(r.error.message),
    );
  }, []);
  const update = async (patch: Partial<Settings>) => {
    const r = await send({ type: 'settings/set', settings: patch });
    if (r.ok) {
      setSettings(r.value);
      setStatus('Saved.');
    } else setStatus(r.error.message);
  };
  const setCap = (text: string) => {
    const cap = Number(text);
    if (text.trim() === '' || !Number.isInteger(cap) || cap < CAP_MIN || cap > CAP_MAX) {
      // The field shows the stored cap again on the next render.
      setStatus(
        `Type a whole number of papers from ${count(CAP_MIN)} to ${count(CAP_MAX)}; the cap stays at ${settings ? count(settings.historyCap) : ''}.`,
      );
      return;
    }
    void update({ historyCap: cap });
  };
  const clear = async () => {
    const r = await send({ type: 'history/clear' });
    setStatus(
      r.ok
        ? `Cleared ${countOf(r.value.removedSightings, 'sighting')} and ${countOf(r.value.removedPapers, 'unsaved paper')}.`
        : r.error.message,
    );
  };
  const turnOff = async () => {
    const r = await send({ type: 'settings/set', settings: { historyEnabled: false } });
    if (r.ok) {
      setSettings(r.value);
      setStatus('History is off, and what it held was deleted.');
    } else setStatus(r.error.message);
  };
  return (
    <main class="options">
      <h1>Paper Scout options</h1>
      <section>
        <h2>History</h2>
        <p>
          Paper Scout remembers which papers you have seen (where and when) to mark them as seen or
          new. It never leaves your browser.
        </p>
        {settings && (
          <>
            <label class="field">
              <input
                type="checkbox"
                name="historyEnabled"
                ref={historyBox}
                checked={settings.historyEnabled}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  if (on) return void update({ historyEnabled: true });
                  // Off deletes the history: the box stays ticked until the user confirms.
                  e.currentTarget.checked = true;
                  setConfirm('history-off');
                }}
              />
              Keep a history of seen papers (turning it off clears it)
            </label>
            <label class="field">
              Keep at most
              <input
                type="number"
                name="historyCap"
                min={CAP_MIN}
                max={CAP_MAX}
                step={100}
                value={settings.historyCap}
                onChange={(e) => setCap(e.currentTarget.value)}
              />
              papers (the least recently seen unsaved ones go first)
            </label>
          </>
        )}
        <button ref={clearButton} type="button" onClick={() => setConfirm('history-clear')}>
          Clear history now
        </button>
        {confirm && (
          <div
            class="confirm"
            role="group"
            aria-labelledby="confirm-q"
            aria-describedby="confirm-d"
            data-confirm={confirm}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                answered(confirm);
              }
            }}
          >
            <p id="confirm-q">
              <strong>
                {confirm === 'history-off'
                  ? 'Turn history off and delete it?'
                  : 'Delete the history now?'}
              </strong>
            </p>
            <p id="confirm-d">{HISTORY_LOSS}</p>
            <button
              type="button"
              onClick={() => {
                answered(confirm);
                void (confirm === 'history-off' ? turnOff() : clear());
              }}
            >
              {confirm === 'history-off' ? 'Turn off and clear history' : 'Clear history'}
            </button>{' '}
            <button ref={keepButton} type="button" onClick={() => answered(confirm)}>
              {confirm === 'history-off' ? 'Keep history' : 'Cancel'}
            </button>
          </div>
        )}
        {status && <p role="status">{status}</p>}
      </section>
      <section data-section="shortcuts">
        <h2>Keyboard</h2>
        <p>
          Open the reading list with <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>P</kbd>. To change it: in
          Chrome, Edge and other Chromium browsers open <code>chrome://extensions/shortcuts</code>{' '}
          (the browser does not let an extension open that page for you); in Firefox, open the
          Add-ons Manager, then the gear menu's <em>Manage Extension Shortcuts</em>.
        </p>
        <p>
          In the reading list: <kbd>/</kbd> search, <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd>{' '}
          open, <kbd>s</kbd> next reading state, <kbd>e</kbd> note and tags, <kbd>x</kbd> select
          (then change state, tag or remove the selected papers, with undo), <kbd>Escape</kbd> clear
          the selection. On a listing, a card's <em>✎ Note</em> button opens its note, tags and
          state; <kbd>Escape</kbd> closes it.
        </p>
      </section>
      <section data-section="topics">
        <h2>Topics</h2>
        <p>
          Cards carry up to three topic badges from a built-in list of 72 machine-learning topics.
          Add your own here: a card whose title (or, with more evidence, abstract) uses one of its
          phrases gets its badge, shown first and in green. Click a badge on a card to see your
          saved papers on that topic.
        </p>
        <TopicsEditor />
      </section>
      <RulesEditor />
      <ExportImport />
    </main>
  );
}
