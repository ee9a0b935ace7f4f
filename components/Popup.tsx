/**
 * The popup's shell: a header and three tabs — Reading list (saved papers), Related (seen papers
 * close to what you saved) and Highlighted (matches of your watch rules). Each tab is its own
 * component under components/popup/.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getDb } from '../lib/db';
import { send } from '../lib/rpc';
import { HIGHLIGHTS_READ_AT } from '../lib/rules/store';
import { HighlightedTab } from './popup/HighlightedTab';
import { ReadingList } from './popup/ReadingList';
import { RelatedTab, SIMILAR_EVENT, type RelatedMode } from './popup/RelatedTab';
import { ExportMenu } from './exchange/ExportMenu';

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
    };
    window.addEventListener(SIMILAR_EVENT, onSimilar);
    return () => window.removeEventListener(SIMILAR_EVENT, onSimilar);
  }, []);
  // When the popup was opened before now: highlights newer than that are marked unread. Opening
  // the popup marks them read (and clears the toolbar count).
  const [readAt, setReadAt] = useState<number>();
  useEffect(() => {
    void getDb()
      .settings.get(HIGHLIGHTS_READ_AT)
      .then((row) => {
        setReadAt(typeof row?.value === 'number' ? row.value : 0);
        return send({ type: 'highlights/read' });
      });
  }, []);
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
        <ExportMenu />
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
        {tab === 'saved' && <ReadingList topic={topic} />}
        {tab === 'related' && <RelatedTab mode={relatedMode} onMode={setRelatedMode} />}
        {tab === 'highlighted' && readAt !== undefined && <HighlightedTab readAt={readAt} />}
      </div>
    </main>
  );
}
