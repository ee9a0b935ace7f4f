// @vitest-environment node
/**
 * ACL Anthology adapter: URL detection, id helpers, and card reading on the real saved author
 * pages (tests/fixtures/pages/acl, 2021/2023 Bootstrap 4 and 2026 Bootstrap 5) plus hand-written
 * snippets for what those pages do not show (event/volume headings, front matter, hostile text).
 * The generic fixture test (fixtures.test.ts) checks the exact card lists.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import {
  acl,
  anthologyIdFromHref,
  isFrontMatter,
  yearFromAnthologyId,
} from '../../../lib/sites/acl';
import { matchPage } from '../../../lib/sites/registry';
import type { PageMatch } from '../../../lib/sites/types';
import { FIXTURE_ROOT, loadDocument } from './fixture-harness';

const PEOPLE: PageMatch = { site: 'acl', kind: 'people', listing: true };
const EVENT: PageMatch = { site: 'acl', kind: 'event', listing: true };

/** A hand-written page (not a real capture) parsed the way the fixture harness parses pages. */
function page(body: string, url = 'https://aclanthology.org/events/acl-2022/'): Document {
  const window = new Window({
    url,
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true },
  });
  const doc = window.document as unknown as Document;
  doc.write(`<!doctype html><html><body><div class="col-lg-9">${body}</div></body></html>`);
  return doc;
}

/** One 2026-style card (hand-written, modelled on people-andreas-madsack-2026-07.html). */
function card2026(id: string, title: string, extra = ''): string {
  return (
    `<div class="d-sm-flex align-items-stretch mb-3"><div class="d-block me-2 list-button-row">` +
    `<span class="d-inline d-sm-block text-nowrap"><a class="badge text-bg-primary" href="https://aclanthology.org/${id}.pdf">pdf</a></span></div>` +
    `<span class="d-block"><strong><a class="align-middle" href="/${id}/">${title}</a></strong>${extra}</span></div>`
  );
}

function read(doc: Document, pageMatch: PageMatch = EVENT) {
  const cards = acl.findCards(doc, pageMatch);
  return { cards, candidates: cards.map((c) => acl.readCard(c, pageMatch, doc)) };
}

describe('matches', () => {
  it('covers the whole site', () => {
    expect(acl.matches).toEqual(['https://aclanthology.org/*']);
  });
});

describe('detect', () => {
  const table: Array<[string, string | null, boolean?]> = [
    ['https://aclanthology.org/people/andreas-madsack/', 'people', true],
    ['https://aclanthology.org/people/a/andreas-madsack/', 'people', true],
    ['https://aclanthology.org/people/andreas-madsack/unverified/', 'people', true],
    ['https://aclanthology.org/people/andreas-madsack', 'people', true],
    ['https://aclanthology.org/volumes/2022.acl-long/', 'volume', true],
    ['https://aclanthology.org/volumes/W19-42/', 'volume', true],
    ['https://aclanthology.org/events/acl-2022/', 'event', true],
    ['https://aclanthology.org/2022.acl-long.1/', 'paper', false],
    ['https://aclanthology.org/2022.in2writing-1.1', 'paper', false],
    ['https://aclanthology.org/W19-4201/', 'paper', false],
    ['https://aclanthology.org/P18-1001/?utm=x', 'paper', false],
    ['https://aclanthology.org/volumes/2022.acl-long', 'volume', true],
    ['https://aclanthology.org/volumes/2022.acl-long/?show=abstracts', 'volume', true],
    ['https://aclanthology.org/events/emnlp-2023', 'event', true],
    ['https://aclanthology.org/events/acl-2022/#2022acl-long', 'event', true],
    ['https://aclanthology.org/people/a/andreas-madsack', 'people', true],
    ['https://aclanthology.org/2022.acl-long.0/', 'paper', false],
    ['https://aclanthology.org/J79-1001/', 'paper', false],
    ['https://aclanthology.org/volumes/2022.acl-long.bib', null],
    ['https://aclanthology.org/volumes/2022.acl-long.xml', null],
    ['https://aclanthology.org/volumes/W19-42.endf', null],
    ['https://aclanthology.org/2022.acl-long.1.bib', null],
    ['https://aclanthology.org/', null],
    ['https://aclanthology.org/2022.acl-long.1.pdf', null],
    ['https://aclanthology.org/W19-4201.bib', null],
    ['https://aclanthology.org/people/', null],
    ['https://aclanthology.org/people/a/b/c/', null],
    ['https://aclanthology.org/venues/acl/', null],
    ['https://aclanthology.org/search/?q=parsing', null],
    ['https://aclanthology.org/info/author-pages/', null],
    ['https://aclanthology.org.evil.com/people/a/andreas-madsack/', null],
    ['https://evil.org/people/a/andreas-madsack/', null],
    ['https://www.aclweb.org/anthology/W19-4201/', null],
  ];
  it.each(table)('%s → %s', (url, kind, listing) => {
    const m = acl.detect(new URL(url));
    expect(m?.kind ?? null).toBe(kind);
    if (m) expect(m.listing).toBe(listing);
  });

  it('is what the registry picks for an Anthology URL', () => {
    expect(matchPage('https://aclanthology.org/people/a/andreas-madsack/')?.adapter.id).toBe('acl');
  });
});

