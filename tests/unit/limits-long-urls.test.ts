// @vitest-environment happy-dom
/**
 * Real limits: a page whose URL is longer than the protocol's URL limit (LIMITS.url = 2,000) —
 * a Google Scholar search for a pasted Chinese sentence (Scholar keeps up to 256 characters of
 * query; each CJK character is 9 characters once percent-encoded) — still gets its cards
 * reported: the content script goes through the real router and database here.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { PaperScoutDB } from '../../lib/db';
import { handleMessage, type RouterEnv } from '../../lib/background/router';
import type { Request } from '../../lib/messages';
import { storedSightings } from './helpers/sightings';

const EXT = 'abcdefghijklmnop';
let env: RouterEnv;
const replies: unknown[] = [];

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: Request) => {
    const reply = await handleMessage(
      structuredClone(req),
      { id: EXT, url: location.href, tab: { id: 1 } },
      env,
    );
    replies.push(reply);
    return reply;
  }),
}));

const { startContent, HOST_TAG } = await import('../../lib/content/controller');
const { scholar } = await import('../../lib/sites/scholar');

const PAGE = resolve('tests/fixtures/pages/scholar/results-2026-09.html');
// 230 CJK characters (a pasted abstract sentence), under Scholar's 256-character query limit.
const QUERY = '基于深度学习的大规模语言模型在自然语言处理任务中的应用研究与性能评估'
  .repeat(7)
  .slice(0, 230);
const LONG = `https://scholar.google.com/scholar?hl=zh-CN&as_sdt=0%2C5&q=${encodeURIComponent(QUERY)}&btnG=`;

let n = 0;
describe('a page URL longer than LIMITS.url', () => {
  let stop: () => void = () => {};
  beforeEach(async () => {
    replies.length = 0;
    const db = new PaperScoutDB(`review-limits-${n++}`);
    await db.open();
    env = { db, extensionId: EXT, extensionOrigin: `chrome-extension://${EXT}/`, notify: () => {} };
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(LONG);
    const html = readFileSync(PAGE, 'utf8');
    document.body.innerHTML = (/<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? '').replace(
      /<script\b[\s\S]*?<\/script>/gi,
      '',
    );
  });
  afterEach(() => stop());

  it('still records the cards and shows no error on them', async () => {
    expect(LONG.length).toBeGreaterThan(2_000);
    stop = startContent(new ContentScriptContext(`rl-${n}`), [scholar]);
    const hosts = document.querySelectorAll(HOST_TAG).length;
    expect(hosts).toBeGreaterThan(3);
    await vi.waitFor(() => expect(replies.length).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 50));
    expect(replies[0], JSON.stringify(replies[0])).toMatchObject({ ok: true });
    const errors = [...document.querySelectorAll(HOST_TAG)].filter((h) =>
      h.shadowRoot?.querySelector('[role="alert"]'),
    );
    expect(errors).toHaveLength(0);
    expect((await storedSightings(env.db)).length).toBeGreaterThan(0);
  });

  it('gives a card whose title link is too long (Google Books, `dq=` repeats the query) its UI', async () => {
    // Google Books results link to books.google.com with the query in `dq=`; this card also has
    // Scholar's own "All N versions" page, a link that fits.
    const card = document.querySelector('div.gs_r[data-cid]')!;
    const a = card.querySelector('h3.gs_rt a[href]')!;
    const books = `https://books.google.com/books?hl=zh-CN&lr=&id=AbCdEfGhIjkC&oi=fnd&pg=PR7&dq=${encodeURIComponent(QUERY)}&ots=x1Y2z3&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0`;
    expect(books.length).toBeGreaterThan(2_000);
    a.setAttribute('href', books);
    stop = startContent(new ContentScriptContext(`rl2-${n}`), [scholar]);
    expect(card.querySelector(HOST_TAG)).not.toBeNull();
    await vi.waitFor(() => expect(replies.length).toBeGreaterThan(0));
    const seen = (await env.db.papers.toArray()).map((p) => p.title);
    expect(seen).toContain(a.textContent);
  });
});
