// @vitest-environment happy-dom
/**
 * What a page script can read of the library through our card UI. The card hosts have open
 * shadow roots (`host.shadowRoot` works from the page's own scripts), so anything rendered there
 * is the page's to read. It may learn what its own cards show about themselves; it must not learn
 * which *other* papers the user saved, nor the user's tags on other papers.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Request } from '../../lib/messages';

const SECRET = 'zebraquokka7f3a';
const listeners: Array<(msg: unknown) => void> = [];

vi.mock('wxt/browser', () => ({
  browser: {
    runtime: {
      onMessage: {
        addListener: (f: (msg: unknown) => void) => listeners.push(f),
        removeListener: (f: (msg: unknown) => void) => {
          const i = listeners.indexOf(f);
          if (i >= 0) listeners.splice(i, 1);
        },
      },
    },
  },
}));

const sent: Request[] = [];
vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: Request) => {
    sent.push(req);
    if (req.type === 'cards/seen')
      return {
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
    if (req.type === 'paper/get')
      return {
        ok: true,
        value: {
          paper: null,
          // The user's tags, on papers that are not on this page.
          allTags: [`tag-${SECRET}`, 'reading-group'],
        },
      };
    return { ok: false, error: { code: 'internal', message: 'not in this test' } };
  }),
}));

const { startContent, HOST_TAG } = await import('../../lib/content/controller');
const { arxiv } = await import('../../lib/sites/arxiv');

const PAGE = resolve('tests/fixtures/pages/arxiv/list-cond-mat.mtrl-sci-new-2026-09.html');
const URL = 'https://arxiv.org/list/cond-mat.mtrl-sci/new';

let contexts = 0;
const newContext = () => new ContentScriptContext(`leak-${++contexts}`);

/** Everything a page script reads by walking the DOM and every open shadow root. */
function pageReadable(): string {
  const parts: string[] = [];
  const walk = (root: Document | ShadowRoot) => {
    for (const el of root.querySelectorAll('*')) {
      for (const a of el.attributes) parts.push(`${a.name}=${a.value}`);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
    parts.push(
      root instanceof Document ? (root.body?.textContent ?? '') : (root.textContent ?? ''),
    );
  };
  walk(document);
  return parts.join('\n');
}

const hosts = () => [...document.querySelectorAll(HOST_TAG)];

function trustedClick(el: Element): void {
  const e = new MouseEvent('click', { bubbles: true, composed: true });
  Object.defineProperty(e, 'isTrusted', { value: true });
  el.dispatchEvent(e);
}

describe('a page script reading our card UI', () => {
  let stop: () => void = () => {};
  beforeEach(() => {
    listeners.length = 0;
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(URL);
    const html = readFileSync(PAGE, 'utf8');
    document.body.innerHTML = (/<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? '').replace(
      /<script\b[\s\S]*?<\/script>/gi,
      '',
    );
  });
  afterEach(() => stop());

  it('does not learn the title or id of a saved paper that is not on the page (related mark)', async () => {
    stop = startContent(newContext(), [arxiv]);
    await vi.waitFor(() =>
      expect(hosts()[0]?.shadowRoot?.querySelector('button[data-action="note"]')).toBeTruthy(),
    );
    const card = hosts()[0]!.getAttribute('data-paper-id')!;
    // The background's notice: this card is close to a paper the user saved elsewhere.
    for (const l of listeners)
      l({
        type: 'related/marks',
        marks: [{ id: card, nearest: { id: 'arxiv:2412.99999', title: `The ${SECRET} paper` } }],
      });
    const mark = hosts()[0]!.shadowRoot!.querySelector('.mark.related');
    expect(mark, 'the mark is shown').toBeTruthy();
    const text = pageReadable();
    expect(text.includes(SECRET), 'saved paper title readable').toBe(false);
    expect(text.includes('2412.99999'), 'saved paper id readable').toBe(false);
  });

  it('cannot list the user’s tags by focusing the tag box of an open note panel', async () => {
    stop = startContent(newContext(), [arxiv]);
    await vi.waitFor(() =>
      expect(hosts()[0]?.shadowRoot?.querySelector('button[data-action="note"]')).toBeTruthy(),
    );
    const root = hosts()[0]!.shadowRoot!;
    // The user opens the note panel on this card (and does nothing else).
    trustedClick(root.querySelector('button[data-action="note"]')!);
    await vi.waitFor(() => expect(root.querySelector('[data-panel="note"] input')).toBeTruthy());
    await vi.waitFor(() =>
      expect(root.querySelector<HTMLInputElement>('[data-panel="note"] input')?.disabled).toBe(
        false,
      ),
    );
    // The page script focuses the tag box (focus() needs no user gesture) and reads the list.
    root.querySelector<HTMLInputElement>('[data-panel="note"] input')!.focus();
    await new Promise((r) => setTimeout(r, 20));
    expect(pageReadable().includes(SECRET), 'a tag of another paper readable').toBe(false);
    // The panel asked for its own card's paper, and said which paper the card shows (the worker
    // answers a card only for that paper: tests/unit/router-senders.test.ts).
    const id = hosts()[0]!.getAttribute('data-paper-id')!;
    const get = sent.find((r) => r.type === 'paper/get');
    expect(get).toMatchObject({
      id,
      card: { site: 'arxiv', paper: { arxivId: id.replace('arxiv:', '') } },
    });
  });
});
