/**
 * The popup's shell: a header and three tabs — Reading list (saved papers), Related (seen papers
 * close to what you saved) and Highlighted (matches of your watch rules). Each tab is its own
 * component under components/popup/.
 *
 * Only the reading list is in the popup's first script; the other tabs, the Export menu and the
 * database library load right after its first rows are painted (components/popup/later.ts), or
 * at once when a tab is chosen.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { SIMILAR_EVENT } from './popup/events';
import { loadDeferred, useDeferred } from './popup/later';
import { ReadingList } from './popup/ReadingList';
import type { RelatedMode } from './popup/RelatedTab';

/** The deferred parts load by this time (ms) even if the reading list never painted rows. */
const DEFERRED_BY_MS = 400;

/** Tabs of the popup, in order. */
export const TABS = [
  { id: 'saved', label: 'Reading list' },
  { id: 'related', label: 'Related' },
  { id: 'highlighted', label: 'Highlighted' },
] as const;

/** A popup tab id. */
export type TabId = (typeof TABS)[number]['id'];

/** `?topic=<id>`: the popup was opened from a card's topic badge (lib/background/start.ts). */
function topicParam(): string {
  const t = new URLSearchParams(location.search).get('topic') ?? '';
  return t.length <= 200 ? t : '';
}

/** The popup's root. */
export function Popup(): JSX.Element {
  const [topic] = useState(topicParam);
  const [tab, setTab] = useState<TabId>('saved');
  const [relatedMode, setRelatedMode] = useState<RelatedMode>({ kind: 'forYou', tag: '' });
  // A reading-list row's "≈" asks for the papers similar to it (components/popup/PaperRow.tsx).
  useEffect(() => {
    const onSimilar = (e: Event) => {
      const d = (e as CustomEvent<{ id?: unknown; title?: unknown }>).detail;
      if (typeof d?.id !== 'string' || typeof d.title !== 'string') return;
      setRelatedMode({ kind: 'similar', id: d.id, title: d.title });
      setTab('related');
      // The row's "≈" leaves with the reading list: focus goes to the Related tab (which says
      // where the user now is), not to the page body.
      document.getElementById('tab-related')?.focus();
    };
    window.addEventListener(SIMILAR_EVENT, onSimilar);
    return () => window.removeEventListener(SIMILAR_EVENT, onSimilar);
  }, []);
  const later = useDeferred();
  useEffect(() => {
    const t = setTimeout(() => void loadDeferred(), DEFERRED_BY_MS);
    return () => clearTimeout(t);
  }, []);
  // When the popup was opened before now: highlights newer than that are marked unread. Opening
  // the popup marks them read (and clears the toolbar count). Read once the database code is
  // loaded (after the first rows).
  const [readAt, setReadAt] = useState<number>();
  useEffect(() => {
    if (!later) return;
    void later
      .getDb()
      .settings.get(later.HIGHLIGHTS_READ_AT)
      .then((row) => {
        setReadAt(typeof row?.value === 'number' ? row.value : 0);
        return later.send({ type: 'highlights/read' });
      });
  }, [later]);
  // Chosen before the deferred parts arrived: they load now.
  useEffect(() => {
    if (tab !== 'saved') void loadDeferred();
  }, [tab]);
  // The same element every render: the shell re-rendering (the Export menu arriving, the
  // highlights' time read) leaves the reading list alone.
  const readingList = useMemo(() => <ReadingList topic={topic} />, [topic]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    if (next) {
      setTab(next.id);
      document.getElementById(`tab-${next.id}`)?.focus();
    }
  };
  return (
    <main class="popup">
      <header class="head">
        <h1>Paper Scout</h1>
        {later ? (
          <later.ExportMenu />
        ) : (
          // Its look and place until the menu loads (the header does not move when it does).
          <details class="export-menu" inert>
            <summary>Export</summary>
          </details>
        )}
        <a class="options-link" href="options.html" target="_blank" rel="noopener">
          Options
        </a>
      </header>
      <div class="tabs" role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            data-tab={t.id}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class="panel">
        {tab === 'saved' && readingList}
        {tab !== 'saved' && !later && <p class="empty">Loading…</p>}
        {tab === 'related' && later && (
          <later.RelatedTab mode={relatedMode} onMode={setRelatedMode} />
        )}
        {tab === 'highlighted' && later && readAt !== undefined && (
          <later.HighlightedTab readAt={readAt} />
        )}
      </div>
    </main>
  );
}
