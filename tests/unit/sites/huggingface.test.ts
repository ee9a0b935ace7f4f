// @vitest-environment node
/**
 * The Hugging Face adapter beyond the generic fixture test: page kinds from URLs, what the real
 * pages yield besides key/title/upvotes, and what happens when the page JSON is stale or lies.
 * Runs in the node environment (no global `document`), which also shows the adapter does no DOM
 * work at import time; documents come from happy-dom through `loadDocument`.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { displayCount, huggingface } from '../../../lib/sites/huggingface';
import { matchPage } from '../../../lib/sites/registry';
import type { PageMatch } from '../../../lib/sites/types';
import type { PaperCandidate } from '../../../lib/paper';
import { FIXTURE_ROOT, loadDocument } from './fixture-harness';

const PAGES = join(FIXTURE_ROOT, 'huggingface');
const HANDWRITTEN = join(FIXTURE_ROOT, '../handwritten/huggingface');

const DAILY_2026 = {
  path: join(PAGES, 'daily-papers-2026-07.html'),
  url: 'https://huggingface.co/papers',
};
const DAILY_2024 = {
  path: join(PAGES, 'daily-papers-2024-08-01.html'),
  url: 'https://huggingface.co/papers?date=2024-08-01',
};
const HYDRATED_2026 = {
  path: join(PAGES, 'daily-papers-hydrated-2026-09.html'),
  url: 'https://huggingface.co/papers',
};
const PAPER_PAGE = {
  path: join(PAGES, 'paper-page-2509.24002-2025-10-bs4-prettified.html'),
  url: 'https://huggingface.co/papers/2509.24002',
};
const SEARCH = {
  path: join(HANDWRITTEN, 'search-results-handwritten.html'),
  url: 'https://huggingface.co/papers?q=diffusion',
};
const SEARCH_VARIANTS = {
  path: join(HANDWRITTEN, 'search-results-variants-handwritten.html'),
  url: 'https://huggingface.co/papers?q=agents',
};

function page(url: string): PageMatch {
  const p = huggingface.detect(new URL(url));
  if (!p) throw new Error(`not a Hugging Face page: ${url}`);
  return p;
}

/** Loads a page and reads every card the adapter finds. */
function read(f: { path: string; url: string }) {
  const doc = loadDocument(f.path, f.url);
  const p = page(f.url);
  const cards = huggingface.findCards(doc, p);
  return { doc, page: p, cards, out: cards.map((c) => huggingface.readCard(c, p, doc)) };
}

function readAll(doc: Document, p: PageMatch): Array<PaperCandidate | null> {
  return huggingface.findCards(doc, p).map((c) => huggingface.readCard(c, p, doc));
}

function island(doc: Document): Element {
  const el = doc.querySelector('[data-target="DailyPapers"]');
  if (!el) throw new Error('no DailyPapers island');
  return el;
}

/** The JSON entry the page holds for an id (read straight from the attribute, for comparison). */
function jsonPaper(doc: Document, id: string): Record<string, unknown> | undefined {
  const props = JSON.parse(island(doc).getAttribute('data-props') ?? '{}') as {
    dailyPapers: Array<{ paper: Record<string, unknown> }>;
  };
  return props.dailyPapers.find((d) => d.paper.id === id)?.paper;
}

function titleLinkOf(card: Element): Element {
  const a = card.querySelector('h3 a[href^="/papers/"]');
  if (!a) throw new Error('card without title link');
  return a;
}

