// @vitest-environment happy-dom
/**
 * Client navigation (Hugging Face is a SvelteKit app): the framework may keep a card's element
 * when the next listing shows the same paper (a keyed `each`, the daily list inside the week
 * list, a search that keeps a result). Such a card is on a new page: it must be reported for that
 * page (its sighting there, its new/seen marks there), and a late answer for the page before must
 * not overwrite the answer for the page it is on now.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Request } from '../../lib/messages';

type Seen = Extract<Request, { type: 'cards/seen' }>;
const sent: Request[] = [];
/** Per page URL: hold the answer until released (default: answer at once). */
const hold = new Map<string, Promise<void>>();

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: Request) => {
    sent.push(req);
    if (req.type === 'cards/seen') {
      await hold.get(req.page.url);
      // The worker's answer depends on the page: on the week page every card is new.
      const week = req.page.url.includes('/week/');
      return {
        ok: true,
        value: {
          cards: req.cards.map((c) => ({
            key: `arxiv:${c.arxivId}`,
            id: `arxiv:${c.arxivId}`,
            saved: false,
            seen: !week,
            isNew: week,
            newVersion: false,
            highlights: [],
            badges: [],
          })),
        },
      };
    }
    return { ok: false, error: { code: 'internal', message: 'not in this test' } };
  }),
}));

const { startContent, HOST_TAG } = await import('../../lib/content/controller');
const { huggingface } = await import('../../lib/sites/huggingface');

const PAGE = resolve('tests/fixtures/pages/huggingface/daily-papers-2026-07.html');
const DAY = 'https://huggingface.co/papers/date/2026-07-01';
const WEEK = 'https://huggingface.co/papers/week/2026-W27';

let contexts = 0;
const newContext = () => new ContentScriptContext(`nav-${++contexts}`);
const seenFor = (url: string) =>
  sent.filter((r): r is Seen => r.type === 'cards/seen' && r.page.url === url);
const marks = () =>
  [...document.querySelectorAll(HOST_TAG)].map(
    (h) => h.shadowRoot?.querySelector('[data-mark]')?.getAttribute('data-mark') ?? null,
  );

describe('client navigation that keeps card elements', () => {
  let stop: () => void = () => {};
  beforeEach(() => {
    sent.length = 0;
    hold.clear();
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(DAY);
    const html = readFileSync(PAGE, 'utf8');
    document.body.innerHTML = (/<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? '').replace(
      /<script\b[\s\S]*?<\/script>/gi,
      '',
    );
  });
  afterEach(() => stop());

  it('reports the kept cards for the page they are now on, and shows its answer', async () => {
    stop = startContent(newContext(), [huggingface]);
    const n = document.querySelectorAll(HOST_TAG).length;
    expect(n).toBeGreaterThan(10);
    await vi.waitFor(() => expect(marks().every((m) => m === 'seen')).toBe(true));
    expect(seenFor(DAY)[0]?.cards).toHaveLength(n);
    // SvelteKit navigates to the week: the same papers, the same elements; something changes.
    history.pushState({}, '', '/papers/week/2026-W27');
    document.querySelector('article')!.parentElement!.append(document.createElement('div'));
    await vi.waitFor(() => expect(seenFor(WEEK).flatMap((r) => r.cards)).toHaveLength(n));
    await vi.waitFor(() => expect(marks().every((m) => m === 'new')).toBe(true));
    // Still one UI per card.
    expect(document.querySelectorAll(HOST_TAG)).toHaveLength(n);
  });

  it('a late answer for the page before does not overwrite the current page’s', async () => {
    let release: () => void = () => {};
    hold.set(DAY, new Promise<void>((r) => (release = r)));
    stop = startContent(newContext(), [huggingface]);
    await vi.waitFor(() => expect(seenFor(DAY)).toHaveLength(1));
    history.pushState({}, '', '/papers/week/2026-W27');
    document.querySelector('article')!.parentElement!.append(document.createElement('div'));
    await vi.waitFor(() => expect(marks().every((m) => m === 'new')).toBe(true));
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(marks().every((m) => m === 'new')).toBe(true);
  });
});
