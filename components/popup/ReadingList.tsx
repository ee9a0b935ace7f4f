/**
 * The popup's Reading list tab: saved papers with filters (state, tag, topic, site), sorting (saved
 * date, paper date, title; best match while searching), full-text search as you type with matched
 * words marked, keyboard control, and bulk changes with undo.
 *
 * Data: useListStore (the first rows read directly, then every row from the list worker, which
 * also searches and follows changes made anywhere). Reads go to IndexedDB directly (an extension
 * page shares the worker's database); every change goes through the background's validated
 * messages. The note editor, the BibTeX button and the database library load after the first
 * rows are painted (components/popup/later.ts).
 *
 * Keys (when not typing in a field): `/` search, `j`/`k` (or ↓/↑) move, Enter open, `s` next
 * reading state, `e` note and tags, `x` select; Escape clears the selection.
 */
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ReadingState } from '../../lib/db';
import type { SiteId } from '../../lib/paper';
import {
  STATES,
  STATE_LABELS,
  allTags,
  findPaper,
  nextState,
  viewOf,
  type BulkOp,
  type ListRow,
  type Snapshot,
} from '../../lib/readinglist';
import { formatCount } from '../../lib/count';
import { fieldBit } from '../../lib/searchtext';
import { loadDeferred, send, useDeferred } from './later';
import { PaperRow, SITE_NAMES } from './PaperRow';
import { useListStore } from './useListStore';
import { VirtualList } from './VirtualList';

export { paperLink } from '../../lib/readinglist';

/** Height of one row (px; rows are clipped to it so the list can be virtualized). */
export const ROW_HEIGHT = 92;
/** Height of the list's viewport at most (px), and while the note editor is open under it. */
const LIST_HEIGHT = 368;
const LIST_HEIGHT_EDITING = 160;
/** A typed query shows by this time (ms) even when its results are slow to come. */
const QUERY_WAIT_MS = 150;
/** How long (ms) an Undo waits for its rows to come back before focus goes to the search box. */
const RESTORE_WAIT_MS = 1500;

/** User-timing marks the benchmark reads (bench/readinglist.mjs). */
export const MARK_LIST_PAINTED = 'paper-scout:list-painted';
export const MEASURE_SEARCH = 'paper-scout:search';

type Sort = 'saved' | 'date' | 'title' | 'relevance';
const SORT_LABELS: Record<Sort, string> = {
  relevance: 'Best match',
  saved: 'Saved (newest)',
  date: 'Paper date',
  title: 'Title',
};

/** One of the reading list's filter menus: "All …" first, then its options. */
function FilterMenu<T extends string>(props: {
  label: string;
  all: string;
  value: T | '';
  options: readonly T[];
  name?: (v: T) => string;
  onChange: (v: T | '') => void;
  /** `data-filter` (tests find the topic menu by it). */
  filter?: string;
}) {
  return (
    <select
      aria-label={props.label}
      data-filter={props.filter}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value as T | '')}
    >
      <option value="">{props.all}</option>
      {props.options.map((o) => (
        <option key={o} value={o}>
          {props.name ? props.name(o) : o}
        </option>
      ))}
    </select>
  );
}

interface Filters {
  state: ReadingState | '';
  tag: string;
  topic: string;
  site: SiteId | '';
}
const NO_FILTERS: Filters = { state: '', tag: '', topic: '', site: '' };

/**
 * Topics a row belongs to, for the topic filter. Empty until topic badges exist; the topic
 * feature fills `ListRow.topics` (from `PaperRecord.topics`) and this filter lists them.
 */
/** Built-in topics' names, loaded after the first paint (the taxonomy is 80 KB of JSON). */
let topicNames: Map<string, string> | undefined;
const loadTopicNames = (): Promise<Map<string, string>> =>
  import('../../lib/topics/taxonomy').then(
    (m) => (topicNames ??= new Map(m.BUILTIN_TOPICS.map((t) => [t.id, t.name]))),
  );