describe('id helpers', () => {
  it.each([
    ['/W19-4201/', 'W19-4201'],
    ['/2022.in2writing-1.1/', '2022.in2writing-1.1'],
    ['/2022.in2writing-1.1', '2022.in2writing-1.1'],
    ['https://aclanthology.org/2022.acl-long.1/', '2022.acl-long.1'],
    ['/W19-4201.pdf', null],
    ['/W19-4201.bib', null],
    ['/volumes/W19-42/', null],
    ['/people/a/andreas-madsack/', null],
    ['https://example.org/W19-4201/', null],
    ['#abstract-W19-4201', null],
  ])('anthologyIdFromHref(%s) → %s', (href, id) => {
    expect(anthologyIdFromHref(href)).toBe(id);
  });

  it.each([
    ['2022.acl-long.1', 2022],
    ['W19-4201', 2019],
    ['P05-1001', 2005],
    ['J79-1001', 1979],
    ['not-an-id', undefined],
  ])('yearFromAnthologyId(%s) → %s', (id, year) => {
    expect(yearFromAnthologyId(id)).toBe(year);
  });

  it.each([
    ['2022.acl-long.0', true],
    ['2022.acl-long.10', false],
    ['W19-4200', true],
    ['W19-4201', false],
    ['P18-1000', true],
    ['P18-1100', false],
  ])('isFrontMatter(%s) → %s', (id, front) => {
    expect(isFrontMatter(id)).toBe(front);
  });
});

describe('cards on the real pages', () => {
  const load = (name: string, url: string) => loadDocument(join(FIXTURE_ROOT, 'acl', name), url);
  const pages = [
    [
      'people-andreas-madsack-2026-07.html',
      'https://aclanthology.org/people/andreas-madsack/',
      'DIV',
    ],
    [
      'people-andreas-madsack-2023-01.html',
      'https://aclanthology.org/people/a/andreas-madsack/',
      'P',
    ],
    [
      'people-andreas-madsack-2021-08.html',
      'https://aclanthology.org/people/a/andreas-madsack/',
      'P',
    ],
  ] as const;

  it.each(pages)(
    '%s: abstracts, pdf links and the mount point inside the card',
    (name, url, tag) => {
      const doc = load(name, url);
      const { cards, candidates } = read(doc, PEOPLE);
      expect(cards.length).toBeGreaterThan(0);
      for (const [i, card] of cards.entries()) {
        const c = candidates[i];
        expect(card.tagName).toBe(tag);
        expect(c?.pdfUrl).toBe(`https://aclanthology.org/${c?.aclId}.pdf`);
        expect(c?.doi).toBeUndefined();
        // K18-3004 has no abstract on any version of the page; every other card has one.
        if (c?.aclId === 'K18-3004') expect(c.abstract).toBeUndefined();
        else expect(c?.abstract?.length).toBeGreaterThan(100);
        const mp = acl.mountPoint(card, PEOPLE);
        expect(mp?.anchor.tagName).toBe('STRONG');
        expect(mp?.position).toBe('after');
        expect(card.contains(mp?.anchor ?? null)).toBe(true);
        expect(acl.cardIdentity(card)).toMatch(
          new RegExp(`^/${c?.aclId?.replace(/\./g, '\\.')}/?$`),
        );
      }
    },
  );

  it('finds the abstract of a new-style id through the badge (ids differ across versions)', () => {
    // 2023: badge href #abstract-2022--in2writing-1--1, aria-controls abstract-2022.in2writing-1.1.
    const doc = load(
      'people-andreas-madsack-2023-01.html',
      'https://aclanthology.org/people/a/andreas-madsack/',
    );
    const c = read(doc, PEOPLE).candidates[0];
    expect(c?.aclId).toBe('2022.in2writing-1.1');
    expect(c?.abstract).toMatch(/^Today, data-to-text systems are used/);
  });

  it('keeps the case protected by span.acl-fixed-case', () => {
    const doc = load(
      'people-andreas-madsack-2021-08.html',
      'https://aclanthology.org/people/a/andreas-madsack/',
    );
    const titles = read(doc, PEOPLE).candidates.map((c) => c?.title);
    expect(titles).toContain('AX Semantics’ Submission to the CoNLL–SIGMORPHON 2018 Shared Task');
  });

  it('reads no card from another page served at a paper address (it does not state the id)', () => {
    const doc = load('people-andreas-madsack-2026-07.html', 'https://aclanthology.org/W19-4201/');
    expect(acl.findCards(doc, { site: 'acl', kind: 'paper', listing: false })).toEqual([]);
  });
});

