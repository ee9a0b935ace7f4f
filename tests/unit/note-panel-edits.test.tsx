// @vitest-environment happy-dom
/**
 * The note panel (components/NotePanel.tsx): a note typed just before the popup closes or the
 * page goes away is saved; two editors of one paper do not drop each other's tags; tags typed or
 * pasted with commas, a tag already there in another case and one past the limit are not
 * dropped without a word.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NotePanel, NOTE_DEBOUNCE_MS } from '../../components/NotePanel';
import type { PaperRecord } from '../../lib/db';
import { Request, type Result } from '../../lib/messages';
import {
  applyAnnotation,
  TAGS_MAX,
  viewOf,
  type Annotation,
  type PaperView,
} from '../../lib/readinglist';

const hosts: HTMLElement[] = [];
afterEach(() => {
  for (const h of hosts.splice(0)) {
    render(null, h);
    h.remove();
  }
  vi.useRealTimers();
});

/** One stored record and a background that validates and applies changes as the router does. */
function store(init: Partial<PaperRecord> = {}) {
  let rec = { id: 'arxiv:1', title: 'T', savedAt: 1, lastSeenAt: 1, ...init } as PaperRecord;
  const saves: Annotation[] = [];
  return {
    saves,
    get rec() {
      return rec;
    },
    load: async () => ({
      ok: true as const,
      value: { paper: viewOf(rec), allTags: rec.tags ?? [] },
    }),
    save: async (change: Annotation): Promise<Result<PaperView>> => {
      saves.push(change);
      const parsed = Request.safeParse({ type: 'paper/annotate', id: rec.id, ...change });
      if (!parsed.success)
        return { ok: false, error: { code: 'invalid', message: parsed.error.issues[0]!.message } };
      rec = applyAnnotation(rec, change, Date.now());
      return { ok: true, value: viewOf(rec) };
    },
  };
}

async function mount(s: ReturnType<typeof store>, prefix = 'np') {
  const host = document.createElement('div');
  document.body.append(host);
  hosts.push(host);
  await act(async () => {
    render(
      <NotePanel title="T" idPrefix={prefix} load={s.load} save={s.save} onClose={() => {}} />,
      host,
    );
  });
  await act(async () => {});
  return host;
}

