// @vitest-environment happy-dom
/**
 * Watch rules as a researcher expects them: excluded words stay unpainted, a match is painted
 * whatever else its text holds (…, ﬁ, 𝔼) and across line breaks, particle and compound last names
 * match in either order, the toolbar count forgets removed and merged papers, and pausing a rule
 * always reaches the cards.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PaperScoutDB, type RuleRecord } from '../../lib/db';
import { clearHistory, prune, recordCards } from '../../lib/library';
import type { CardHighlight, PageInfo } from '../../lib/messages';
import { paintHighlights } from '../../lib/content/highlight';
import { compileRules, matchPaper, type MatchablePaper } from '../../lib/rules/match';
import { saveRule, unreadHighlights } from '../../lib/rules/store';

// ---- Highlight painting (CSS Custom Highlight API stubbed: it records the ranges it is given) ----
const painted = new Map<string, Range[]>();
class FakeHighlight {
  ranges: Range[];
  constructor(...r: Range[]) {
    this.ranges = r;
  }
}
beforeEach(() => {
  painted.clear();
  vi.stubGlobal('Highlight', FakeHighlight);
  vi.stubGlobal('CSS', {
    highlights: {
      set: (k: string, h: FakeHighlight) => painted.set(k, h.ranges),
      delete: (k: string) => painted.delete(k),
      keys: () => painted.keys(),
    },
  });
});
afterEach(() => {
  document.body.innerHTML = '';
});

/** Paints one card (its HTML) with one rule's highlight; returns the painted strings. */
function paint(html: string, h: Partial<CardHighlight> & { terms: string[] }): string[] {
  document.body.innerHTML = `<dd>${html}</dd>`;
  const root = document.querySelector('dd')!;
  paintHighlights(
    [{ roots: [root], highlights: [{ ruleId: 'r1', name: 'r', color: '#ff0000', ...h }] }],
    'paper-scout-host',
  );
  return (painted.get('paper-scout-r1') ?? []).map((r) => r.toString());
}

describe('highlighting paints what the rule matched', () => {
  it('does not paint an occurrence the rule excludes ("diffusion" but not "diffusion MRI")', () => {
    // The rule matched "diffusion" in the abstract only; the title's "Diffusion MRI" is excluded.
    const got = paint(
      '<div class="list-title">Diffusion MRI of the brain</div><p>We use diffusion models.</p>',
      { terms: ['diffusion'], exclude: ['diffusion MRI'] },
    );
    expect(got).toEqual(['diffusion']);
  });

  it('paints a match in a text node that also holds an ellipsis, a ligature or a math letter', () => {
    expect(paint('<p>Diffusion models… and more</p>', { terms: ['Diffusion'] })).toEqual([
      'Diffusion',
    ]);
    expect(paint('<p>\ufb01ne-tuning diffusion models</p>', { terms: ['diffusion'] })).toEqual([
      'diffusion',
    ]);
    expect(paint('<p>We bound 𝔼[x] for diffusion</p>', { terms: ['diffusion'] })).toEqual([
      'diffusion',
    ]);
  });

  it('paints a phrase the page wraps over a line break (the stored text has one space)', () => {
    // arXiv abstracts keep the submission's line breaks; the record's text is whitespace-collapsed.
    expect(
      paint('<p>We train reward\n  models at scale.</p>', { terms: ['reward models'] }),
    ).toEqual(['reward\n  models']);
  });
});

// ---- Author names ----
let n = 0;
const rule = (over: Partial<RuleRecord>): RuleRecord => ({
  id: `r${n++}`,
  name: 'rule',
  kind: 'words',
  terms: [],
  exclude: [],
  color: '#ff0000',
  paused: false,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});
const hitsOf = (r: RuleRecord, p: Partial<MatchablePaper>) =>
  matchPaper(compileRules([r]), { title: '', ...p }).map((h) => h.terms);

describe('author names with a particle or a compound last name, in either form', () => {
  it.each([
    ['Laurens van der Maaten', 'van der Maaten, Laurens'],
    ['van der Maaten, Laurens', 'Laurens van der Maaten'],
    ['van der Maaten, Laurens', 'L. van der Maaten'],
    ['Nando de Freitas', 'de Freitas, Nando'],
    ['Anna Levine-Smith', 'Levine-Smith, Anna'],
  ])('rule %s matches author %s', (term, author) => {
    expect(hitsOf(rule({ kind: 'author', terms: [term] }), { authors: [author] })).toEqual([
      [author],
    ]);
  });
});