describe('cards on hand-written snippets', () => {
  it('skips volume headings and front matter; takes the year from the id under a non-year heading', () => {
    const doc = page(
      // Event pages head each volume with h4.d-sm-flex holding a /volumes/ link, not a paper.
      `<h4 class="d-sm-flex pb-2 border-bottom"><span class="d-block"><a class="align-middle" href="/volumes/2022.acl-long/">Proceedings of the 60th Annual Meeting</a></span></h4>` +
        card2026(
          '2022.acl-long.0',
          'Proceedings of the 60th Annual Meeting (Volume 1: Long Papers)',
        ) +
        card2026(
          '2022.acl-long.1',
          'AdapLeR: Speeding up Inference',
          '<br><a href="/people/a-b/">A B</a>',
        ) +
        `<h4>2018</h4>` +
        card2026('W18-6560', 'Under a year heading'),
    );
    const { cards, candidates } = read(doc);
    expect(cards).toHaveLength(2);
    expect(candidates.map((c) => [c?.aclId, c?.year])).toEqual([
      ['2022.acl-long.1', 2022],
      ['W18-6560', 2018],
    ]);
  });

  it('handles a card with no authors, no volume and no abstract', () => {
    const doc = page(card2026('W19-4201', 'Bare card'));
    const c = read(doc).candidates[0];
    expect(c).toEqual({
      aclId: 'W19-4201',
      title: 'Bare card',
      url: 'https://aclanthology.org/W19-4201/',
      year: 2019,
      pdfUrl: 'https://aclanthology.org/W19-4201.pdf',
    });
  });

  it('returns a hostile title as plain text and creates no element from it', () => {
    const escaped = '&lt;img src=x onerror=alert(1)&gt;';
    const doc = page(
      card2026('2022.acl-long.2', escaped, `<br><a href="/people/x/">${escaped}</a>`),
    );
    const c = read(doc).candidates[0];
    expect(c?.title).toBe('<img src=x onerror=alert(1)>');
    expect(c?.authors).toEqual(['<img src=x onerror=alert(1)>']);
    expect(doc.querySelector('img')).toBeNull();
  });

  it('ignores d-sm-flex blocks whose strong link is not a paper page', () => {
    const doc = page(
      `<div class="d-sm-flex"><strong><a href="/volumes/W19-42/">A volume</a></strong></div>` +
        `<div class="d-sm-flex"><strong><a href="https://example.org/W19-4201/">Elsewhere</a></strong></div>` +
        `<div class="d-sm-flex"><a href="/W19-4201/">Not in strong</a></div>`,
    );
    expect(read(doc).cards).toEqual([]);
  });
});

const HANDMADE = join(FIXTURE_ROOT, '../handwritten/acl');
const PAPER: PageMatch = { site: 'acl', kind: 'paper', listing: false };