async function typeTag(host: HTMLElement, text: string) {
  const input = host.querySelector<HTMLInputElement>('input[role="combobox"]')!;
  await act(async () => {
    input.focus();
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => {
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  });
  await act(async () => {});
}

const chips = (host: HTMLElement) =>
  [...host.querySelectorAll('[data-tag]')].map((e) => e.getAttribute('data-tag'));
const status = (host: HTMLElement) => host.querySelector('.np-status')?.textContent ?? '';

describe('note typed right before the document goes away', () => {
  for (const event of ['pagehide', 'visibilitychange'] as const) {
    it(`is saved at once on ${event} (a closing popup or page runs no effect cleanups)`, async () => {
      const s = store();
      const host = await mount(s);
      const ta = host.querySelector('textarea')!;
      await act(async () => {
        ta.value = 'typed just before closing';
        ta.dispatchEvent(new Event('input', { bubbles: true }));
      });
      // The document is torn down now: no unmount, no timer firing after it.
      if (event === 'visibilitychange') {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      } else window.dispatchEvent(new Event('pagehide'));
      // Microtasks still run after the event's listeners; timers no longer do.
      for (let i = 0; i < 5; i++) await Promise.resolve();
      expect(s.saves).toEqual([{ note: 'typed just before closing' }]);
      delete (document as { visibilityState?: string }).visibilityState;
      // …and only once, though the debounce's time passes too.
      await new Promise((r) => setTimeout(r, NOTE_DEBOUNCE_MS + 50));
      expect(s.saves).toHaveLength(1);
    });
  }
});

describe('note typed while an earlier save is unanswered', () => {
  it('is sent on pagehide without waiting for that answer (it never comes after teardown)', async () => {
    const s = store();
    const saves: Annotation[] = [];
    let first = true;
    const host = document.createElement('div');
    document.body.append(host);
    hosts.push(host);
    await act(async () => {
      render(
        <NotePanel
          title="T"
          load={s.load}
          save={(c) => {
            saves.push(c);
            if (first) {
              first = false;
              return new Promise(() => {}); // the popup closes before the answer
            }
            return s.save(c);
          }}
          onClose={() => {}}
        />,
        host,
      );
    });
    await act(async () => {});
    const ta = host.querySelector('textarea')!;
    const type = async (text: string) =>
      act(async () => {
        ta.value = text;
        ta.dispatchEvent(new Event('input', { bubbles: true }));
      });
    await type('first words');
    await new Promise((r) => setTimeout(r, NOTE_DEBOUNCE_MS + 50));
    expect(saves).toEqual([{ note: 'first words' }]);
    await type('first words and the rest');
    window.dispatchEvent(new Event('pagehide'));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(saves.at(-1)).toEqual({ note: 'first words and the rest' });
  });
});

describe('two editors of one paper (card panel and popup)', () => {
  it('a tag added in one is kept when the other adds its own', async () => {
    const s = store({ tags: ['ml'] });
    const card = await mount(s, 'card');
    const popup = await mount(s, 'popup');
    await typeTag(popup, 'nlp');
    expect(s.rec.tags).toEqual(['ml', 'nlp']);
    await typeTag(card, 'vision');
    expect(s.rec.tags).toEqual(['ml', 'nlp', 'vision']);
  });

  it('a tag removed in one is not brought back by the other', async () => {
    const s = store({ tags: ['ml', 'old'] });
    const card = await mount(s, 'card');
    const popup = await mount(s, 'popup');
    await act(async () => {
      popup.querySelector<HTMLButtonElement>('[aria-label="Remove tag old"]')!.click();
    });
    expect(s.rec.tags).toEqual(['ml']);
    await typeTag(card, 'vision');
    expect(s.rec.tags).toEqual(['ml', 'vision']);
  });
});

describe('odd tag input', () => {
  it('a pasted "ml, nlp" becomes two tags, as typing a comma separates them', async () => {
    const s = store();
    const host = await mount(s);
    await typeTag(host, 'ml, nlp');
    expect(s.rec.tags).toEqual(['ml', 'nlp']);
    expect(chips(host)).toEqual(['ml', 'nlp']);
  });

  it('a tag already there in another case is not dropped silently', async () => {
    const s = store({ tags: ['ML'] });
    const host = await mount(s);
    await typeTag(host, 'ml');
    expect(s.rec.tags).toEqual(['ML']);
    expect(status(host)).toMatch(/already/i);
  });

  it(`the tag past ${TAGS_MAX} is refused with a word, not shown as if kept`, async () => {
    const many = Array.from({ length: TAGS_MAX }, (_, i) => `t${i}`);
    const s = store({ tags: many });
    const host = await mount(s);
    await typeTag(host, 'one more');
    expect(s.rec.tags).toEqual(many);
    // The panel shows what is stored, and says why the tag was not added.
    expect(chips(host)).toEqual(many);
    expect(status(host)).toMatch(new RegExp(`${TAGS_MAX}`));
  });
});

describe('a note longer than a note may be (two records joined, both with notes)', () => {
  it('can be edited, is never cut, and the panel says why no text can be added', async () => {
    const joined = `${'first record notes. '.repeat(1_000)}\n\n${'second record notes. '.repeat(500)}`;
    expect(joined.length).toBeGreaterThan(30_000);
    const s = store({ note: joined, noteAt: 1 });
    const host = await mount(s);
    const ta = host.querySelector('textarea')!;
    expect(ta.value).toBe(joined);
    expect(host.querySelector('.np-over')?.textContent).toMatch(
      /characters over the 20,000 a note holds/,
    );
    expect(ta.getAttribute('aria-describedby')).toBe(host.querySelector('.np-over')!.id);
    // A typo fixed at the start: the edit was refused ("Too big"), now it is stored whole.
    const edited = `First${joined.slice(5)}`;
    await act(async () => {
      ta.value = edited;
      ta.dispatchEvent(new Event('input', { bubbles: true }));
    });
    window.dispatchEvent(new Event('pagehide'));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(s.rec.note).toBe(edited);
    // Shortened under the limit: the notice goes.
    await act(async () => {
      ta.value = 'short now';
      ta.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(host.querySelector('.np-over')).toBeNull();
  });

  it('cannot be made longer than it is through a message', () => {
    const rec = { id: 'arxiv:1', title: 'T', note: 'x'.repeat(30_000) } as PaperRecord;
    expect(applyAnnotation(rec, { note: 'y'.repeat(31_000) }, 1).note).toHaveLength(30_000);
    const short = { id: 'arxiv:1', title: 'T', note: 'x' } as PaperRecord;
    expect(applyAnnotation(short, { note: 'y'.repeat(31_000) }, 1).note).toHaveLength(20_000);
  });
});
