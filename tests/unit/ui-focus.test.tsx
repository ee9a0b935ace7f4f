// @vitest-environment happy-dom
/**
 * Popup and card controls, rendered with Preact in happy-dom: a row shows the paper's own day in
 * any time zone, and focus and menus behave as keyboard users expect (a removed tag keeps focus in
 * the note panel; the Watch and Export menus close on Escape, Tab away or a click elsewhere).
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PaperRow } from '../../components/popup/PaperRow';
import { NotePanel } from '../../components/NotePanel';
import { WatchMenu } from '../../components/WatchMenu';
import { ExportMenu } from '../../components/exchange/ExportMenu';
import type { ListRow, PaperView } from '../../lib/readinglist';

const noop = () => {};
const row = (over: Partial<ListRow> = {}): ListRow => ({
  id: 'arxiv:0906.2045',
  title: 'A paper',
  authors: ['Ada Lovelace'],
  authorCount: 1,
  dateKey: Date.UTC(2009, 5, 11),
  savedAt: 1,
  sites: ['arxiv'],
  state: 'inbox',
  tags: [],
  note: '',
  topics: [],
  ...over,
});

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});

describe('reading-list row date', () => {
  it('shows the paper day arXiv gave, west of UTC too', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      host = document.createElement('div');
      document.body.append(host);
      render(
        <PaperRow
          row={row({ date: '2009-06-11' })}
          index={0}
          setSize={1}
          style={{}}
          active
          selected={false}
          inAbstract={false}
          onActivate={noop}
          onSelect={noop}
          onCycleState={noop}
          onEdit={noop}
          onUnsave={noop}
        />,
        host,
      );
      const meta = host.querySelector('.meta')!.textContent!;
      expect(meta).toContain('11');
      expect(meta).not.toContain('10');
    } finally {
      process.env.TZ = tz;
    }
  });
});

describe('note panel', () => {
  const paper = (tags: string[]): PaperView =>
    ({
      id: 'arxiv:1',
      title: 'T',
      note: '',
      tags,
      state: 'inbox',
      saved: true,
    }) as unknown as PaperView;

  it('keeps focus in the panel after a tag is removed with its × button (Escape still closes)', async () => {
    host = document.createElement('div');
    document.body.append(host);
    const onClose = vi.fn();
    let tags = ['alpha', 'beta'];
    await act(async () => {
      render(
        <NotePanel
          title="T"
          load={async () => ({ ok: true, value: { paper: paper(tags), allTags: tags } })}
          save={async (c) => {
            if (c.tags) tags = c.tags;
            return { ok: true, value: paper(tags) };
          }}
          onClose={onClose}
        />,
        host,
      );
    });
    await act(async () => {});
    const remove = host.querySelector<HTMLButtonElement>('[aria-label="Remove tag alpha"]')!;
    remove.focus();
    expect(document.activeElement).toBe(remove);
    await act(async () => {
      remove.click();
    });
    expect(host.querySelector('[data-tag="alpha"]')).toBeNull();
    // Focus must stay in the panel (the tag box, or the next tag's ×), not fall to the body.
    expect(host.querySelector('[data-panel="note"]')!.contains(document.activeElement)).toBe(true);
    // …so that Escape, pressed where focus is, still closes the panel (in the tag box the first
    // Escape closes its suggestions, the next one the panel).
    for (let i = 0; i < 2 && !onClose.mock.calls.length; i++) {
      await act(async () => {
        (document.activeElement ?? document.body).dispatchEvent(
          new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
        );
      });
    }
    expect(onClose).toHaveBeenCalled();
  });
});

describe('card Watch menu', () => {
  const trustedClick = (el: Element) => {
    const e = new MouseEvent('click', { bubbles: true, composed: true });
    Object.defineProperty(e, 'isTrusted', { value: true });
    el.dispatchEvent(e);
  };

  it('closes when focus leaves it (Tab) or the user clicks elsewhere', async () => {
    host = document.createElement('div');
    document.body.append(host);
    await act(async () => {
      render(
        <div>
          <WatchMenu
            options={{ authors: ['Ada Lovelace'], categories: ['cs.LG'], topics: [] }}
            onWatch={noop}
          />
          <button type="button" id="after">
            next control on the page
          </button>
          <p id="elsewhere">page text</p>
        </div>,
        host,
      );
    });
    const open = async () => {
      await act(async () => trustedClick(host.querySelector('[data-action="watch"]')!));
      expect(host.querySelector('[role="menu"]')).not.toBeNull();
      expect(document.activeElement?.getAttribute('role')).toBe('menuitem');
    };
    // Tab out of the menu: focus moves to the next control, the menu must not stay open over it.
    await open();
    await act(async () => host.querySelector<HTMLElement>('#after')!.focus());
    expect(host.querySelector('[role="menu"]')).toBeNull();
    // A click elsewhere on the page closes it too.
    await open();
    await act(async () => {
      host
        .querySelector('#elsewhere')!
        .dispatchEvent(new MouseEvent('pointerdown', { bubbles: true, composed: true }));
    });
    expect(host.querySelector('[role="menu"]')).toBeNull();
  });
});

describe('card Watch menu over a card whose bar is skipped off screen', () => {
  it('marks the card host while the menu is open, so the menu is not clipped', async () => {
    // As the controller mounts a card: a host with an open shadow root (components/card.css
    // clips what the host paints outside its box unless `data-menu-open` is set).
    host = document.createElement('paper-scout-card');
    document.body.append(host);
    const container = document.createElement('div');
    host.attachShadow({ mode: 'open' }).append(container);
    const trusted = (type: string) => {
      const e = new MouseEvent(type, { bubbles: true, composed: true });
      Object.defineProperty(e, 'isTrusted', { value: true });
      return e;
    };
    await act(async () => {
      render(
        <WatchMenu
          options={{ authors: ['Ada Lovelace'], categories: ['cs.LG'], topics: [] }}
          onWatch={noop}
        />,
        container,
      );
    });
    const watch = container.querySelector('[data-action="watch"]')!;
    expect(host.hasAttribute('data-menu-open')).toBe(false);
    await act(async () => void watch.dispatchEvent(trusted('click')));
    expect(container.querySelector('[role="menu"]')).not.toBeNull();
    expect(host.hasAttribute('data-menu-open')).toBe(true);
    // Closed again (Watch pressed a second time): the host goes back to skipping off screen.
    await act(async () => void watch.dispatchEvent(trusted('click')));
    expect(container.querySelector('[role="menu"]')).toBeNull();
    expect(host.hasAttribute('data-menu-open')).toBe(false);
    // Picking an entry closes it too.
    await act(async () => void watch.dispatchEvent(trusted('click')));
    await act(
      async () =>
        void container.querySelector('[role="menuitem"]')!.dispatchEvent(trusted('click')),
    );
    expect(host.hasAttribute('data-menu-open')).toBe(false);
    // Unmounted while open (the card left the page): no attribute left behind.
    await act(async () => void watch.dispatchEvent(trusted('click')));
    expect(host.hasAttribute('data-menu-open')).toBe(true);
    await act(async () => render(null, container));
    expect(host.hasAttribute('data-menu-open')).toBe(false);
  });
});

describe('popup Export menu', () => {
  it('closes on Escape (focus back on its summary) and on a click elsewhere', async () => {
    host = document.createElement('div');
    document.body.append(host);
    await act(async () => {
      render(
        <div>
          <ExportMenu />
          <p id="elsewhere">a reading-list row</p>
        </div>,
        host,
      );
    });
    const details = host.querySelector('details')!;
    const summary = host.querySelector<HTMLElement>('summary')!;
    details.open = true;
    const bibtex = host.querySelector<HTMLButtonElement>('[data-format="bibtex"]')!;
    bibtex.focus();
    await act(async () => {
      bibtex.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(details.open).toBe(false);
    expect(document.activeElement).toBe(summary);

    details.open = true;
    await act(async () => {
      host
        .querySelector('#elsewhere')!
        .dispatchEvent(new MouseEvent('pointerdown', { bubbles: true, composed: true }));
    });
    expect(details.open).toBe(false);
  });
});
