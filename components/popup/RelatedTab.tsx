/**
 * The popup's Related tab: "what did I skim past that I should read?" — papers the user has seen
 * but not saved, ranked by how close they are to what they saved (all of it, or one tag), each
 * with its reason; or, from a reading-list row, the papers most similar to one paper. "Not
 * interested" removes a suggestion and pushes similar ones down (remembered; undo right there).
 *
 * The list is `data-list="related"`; each row carries `data-paper-id`.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { countOf, formatPercent } from '../../lib/count';
import { isHttpUrl } from '../../lib/limits';
import type { RelatedItem } from '../../lib/related/service';
import { send } from '../../lib/rpc';

/** What the tab shows: suggestions for the library (or a tag), or papers similar to one paper. */
export type RelatedMode =
  { kind: 'forYou'; tag: string } | { kind: 'similar'; id: string; title: string };

export { SIMILAR_EVENT } from './events';

const short = (t: string, n = 80) => (t.length > n ? `${t.slice(0, n - 1)}…` : t);

function reason(item: RelatedItem, mode: RelatedMode): string {
  if (mode.kind === 'similar') return '';
  const n = item.nearest.length;
  if (!n) return '';
  const tag = item.tags[0];
  const where = tag ? ` in #${tag}` : '';
  return n === 1
    ? `Close to “${short(item.nearest[0]!.title)}”${where}`
    : `Close to ${countOf(n, 'paper')} you saved${where}`;
}