/** Points a listing card at another paper, the way Svelte re-uses an element for a new item. */
function repoint(card: Element, id: string, title: string, upvotes: string) {
  for (const a of card.querySelectorAll('a[href^="/papers/"]')) {
    const href = a.getAttribute('href') ?? '';
    a.setAttribute('href', href.replace(/\/papers\/[\d.]+/, `/papers/${id}`));
  }
  titleLinkOf(card).textContent = title;
  const count = card.querySelector('input[type="checkbox"] ~ div.leading-none');
  if (count) count.textContent = upvotes;
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Lets a scan's memos (lib/sites/memo.ts) expire, as between two content-script scans. */
const nextScan = () => new Promise<void>((r) => setTimeout(r, 0));

describe('detect', () => {
  const table: Array<[string, string | null]> = [
    ['https://huggingface.co/papers', 'daily'],
    ['https://huggingface.co/papers/', 'daily'],
    ['https://huggingface.co/papers?date=2024-08-01', 'daily'],
    ['https://huggingface.co/papers?q=', 'daily'],
    ['https://huggingface.co/papers/date/2026-07-01', 'date'],
    ['https://huggingface.co/papers/date/2026-07-01/', 'date'],
    ['https://huggingface.co/papers/week/2026-W27', 'week'],
    ['https://huggingface.co/papers/month/2026-07', 'month'],
    ['https://huggingface.co/papers/trending', 'trending'],
    ['https://huggingface.co/papers?q=diffusion', 'search'],
    ['https://huggingface.co/papers?q=diffusion+models&date=2024-08-01', 'search'],
    ['https://huggingface.co/papers/date/2026-07-01?q=agents', 'search'],
    ['https://huggingface.co/papers/week/2026-W27?q=agents', 'search'],
    ['https://huggingface.co/papers/trending?q=agents', 'search'],
    ['https://huggingface.co/papers/trending/', 'trending'],
    ['https://huggingface.co/papers/month/2026-07/', 'month'],
    ['https://huggingface.co/papers/week/2026-W01?q=', 'week'],
    ['https://huggingface.co/papers?q=%20', 'daily'],
    ['https://huggingface.co/papers?q=graph+neural&sort=trending', 'search'],
    ['https://huggingface.co/papers/month/2026-07?q=agents', 'search'],
    ['https://huggingface.co/papers/date/2026-07-01?foo=bar', 'date'],
    ['https://huggingface.co/papers/2509.24002', 'paper'],
    ['https://huggingface.co/papers/2509.24002?utm_source=x', 'paper'],
    ['https://huggingface.co/papers/1312.6114', 'paper'],
    ['https://huggingface.co/papers/1312.6114v10/', 'paper'],
    ['https://huggingface.co/papers/0704.0001', 'paper'],
    ['https://huggingface.co/papers/2509.24002/', 'paper'],
    ['https://huggingface.co/papers/2509.24002#community', 'paper'],
    ['https://huggingface.co/papers/2509.24002/#community', 'paper'],
    ['https://huggingface.co/papers/2509.24002v2', 'paper'],
    ['https://huggingface.co/papers/2407.1234', 'paper'],
    ['https://huggingface.co/papers/submit', null],
    ['https://huggingface.co/papers/date/yesterday', null],
    ['https://huggingface.co/papers/week/2026-27', null],
    ['https://huggingface.co/papers/month/2026', null],
    ['https://huggingface.co/papers/2509.24002/discussion', null],
    ['https://huggingface.co/papers/abc', null],
    ['https://huggingface.co/collections/foo/bar-123', null],
    // Refused on purpose: collections and user/organization pages list papers among models,
    // datasets and spaces in other card markup, outside /papers (the content script's matches).
    ['https://huggingface.co/collections/akhaliq/daily-papers-65e3a5d9f6c43c61b8e1e9a0', null],
    ['https://huggingface.co/akhaliq', null],
    ['https://huggingface.co/google', null],
    ['https://huggingface.co/google?sort_papers=recent#papers', null],
    ['https://huggingface.co/spaces/akhaliq/paper', null],
    ['https://huggingface.co/papers/2509.24002/community', null],
    ['https://huggingface.co/papers/date/2026-07-01/extra', null],
    ['https://huggingface.co/papers/month/2026-07-01', null],
    ['https://huggingface.co/papersfoo', null],
    ['https://huggingface.co/', null],
    ['https://huggingface.co/models', null],
    ['http://huggingface.co/papers', null],
    ['https://hf.co/papers', null],
    ['https://evil.example/papers/2509.24002', null],
    ['https://huggingface.co.evil.example/papers', null],
    ['https://arxiv.org/abs/2509.24002', null],
  ];
  it.each(table)('%s → %s', (url, kind) => {
    const m = huggingface.detect(new URL(url));
    expect(m?.kind ?? null).toBe(kind);
    if (m) {
      expect(m.site).toBe('huggingface');
      expect(m.listing).toBe(kind !== 'paper');
    }
  });

  it('is what the registry picks for Hugging Face URLs', () => {
    expect(matchPage('https://huggingface.co/papers/trending')?.adapter).toBe(huggingface);
    expect(matchPage('https://huggingface.co/papers/submit')).toBeNull();
  });

  it('declares the manifest match pattern', () => {
    expect(huggingface.matches).toEqual(['https://huggingface.co/papers*']);
  });
});

describe('real pages: fields beyond the expected files', () => {
  it('2026 daily: every card gets its own JSON abstract, authors, date and keywords', () => {
    const { doc, out } = read(DAILY_2026);
    expect(out).toHaveLength(31);
    for (const c of out) {
      expect(c).toBeTruthy();
      const j = jsonPaper(doc, c!.arxivId!);
      expect(c!.abstract).toBe(String(j?.summary).replace(/\s+/g, ' ').trim());
      expect(c!.authors?.length).toBe((j?.authors as unknown[]).length);
      expect(c!.date).toBe(j?.publishedAt);
      expect(c!.url).toBe(`https://huggingface.co/papers/${c!.arxivId}`);
      expect(c!.pdfUrl).toBe(`https://arxiv.org/pdf/${c!.arxivId}`);
    }
    const first = out[0]!;
    expect(first.arxivId).toBe('2606.28322');
    expect(first.organization).toBe('Johns Hopkins University');
    expect(first.github).toBe('https://github.com/M1chaelPeng/PerceptionRubrics');
    expect(first.comments).toBe(2);
    expect(first.keywords).toContain('rubric-based evaluation');
    expect(first.date).toBe('2026-06-26T00:00:00.000Z');
    // A card without an organization chip and without one in the JSON has none.
    expect(out[3]!.arxivId).toBe('2607.01071');
    expect(out[3]).not.toHaveProperty('organization');
    // Zero comments: no link on the card, the JSON says 0.
    expect(out[6]!.comments).toBe(0);
  });

  it('2024 daily: abstracts and authors from the JSON, comments from the card', () => {
    const { out } = read(DAILY_2024);
    expect(out).toHaveLength(13);
    for (const c of out) expect(c?.abstract?.length).toBeGreaterThan(100);
    const llama = out[0]!;
    expect(llama.title).toBe('The Llama 3 Herd of Models');
    expect(llama.authors?.[0]).toBe('Abhimanyu Dubey');
    expect(llama.authors).toHaveLength(533); // the card says "533 authors"
    expect(llama.comments).toBe(5);
    expect(llama).not.toHaveProperty('organization');
    // The card says "6 authors"; the JSON lists 6, one of them `hidden` (from its user's profile).
    const humanoid = out.find((c) => c?.arxivId === '2407.21781')!;
    expect(humanoid.authors).toHaveLength(6);
    expect(humanoid.authors).toContain('Xuanyu Huang');
  });

  it('hydrated 2026 page: a dash means zero votes; organizations are read from the chip', () => {
    const { out } = read(HYDRATED_2026);
    expect(out).toHaveLength(28);
    expect(out.every((c) => (c?.abstract?.length ?? 0) > 100)).toBe(true);
    expect(out[26]).toMatchObject({ arxivId: '2609.31291', upvotes: 0, organization: 'Adobe' });
    expect(out[27]).toMatchObject({ arxivId: '2604.02103', upvotes: 0 });
    // The JSON's fullname has a double space; the chip (what the user sees) is used, cleaned.
    expect(out[17]!.organization).toBe('university of science and technology of china');
  });

  it('the upvote count is not confused with the "Submitted by" chip (also .leading-none)', () => {
    const { cards, out } = read(DAILY_2026);
    const chip = cards[0]!.querySelectorAll('.leading-none');
    expect(chip.length).toBe(2);
    expect(out[0]!.upvotes).toBe(33);
  });

  it('paper page: one card, the h1 block, everything from the PaperContent JSON', () => {
    const { doc, page: p, cards, out } = read(PAPER_PAGE);
    expect(p).toEqual({ site: 'huggingface', kind: 'paper', listing: false });
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(card.querySelector('h1')).toBeTruthy();
    expect(card.closest('[data-target="PaperContent"]')).toBeTruthy();
    expect(huggingface.cardIdentity(card)).toBe('2509.24002');
    const c = out[0]!;
    expect(c).toMatchObject({
      arxivId: '2509.24002',
      title: 'MCPMark: A Benchmark for Stress-Testing Realistic and Comprehensive MCP Use',
      upvotes: 118,
      organization: 'National University of Singapore',
      github: 'https://github.com/eval-sys/mcpmark',
      date: '2025-09-28T17:53:27.000Z',
      url: 'https://huggingface.co/papers/2509.24002',
      pdfUrl: 'https://arxiv.org/pdf/2509.24002',
    });
    expect(c.abstract).toMatch(/^MCP standardizes how LLMs interact with external systems/);
    expect(c.authors?.[0]).toBe('Zijian Wu');
    expect(c.keywords).toContain('MCPMark');
    const mp = huggingface.mountPoint(card, p);
    expect(mp?.anchor.tagName).toBe('H1');
    expect(mp?.position).toBe('after');
    // The collection cards (`article`s) further down the page are not papers.
    expect(doc.querySelectorAll('article').length).toBe(3);
  });

  it('paper page without its island: the h1 of main, data from the DOM', () => {
    const doc = loadDocument(PAPER_PAGE.path, PAPER_PAGE.url);
    const isl = doc.querySelector('[data-target="PaperContent"]')!;
    isl.removeAttribute('data-target');
    isl.removeAttribute('data-props');
    const p = page(PAPER_PAGE.url);
    const [card] = huggingface.findCards(doc, p);
    expect(card).toBeTruthy();
    const c = huggingface.readCard(card!, p, doc)!;
    expect(c.arxivId).toBe('2509.24002');
    expect(c.title).toMatch(/^MCPMark/);
    expect(c.upvotes).toBe(118);
    expect(c.organization).toBe('National University of Singapore');
    expect(c.authors?.slice(0, 2)).toEqual(['Zijian Wu', 'Xiangyan Liu']);
    expect(c.abstract).toMatch(/^MCP standardizes how LLMs interact/);
    expect(c).not.toHaveProperty('date');
  });

  it('paper page: the island itself as root yields the same card', () => {
    const { doc, page: p, cards } = read(PAPER_PAGE);
    const isl = doc.querySelector('[data-target="PaperContent"]')!;
    expect(huggingface.findCards(isl, p)).toEqual(cards);
    expect(huggingface.findCards(cards[0]!, p)).toEqual(cards);
  });

  it('paper page without the arxiv: pill: the id comes from the URL', () => {
    const doc = loadDocument(PAPER_PAGE.path, `${PAPER_PAGE.url}/#community`);
    const p = page(PAPER_PAGE.url);
    const [card] = huggingface.findCards(doc, p);
    for (const el of card!.querySelectorAll('div')) {
      for (const n of [...el.childNodes]) {
        if (n.nodeType === 3 && /arxiv:/i.test(n.textContent ?? '')) n.remove();
      }
    }
    expect(card!.textContent).not.toMatch(/arxiv:/i);
    expect(huggingface.cardIdentity(card!)).toBe('2509.24002');
    expect(huggingface.readCard(card!, p, doc)?.arxivId).toBe('2509.24002');
  });

  it('paper page JSON about another paper is not used', () => {
    const doc = loadDocument(PAPER_PAGE.path, PAPER_PAGE.url);
    const isl = doc.querySelector('[data-target="PaperContent"]')!;
    const props = JSON.parse(isl.getAttribute('data-props')!) as { paper: { id: string } };
    props.paper.id = '2401.00001';
    isl.setAttribute('data-props', JSON.stringify(props));
    const c = readAll(doc, page(PAPER_PAGE.url))[0]!;
    expect(c.arxivId).toBe('2509.24002');
    expect(c).not.toHaveProperty('keywords');
    expect(c).not.toHaveProperty('github');
    expect(c).not.toHaveProperty('date');
    expect(c.upvotes).toBe(118); // from the DOM
  });

  it('every card gets a mount point right after its title heading, inside the card', () => {
    for (const f of [DAILY_2024, DAILY_2026, HYDRATED_2026]) {
      const { page: p, cards } = read(f);
      for (const card of cards) {
        const mp = huggingface.mountPoint(card, p)!;
        expect(mp.position).toBe('after');
        expect(mp.anchor.tagName).toBe('H3');
        expect(card.contains(mp.anchor)).toBe(true);
      }
    }
  });

  it('parses the 400 KB JSON once per page, not once per card', async () => {
    const doc = loadDocument(DAILY_2026.path, DAILY_2026.url);
    const p = page(DAILY_2026.url);
    const spy = vi.spyOn(JSON, 'parse');
    readAll(doc, p);
    await nextScan();
    readAll(doc, p);
    expect(spy).toHaveBeenCalledTimes(1);
    // A rewritten attribute is parsed again (at the next scan: the content script scans per frame).
    const isl = island(doc);
    isl.setAttribute('data-props', `${isl.getAttribute('data-props')} `);
    await nextScan();
    readAll(doc, p);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('findCards accepts a single card as root (what a MutationObserver hands over)', () => {
    const { page: p, cards } = read(DAILY_2026);
    expect(huggingface.findCards(cards[4]!, p)).toEqual([cards[4]]);
  });
});

describe('stale JSON after client-side navigation', () => {
  it('cards the JSON does not hold are read from the DOM alone', () => {
    const doc = loadDocument(DAILY_2026.path, DAILY_2026.url);
    const p = page(DAILY_2026.url);
    const cards = huggingface.findCards(doc, p);
    const grid = cards[0]!.parentElement!;
    const template = cards[0]!;
    for (const c of cards) c.remove();
    const fresh = ['2608.00001', '2608.00002', '2608.00003'].map((id, i) => {
      const card = template.cloneNode(true) as Element;
      repoint(card, id, `Fresh paper ${i}`, String(100 + i));
      grid.prepend(card);
      return id;
    });
    const out = readAll(doc, p);
    expect(out.map((c) => c?.arxivId)).toEqual([...fresh].reverse());
    out.forEach((c, i) => {
      expect(c).toMatchObject({ title: `Fresh paper ${2 - i}`, upvotes: 102 - i });
      // Nothing from the stale JSON (which still describes 2026-07-02's papers).
      for (const field of ['abstract', 'authors', 'date', 'github', 'keywords'] as const) {
        expect(c).not.toHaveProperty(field);
      }
      // The chip in the cloned markup is still shown, so it is read; comments too.
      expect(c!.organization).toBe('Johns Hopkins University');
    });
  });

  it('swapped cards each keep their own data (matched by id, never by position)', () => {
    const doc = loadDocument(DAILY_2026.path, DAILY_2026.url);
    const p = page(DAILY_2026.url);
    const before = readAll(doc, p);
    const cards = huggingface.findCards(doc, p);
    const [a, b] = [cards[0]!, cards[1]!];
    b.after(a); // now b, a, …
    const after = readAll(doc, p);
    expect(after[0]).toEqual(before[1]);
    expect(after[1]).toEqual(before[0]);
    expect(after[0]!.arxivId).toBe('2607.00466');
    expect(after[0]!.abstract).toBe(before[1]!.abstract);
    expect(after[0]!.abstract).not.toBe(before[0]!.abstract);
  });

  it('an element re-used for another paper reports a new identity and that paper’s data', async () => {
    const doc = loadDocument(DAILY_2026.path, DAILY_2026.url);
    const p = page(DAILY_2026.url);
    const cards = huggingface.findCards(doc, p);
    const card = cards[0]!;
    expect(huggingface.cardIdentity(card)).toBe('2606.28322');
    const other = huggingface.readCard(cards[5]!, p, doc)!;
    repoint(card, '2607.00666', other.title, String(other.upvotes));
    // The framework's change triggers the next scan (a new task: lib/sites/memo.ts).
    await nextScan();
    expect(huggingface.cardIdentity(card)).toBe('2607.00666');
    const c = huggingface.readCard(card, p, doc)!;
    expect(c.arxivId).toBe('2607.00666');
    expect(c.abstract).toBe(other.abstract);
    expect(c.github).toBe(other.github);
    // The re-used element still shows the old chip; the DOM wins over the JSON.
    expect(c.organization).toBe('Johns Hopkins University');
  });
});

describe('lying JSON', () => {
  function withProps(raw: string | null) {
    const doc = loadDocument(DAILY_2026.path, DAILY_2026.url);
    const p = page(DAILY_2026.url);
    const domTitles = huggingface
      .findCards(doc, p)
      .map((c) => titleLinkOf(c).textContent!.replace(/\s+/g, ' ').trim());
    if (raw === null) island(doc).removeAttribute('data-props');
    else island(doc).setAttribute('data-props', raw);
    return { doc, p, domTitles };
  }

  it.each([
    ['broken JSON', '{"dailyPapers": [{"paper": {"id": "2606.28322"'],
    ['not an object', '"hello"'],
    ['null', 'null'],
    ['an array', '[1,2,3]'],
    ['dailyPapers not an array', '{"dailyPapers": {"0": {"paper": {"id": "2606.28322"}}}}'],
    ['items of the wrong type', '{"dailyPapers": [null, 3, "x", {"paper": "2606.28322"}]}'],
    ['empty attribute', ''],
    ['no attribute', null],
  ])('%s: no throw, every card from the DOM', (_label, raw) => {
    const { doc, p, domTitles } = withProps(raw);
    const out = readAll(doc, p);
    expect(out).toHaveLength(31);
    out.forEach((c, i) => {
      expect(c!.title).toBe(domTitles[i]);
      expect(typeof c!.upvotes).toBe('number');
      expect(c).not.toHaveProperty('abstract');
      expect(c).not.toHaveProperty('authors');
    });
    expect(out[0]!.upvotes).toBe(33);
  });

  it('fields of the wrong type are ignored, the DOM wins', () => {
    const entry = {
      numComments: '7',
      organization: 'Evil Corp',
      paper: {
        id: '2606.28322',
        title: 'JSON TITLE',
        summary: 42,
        authors: 'Alice, Bob',
        publishedAt: 12345,
        upvotes: '999',
        githubRepo: 'javascript:alert(1)',
        ai_keywords: [1, null, ' real keyword ', { k: 'v' }],
        organization: ['Evil Corp'],
      },
    };
    const { doc, p } = withProps(JSON.stringify({ dailyPapers: [entry] }));
    const c = readAll(doc, p)[0]!;
    expect(c.title).toBe(
      'PerceptionRubrics: Calibrating Multimodal Evaluation to Human Perception',
    );
    expect(c.upvotes).toBe(33);
    expect(c.comments).toBe(2);
    expect(c.organization).toBe('Johns Hopkins University');
    expect(c.keywords).toEqual(['real keyword']);
    for (const field of ['abstract', 'authors', 'date', 'github'] as const) {
      expect(c).not.toHaveProperty(field);
    }
  });

  it('numbers from the JSON are used only when they are numbers', () => {
    const { doc, p } = withProps(
      JSON.stringify({
        dailyPapers: [
          { numComments: 4, paper: { id: '2606.28322', upvotes: 5 } },
          { numComments: -1, paper: { id: '2607.00466', upvotes: Number.MAX_VALUE * 10 } },
        ],
      }),
    );
    const cards = huggingface.findCards(doc, p);
    // Without the DOM counts, the JSON's are used; nonsense ones are not.
    for (const card of cards.slice(0, 2)) {
      card.querySelector('input[type="checkbox"] ~ div.leading-none')!.textContent = '';
      card.querySelector('a[href$="#community"]')?.remove();
    }
    const [a, b] = cards.slice(0, 2).map((c) => huggingface.readCard(c, p, doc)!);
    expect(a).toMatchObject({ upvotes: 5, comments: 4 });
    expect(b).not.toHaveProperty('upvotes');
    expect(b).not.toHaveProperty('comments');
  });

  it('an entry with another paper’s id gives nothing to the card at its position', () => {
    // Entry 0 claims to be card 1's paper, entry 1 is a paper not on the page.
    const { doc, p, domTitles } = withProps(
      JSON.stringify({
        dailyPapers: [
          { paper: { id: '2607.00466', title: 'LIE', summary: 'Abstract for 2607.00466.' } },
          { paper: { id: '2401.99999', title: 'Ghost', summary: 'Ghost abstract.', upvotes: 1 } },
        ],
      }),
    );
    const out = readAll(doc, p);
    expect(out[0]!.title).toBe(domTitles[0]);
    expect(out[0]).not.toHaveProperty('abstract');
    expect(out[1]!.title).toBe(domTitles[1]); // the DOM title wins over the entry's
    expect(out[1]!.abstract).toBe('Abstract for 2607.00466.');
    expect(out.some((c) => c?.abstract === 'Ghost abstract.')).toBe(false);
    expect(out.some((c) => c?.arxivId === '2401.99999')).toBe(false);
  });
});

describe('markup in text', () => {
  it('a title holding <img onerror> is returned as plain text', () => {
    const doc = loadDocument(DAILY_2026.path, DAILY_2026.url);
    const p = page(DAILY_2026.url);
    const card = huggingface.findCards(doc, p)[0]!;
    const evil = '<img src=x onerror=alert(1)> Title';
    titleLinkOf(card).textContent = evil;
    const c = huggingface.readCard(card, p, doc)!;
    expect(c.title).toBe(evil);
    expect(card.querySelector('img[src="x"]')).toBeNull();
  });
});

describe('search results (hand-written page: real search markup is unknown)', () => {
  it('recognizes article > h3 > a[href=/papers/<id>] cards and reads their abstract', () => {
    const { page: p, cards, out } = read(SEARCH);
    expect(p.kind).toBe('search');
    expect(cards).toHaveLength(4);
    expect(out.map((c) => c?.arxivId)).toEqual([
      '2401.00001',
      '2401.00002',
      '2401.00003',
      '2401.00004',
    ]);
    expect(out[0]).toMatchObject({
      title: 'Diffusion Models for Everything',
      abstract:
        'We study diffusion models for everything and show that they work remarkably well on every benchmark we could find.',
      upvotes: 12,
    });
    // Absolute href with a version; the abstract is the long paragraph, not "Published on …".
    expect(out[1]).toMatchObject({
      title: 'Latent Diffusion at Scale',
      abstract:
        'Scaling latent diffusion to billions of parameters needs care; we describe what broke and what fixed it.',
      comments: 3,
    });
    expect(out[1]).not.toHaveProperty('upvotes');
    // No abstract in the card: the JSON entry for this very id fills it in.
    expect(out[2]).toMatchObject({
      title: 'Short Card Without Abstract',
      abstract:
        'JSON abstract of 2401.00003: this text comes only from the page data island, matched by id.',
      upvotes: 5,
      authors: ['Ada Lovelace'],
    });
    expect(out[3]!.title).toBe('<img src=x onerror=alert(1)> Title With Markup As Text');
    expect(out.some((c) => c?.abstract?.startsWith('Stale'))).toBe(false);
    for (const card of cards) {
      expect(huggingface.mountPoint(card, p)?.anchor.tagName).toMatch(/^H[34]$/);
    }
  });

  it('a search-like card built in the test is recognized with its abstract', () => {
    const doc = loadDocument(DAILY_2026.path, DAILY_2026.url);
    const p = page('https://huggingface.co/papers?q=rubrics');
    const article = doc.createElement('article');
    const h3 = doc.createElement('h3');
    const a = doc.createElement('a');
    a.setAttribute('href', '/papers/2606.28322');
    a.textContent = 'PerceptionRubrics (as search shows it)';
    h3.append(a);
    const abstract = doc.createElement('p');
    abstract.textContent = '  An abstract shown under the title,\n  spread over lines.  ';
    article.append(h3, abstract);
    doc.body.append(article);
    const cards = huggingface.findCards(doc, p);
    expect(cards.at(-1)).toBe(article);
    const c = huggingface.readCard(article, p, doc)!;
    expect(c.title).toBe('PerceptionRubrics (as search shows it)');
    expect(c.abstract).toBe('An abstract shown under the title, spread over lines.');
    // Other fields come from the JSON entry with the same id.
    expect(c.upvotes).toBe(33);
    expect(c.github).toBe('https://github.com/M1chaelPeng/PerceptionRubrics');
  });
});

describe('displayCount (counts as any locale shows them)', () => {
  const table: Array<[string, number | undefined]> = [
    ['33', 33],
    ['0', 0],
    ['1,234', 1234],
    ['1.234', 1234],
    ['1 234', 1234],
    ['1\u00a0234', 1234],
    ['1\u202f234', 1234],
    ["1'234", 1234],
    ['12,345,678', 12345678],
    ['1.2k', 1200],
    ['1,2k', 1200],
    ['1.2K', 1200],
    ['12k', 12000],
    ['1.5 k', 1500],
    ['2.1M', 2100000],
    ['1.5', undefined],
    ['1,23', undefined],
    ['12,34,567', undefined],
    ['abc', undefined],
    ['', undefined],
    ['Submitted by', undefined],
  ];
  it.each(table)('%s → %s', (text, n) => {
    expect(displayCount(text)).toBe(n);
  });
});

describe('search-result variants (hand-written page: real search markup is unknown)', () => {
  const { doc, page: p, cards, out } = read(SEARCH_VARIANTS);

  it('finds every article with a heading linking to a paper, either way round', () => {
    expect(out.map((c) => c?.arxivId)).toEqual([
      '2405.00001',
      '1312.6114',
      '2405.00005',
      '2405.12345',
      '2405.00010',
    ]);
    expect(out.map((c) => c?.url)).toEqual([
      'https://huggingface.co/papers/2405.00001',
      'https://huggingface.co/papers/1312.6114',
      'https://huggingface.co/papers/2405.00005',
      'https://huggingface.co/papers/2405.12345',
      'https://huggingface.co/papers/2405.00010',
    ]);
    expect(out[4]).toMatchObject({
      title: 'A Whole-Card Link',
      abstract:
        'The link wraps heading and abstract alike, so the title must be read from the heading alone.',
    });
  });

  it('reads the abstract from a text-only div, never from the organization chip', () => {
    expect(out[0]?.abstract).toMatch(/^We present agents whose title heading sits inside its link/);
    expect(out[1]?.organization).toMatch(/^An Organization With A Rather Long Full Name/);
    expect(out[1]?.abstract).toBeUndefined();
    // The JSON gives its abstract only to the card with its id; the stale entry reaches no card.
    expect(out[2]?.abstract).toBe('JSON abstract of 2405.00005, matched by id.');
    expect(out[2]?.authors).toEqual(['Grace Hopper']);
    expect(out.some((c) => c?.abstract?.startsWith('Stale') || c?.upvotes === 999)).toBe(false);
  });

  it('reads locale-formatted and abbreviated counts; a card without counts has none', () => {
    expect(out.map((c) => c?.upvotes)).toEqual([1200, 1200, 1234, undefined, undefined]);
    expect(out.map((c) => c?.comments)).toEqual([1234, undefined, 12, undefined, undefined]);
  });

  it('mounts after the title block, outside the link when the link wraps the heading', () => {
    const mount = huggingface.mountPoint(cards[0]!, p);
    expect(mount?.position).toBe('after');
    expect(mount?.anchor.tagName).toBe('A');
    expect(mount?.anchor.querySelector('h3')).not.toBeNull();
    expect(huggingface.mountPoint(cards[1]!, p)?.anchor.tagName).toBe('H2');
    expect(cards.map((c) => huggingface.cardIdentity(c))).toEqual(out.map((c) => c?.arxivId));
    expect(cards.map((c) => huggingface.readHead?.(c, p, doc)?.title)).toEqual(
      out.map((c) => c?.title),
    );
  });
});
