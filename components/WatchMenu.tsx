/**
 * "Watch…" on a card: one step from an author, the organization, a category or a badge's topic to
 * a watch rule. A small menu inside the card's shadow root, keyboard-usable (arrows, Enter,
 * Escape returns focus to its button). Only trusted events act.
 */
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RuleKind } from '../lib/db';

/** What a card offers to watch. */
export interface WatchOptions {
  authors: string[];
  organization?: string;
  categories: string[];
  topics: Array<{ id: string; name: string }>;
}

/** One menu entry. */
interface Item {
  kind: RuleKind;
  term: string;
  label: string;
}

const MAX_AUTHORS = 6;

/** Attribute on the card's host while its Watch menu is open (components/card.css shows it). */
export const MENU_OPEN_ATTR = 'data-menu-open';

function items(o: WatchOptions): Item[] {
  return [
    ...o.authors
      .slice(0, MAX_AUTHORS)
      .map((a) => ({ kind: 'author' as const, term: a, label: `Author: ${a}` })),
    ...(o.organization
      ? [
          {
            kind: 'organization' as const,
            term: o.organization,
            label: `Organization: ${o.organization}`,
          },
        ]
      : []),
    ...o.topics.map((t) => ({ kind: 'topic' as const, term: t.id, label: `Topic: ${t.name}` })),
    ...o.categories.map((c) => ({ kind: 'category' as const, term: c, label: `Category: ${c}` })),
  ];
}

/** The Watch button and its menu. */
export function WatchMenu(props: {
  options: WatchOptions;
  onWatch(event: Event, kind: RuleKind, term: string): void;
}): JSX.Element | null {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const root = useRef<HTMLSpanElement>(null);
  const list = items(props.options);
  // The card's host skips painting outside its box (`content-visibility: auto`, components/card.css)
  // unless told a menu is open; set before the browser paints the opened menu, so it is never
  // drawn clipped.
  useLayoutEffect(() => {
    if (!open) return;
    // The shadow root's host (a menu rendered outside a shadow root has none: nothing to mark).
    const el = (root.current?.getRootNode() as Partial<ShadowRoot> | undefined)?.host;
    el?.setAttribute(MENU_OPEN_ATTR, '');
    return () => el?.removeAttribute(MENU_OPEN_ATTR);
  }, [open]);
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open]);
  // A click anywhere else (the page, another card) closes the menu: it is drawn over the page.
  useEffect(() => {
    if (!open) return;
    const doc = root.current?.ownerDocument ?? document;
    const outside = (e: Event) => {
      if (root.current && !e.composedPath().includes(root.current)) setOpen(false);
    };
    doc.addEventListener('pointerdown', outside, true);
    return () => doc.removeEventListener('pointerdown', outside, true);
  }, [open]);
  if (!list.length) return null;
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = entries.indexOf(e.target as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = entries[(i + (e.key === 'ArrowDown' ? 1 : entries.length - 1)) % entries.length];
      next?.focus();
    }
  };
  return (
    <span
      class="watch"
      ref={root}
      // Tab (or anything else) moving focus out of the menu closes it, as a menu button's should.
      onFocusOut={(e) => {
        const to = e.relatedTarget as Node | null;
        if (open && to && !e.currentTarget.contains(to)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        data-action="watch"
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : 'false'}
        aria-label="Watch an author, organization, topic or category of this paper"
        title="Highlight papers like this on every listing"
        onClick={(e) => {
          if (e.isTrusted) setOpen(!open);
        }}
      >
        <span aria-hidden="true">◎</span> Watch
      </button>
      {open && (
        <ul ref={menu} class="menu" role="menu" aria-label="Watch" onKeyDown={onKeyDown}>
          {list.map((it) => (
            <li key={`${it.kind}:${it.term}`} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                data-watch-kind={it.kind}
                onClick={(e) => {
                  if (!e.isTrusted) return;
                  props.onWatch(e, it.kind, it.term);
                  close();
                }}
              >
                {it.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
