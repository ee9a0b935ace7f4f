// @vitest-environment happy-dom
/**
 * A note saved on a card of a paper not yet in the library saves the paper (the first save creates
 * its record). A `cards/seen` answer computed before that save (a refresh after a watch rule
 * changed) must not turn the card's toggle back to "not saved".
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Request } from '../../lib/messages';

const sent: Request[] = [];
let holdSeen: Promise<void> | undefined;

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: Request) => {
    sent.push(req);
    if (req.type === 'cards/seen') {
      // The answer is what the library said when the message arrived: nothing saved yet.
      const answer = {
        ok: true,
        value: {
          cards: req.cards.map((c) => ({
            id: `arxiv:${c.arxivId}`,
            saved: false,
            seen: false,
            isNew: false,
            newVersion: false,
            highlights: [],
            badges: [],
          })),
        },
      };
      await holdSeen;
      return answer;
    }
    if (req.type === 'paper/get') return { ok: true, value: { paper: null, allTags: [] } };
    if (req.type === 'paper/annotate')
      return {
        ok: true,
        value: {
          id: req.id,
          title: 'T',
          saved: true,
          note: req.note ?? '',
          tags: [],
          state: 'inbox',
        },
      };
    return { ok: false, error: { code: 'internal', message: 'not in this test' } };
  }),
}));

const { startContent, HOST_TAG } = await import('../../lib/content/controller');
const { arxiv } = await import('../../lib/sites/arxiv');

const PAGE = resolve('tests/fixtures/pages/arxiv/list-cond-mat.mtrl-sci-new-2026-09.html');
const URL = 'https://arxiv.org/list/cond-mat.mtrl-sci/new';

function trusted<E extends Event>(e: E): E {
  Object.defineProperty(e, 'isTrusted', { value: true });
  return e;
}

let contexts = 0;
const root = () => document.querySelector(HOST_TAG)!.shadowRoot!;
const toggle = () => root().querySelector<HTMLButtonElement>('button[data-action="save"]')!;

describe('note saved on a card of an unsaved paper', () => {
  let stop: () => void = () => {};
  beforeEach(() => {
    sent.length = 0;
    holdSeen = undefined;
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(URL);
    const html = readFileSync(PAGE, 'utf8');
    document.body.innerHTML = (/<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? '').replace(
      /<script\b[\s\S]*?<\/script>/gi,
      '',
    );
  });
  afterEach(() => stop());

  it('stays saved when an older cards/seen answer arrives after the note save', async () => {
    stop = startContent(new ContentScriptContext(`race-${++contexts}`), [arxiv]);
    await vi.waitFor(() => expect(root().querySelector('button[data-action="note"]')).toBeTruthy());
    expect(toggle().getAttribute('aria-pressed')).toBe('false');
    root()
      .querySelector('button[data-action="note"]')!
      .dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, composed: true })));
    await vi.waitFor(() =>
      expect(root().querySelector<HTMLTextAreaElement>('textarea')?.disabled).toBe(false),
    );
    // A watch rule changed: every card is reported again; that answer is slow.
    let release: () => void = () => {};
    holdSeen = new Promise<void>((r) => (release = r));
    const before = sent.filter((r) => r.type === 'cards/seen').length;
    await fakeBrowser.runtime.onMessage.trigger({ type: 'rules/changed' }, {}, () => {});
    await vi.waitFor(() =>
      expect(sent.filter((r) => r.type === 'cards/seen').length).toBe(before + 1),
    );
    // Meanwhile the user writes a note: it saves the paper.
    const ta = root().querySelector<HTMLTextAreaElement>('textarea')!;
    ta.value = 'worth reading';
    ta.dispatchEvent(trusted(new Event('input', { bubbles: true })));
    ta.dispatchEvent(trusted(new FocusEvent('blur')));
    await vi.waitFor(() => expect(sent.some((r) => r.type === 'paper/annotate')).toBe(true));
    await vi.waitFor(() => expect(toggle().getAttribute('aria-pressed')).toBe('true'));
    // The answer computed before the save arrives.
    release();
    await new Promise((r) => setTimeout(r, 30));
    expect(toggle().getAttribute('aria-pressed')).toBe('true');
  });
});
