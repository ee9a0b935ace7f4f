// @vitest-environment happy-dom
/**
 * The popup's Related and Highlighted tabs and the options page's rule list, laid out by a real
 * Chromium (/usr/bin/chromium, as the e2e tests use) with components/popup.css, showing what a
 * listing can hand Paper Scout: a 2,000-character title, an author "name" with no spaces, a
 * right-to-left title, a rule named with one 200-character word. Nothing may stick out of the
 * popup's 480 px (a sideways scrollbar, the row's buttons pushed out of sight) or out of the
 * options page. The markup is the components' own, rendered by Preact over fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { existsSync, readFileSync } from 'node:fs';
import { render, type JSX } from 'preact';
import { act } from 'preact/test-utils';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import type { RelatedItem } from '../../lib/related/service';
import { CONTENT, envOf, OPTIONS_PAGE } from './exchange-helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CSS = readFileSync('components/popup.css', 'utf8');

const WORD = 'x'.repeat(5_000);
/** As long as a card's title may be (LIMITS.title), ending in a 1,000-character word. */
const LONG_TITLE = `${'Attention '.repeat(100)}${'y'.repeat(1_000)}`;
/** A right-to-left title ending in a model's Latin name (read last: it belongs at the left). */
const RTL_TITLE = 'مقدمة إلى نماذج BERT';
const related: RelatedItem[] = [
  {
    id: 'arxiv:2401.00001',
    title: WORD,
    url: 'https://arxiv.org/abs/2401.00001',
    authors: [WORD.slice(0, 300), 'Ada Lovelace'],
    score: 0.5,
    saved: false,
    nearest: [{ id: 'arxiv:2401.00009', title: WORD }],
    tags: [WORD.slice(0, 64)],
    terms: [WORD.slice(0, 80), 'diffusion'],
  },
  {
    id: 'arxiv:2401.00002',
    title: RTL_TITLE,
    authors: ['محمد علي'],
    score: 0.4,
    saved: false,
    nearest: [],
    tags: [],
    terms: [],
  },
];

vi.mock('../../lib/rpc', () => ({
  send: async (req: { type: string }) => {
    if (req.type === 'related/forYou')
      return { ok: true, value: { items: related, tags: [WORD.slice(0, 64)] } };
    if (req.type === 'related/similar') return { ok: true, value: { items: related } };
    return structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb())));
  },
}));

const { RelatedTab } = await import('../../components/popup/RelatedTab');
const { HighlightedTab } = await import('../../components/popup/HighlightedTab');
const { RulesEditor } = await import('../../components/RulesEditor');
const { PaperRow } = await import('../../components/popup/PaperRow');

const settle = async (ms = 100) => {
  for (let i = 0; i < 10; i++) await act(() => new Promise((r) => setTimeout(r, ms / 10)));
};

/** The markup a component renders once its data has arrived. */
async function markup(el: JSX.Element): Promise<string> {
  const host = document.createElement('div');
  document.body.append(host);
  await act(() => render(el, host));
  await settle();
  const html = host.innerHTML;
  render(null, host);
  host.remove();
  return html;
}

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM });
}, 30_000);
afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  await getDb().open();
  await Promise.all(getDb().tables.map((t) => t.clear()));
});

interface Overflow {
  cls: string;
  right: number;
}

/**
 * Lays `html` out in the popup's frame (`popup`) or the options page at 800 px; returns the
 * page's width, how wide its content is, and the elements whose right edge passes the page's.
 */
async function layout(html: string, where: 'popup' | 'options') {
  const width = where === 'popup' ? 480 : 800;
  const page = await browser.newPage({ viewport: { width, height: 600 } });
  try {
    const frame =
      where === 'popup'
        ? `<main class="popup"><div class="panel">${html}</div></main>`
        : `<main class="options">${html}</main>`;
    await page.setContent(`<html><head><style>${CSS}</style></head><body>${frame}</body></html>`);
    return await page.evaluate((width) => {
      const out: Overflow[] = [];
      for (const e of document.querySelectorAll<HTMLElement>('main *')) {
        const r = e.getBoundingClientRect();
        if (!r.width) continue;
        // Each element must stay inside its list row (else it is cut off, and the row's buttons
        // with it) and the page; inside an ancestor that clips it on purpose (an ellipsis, a
        // scrolled list) it cannot stick out.
        const box = e.closest('li') ?? document.querySelector('main')!;
        let clipped = false;
        for (let p = e.parentElement; p && p !== box; p = p.parentElement) {
          if (getComputedStyle(p).overflowX !== 'visible') clipped = true;
        }
        const edge = Math.min(width, box === e ? width : box.getBoundingClientRect().right);
        // A block's text can run past its own box too (one long word): then its content is
        // wider than it, unless it clips that itself.
        const spills =
          e.clientWidth > 0 &&
          getComputedStyle(e).overflowX === 'visible' &&
          e.scrollWidth > e.clientWidth + 1;
        if (!clipped && (r.right > edge + 0.5 || spills))
          out.push({ cls: `${e.tagName}.${e.className}`, right: Math.round(r.right) });
      }
      return {
        scrollWidth: document.scrollingElement!.scrollWidth,
        width,
        out,
      };
    }, width);
  } finally {
    await page.close();
  }
}