describe('volume, event and paper pages (hand-made from the public Hugo templates)', () => {
  it('volume page (Bootstrap 4 list-entry): papers with the volume title as venue, no front matter', () => {
    const url = 'https://aclanthology.org/volumes/2022.inv-1/';
    const doc = loadDocument(join(HANDMADE, 'volume-handmade-bootstrap4.html'), url);
    const m = matchPage(url)!;
    expect(m.page.kind).toBe('volume');
    const cards = acl.findCards(doc, m.page);
    const out = cards.map((c) => acl.readCard(c, m.page, doc));
    expect(out).toEqual([
      {
        aclId: '2022.inv-1.1',
        title: 'An Invented Study of BERT Tokenizers',
        url: 'https://aclanthology.org/2022.inv-1.1/',
        authors: ['Alice Example', 'Bob Sample'],
        venue: 'Proceedings of the First Invented Workshop (INV 2022)',
        year: 2022,
        pdfUrl: 'https://aclanthology.org/2022.inv-1.1.pdf',
        abstract: 'We study invented tokenizers and report invented results.',
      },
      {
        aclId: '2022.inv-1.2',
        title: 'A Second Invented Paper Without Abstract',
        url: 'https://aclanthology.org/2022.inv-1.2/',
        authors: ['Carol Tester'],
        venue: 'Proceedings of the First Invented Workshop (INV 2022)',
        year: 2022,
        pdfUrl: 'https://aclanthology.org/2022.inv-1.2.pdf',
      },
    ]);
    for (const card of cards) {
      expect(acl.mountPoint(card, m.page)?.anchor.tagName).toBe('STRONG');
    }
  });

  it('event page (Bootstrap 5): each paper takes the venue of the volume heading above it', () => {
    const url = 'https://aclanthology.org/events/inv-2022/';
    const doc = loadDocument(join(HANDMADE, 'event-handmade-bootstrap5.html'), url);
    const m = matchPage(url)!;
    expect(m.page.kind).toBe('event');
    const out = acl.findCards(doc, m.page).map((c) => acl.readCard(c, m.page, doc));
    expect(out.map((c) => [c?.aclId, c?.venue, c?.year])).toEqual([
      ['2022.inv-long.1', 'Proceedings of the Invented Conference (Volume 1: Long Papers)', 2022],
      ['2022.inv-long.2', 'Proceedings of the Invented Conference (Volume 1: Long Papers)', 2022],
      ['W22-9901', 'Proceedings of an Invented Older Workshop', 2022],
    ]);
    expect(out[0]).toMatchObject({
      title: 'Invented Long Paper on NLP',
      authors: ['Alice Example', 'Dana Old'],
      abstract: 'An invented abstract for an invented long paper.',
    });
  });

  it('paper page: one card from section#main, fields from the page and its citation metas', () => {
    const url = 'https://aclanthology.org/2022.inv-long.1/';
    const doc = loadDocument(join(HANDMADE, 'paper-handmade.html'), url);
    const m = matchPage(url)!;
    expect(m.page).toEqual(PAPER);
    const cards = acl.findCards(doc, PAPER);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.matches('section#main')).toBe(true);
    expect(acl.readCard(cards[0]!, PAPER, doc)).toEqual({
      aclId: '2022.inv-long.1',
      title: 'Invented Long Paper on NLP',
      url: 'https://aclanthology.org/2022.inv-long.1/',
      authors: ['Alice Example', 'Dana Old'],
      venue: 'Proceedings of the Invented Conference (Volume 1: Long Papers)',
      year: 2022,
      doi: '10.18653/v1/2022.inv-long.1',
      pdfUrl: 'https://aclanthology.org/2022.inv-long.1.pdf',
      abstract: 'An invented abstract for an invented long paper.',
    });
    expect(acl.cardIdentity(cards[0]!)).toBe('2022.inv-long.1');
    expect(acl.textRoots?.(cards[0]!, PAPER).map((el) => el.tagName)).toEqual(['H2', 'DIV']);
    const mount = acl.mountPoint(cards[0]!, PAPER);
    expect(mount).toEqual({ anchor: doc.querySelector('h2#title'), position: 'after' });
    // The same markup at another paper's address states a different id: no card.
    const other = loadDocument(
      join(HANDMADE, 'paper-handmade.html'),
      'https://aclanthology.org/2022.inv-long.2/',
    );
    expect(acl.findCards(other, PAPER)).toEqual([]);
    // Without the details list and metas, nothing confirms the id either.
    for (const el of doc.querySelectorAll('dl, meta')) el.remove();
    expect(acl.findCards(doc, PAPER)).toEqual([]);
  });

  it('paper page of a volume front matter is no paper', () => {
    const url = 'https://aclanthology.org/2022.inv-long.0/';
    const doc = loadDocument(join(HANDMADE, 'paper-handmade.html'), url);
    expect(acl.findCards(doc, PAPER)).toEqual([]);
  });
});
