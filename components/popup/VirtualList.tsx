/**
 * A list that renders only the rows in view (plus a few): every row has the same height, so the
 * rows shown follow from the scroll position alone, and 10,000 papers cost what 15 do.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** Rows rendered above and below the visible ones. */
const OVERSCAN = 2;

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
  // The browser clamps the scroll position when the list gets shorter; so does the render, before
  // the scroll event says so.
  const top = Math.min(scrollTop, Math.max(0, total - shown));
  // The scroll position as last set or seen. Effects compare with it instead of reading the
  // element's `scrollTop`, which would force a layout of the rows just rendered (once per
  // keystroke while searching).
  const scrolled = useRef(0);
  scrolled.current = Math.min(scrolled.current, top);
  const scrollTo = (y: number) => {
    if (y === scrolled.current) return;
    scrolled.current = y;
    if (viewport.current) viewport.current.scrollTop = y;
    setScrollTop(y);
  };

  useLayoutEffect(() => scrollTo(0), [props.resetKey]);

  useLayoutEffect(() => {
    const i = props.keepInView;
    if (i < 0 || i >= ids.length) return;
    const y = i * rowHeight;
    if (y < scrolled.current) scrollTo(y);
    else if (y + rowHeight > scrolled.current + shown) scrollTo(y + rowHeight - shown);
  }, [props.keepInView, ids.length, shown]);

  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(ids.length, Math.ceil((top + shown) / rowHeight) + OVERSCAN);
  const visibleStart = Math.floor(top / rowHeight);
  const visibleEnd = Math.min(ids.length, Math.ceil((top + shown) / rowHeight));
  const range = useRef('');
  useLayoutEffect(() => {
    const key = `${visibleStart}:${visibleEnd}:${ids.length}`;
    if (key === range.current) return;
    range.current = key;
    props.onRange?.(visibleStart, visibleEnd);
  });

  // One style object per position, kept between renders, so a memoized row whose position did
  // not change sees the same props.
  const styles = useRef(new Map<number, JSX.CSSProperties>());
  const kept = new Map<number, JSX.CSSProperties>();
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    const id = ids[i]!;
    const style = styles.current.get(i) ?? {
      position: 'absolute',
      top: `${i * rowHeight}px`,
      left: 0,
      right: 0,
      height: `${rowHeight}px`,
    };
    kept.set(i, style);
    rows.push(props.renderRow(id, i, style));
  }
  styles.current = kept;
  return (
    <div
      class="rl-viewport"
      ref={viewport}
      style={{ height: `${shown}px` }}
      onScroll={(e) => {
        scrolled.current = e.currentTarget.scrollTop;
        setScrollTop(scrolled.current);
      }}
    >
      <ul {...props.listProps} style={{ height: `${total}px` }}>
        {rows}
      </ul>
    </div>
  );
}