describe.skipIf(!existsSync(CHROMIUM))('hostile text stays inside the page', () => {
  it('Related tab ("For you" and "Similar to")', async () => {
    for (const mode of [
      { kind: 'forYou' as const, tag: '' },
      { kind: 'similar' as const, id: 'arxiv:2401.00009', title: WORD },
    ]) {
      const html = await markup(<RelatedTab mode={mode} onMode={() => {}} />);
      expect(html).toContain(RTL_TITLE);
      const r = await layout(html, 'popup');
      expect(r.out).toEqual([]);
      expect(r.scrollWidth).toBeLessThanOrEqual(r.width);
    }
  });

  it('Highlighted tab', async () => {
    const env = envOf(getDb());
    const name = 'z'.repeat(200);
    const rule = await handleMessage(
      { type: 'rules/save', rule: { name, kind: 'words', terms: ['attention'], color: '#b45309' } },
      OPTIONS_PAGE,
      env,
    );
    expect(rule.ok).toBe(true);
    const seen = await handleMessage(
      {
        type: 'cards/seen',
        page: {
          site: 'huggingface',
          url: 'https://huggingface.co/papers',
          kind: 'daily',
          listing: true,
          loadId: 'l',
        },
        cards: [
          {
            arxivId: '2401.00001',
            title: LONG_TITLE,
            url: 'https://huggingface.co/papers/2401.00001',
          },
        ],
      },
      CONTENT,
      env,
    );
    expect(seen.ok).toBe(true);
    const html = await markup(<HighlightedTab readAt={0} />);
    expect(html).toContain(name);
    const r = await layout(html, 'popup');
    expect(r.out).toEqual([]);
    expect(r.scrollWidth).toBeLessThanOrEqual(r.width);
  });

  it('options page: the watch-rule list', async () => {
    const env = envOf(getDb());
    const r1 = await handleMessage(
      {
        type: 'rules/save',
        rule: {
          name: 'w'.repeat(200),
          kind: 'words',
          terms: ['v'.repeat(300)],
          exclude: ['u'.repeat(300)],
          color: '#b45309',
        },
      },
      OPTIONS_PAGE,
      env,
    );
    expect(r1.ok).toBe(true);
    const html = await markup(<RulesEditor />);
    const r = await layout(html, 'options');
    expect(r.out).toEqual([]);
    expect(r.scrollWidth).toBeLessThanOrEqual(r.width);
  });
});

/**
 * Where the first and the last letter of `text` are drawn in the popup: a right-to-left title
 * reads from the right, so its last word (a Latin name) is left of its first.
 */
async function ends(html: string, text: string) {
  const page = await browser.newPage({ viewport: { width: 480, height: 600 } });
  try {
    await page.setContent(
      `<html><head><style>${CSS}</style></head><body><main class="popup"><div class="panel">${html}</div></main></body></html>`,
    );
    return await page.evaluate((text) => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.textContent!.indexOf(text);
        if (at < 0) continue;
        const x = (i: number) => {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          return r.getBoundingClientRect().left;
        };
        return { first: x(at), last: x(at + text.length - 1) };
      }
      return null;
    }, text);
  } finally {
    await page.close();
  }
}

describe.skipIf(!existsSync(CHROMIUM))('a right-to-left title reads right to left', () => {
  const noop = () => {};
  it.each([
    [
      'reading list',
      () => (
        <section class="tab-panel rl">
          <ul class="list rl-list">
            <PaperRow
              row={{
                id: 'arxiv:2401.00002',
                title: RTL_TITLE,
                href: 'https://arxiv.org/abs/2401.00002',
                authors: ['محمد علي'],
                authorCount: 1,
                dateKey: 0,
                savedAt: 1,
                sites: ['arxiv'],
                state: 'inbox',
                tags: [],
                note: '',
                topics: [],
              }}
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
            />
          </ul>
        </section>
      ),
    ],
    ['Related tab', () => <RelatedTab mode={{ kind: 'forYou', tag: '' }} onMode={noop} />],
  ])('%s: its last word, BERT, is at its left end', async (_w, el) => {
    const at = await ends(await markup(el()), RTL_TITLE);
    expect(at).not.toBeNull();
    expect(at!.last).toBeLessThan(at!.first);
  });
});
