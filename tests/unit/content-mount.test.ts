// @vitest-environment happy-dom
/**
 * The content script's two-step mount (lib/content/controller.ts): every card gets its host and a
 * working save toggle in the synchronous pass, before any card is read in full or the worker has
 * answered; a click in that moment saves the paper with everything the page says about it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Request } from '../../lib/messages';

const sent: Request[] = [];
/** Replies to `cards/seen` wait until the test releases them (the worker is "slow"). */
let releaseSeen: () => void = () => {};

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: Request) => {
    sent.push(req);
    if (req.type === 'cards/seen') {
      await new Promise<void>((r) => (releaseSeen = r));
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
    }
    if (req.type === 'paper/setSaved')
      return { ok: true, value: { id: `arxiv:${req.paper.arxivId}`, saved: req.saved } };
    return { ok: false, error: { code: 'internal', message: 'not in this test' } };
  }),
}));

const { startContent, HOST_TAG } = await import('../../lib/content/controller');
const { arxiv } = await import('../../lib/sites/arxiv');

const PAGE = resolve('tests/fixtures/pages/arxiv/list-cond-mat.mtrl-sci-new-2026-09.html');
const URL = 'https://arxiv.org/list/cond-mat.mtrl-sci/new';

/** A click as the user's (page scripts' clicks have isTrusted false and are ignored). */
function trustedClick(el: Element): void {
  const e = new MouseEvent('click', { bubbles: true, composed: true });
  Object.defineProperty(e, 'isTrusted', { value: true });
  el.dispatchEvent(e);
}

/** A fresh context each time (one of the same name would announce itself and stop the last). */
let contexts = 0;
const newContext = () => new ContentScriptContext(`test-${++contexts}`);

const toggles = () =>
  [...document.querySelectorAll(HOST_TAG)].map(
    (h) => h.shadowRoot?.querySelector<HTMLButtonElement>('button[data-action="save"]') ?? null,
  );

describe('two-step mount', () => {
  let stop: () => void = () => {};

  beforeEach(() => {
    sent.length = 0;
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(URL);
    // The saved page's body, without its scripts (the test document loads nothing).
    const html = readFileSync(PAGE, 'utf8');
    document.body.innerHTML = (/<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? '').replace(
      /<script\b[\s\S]*?<\/script>/gi,
      '',
    );
  });
  afterEach(() => {
    stop();
    releaseSeen();
  });

  it('mounts every toggle synchronously, then reports the cards read in full', async () => {
    const cards = arxiv.findCards(document, arxiv.detect(new window.URL(URL))!);
    stop = startContent(newContext(), [arxiv]);
    // Same task: every card has exactly one host with an open shadow root and a named toggle.
    const hosts = [...document.querySelectorAll(HOST_TAG)];
    expect(hosts).toHaveLength(cards.length);
    for (const [i, b] of toggles().entries()) {
      expect(hosts[i]!.getAttribute('data-paper-id'), `card ${i}`).toMatch(/^arxiv:/);
      expect(b?.getAttribute('aria-pressed'), `card ${i}`).toBe('false');
      expect(b?.getAttribute('aria-label'), `card ${i}`).toMatch(/^Save to Paper Scout: \S/);
    }
    expect(sent).toEqual([]);
    // A task later the cards are reported, read in full (authors, abstracts).
    await vi.waitFor(() => expect(sent.map((r) => r.type)).toEqual(['cards/seen']));
    const seen = sent[0] as Extract<Request, { type: 'cards/seen' }>;
    expect(seen.cards).toHaveLength(cards.length);
    expect(seen.cards.every((c) => c.authors?.length && c.abstract)).toBe(true);
    // The states arrive: the full bar (Note, Watch) replaces the first toggle in place.
    const first = toggles()[0];
    releaseSeen();
    await vi.waitFor(() => expect(toggles()[0]?.getAttribute('aria-busy')).toBe('false'));
    expect(toggles()[0]).toBe(first);
    expect(
      document.querySelector(HOST_TAG)?.shadowRoot?.querySelector('button[data-action="note"]'),
    ).toBeTruthy();
    expect(document.querySelectorAll(HOST_TAG)).toHaveLength(cards.length);
  });

  it('a click before the cards are read saves the paper with the page’s data', async () => {
    stop = startContent(newContext(), [arxiv]);
    const host = document.querySelectorAll(HOST_TAG)[3]!;
    trustedClick(toggles()[3]!);
    const save = sent.find((r) => r.type === 'paper/setSaved') as
      Extract<Request, { type: 'paper/setSaved' }> | undefined;
    expect(save?.saved).toBe(true);
    expect(`arxiv:${save?.paper.arxivId}`).toBe(host.getAttribute('data-paper-id'));
    expect(save?.paper.authors?.length).toBeGreaterThan(0);
    expect(save?.paper.abstract?.length).toBeGreaterThan(40);
    expect(save?.paper.categories?.length).toBeGreaterThan(0);
    // The click's own render shows it busy, then saved, with one toggle in the card.
    await vi.waitFor(() => expect(toggles()[3]?.getAttribute('aria-pressed')).toBe('true'));
    expect(host.shadowRoot?.querySelectorAll('button[data-action="save"]')).toHaveLength(1);
  });

  it('a page script’s click saves nothing', () => {
    stop = startContent(newContext(), [arxiv]);
    toggles()[0]!.click();
    expect(sent.filter((r) => r.type === 'paper/setSaved')).toEqual([]);
  });
});
