/**
 * A list that renders only the rows in view (plus a few): every row has the same height, so the
 * rows shown follow from the scroll position alone, and 10,000 papers cost what 15 do.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** Rows rendered above and below the visible ones. */
const OVERSCAN = 4;

export interface VirtualListProps {
  ids: readonly string[];
  rowHeight: number;
  /** Height of the scrolling viewport at most (px). */
  height: number;
  /** Index to keep in view (the active row). */
  keepInView: number;
  /** Scroll back to the top when this changes (a new search or filter). */
  resetKey: string;
  /** Renders one row; `style` positions it. */
  renderRow(id: string, index: number, style: JSX.CSSProperties): ComponentChildren;
  /** Tells which rows are in view. */
  onRange?(start: number, end: number): void;
  /** Attributes of the list element. */
  listProps: JSX.HTMLAttributes<HTMLUListElement>;
}

/** The virtualized list. */
export function VirtualList(props: VirtualListProps): JSX.Element {
  const { ids, rowHeight, height } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const total = ids.length * rowHeight;
  const shown = Math.min(height, total);

  useLayoutEffect(() => {
    if (viewport.current) viewport.current.scrollTop = 0;
    setScrollTop(0);
  }, [props.resetKey]);

  useLayoutEffect(() => {
    const el = viewport.current;
    const i = props.keepInView;
    if (!el || i < 0 || i >= ids.length) return;
    const top = i * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + shown) el.scrollTop = top + rowHeight - shown;
    if (el.scrollTop !== scrollTop) setScrollTop(el.scrollTop);
  }, [props.keepInView, ids.length]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(ids.length, Math.ceil((scrollTop + shown) / rowHeight) + OVERSCAN);
  const visibleStart = Math.floor(scrollTop / rowHeight);
  const visibleEnd = Math.min(ids.length, Math.ceil((scrollTop + shown) / rowHeight));
  const range = useRef('');
  useLayoutEffect(() => {
    const key = `${visibleStart}:${visibleEnd}:${ids.length}`;
    if (key === range.current) return;
    range.current = key;
    props.onRange?.(visibleStart, visibleEnd);
  });

  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    const id = ids[i]!;
    rows.push(
      props.renderRow(id, i, {
        position: 'absolute',
        top: `${i * rowHeight}px`,
        left: 0,
        right: 0,
        height: `${rowHeight}px`,
      }),
    );
  }
  return (
    <div
      class="rl-viewport"
      ref={viewport}
      style={{ height: `${shown}px` }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <ul {...props.listProps} style={{ height: `${total}px` }}>
        {rows}
      </ul>
    </div>
  );
}
