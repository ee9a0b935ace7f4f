// @vitest-environment happy-dom
/**
 * Watch-rule words painted in the page's own text (lib/content/highlight.ts), on real saved pages:
 * a Google Scholar snippet starts and ends with "…" (which folds to "..." and so changes the
 * text's length), and both Scholar (<b>) and arXiv search (<span class="search-hit">) wrap the
 * searched words in elements, so a matched phrase spans several text nodes.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CardHighlight } from '../../lib/messages';

/** The CSS Custom Highlight API, as far as highlight.ts uses it (happy-dom has none). */
class FakeHighlight {
  ranges: Range[];
  constructor(...ranges: Range[]) {
    this.ranges = ranges;
  }
}
const registry = new Map<string, FakeHighlight>();
Object.assign(globalThis, { Highlight: FakeHighlight });
// happy-dom makes a new `CSS` object on each read: one that keeps the registry takes its place.
const css = Object.assign(Object.create(CSS), { highlights: registry });
for (const g of [globalThis, window])
  Object.defineProperty(g, 'CSS', { value: css, configurable: true });

const { paintHighlights } = await import('../../lib/content/highlight');
const { compileRules, matchPaper } = await import('../../lib/rules/match');
const { sanitizeCandidate } = await import('../../lib/sanitize');
const { scholar } = await import('../../lib/sites/scholar');
const { arxiv } = await import('../../lib/sites/arxiv');

function load(file: string, url: string): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  const html = readFileSync(resolve(file), 'utf8');
  document.body.innerHTML = (/<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? '').replace(
    /<script\b[\s\S]*?<\/script>/gi,
    '',
  );
}

const rule = (terms: string[]): CardHighlight => ({
  ruleId: 'r1',
  name: 'rule',
  color: '#1d4ed8',
  terms,
});
/**
 * What the worker answers for a card and a words rule: the terms the matcher found in the paper
 * as the card reads it (the card shows the rule's chip whenever there is one).
 */
function matched(
  adapter: typeof scholar | typeof arxiv,
  card: Element,
  kind: 'words' | 'author',
  phrase: string,
): CardHighlight {
  const page = adapter.detect(new URL(location.href))!;
  const paper = sanitizeCandidate(adapter.readCard(card, page, document)!)!;
  const compiled = compileRules([
    {
      id: 'r1',
      name: phrase,
      kind,
      terms: [phrase],
      exclude: [],
      color: '#1d4ed8',
      paused: false,
    },
  ] as unknown as Parameters<typeof compileRules>[0]);
  const hits = matchPaper(compiled, paper);
  expect(hits, 'the rule matches the paper').toHaveLength(1);
  return rule(hits[0]!.terms);
}
const SCHOLAR = 'https://scholar.google.com/scholar?q=microwave+dielectric+properties+biomass';
const scholarCard = (title: string) =>
  scholar
    .findCards(document, scholar.detect(new URL(SCHOLAR))!)
    .find((c) => c.querySelector('h3')?.textContent?.includes(title))!;
const painted = () => (registry.get('paper-scout-r1')?.ranges ?? []).map((r) => r.toString());

describe('highlights on real pages', () => {
  beforeEach(() => registry.clear());

  it('(the stub works: a word alone in a text node is painted)', () => {
    document.body.innerHTML = '<p>We study graphs.</p>';
    paintHighlights(
      [{ roots: [document.body], highlights: [rule(['study'])] }],
      'paper-scout-card',
    );
    expect(painted()).toEqual(['study']);
  });

  it('Scholar: an author in an author line that holds "…" is painted', () => {
    load('tests/fixtures/pages/scholar/results-2026-09.html', SCHOLAR);
    const card = scholarCard('Microwave dielectric characterization');
    expect(card.querySelector('.gs_a')?.textContent).toMatch(/^X Fan, B Li, .*… - /);
    const h = matched(scholar, card, 'author', 'X Fan');
    paintHighlights([{ roots: [card], highlights: [h] }], 'paper-scout-card');
    expect(painted()).toEqual(['X Fan']);
  });

  it('Scholar: a title phrase whose first word the page set in bold is painted', () => {
    load('tests/fixtures/pages/scholar/results-2026-09.html', SCHOLAR);
    const card = scholarCard('heating of oil palm');
    const h = matched(scholar, card, 'words', 'microwave heating');
    paintHighlights([{ roots: [card], highlights: [h] }], 'paper-scout-card');
    expect(painted().map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['microwave heating']);
  });

  it('arXiv search: a phrase the search marked word by word is painted', () => {
    const url = 'https://arxiv.org/search/?query=distributed+systems&searchtype=abstract&size=200';
    load(
      'tests/fixtures/pages/arxiv/search-abstract-distributed-systems-size200-2025-12.html',
      url,
    );
    const page = arxiv.detect(new URL(url))!;
    const card = arxiv
      .findCards(document, page)
      .find((c) => /distributed\s+systems/i.test(c.textContent ?? ''))!;
    const h = matched(arxiv, card, 'words', 'distributed systems');
    paintHighlights(
      [{ roots: arxiv.textRoots?.(card, page) ?? [card], highlights: [h] }],
      'paper-scout-card',
    );
    expect(painted().length).toBeGreaterThan(0);
    for (const t of painted()) expect(t.toLowerCase()).toMatch(/^distributed\s+systems$/);
  });
});