/** A topic's name for the filter (built-in topics by name once loaded; others as their id). */
function topicName(id: string): string {
  return topicNames?.get(id) ?? id.replace(/^(user|tag):/, '');
}

export function topicsOf(row: ListRow): readonly string[] {
  return row.topics;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return (
    el.isContentEditable ||
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT' ||
    (el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'checkbox')
  );
}

/**
 * What the list says when a search (`query`, '' for none) or the filters leave no paper: what was
 * asked, so the user sees why (a filter set earlier is easy to forget).
 */
function emptyText(query: string, filtersOn: boolean): string {
  const q = query.trim();
  const quoted = `“${q.length > 60 ? `${q.slice(0, 59)}…` : q}”`;
  if (q && filtersOn) return `No saved paper matches ${quoted} with the filters chosen.`;
  if (q) return `No saved paper matches ${quoted}.`;
  return filtersOn ? 'No saved paper fits the filters chosen.' : 'Nothing matches.';
}

/** After the browser has painted what was just rendered. */
function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

/**
 * The reading list tab. `topic` starts the list filtered by a topic (a badge clicked on a card
 * opens the popup with `?topic=<id>`).
 */
export function ReadingList({ topic = '' }: { topic?: string } = {}): JSX.Element {
  const { data, ask, patch } = useListStore();
  const later = useDeferred();
  /** What the search box holds (the box shows it by itself: no render per key for it). */
  const typed = useRef('');
  /** The query the list shows (see below), and a render when it changes without results. */
  const shown = useRef('');
  const [, setShownTick] = useState(0);
  const queryTimer = useRef<ReturnType<typeof setTimeout>>();
  const [filters, setFilters] = useState<Filters>({ ...NO_FILTERS, topic });
  const [namesLoaded, setNamesLoaded] = useState(topicNames !== undefined);
  // What the first rows did not need (the editor, the BibTeX button, the other tabs, Dexie, the
  // topics' names): loaded once they are painted (or the list is empty).
  const loadLater = () => {
    void loadDeferred();
    if (!topicNames) void loadTopicNames().then(() => setNamesLoaded(true));
  };
  const [sort, setSort] = useState<Sort>('saved');
  const [searchSort, setSearchSort] = useState<Sort>('relevance');
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [editing, setEditing] = useState<string | null>(null);
  const [toast, setToast] = useState<{ text: string; undo?: Snapshot[] }>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [range, setRange] = useState<[number, number]>([0, 0]);
  const [bulkTag, setBulkTag] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const seq = useRef(0);
  const pendingSearch = useRef<{ seq: number; start: number } | null>(null);
  /** A row being removed with its own button, and its place (see the layout effect). */
  const removing = useRef<{ id: string; index: number } | null>(null);
  /** Ids an Undo is bringing back (the first shown gets focus). */
  const restoring = useRef<ReadonlySet<string> | null>(null);
  /** The message's × gets focus once rendered (an Undo failed: its button is gone). */
  const focusDismiss = useRef(false);
  /** The last element focused outside the message, for its × to give focus back to. */
  const focusedBeforeToast = useRef<HTMLElement | null>(null);
  const toastRef = useRef<HTMLDivElement>(null);
  /** The row index a key moved to, to be focused once rendered (null: none). */
  const focusTo = useRef<number | null>(null);
  const [, setFocusTick] = useState(0);
  const painted = useRef(false);

  // The list follows a typed query when its results come: one render per keystroke, with the
  // results, rather than one for the text and another for its results a few milliseconds later
  // (which made the results miss the frame that painted the typed letter). An emptied box shows
  // the whole list at once; a slow answer (the worker still starting) shows the query after
  // QUERY_WAIT_MS, with the results of an earlier query, as before.
  if (data.results && data.results.seq === seq.current) shown.current = data.results.text;
  const query = shown.current;
  const searching = query.trim() !== '';
  const results = searching && data.results?.seq ? data.results : undefined;
  const effectiveSort: Sort = searching ? searchSort : sort;

  const onSearchInput = (e: JSX.TargetedEvent<HTMLInputElement, Event>) => {
    const text = e.currentTarget.value;
    typed.current = text;
    const n = ++seq.current;
    pendingSearch.current = { seq: n, start: performance.now() };
    ask({ type: 'query', seq: n, text });
    setActive(0);
    clearTimeout(queryTimer.current);
    const show = () => {
      if (seq.current !== n || shown.current === text) return;
      shown.current = text;
      setShownTick((t) => t + 1);
    };
    if (!text.trim()) show();
    else queryTimer.current = setTimeout(show, QUERY_WAIT_MS);
  };
  useEffect(() => () => clearTimeout(queryTimer.current), []);
  /** The search as if its box had been emptied. */
  const clearSearch = () =>
    onSearchInput({ currentTarget: { value: '' } } as JSX.TargetedEvent<HTMLInputElement, Event>);

  // The ids shown: search results or every saved paper, filtered, sorted.
  const ids = useMemo(() => {
    const rows = data.rows;
    const base = searching ? (results?.ids ?? []) : data.order;
    const f = filters;
    const filtered =
      f.state || f.tag || f.topic || f.site
        ? base.filter((id) => {
            const r = rows.get(id);
            if (!r) return false;
            if (f.state && r.state !== f.state) return false;
            if (f.tag && !r.tags.some((t) => t.toLowerCase() === f.tag.toLowerCase())) return false;
            if (f.topic && !topicsOf(r).includes(f.topic)) return false;
            if (f.site && !r.sites.includes(f.site)) return false;
            return true;
          })
        : base.filter((id) => rows.has(id));
    if (effectiveSort === 'relevance' || effectiveSort === 'saved') {
      return effectiveSort === 'saved' && searching
        ? filtered.sort((a, b) => (rows.get(b)?.savedAt ?? 0) - (rows.get(a)?.savedAt ?? 0))
        : filtered;
    }
    const key = (id: string) => rows.get(id)!;
    return effectiveSort === 'title'
      ? filtered.sort((a, b) => collator.compare(key(a).title, key(b).title))
      : filtered.sort((a, b) => key(b).dateKey - key(a).dateKey);
  }, [data.rowsVersion, searching, results, filters, effectiveSort]);

  const activeIndex = Math.min(active, Math.max(0, ids.length - 1));
  const activeId = ids[activeIndex];

  // Options of the filters, from the rows themselves.
  const { tags, topics, sites } = useMemo(() => {
    const tagSet = new Map<string, string>();
    const topicSet = new Set<string>();
    const siteSet = new Set<SiteId>();
    for (const r of data.rows.values()) {
      for (const t of r.tags) if (!tagSet.has(t.toLowerCase())) tagSet.set(t.toLowerCase(), t);
      for (const t of topicsOf(r)) topicSet.add(t);
      for (const s of r.sites) siteSet.add(s);
    }
    return {
      tags: [...tagSet.values()].sort(collator.compare),
      topics: [...topicSet].sort(collator.compare),
      sites: [...siteSet].sort(),
    };
  }, [data.rowsVersion]);

  // Benchmark marks: first rows painted; search keystroke to its results painted. A layout effect
  // (right after the DOM changed), then the next frame: Preact runs plain effects only after a
  // frame, which would count one frame too many.
  useLayoutEffect(() => {
    if (!painted.current && ids.length) {
      painted.current = true;
      afterPaint(() => {
        performance.mark(MARK_LIST_PAINTED, { detail: ids.length });
        loadLater();
      });
    }
    const p = pendingSearch.current;
    if (p && data.results?.seq === p.seq) {
      pendingSearch.current = null;
      clearTimeout(queryTimer.current);
      performance.mark('paper-scout:search-rendered', { detail: p.seq });
      afterPaint(() => performance.measure(MEASURE_SEARCH, { start: p.start, detail: p.seq }));
    }
  }, [ids, data.results]);

  // Abstract excerpts for the rows in view whose match is in the abstract.
  useEffect(() => {
    if (!results) return;
    const want = ids
      .slice(range[0], range[1] + 1)
      .filter(
        (id) =>
          !data.snippets.has(id) && ((results.fields.get(id) ?? 0) & fieldBit('abstract')) !== 0,
      );
    if (want.length) ask({ type: 'snippets', seq: results.seq, ids: want });
  }, [results, range, ids]);

  // Focus follows the active row when it moved by key; and it stays on the list when the rows
  // are re-rendered under it (the full list arriving from the worker replaces the first page's
  // row elements: without this, a key pressed in that moment would leave focus on the body).
  // A layout effect, right after the rows are in the document, and the index to focus kept in a
  // ref: a plain effect still pending from an earlier render (they run a frame later, or when the
  // next render starts) would see the key's request with its own, older active row.
  const rowHadFocus = useRef(false);
  const bulkHadFocus = useRef(false);
  useLayoutEffect(() => {
    const row = (i: number) => listRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`);
    const f = document.activeElement;
    const lost = !f || f === document.body || !f.isConnected;
    // A row's Remove took its row away (and the focused button with it): the row that takes its
    // place, else the previous row, else the search box. The row, not its ★: a second Enter
    // must not remove the next paper unseen (tests/e2e/readinglist-focus.spec.ts). Not when the
    // user has moved focus elsewhere meanwhile.
    const removal = removing.current;
    if (removal && !data.rows.has(removal.id)) {
      removing.current = null;
      if (lost) {
        const to = Math.min(removal.index, ids.length - 1);
        if (to >= 0) moveTo(to);
        else searchRef.current?.focus({ preventScroll: true });
        return;
      }
    }
    // Undo brought rows back: focus on the first of them shown (the Undo button is gone).
    const restore = restoring.current;
    if (restore && (lost || toastRef.current?.contains(f))) {
      const i = ids.findIndex((id) => restore.has(id));
      if (i >= 0) {
        restoring.current = null;
        moveTo(i);
        return;
      }
    }
    if (focusDismiss.current && lost) {
      focusDismiss.current = false;
      toastRef.current?.querySelector<HTMLElement>('[data-action="dismiss-message"]')?.focus();
      return;
    }
    const want = focusTo.current;
    if (want !== null) {
      const el = row(want);
      if (el) {
        focusTo.current = null;
        el.focus({ preventScroll: true });
      } else if (want === activeIndex) {
        // Not rendered yet (the list scrolls to it first): once it is.
        requestAnimationFrame(() => {
          if (focusTo.current !== want) return;
          focusTo.current = null;
          row(want)?.focus({ preventScroll: true });
        });
      }
      return;
    }
    if (rowHadFocus.current && lost) row(activeIndex)?.focus({ preventScroll: true });
    // The selection bar went away under focus (its Remove or Clear emptied the selection): the
    // active row, which the bar's changes were about; the search box when no row is left.
    else if (bulkHadFocus.current && lost) {
      bulkHadFocus.current = false;
      (row(activeIndex) ?? searchRef.current)?.focus({ preventScroll: true });
    }
  });
  useEffect(() => {
    // A row, or one of its link and buttons (a row removed with its ★ takes the button along).
    const rowOf = (t: EventTarget | null) =>
      ((t as HTMLElement | null)?.closest?.('.rl-row') as HTMLElement | null) ?? null;
    const onFocus = (e: FocusEvent) => {
      rowHadFocus.current = rowOf(e.target) !== null;
      const el = e.target as HTMLElement | null;
      bulkHadFocus.current = Boolean(el?.closest?.('.rl-bulk'));
      if (el?.closest && !el.closest('.rl-toast')) focusedBeforeToast.current = el;
    };
    // Focus leaving a row that is still there is the user's doing (a click elsewhere): let it go.
    const onBlur = (e: FocusEvent) => {
      const row = rowOf(e.target);
      if (!row) return;
      queueMicrotask(() => {
        if (row.isConnected && !row.contains(document.activeElement)) rowHadFocus.current = false;
      });
    };
    document.addEventListener('focusin', onFocus);
    document.addEventListener('focusout', onBlur);
    return () => {
      document.removeEventListener('focusin', onFocus);
      document.removeEventListener('focusout', onBlur);
    };
  }, []);

  const showError = (id: string, message: string | undefined) =>
    setErrors((e) => {
      const next = { ...e };
      if (message) next[id] = message;
      else delete next[id];
      return next;
    });

  const cycleState = async (id: string) => {
    const row = data.rows.get(id);
    if (!row) return;
    const state = nextState(row.state);
    patch({ ...row, state });
    const res = await send({ type: 'paper/annotate', id, state });
    showError(id, res.ok ? undefined : res.error.message);
    if (!res.ok) patch(row);
  };

  const unsave = async (id: string) => {
    // Where focus goes once the row is gone (the layout effect above): set before sending, as
    // the store may report the removal before the reply comes.
    removing.current = { id, index: ids.indexOf(id) };
    const res = await send({ type: 'papers/bulk', ids: [id], op: { kind: 'unsave' } });
    if (!res.ok) {
      removing.current = null;
      return showError(id, res.error.message);
    }
    const title = data.rows.get(id)?.title ?? 'Paper';
    setToast({ text: `Removed “${title.slice(0, 60)}”.`, undo: res.value.undo });
  };

  const bulk = async (op: BulkOp, describe: (n: number) => string) => {
    const list = [...selected];
    if (!list.length) return;
    const res = await send({ type: 'papers/bulk', ids: list, op });
    if (!res.ok) return setToast({ text: res.error.message });
    setToast({ text: describe(res.value.changed), undo: res.value.undo });
    if (op.kind === 'unsave') setSelected(new Set());
  };

  const undo = async () => {
    const items = toast?.undo;
    if (!items) return;
    const wanted = new Set(items.map((s) => s.id));
    restoring.current = wanted;
    const res = await send({ type: 'papers/restore', items });
    setToast({ text: res.ok ? `Undone (${formatCount(res.value.restored)}).` : res.error.message });
    if (!res.ok) {
      // The Undo button goes with the message's text: focus on its × (next to the reason).
      restoring.current = null;
      focusDismiss.current = true;
    } else {
      // Rows the filters or the search hide never come into view: the search box then.
      setTimeout(() => {
        if (restoring.current !== wanted) return;
        restoring.current = null;
        const f = document.activeElement;
        if (!f || f === document.body || !f.isConnected) searchRef.current?.focus();
      }, RESTORE_WAIT_MS);
    }
  };

  /** × on the message: focus back where it was before it (else the search box). */
  const dismissToast = () => {
    const back = focusedBeforeToast.current;
    (back?.isConnected && back !== document.body ? back : searchRef.current)?.focus();
    setToast(undefined);
  };

  // Papers that left the list (removed here or anywhere else) leave the selection too: the bulk
  // bar's count and actions are about rows the user can see.
  useEffect(() => {
    setSelected((s) => {
      let next: Set<string> | undefined;
      for (const id of s) if (!data.rows.has(id)) (next ??= new Set(s)).delete(id);
      return next ?? s;
    });
  }, [data.rowsVersion]);

  const toggleSelect = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const moveTo = (i: number) => {
    const to = Math.max(0, Math.min(ids.length - 1, i));
    focusTo.current = to;
    setActive(to);
    setFocusTick((t) => t + 1); // re-render (and focus) even when the index stays
  };

  const closeEditor = () => {
    const id = editing;
    setEditing(null);
    const i = id ? ids.indexOf(id) : -1;
    if (i >= 0) moveTo(i);
  };

  // Stable handlers for the memoized rows.
  const handlers = useRef({
    onActivate: (_i: number) => {},
    onSelect: (_id: string) => {},
    onCycleState: (_id: string) => {},
    onEdit: (_id: string) => {},
    onUnsave: (_id: string) => {},
  });
  const h = handlers.current;
  const live = useRef({ setActive, toggleSelect, cycleState, setEditing, unsave });
  live.current = { setActive, toggleSelect, cycleState, setEditing, unsave };
  h.onActivate = (i) => live.current.setActive(i);
  h.onSelect = (id) => live.current.toggleSelect(id);
  h.onCycleState = (id) => void live.current.cycleState(id);
  h.onEdit = (id) => live.current.setEditing(id);
  h.onUnsave = (id) => void live.current.unsave(id);
  const stable = useMemo(
    () => ({
      onActivate: (i: number) => h.onActivate(i),
      onSelect: (id: string) => h.onSelect(id),
      onCycleState: (id: string) => h.onCycleState(id),
      onEdit: (id: string) => h.onEdit(id),
      onUnsave: (id: string) => h.onUnsave(id),
    }),
    [],
  );

  // Keyboard: on the whole popup while this tab is shown (focus may be on the page body).
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement | null;
    if (target === searchRef.current) {
      if (e.key === 'ArrowDown' || (e.key === 'Enter' && ids.length)) {
        e.preventDefault();
        moveTo(activeIndex);
      }
      return;
    }
    if (isTyping(target)) return;
    if (target?.closest?.('[role="tablist"], .rl-bulk, .rl-toast')) return;
    const onRow = target?.classList?.contains('rl-row') || target === document.body || !target;
    switch (e.key) {
      case '/':
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      case 'j':
      case 'ArrowDown':
        e.preventDefault();
        moveTo(activeIndex + 1);
        return;
      case 'k':
      case 'ArrowUp':
        e.preventDefault();
        moveTo(activeIndex - 1);
        return;
      case 'Home':
        e.preventDefault();
        moveTo(0);
        return;
      case 'End':
        e.preventDefault();
        moveTo(ids.length - 1);
        return;
      case 'Escape':
        if (selected.size) {
          e.preventDefault();
          setSelected(new Set());
        }
        return;
    }
    if (!activeId) return;
    switch (e.key) {
      case 'Enter': {
        if (!onRow) return; // links and buttons do their own thing
        const href = data.rows.get(activeId)?.href;
        if (href) {
          e.preventDefault();
          window.open(href, '_blank', 'noopener,noreferrer');
        }
        return;
      }
      case 's':
        e.preventDefault();
        void cycleState(activeId);
        return;
      case 'e':
        e.preventDefault();
        setEditing(activeId);
        return;
      case 'x':
        e.preventDefault();
        toggleSelect(activeId);
        return;
    }
  };
  // Attached as soon as the list is in the document (a layout effect): keys pressed right after
  // the first rows appear are not lost.
  useLayoutEffect(() => {
    const fn = (e: KeyboardEvent) => keys.current(e);
    document.addEventListener('keydown', fn);
    return () => document.removeEventListener('keydown', fn);
  }, []);

  const setFilter = <K extends keyof Filters>(k: K, v: Filters[K]) => {
    setFilters((f) => ({ ...f, [k]: v }));
    setActive(0);
  };

  // The filters, as one element kept between keystrokes (their options can be many tags).
  const filterBar = useMemo(
    () => (
      <div class="rl-filters">
        <FilterMenu
          label="Filter by reading state"
          all="All states"
          value={filters.state}
          options={STATES}
          name={(s) => STATE_LABELS[s]}
          onChange={(v) => setFilter('state', v)}
        />
        <FilterMenu
          label="Filter by tag"
          all="All tags"
          value={filters.tag}
          options={tags}
          onChange={(v) => setFilter('tag', v)}
        />
        {(topics.length > 0 || filters.topic) && (
          <FilterMenu
            label="Filter by topic"
            filter="topic"
            all="All topics"
            value={filters.topic}
            // A topic asked for (a badge's link) stays listed even when no saved paper has it.
            options={
              topics.includes(filters.topic) || !filters.topic ? topics : [filters.topic, ...topics]
            }
            name={topicName}
            onChange={(v) => setFilter('topic', v)}
          />
        )}
        <FilterMenu
          label="Filter by site"
          all="All sites"
          value={filters.site}
          options={sites}
          name={(s) => SITE_NAMES[s]}
          onChange={(v) => setFilter('site', v)}
        />
      </div>
    ),
    [filters, tags, topics, sites, namesLoaded],
  );

  const total = data.total ?? data.order.length;
  const filtersOn = Boolean(filters.state || filters.tag || filters.topic || filters.site);
  const filtering = searching || filtersOn;
  /** Empties the search box and the filters (the list shows every saved paper); focus to search. */
  const showAll = () => {
    if (searchRef.current) searchRef.current.value = '';
    if (typed.current) clearSearch();
    setFilters(NO_FILTERS);
    setActive(0);
    searchRef.current?.focus();
  };
  const resetKey = `${query}|${JSON.stringify(filters)}|${effectiveSort}`;
  const editingRow = editing ? data.rows.get(editing) : undefined;

  let status = '';
  if (data.total !== undefined) {
    status = filtering
      ? `${formatCount(ids.length)} of ${formatCount(total)} saved`
      : `${formatCount(total)} saved`;
    if (searching && data.indexed < total) {
      status += ` · indexing ${formatCount(data.indexed)} / ${formatCount(total)}…`;
    } else if (!data.full && filtering) status += ' · loading…';
  } else if (data.order.length)
    status = `${formatCount(data.order.length)}+ saved · loading the rest…`;

  const empty = data.total === 0 && !data.order.length;
  useEffect(() => {
    if (empty || data.error || data.full) afterPaint(loadLater);
  }, [empty, data.error, data.full]);
  useEffect(() => {
    if (editing) void loadDeferred();
  }, [editing]);
  return (
    <section class="tab-panel rl" aria-label="Reading list">
      <div class="rl-bar">
        <input
          ref={searchRef}
          type="search"
          class="rl-search"
          placeholder="Search titles, abstracts, authors, notes, tags  ( / )"
          aria-label="Search the reading list"
          aria-keyshortcuts="/"
          value={typed.current}
          onInput={onSearchInput}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && typed.current) {
              e.preventDefault();
              e.stopPropagation();
              clearSearch();
            }
          }}
        />
        {filterBar}
      </div>
      <div class="rl-countbar">
        <div class="count" role="status" aria-live="polite">
          {status}
        </div>
        <select
          aria-label="Sort by"
          value={effectiveSort}
          onChange={(e) => {
            const v = e.currentTarget.value as Sort;
            if (searching) setSearchSort(v);
            else setSort(v);
          }}
        >
          {(['relevance', 'saved', 'date', 'title'] as const)
            .filter((s) => searching || s !== 'relevance')
            .map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
        </select>
      </div>
      {selected.size > 0 && (
        <div class="rl-bulk" role="toolbar" aria-label="Change the selected papers">
          <span data-selected={selected.size}>{formatCount(selected.size)} selected</span>
          <select
            aria-label="Set the reading state of the selected papers"
            data-action="bulk-state"
            value=""
            onChange={(e) => {
              const s = e.currentTarget.value as ReadingState;
              if (s)
                void bulk(
                  { kind: 'state', state: s },
                  (n) => `${formatCount(n)} set to ${STATE_LABELS[s]}.`,
                );
            }}
          >
            <option value="">Set state…</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </select>
          <form
            class="rl-bulk-tag"
            onSubmit={(e) => {
              e.preventDefault();
              const tag = bulkTag.trim();
              if (!tag) return;
              setBulkTag('');
              void bulk({ kind: 'addTag', tag }, (n) => `Tagged ${formatCount(n)} “${tag}”.`);
            }}
          >
            <input
              type="text"
              list="rl-tag-options"
              aria-label="Tag to add to the selected papers"
              placeholder="Tag"
              value={bulkTag}
              maxLength={64}
              onInput={(e) => setBulkTag(e.currentTarget.value)}
            />
            <datalist id="rl-tag-options">
              {tags.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
            <button type="submit" data-action="bulk-tag">
              Add tag
            </button>
          </form>
          <button
            type="button"
            data-action="bulk-remove"
            onClick={() =>
              void bulk({ kind: 'unsave' }, (n) => `Removed ${formatCount(n)} from the list.`)
            }
          >
            Remove
          </button>
          <button
            type="button"
            data-action="select-all"
            onClick={() => setSelected(new Set(ids))}
            title="Select every paper shown"
          >
            All {formatCount(ids.length)}
          </button>
          <button type="button" data-action="select-none" onClick={() => setSelected(new Set())}>
            Clear
          </button>
        </div>
      )}
      {toast && (
        <div class="rl-toast" role="status" ref={toastRef}>
          <span>{toast.text}</span>
          {toast.undo && toast.undo.length > 0 && (
            <button type="button" data-action="undo" onClick={() => void undo()}>
              Undo
            </button>
          )}
          <button
            type="button"
            data-action="dismiss-message"
            aria-label="Dismiss"
            onClick={dismissToast}
          >
            ×
          </button>
        </div>
      )}
      {data.error ? (
        <p class="error" role="alert">
          Could not read your library: {data.error}
        </p>
      ) : data.total === undefined && !data.order.length ? (
        <p class="empty">Loading…</p>
      ) : empty ? (
        <div class="empty" data-empty="saved">
          <p>
            <strong>Your reading list is empty.</strong>
          </p>
          <p>
            Open{' '}
            <a href="https://huggingface.co/papers" target="_blank" rel="noopener noreferrer">
              Hugging Face Papers
            </a>
            , an arXiv listing, Google Scholar or the ACL Anthology and press <b>☆ Save</b> on any
            paper.
          </p>
        </div>
      ) : (
        <div ref={listRef}>
          {ids.length === 0 &&
            (searching && data.indexed < total ? (
              <p class="empty" data-empty="matches">
                Searching…
              </p>
            ) : (
              <div class="empty" data-empty="matches">
                <p>{emptyText(searching ? query : '', filtersOn)}</p>
                <button type="button" class="link" data-action="show-all" onClick={showAll}>
                  {searching && filtersOn
                    ? 'Clear the search and filters'
                    : searching
                      ? 'Clear the search'
                      : 'Clear the filters'}
                </button>
              </div>
            ))}
          <VirtualList
            ids={ids}
            rowHeight={ROW_HEIGHT}
            height={editing ? LIST_HEIGHT_EDITING : LIST_HEIGHT}
            keepInView={activeIndex}
            resetKey={resetKey}
            onRange={(a, b) => setRange([a, b])}
            listProps={
              {
                class: 'list rl-list',
                'data-list': 'saved',
                'aria-label': 'Saved papers',
              } as JSX.HTMLAttributes<HTMLUListElement>
            }
            renderRow={(id, index, style) => {
              const row = data.rows.get(id);
              if (!row) return null;
              return (
                <PaperRow
                  key={id}
                  row={row}
                  index={index}
                  setSize={ids.length}
                  style={style}
                  active={index === activeIndex}
                  selected={selected.has(id)}
                  terms={results?.terms}
                  snippet={
                    // The note's own line when the match is there; else the abstract's excerpt.
                    (results?.fields.get(id) ?? 0) & fieldBit('note')
                      ? undefined
                      : data.snippets.get(id)
                  }
                  inAbstract={((results?.fields.get(id) ?? 0) & fieldBit('abstract')) !== 0}
                  error={errors[id]}
                  CopyButton={later?.CopyBibtexButton}
                  {...stable}
                />
              );
            }}
          />
        </div>
      )}
      {editing && (
        <div class="rl-editor">
          {later ? (
            <later.NotePanel
              key={editing}
              title={editingRow?.title ?? ''}
              idPrefix="rl-note"
              measure
              focus="note"
              load={async () => {
                const db = later.getDb();
                const rec = await findPaper(db, editing);
                return {
                  ok: true as const,
                  value: { paper: rec ? viewOf(rec) : null, allTags: await allTags(db) },
                };
              }}
              save={(change) => later.send({ type: 'paper/annotate', id: editing, ...change })}
              onClose={closeEditor}
            />
          ) : (
            <p class="empty">Loading…</p>
          )}
        </div>
      )}
      <p class="rl-help" aria-hidden="true">
        <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>s</kbd>{' '}
        state · <kbd>e</kbd> note · <kbd>x</kbd> select
      </p>
    </section>
  );
}