// ---- Hits of papers that are gone ----
let dbn = 0;
let db: PaperScoutDB;
beforeEach(async () => {
  db = new PaperScoutDB(`review-rules-${dbn++}`);
  await db.open();
});
const listing: PageInfo = {
  url: 'https://arxiv.org/list/cs.LG/new',
  site: 'arxiv',
  kind: 'list-new',
  listing: true,
  loadId: 'x',
};
const wordsRule = (terms: string[]) => ({
  name: terms[0]!,
  kind: 'words' as const,
  terms,
  exclude: [],
  color: '#aa3300',
  paused: false,
});

describe('the toolbar count of highlighted papers', () => {
  it('forgets papers removed by "clear history"', async () => {
    await saveRule(db, wordsRule(['reward model']), 1001);
    await recordCards(
      db,
      listing,
      [{ arxivId: '2401.00001', title: 'Reward Models', url: 'https://arxiv.org/abs/2401.00001' }],
      100,
    );
    expect(await unreadHighlights(db)).toBe(1);
    await clearHistory(db);
    expect(await db.papers.count()).toBe(0);
    expect(await unreadHighlights(db)).toBe(0);
  });

  it('forgets papers pruned past the history cap', async () => {
    await saveRule(db, wordsRule(['reward model']), 1002);
    await recordCards(
      db,
      listing,
      [{ arxivId: '2401.00001', title: 'Reward Models', url: 'https://arxiv.org/abs/2401.00001' }],
      100,
    );
    await recordCards(
      db,
      { ...listing, loadId: 'y' },
      [{ arxivId: '2401.00002', title: 'Other', url: 'https://arxiv.org/abs/2401.00002' }],
      200,
    );
    expect(await prune(db, 1)).toBe(1);
    expect(await db.papers.get('arxiv:2401.00001')).toBeUndefined();
    expect(await unreadHighlights(db)).toBe(0);
  });

  it('counts a paper once after its records merged', async () => {
    await saveRule(db, wordsRule(['reward model']), 1003);
    const title = 'Scaling Laws for Reward Model Overoptimization';
    const scholar: PageInfo = {
      url: 'https://scholar.google.com/scholar?q=x',
      site: 'scholar',
      kind: 'results',
      listing: true,
      loadId: 's1',
    };
    await recordCards(
      db,
      scholar,
      [{ title, doi: '10.1145/abc', url: 'https://s.example/1' }],
      100,
    );
    await recordCards(
      db,
      { ...listing, url: 'https://huggingface.co/papers', site: 'huggingface', kind: 'daily' },
      [{ title, arxivId: '2401.00001', url: 'https://huggingface.co/papers/2401.00001' }],
      200,
    );
    await recordCards(
      db,
      {
        url: 'https://arxiv.org/abs/2401.00001',
        site: 'arxiv',
        kind: 'abs',
        listing: false,
        loadId: 'a',
      },
      [
        {
          title,
          arxivId: '2401.00001',
          doi: '10.1145/abc',
          url: 'https://arxiv.org/abs/2401.00001',
        },
      ],
      300,
    );
    expect(await db.papers.count()).toBe(1);
    expect(await unreadHighlights(db)).toBe(1);
  });
});

describe('a rule change reaches the cards', () => {
  it('pausing a rule stops its highlights even when another rule was saved "later" (clock ahead)', async () => {
    // Rule A carries a time ahead of this browser's clock (a backup from a machine whose clock
    // ran fast, or the clock was set back since): every later edit of B keeps the rules' newest
    // updatedAt and their count, the compiled-rules cache's whole stamp.
    await saveRule(db, wordsRule(['world model']), 9_000_000);
    const b = await saveRule(db, wordsRule(['agents']), 5_000);
    const card = {
      arxivId: '2402.00001',
      title: 'LLM Agents',
      url: 'https://arxiv.org/abs/2402.00001',
    };
    const before = await recordCards(db, listing, [card], 5_001);
    expect(before[0]!.highlights.map((h) => h.ruleId)).toEqual([b.id]);
    await saveRule(db, { ...b, paused: true }, 5_002);
    const after = await recordCards(db, { ...listing, loadId: 'z' }, [card], 5_003);
    expect(after[0]!.highlights).toEqual([]);
  });
});

describe('letters Unicode does not decompose', () => {
  it('an author rule typed without them matches the name written with them (Łukasz, Søgaard)', () => {
    const c = compileRules([
      rule({ kind: 'author', terms: ['Lukasz Kaiser'] }),
      rule({ kind: 'author', terms: ['Anders Sogaard'] }),
      rule({ kind: 'words', terms: ['strasse'] }),
    ]);
    const hits = matchPaper(c, {
      id: 'arxiv:1706.03762',
      title: 'Attention along the Straße',
      authors: ['Łukasz Kaiser', 'Anders Søgaard'],
    } as MatchablePaper);
    expect(hits.map((h) => h.terms).sort()).toEqual(
      [['Łukasz Kaiser'], ['Anders Søgaard'], ['Straße']].sort(),
    );
  });
});