/** The Related tab. */
export function RelatedTab({
  mode,
  onMode,
}: {
  mode: RelatedMode;
  onMode(mode: RelatedMode): void;
}): JSX.Element {
  const [items, setItems] = useState<RelatedItem[] | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [undo, setUndo] = useState<RelatedItem>();

  const load = useCallback(async () => {
    setError(undefined);
    if (mode.kind === 'similar') {
      const res = await send({ type: 'related/similar', id: mode.id });
      if (!res.ok) setError(res.error.message);
      setItems(res.ok ? res.value.items : []);
      return;
    }
    const res = await send({ type: 'related/forYou', tag: mode.tag || undefined });
    if (!res.ok) setError(res.error.message);
    setItems(res.ok ? res.value.items : []);
    if (res.ok) setTags(res.value.tags);
  }, [mode]);

  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);

  /** "Back to “For you”" was pressed: its menu, which takes its place, gets focus. */
  const focusMenu = useRef(false);
  const menuRef = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (!focusMenu.current || mode.kind !== 'forYou') return;
    focusMenu.current = false;
    menuRef.current?.focus();
  }, [mode]);

  /** The row to focus once rendered, after "Not interested" removed the focused one. */
  const focusTo = useRef<number | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  /** The paper an Undo brought back, to focus once the list shows it (its Undo button is gone). */
  const focusBack = useRef<string | null>(null);
  useEffect(() => {
    const back = focusBack.current;
    if (back !== null && items) {
      focusBack.current = null;
      const row = [...(listRef.current?.querySelectorAll('li') ?? [])].find(
        (li) => li.getAttribute('data-paper-id') === back,
      );
      // Not among the suggestions any more: the list's menu, which says where the user is.
      const target =
        row?.querySelector<HTMLElement>('[data-action="dismiss"], [data-action="save"]') ??
        menuRef.current;
      target?.focus();
      return;
    }
    const i = focusTo.current;
    if (i === null || !items) return;
    focusTo.current = null;
    const rows = listRef.current?.querySelectorAll('li');
    const row = rows?.[Math.min(i, rows.length - 1)];
    // The row that takes its place (or the one before, at the end); the Undo button when none.
    const target =
      row?.querySelector<HTMLElement>('[data-action="dismiss"], [data-action="save"]') ??
      document.querySelector<HTMLElement>('.undo button');
    target?.focus();
  }, [items]);

  const dismiss = async (item: RelatedItem) => {
    const active = document.activeElement;
    const at = items?.findIndex((x) => x.id === item.id) ?? -1;
    if (at >= 0 && active && listRef.current?.contains(active)) focusTo.current = at;
    setItems((list) => list?.filter((x) => x.id !== item.id) ?? null);
    setUndo(item);
    const res = await send({ type: 'related/dismiss', id: item.id });
    // Went through: a reason an earlier action was refused no longer applies to what is shown.
    if (res.ok) return setError(undefined);
    // Refused: the paper is not hidden, so it comes back to its place (and nothing to undo).
    setError(res.error.message);
    setUndo((u) => (u?.id === item.id ? undefined : u));
    setItems((list) => {
      if (!list || list.some((x) => x.id === item.id)) return list;
      const next = [...list];
      next.splice(at >= 0 ? Math.min(at, next.length) : next.length, 0, item);
      return next;
    });
  };
  const takeBack = async () => {
    if (!undo) return;
    const res = await send({ type: 'related/dismiss', id: undo.id, undo: true });
    // Refused: the paper is still hidden, so it stays out of the list; the reason shows, and the
    // Undo stays to try again.
    if (!res.ok) return setError(res.error.message);
    if (document.activeElement?.closest('.undo')) focusBack.current = undo.id;
    setUndo(undefined);
    await load();
  };
  const toggleSave = async (item: RelatedItem) => {
    const res = await send({ type: 'paper/setSavedById', id: item.id, saved: !item.saved });
    if (!res.ok) return setError(res.error.message);
    setError(undefined);
    setItems(
      (list) => list?.map((x) => (x.id === item.id ? { ...x, saved: res.value.saved } : x)) ?? null,
    );
  };

  return (
    <section class="tab-panel" aria-label="Related papers">
      <div class="filters">
        {mode.kind === 'similar' ? (
          <p class="related-head">
            Similar to <strong dir="auto">{short(mode.title, 100)}</strong>{' '}
            <button
              type="button"
              class="link"
              onClick={() => {
                focusMenu.current = true;
                onMode({ kind: 'forYou', tag: '' });
              }}
            >
              Back to “For you”
            </button>
          </p>
        ) : (
          <label>
            For you, from{' '}
            <select
              ref={menuRef}
              value={mode.tag}
              onChange={(e) => onMode({ kind: 'forYou', tag: e.currentTarget.value })}
            >
              <option value="">everything you saved</option>
              {tags.map((t) => (
                <option key={t} value={t}>
                  #{t}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {undo && (
        <p class="undo" role="status">
          Hidden “{short(undo.title, 60)}”.{' '}
          <button type="button" class="link" onClick={() => void takeBack()}>
            Undo
          </button>
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {items === null ? (
        <p class="empty">Loading…</p>
      ) : items.length === 0 ? (
        <div class="empty" data-empty="related">
          {mode.kind === 'similar' ? (
            <p>No paper you have seen is close to this one yet.</p>
          ) : (
            <>
              <p>
                <strong>Nothing to suggest yet.</strong>
              </p>
              <p>
                Save a few papers you care about (☆ on any card), then keep browsing listings:
                papers you skim past that resemble what you saved show up here, with the reason.
              </p>
            </>
          )}
        </div>
      ) : (
        <ul class="list" data-list="related" aria-label="Related papers" ref={listRef}>
          {items.map((item) => {
            const why = reason(item, mode);
            return (
              <li key={item.id} class="row" data-paper-id={item.id}>
                <div class="row-main">
                  {item.url && isHttpUrl(item.url) ? (
                    <a
                      class="title"
                      dir="auto"
                      href={item.url}
                      target="_blank"
                      rel="noopener noreferrer"
                    >
                      {item.title}
                    </a>
                  ) : (
                    <span class="title" dir="auto">
                      {item.title}
                    </span>
                  )}
                  <div class="meta">
                    {item.authors.join(', ')}
                    {item.authors.length ? ' · ' : ''}
                    {formatPercent(item.score)} match
                  </div>
                  {(why || item.terms.length > 0) && (
                    <div class="meta related-why" data-reason>
                      {why}
                      {why && item.terms.length ? ' — ' : ''}
                      {item.terms.length ? `shares ${item.terms.join(', ')}` : ''}
                    </div>
                  )}
                </div>
                <div class="rl-actions">
                  <button
                    type="button"
                    class="icon"
                    data-action="save"
                    aria-pressed={item.saved ? 'true' : 'false'}
                    aria-label={`${item.saved ? 'Unsave' : 'Save'} “${short(item.title, 120)}”`}
                    title={item.saved ? 'Saved — click to remove' : 'Save to your reading list'}
                    onClick={() => void toggleSave(item)}
                  >
                    {item.saved ? '★' : '☆'}
                  </button>
                  {!item.saved && (
                    <button
                      type="button"
                      class="icon"
                      data-action="dismiss"
                      aria-label={`Not interested in “${short(item.title, 120)}”`}
                      title="Not interested: hide it and show fewer like it"
                      onClick={() => void dismiss(item)}
                    >
                      ✕
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
