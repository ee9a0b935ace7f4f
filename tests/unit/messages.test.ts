/**
 * The hand-written fast path for `cards/seen` (lib/messages.ts `parseRequest`) against zod's
 * schema: on random valid and broken messages both accept the same ones with the same output.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/limits';
import { Request, parseRequest } from '../../lib/messages';

const near = (max: number) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.string({ minLength: max - 1, maxLength: max + 1 }) },
  );
const url = fc.oneof(
  fc.constantFrom(
    'https://arxiv.org/abs/2401.00001',
    'http://x.org/',
    'HTTPS://A.B/c',
    'javascript:alert(1)',
    'https://',
    'https://exa mple.org/',
    'ftp://x.org/',
    '',
  ),
  fc.string({ maxLength: 12 }).map((s) => `https://a.org/${s}`),
  fc.constant(`https://a.org/${'x'.repeat(LIMITS.url)}`),
);
const num = fc.oneof(
  fc.integer({ min: -5, max: 3005 }),
  fc.constantFrom(0, 1, 1000, 1001, 1e9, 1e9 + 1, 1e10, 1e10 + 1, 1.5, -0, NaN, Infinity, 2 ** 53),
);
const strList = (items: number, len: number) =>
  fc.oneof(
    fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }),
    fc.array(near(len), { maxLength: 2 }),
    fc.constant(Array.from({ length: items + 1 }, () => 'a')),
    fc.constant(Array.from({ length: items }, () => 'a')),
    fc.constant([1, 'a']),
    fc.constant('a'),
  );
const anything = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.string(),
  fc.boolean(),
);
/** A field: usually valid-looking, sometimes absent, sometimes of the wrong kind. */
const field = <T>(arb: fc.Arbitrary<T>) =>
  fc.option(fc.oneof({ weight: 40, arbitrary: arb }, { weight: 1, arbitrary: anything }), {
    nil: undefined,
    freq: 3,
  });

const fuzzyCandidate = fc.record(
  {
    arxivId: field(
      fc.constantFrom(
        '2401.00001',
        '2401.0001',
        'hep-th/9901001',
        'math.AG/0101001',
        '2401.1',
        'x',
      ),
    ),
    version: field(num),
    doi: field(near(LIMITS.doi)),
    aclId: field(near(LIMITS.aclId)),
    title: fc.oneof(
      { weight: 8, arbitrary: near(LIMITS.title) },
      { weight: 1, arbitrary: anything },
    ),
    abstract: field(near(LIMITS.abstract)),
    authors: field(strList(LIMITS.authors, LIMITS.author)),
    date: field(near(LIMITS.date)),
    year: field(num),
    venue: field(near(LIMITS.venue)),
    upvotes: field(num),
    comments: field(num),
    citations: field(num),
    organization: field(near(LIMITS.organization)),
    github: field(url),
    categories: field(strList(LIMITS.categories, LIMITS.category)),
    keywords: field(strList(LIMITS.keywords, LIMITS.keyword)),
    url: fc.oneof({ weight: 8, arbitrary: url }, { weight: 1, arbitrary: anything }),
    pdfUrl: field(url),
    section: field(fc.constantFrom('new', 'cross', 'replacement', 'old')),
    extra: field(fc.string()),
  },
  { requiredKeys: ['title', 'url'] },
);
/** Cards as content scripts send them (every field kind right, limits sometimes met exactly). */
const validCandidate = fc.record(
  {
    arxivId: fc.constantFrom('2401.00001', 'hep-th/9901001'),
    version: fc.integer({ min: 1, max: 1000 }),
    doi: fc.string({ maxLength: 20 }),
    title: fc.oneof(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constant('t'.repeat(LIMITS.title)),
    ),
    abstract: fc.string({ maxLength: 50 }),
    authors: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
    year: fc.integer({ min: 1000, max: 3000 }),
    upvotes: fc.integer({ min: 0, max: 1e9 }),
    categories: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
    url: fc.constantFrom('https://arxiv.org/abs/2401.00001', 'http://x.org/'),
    pdfUrl: fc.constantFrom('https://arxiv.org/pdf/2401.00001'),
    section: fc.constantFrom('new', 'cross', 'replacement'),
  },
  { requiredKeys: ['title', 'url'] },
);
const candidate = fc.oneof(validCandidate, fuzzyCandidate);
const page = fc.record({
  url: fc.oneof(
    { weight: 6, arbitrary: fc.constant('https://arxiv.org/list/cs.LG/new') },
    { weight: 2, arbitrary: url },
    { weight: 1, arbitrary: anything },
  ),
  site: fc.constantFrom('huggingface', 'arxiv', 'scholar', 'acl', 'evil'),
  kind: near(64),
  listing: fc.oneof(
    { weight: 6, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant('yes') },
  ),
  loadId: near(64),
  extra: field(fc.integer()),
});
const message = fc.record({
  type: fc.constantFrom('cards/seen', 'cards/seen', 'cards/seen', 'paper/get'),
  page: fc.oneof({ weight: 8, arbitrary: page }, { weight: 1, arbitrary: anything }),
  cards: fc.oneof(
    { weight: 8, arbitrary: fc.array(candidate, { maxLength: 4 }) },
    { weight: 1, arbitrary: anything },
  ),
});

describe('parseRequest', () => {
  it('agrees with the zod schema on random cards/seen messages', () => {
    let accepted = 0;
    let withCards = 0;
    fc.assert(
      fc.property(message, (raw) => {
        const fast = parseRequest(raw);
        const slow = Request.safeParse(raw);
        expect(fast.success).toBe(slow.success);
        if (fast.success && slow.success) {
          expect(fast.data).toEqual(slow.data);
          accepted++;
          if (fast.data.type === 'cards/seen' && fast.data.cards.length) withCards++;
        }
      }),
      { numRuns: 3_000 },
    );
    // Both kinds are exercised: many accepted (with cards), many refused.
    expect(accepted).toBeGreaterThan(150);
    expect(withCards).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(2_900);
  });

  it('agrees on the card limit and on valid messages (the fast path taken)', () => {
    const card = {
      title: 'A paper',
      url: 'https://arxiv.org/abs/2401.00001',
      arxivId: '2401.00001',
    };
    const p = {
      url: 'https://arxiv.org/list/cs.LG/new',
      site: 'arxiv',
      kind: 'list',
      listing: true,
      loadId: 'x',
    };
    for (const n of [0, 1, LIMITS.cards, LIMITS.cards + 1]) {
      const raw = { type: 'cards/seen', page: p, cards: Array.from({ length: n }, () => card) };
      const fast = parseRequest(raw);
      expect(fast.success).toBe(Request.safeParse(raw).success);
      expect(fast.success).toBe(n <= LIMITS.cards);
    }
    const refused = parseRequest({
      type: 'cards/seen',
      page: p,
      cards: [{ ...card, url: 'javascript:1' }],
    });
    expect(refused.success).toBe(false);
    if (!refused.success) expect(refused.error.issues[0]?.path).toEqual(['cards', 0, 'url']);
  });
});
