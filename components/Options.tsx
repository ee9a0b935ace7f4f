/**
 * The options page: settings that outlive a popup — sighting history and its cap, the user's own
 * topics, watch rules, import and export.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../lib/messages';
import { send } from '../lib/rpc';
import { RulesEditor } from './RulesEditor';
import { TopicsEditor } from './TopicsEditor';
import { ExportImport } from './ExportImport';

/** The history cap's bounds (the worker refuses others: lib/messages.ts). */
const CAP_MIN = 100;
const CAP_MAX = 10_000_000;

/** The options page's root. */
export function Options(): JSX.Element {
  const [settings, setSettings] = useState<Settings>();
  const [status, setStatus] = useState<string>();
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
        `Type a whole number of papers from ${CAP_MIN.toLocaleString('en')} to ${CAP_MAX.toLocaleString('en')}; the cap stays at ${settings?.historyCap.toLocaleString('en')}.`,
      );
      return;
    }
    void update({ historyCap: cap });
  };
  const clear = async () => {
    const r = await send({ type: 'history/clear' });
    setStatus(
      r.ok
        ? `Cleared ${r.value.removedSightings} sightings and ${r.value.removedPapers} unsaved papers.`
        : r.error.message,
    );
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
                checked={settings.historyEnabled}
                onChange={(e) => void update({ historyEnabled: e.currentTarget.checked })}
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
        <button type="button" onClick={() => void clear()}>
          Clear history now
        </button>
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
