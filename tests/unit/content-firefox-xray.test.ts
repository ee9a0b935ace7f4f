// @vitest-environment happy-dom
/**
 * The content script as Firefox shows it the page's DOM: through Xray wrappers.
 *
 * - Firefox before 153: a content script sees `adoptedStyleSheets` (of a document or a shadow
 *   root) as an opaque object and assigning an array to it throws; only `wrappedJSObject` with an
 *   array made by `cloneInto` works (bug 1751346, fixed in 153: MDN "Firefox 153 release notes",
 *   Changes for add-on developers; the old dom/bindings/test/test_observablearray.html
 *   testObservableArray_xrays: `"length" in observableArray` is false, the assignment "Expected
 *   to throw, for now"). Every card's host failed in createHost, so no card got any UI.
 * - Firefox 140+ (CSS Custom Highlight API): the iterator `CSS.highlights.keys()` returns comes
 *   through an Xray that is not iterable (bugs 1023984, 1414602: `x.keys() is not iterable` for
 *   URLSearchParams/FormData in content scripts), so `[...CSS.highlights.keys()]` threw on every
 *   states answer and at teardown.
 * The stubs below reproduce those two behaviours on happy-dom.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { CardHighlight, Request } from '../../lib/messages';

const RULE: CardHighlight = { ruleId: 'r1', name: 'r', color: '#1d4ed8', terms: ['graphs'] };

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: Request) => {
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
    return { ok: false, error: { code: 'internal', message: 'not in this test' } };
  }),
}));

// --- Firefox < 153: adoptedStyleSheets through an Xray -------------------------------------------
type Desc = PropertyDescriptor & { get(): unknown; set(v: unknown): void };
const patched: Array<[object, Desc]> = [];
const cloned: unknown[][] = [];
function xrayAdopted(proto: object): void {
  const d = Object.getOwnPropertyDescriptor(proto, 'adoptedStyleSheets') as Desc;
  patched.push([proto, d]);
  Object.defineProperty(proto, 'adoptedStyleSheets', {
    configurable: true,
    get: () => ({}), // opaque: no length, no array methods
    set: () => {
      throw new Error('Accessing from Xray wrapper is not supported.');
    },
  });
  Object.defineProperty(proto, 'wrappedJSObject', {
    configurable: true,
    get(this: object) {
      return waiver(this, d);
    },
  });
}
/** The page's own view of a node (what `wrappedJSObject` gives a content script). */
function waiver(self: object, d: Desc) {
  return {
    get adoptedStyleSheets() {
      return d.get.call(self);
    },
    set adoptedStyleSheets(v: unknown) {
      // The page's realm refuses an array of the content script's (not cloned into it).
      if (!cloned.includes(v as unknown[])) throw new Error('Permission denied');
      d.set.call(self, v);
    },
  };
}
const realSheets = (target: object) =>
  patched
    .find(([p]) => Object.prototype.isPrototypeOf.call(p, target))![1]
    .get.call(target) as CSSStyleSheet[];

// --- Firefox 140+: CSS.highlights through an Xray -------------------------------------------------
class FakeHighlight {
  ranges: Range[];
  constructor(...ranges: Range[]) {
    this.ranges = ranges;
  }
}
const backing = new Map<string, FakeHighlight>();
const registry = {
  set: (k: string, v: FakeHighlight) => backing.set(k, v),
  get: (k: string) => backing.get(k),
  delete: (k: string) => backing.delete(k),
  has: (k: string) => backing.has(k),
  // Xray denies Symbol.iterator on the returned iterator: not iterable.
  keys: () => ({}),
};

beforeAll(() => {
  xrayAdopted(window.ShadowRoot.prototype);
  let proto: object | null = document;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'adoptedStyleSheets'))
    proto = Object.getPrototypeOf(proto) as object | null;
  xrayAdopted(proto!);
  const clone = (x: unknown[]) => {
    const c = [...x];
    cloned.push(c);
    return c;
  };
  Object.assign(globalThis, { cloneInto: clone, Highlight: FakeHighlight });
  const css = Object.assign(Object.create(CSS), { highlights: registry });
  for (const g of [globalThis, window])
    Object.defineProperty(g, 'CSS', { value: css, configurable: true });
});
afterAll(() => {
  for (const [proto, d] of patched) {
    Object.defineProperty(proto, 'adoptedStyleSheets', d);
    delete (proto as { wrappedJSObject?: unknown }).wrappedJSObject;
  }
});

const { startContent, HOST_TAG } = await import('../../lib/content/controller');
const { paintHighlights, clearHighlights, removeHighlightStyles } =
  await import('../../lib/content/highlight');
const { arxiv } = await import('../../lib/sites/arxiv');

describe('Firefox content-script Xrays', () => {
  it('(the stub is Firefox < 153: a plain assignment throws)', () => {
    const root = document.createElement('div').attachShadow({ mode: 'open' });
    expect(() => (root.adoptedStyleSheets = [new CSSStyleSheet()])).toThrow();
  });

  it('every card still gets its host, styled with the card sheet', async () => {
    const url = 'https://arxiv.org/list/cond-mat.mtrl-sci/new';
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
    const html = readFileSync(
      resolve('tests/fixtures/pages/arxiv/list-cond-mat.mtrl-sci-new-2026-09.html'),
      'utf8',
    );
    document.body.innerHTML = (/<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? '').replace(
      /<script\b[\s\S]*?<\/script>/gi,
      '',
    );
    const cards = arxiv.findCards(document, arxiv.detect(new window.URL(url))!);
    expect(cards.length).toBeGreaterThan(0);
    const stop = startContent(new ContentScriptContext('ff-xray'), [arxiv]);
    try {
      const hosts = [...document.querySelectorAll(HOST_TAG)];
      expect(hosts).toHaveLength(cards.length);
      const sheets = realSheets(hosts[0]!.shadowRoot!);
      expect(sheets).toHaveLength(1);
      expect(realSheets(hosts[1]!.shadowRoot!)[0]).toBe(sheets[0]);
    } finally {
      // (Teardown clears highlights: the next test covers that on its own.)
      try {
        stop();
      } catch {
        // the old code threw here (the registry iterated)
      }
    }
  });

  it('highlights paint, repaint and clear without iterating the registry', () => {
    document.body.innerHTML = '<p>We study graphs.</p>';
    const pageSheet = new CSSStyleSheet();
    patched[1]![1].set.call(document, [pageSheet]);
    backing.set('page-own', new FakeHighlight());
    const cards = [{ roots: [document.body], highlights: [RULE] }];
    paintHighlights(cards, HOST_TAG);
    expect(backing.get('paper-scout-r1')?.ranges.map(String)).toEqual(['graphs']);
    expect(realSheets(document)).toHaveLength(2);
    expect(realSheets(document)[0]).toBe(pageSheet);
    paintHighlights(cards, HOST_TAG);
    expect(realSheets(document)).toHaveLength(2);
    clearHighlights();
    expect(backing.has('paper-scout-r1')).toBe(false);
    paintHighlights(cards, HOST_TAG);
    removeHighlightStyles();
    expect(backing.has('paper-scout-r1')).toBe(false);
    expect(realSheets(document)).toEqual([pageSheet]);
    // The page's own highlight is not ours to remove.
    expect(backing.has('page-own')).toBe(true);
  });
});
