/**
 * The `cards/seen` fast path (lib/messages.ts `parseRequest`) against zod on hostile input: valid
 * messages with one to four things broken, from a seeded generator of our own (so a failure
 * names its seed and replays). Both must refuse, or both accept with strictly equal output
 * (`toStrictEqual`: a key present with `undefined` counts, as it does for `'doi' in card`).
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/limits';
import { Request, parseRequest } from '../../lib/messages';
import { rng, type Rng } from './seeded';

/** Characters a hostile page puts in its text: bidi overrides, controls, lone surrogates, NUL. */
const ODD = ['\u202e', '\u2066', '\u200f', '\u0000', '\u0007', '\ud800', '\udfff', '\ufeff', 'é'];
const oddString = (r: Rng, len: number) =>
  Array.from({ length: len }, () => (r.chance(0.3) ? r.pick(ODD) : 'a')).join('');

/** A string about `max` long: at the limit, one over, or (in UTF-16 units) over by a surrogate. */
const edge = (r: Rng, max: number) =>
  r.pick([
    'a'.repeat(max),
    'a'.repeat(max + 1),
    '😀'.repeat(Math.floor(max / 2)) + (max % 2 ? 'a' : ''),
    '😀'.repeat(Math.ceil((max + 1) / 2)),
    oddString(r, Math.min(max, 12)),
  ]);

function deep(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
  return v;
}

/** Something of the wrong kind, or of the right kind at an edge. */
function hostileValue(r: Rng): unknown {
  switch (r.int(22)) {
    case 0:
      return NaN;
    case 1:
      return r.pick([Infinity, -Infinity]);
    case 2:
      return r.pick([-1, -0, 0, 0.5, 1e9 + 1, 1e10 + 1, 2 ** 53, -(2 ** 53), Number.MIN_VALUE]);
    case 3:
      return null;
    case 4:
      return undefined;
    case 5:
      return r.pick([true, false]);
    case 6:
      return oddString(r, r.int(20));
    case 7:
      return 'x'.repeat(r.pick([LIMITS.url, LIMITS.title + 1, LIMITS.abstract + 1, 50_000]));
    case 8:
      return [];
    case 9:
      return Array.from({ length: r.pick([1, 65, 257, 5_001]) }, () => 'a');
    case 10:
      return new Array(r.pick([3, 70_000])); // holes
    case 11:
      return [1, 'a', null];
    case 12:
      return {};
    case 13:
      return Object.create(null) as object;
    case 14:
      return deep(r.pick([10, 500, 5_000]));
    case 15:
      return new Date(0);
    case 16:
      return r.pick(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']);
    case 17:
      return r.pick([
        'javascript:alert(1)',
        'https://',
        'https://a.org/\ud800',
        'https://a.org/\u202e',
        ' https://a.org/',
        'https://a.org/ ',
        'HTTPS://A.ORG/',
        'https:\\\\a.org',
        'data:text/html,x',
        `https://a.org/${'x'.repeat(LIMITS.url - 14)}`,
        `https://a.org/${'x'.repeat(LIMITS.url - 13)}`,
      ]);
    case 18:
      return r.pick([
        '2401.00001',
        '2401.00001v2',
        'hep-th/9901001',
        'HEP-TH/9901001',
        '2401.00001\n',
      ]);
    case 19:
      return r.pick(['new', 'cross', 'replacement', 'New', '']);
    case 20:
      return r.pick([1, 1000, 1001, 3000, 3001, 999, 1e9, 1e10]);
    default:
      return edge(r, r.pick([64, 128, 512, 1_000, 2_000]));
  }
}

const CARD_KEYS = [
  'arxivId',
  'version',
  'doi',
  'aclId',
  'title',
  'abstract',
  'authors',
  'date',
  'year',
  'venue',
  'upvotes',
  'comments',
  'citations',
  'organization',
  'github',
  'categories',
  'keywords',
  'url',
  'pdfUrl',
  'section',
] as const;
const PAGE_KEYS = ['url', 'site', 'kind', 'listing', 'loadId'] as const;
const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'extra', 'type', ''];

function validCard(r: Rng): Record<string, unknown> {
  const c: Record<string, unknown> = {
    title: r.chance(0.1) ? 't'.repeat(LIMITS.title) : oddString(r, 1 + r.int(20)),
    url: r.pick(['https://arxiv.org/abs/2401.00001', 'http://x.org/', 'https://a.org/\u202e']),
  };
  const opt: Record<string, () => unknown> = {
    arxivId: () => r.pick(['2401.00001', '2401.0001', 'hep-th/9901001', 'math.AG/0101001']),
    version: () => 1 + r.int(1000),
    doi: () => oddString(r, r.int(30)),
    aclId: () => '2024.acl-long.1',
    abstract: () => (r.chance(0.1) ? 'a'.repeat(LIMITS.abstract) : oddString(r, r.int(80))),
    authors: () => Array.from({ length: r.int(4) }, () => oddString(r, r.int(12))),
    date: () => '2024-01-01',
    year: () => 1000 + r.int(2001),
    venue: () => oddString(r, r.int(20)),
    upvotes: () => r.int(1e9 + 1),
    comments: () => r.pick([0, 1e9]),
    citations: () => r.pick([0, 1e10]),
    organization: () => oddString(r, r.int(20)),
    github: () => 'https://github.com/a/b',
    categories: () => ['cs.LG', 'cs.CL'].slice(0, r.int(3)),
    keywords: () => [oddString(r, 5)],
    pdfUrl: () => 'https://arxiv.org/pdf/2401.00001',
    section: () => r.pick(['new', 'cross', 'replacement']),
  };
  for (const [k, f] of Object.entries(opt)) if (r.chance(0.4)) c[k] = f();
  return c;
}

function validMessage(r: Rng): Record<string, unknown> {
  return {
    type: 'cards/seen',
    page: {
      url: r.pick(['https://arxiv.org/list/cs.LG/new', 'https://huggingface.co/papers']),
      site: r.pick(['huggingface', 'arxiv', 'scholar', 'acl']),
      kind: r.pick(['list', '', 'k'.repeat(64)]),
      listing: r.chance(0.5),
      loadId: r.pick(['x', 'l'.repeat(64)]),
    },
    cards: Array.from({ length: r.int(5) }, () => validCard(r)),
  };
}

/** Sets `key` as an own data property, `__proto__` too (as JSON.parse and structured clone do). */
const setOwn = (o: object, key: string, value: unknown) =>
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });

/** Breaks one thing of a valid message. */
function mutate(r: Rng, msg: Record<string, unknown>): void {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null;
  const cards = Array.isArray(msg.cards) ? msg.cards.filter(isObject) : [];
  const page = isObject(msg.page) ? msg.page : msg;
  const card = cards.length ? r.pick(cards) : undefined;
  switch (r.int(10)) {
    case 0:
    case 1:
    case 2:
      if (card) setOwn(card, r.pick(CARD_KEYS), hostileValue(r));
      return;
    case 3:
      if (card) delete card[r.pick(CARD_KEYS)];
      return;
    case 4:
      setOwn(card ?? page, r.pick(EXTRA_KEYS), r.chance(0.5) ? hostileValue(r) : { doi: 'x' });
      return;
    case 5:
      setOwn(page, r.pick(PAGE_KEYS), hostileValue(r));
      return;
    case 6:
      if (card && r.chance(0.5)) Object.setPrototypeOf(card, null);
      else setOwn(msg, r.pick(['page', 'cards', 'type']), hostileValue(r));
      return;
    case 7:
      // A card list at the limit, one over, or with one odd card in the middle (now and then:
      // zod takes ~50 ms over 5,000 cards).
      if (!r.chance(0.15)) return;
      msg.cards = Array.from({ length: r.pick([LIMITS.cards, LIMITS.cards + 1]) }, () => ({
        title: 'a',
        url: 'https://a.org/',
      }));
      if (r.chance(0.5)) (msg.cards as unknown[])[r.int(LIMITS.cards)] = hostileValue(r);
      return;
    case 8:
      if (card) setOwn(card, r.pick(['authors', 'categories', 'keywords']), [hostileValue(r)]);
      return;
    default:
      if (card) setOwn(card, r.pick(CARD_KEYS), undefined);
  }
}

describe('parseRequest on hostile cards/seen messages', () => {
  it('refuses what zod refuses and otherwise outputs exactly what zod outputs', () => {
    let accepted = 0;
    let refused = 0;
    for (let seed = 1; seed <= 4_000; seed++) {
      const r = rng(seed);
      const msg = validMessage(r);
      const breaks = r.int(5); // 0: valid as generated
      for (let i = 0; i < breaks; i++) mutate(r, msg);
      const fast = parseRequest(msg);
      const slow = Request.safeParse(msg);
      try {
        expect(fast.success).toBe(slow.success);
        if (fast.success && slow.success) expect(fast.data).toStrictEqual(slow.data);
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}`, { cause: e });
      }
      if (fast.success) accepted++;
      else refused++;
    }
    // Both sides are exercised.
    expect(accepted).toBeGreaterThan(800);
    expect(refused).toBeGreaterThan(800);
  });

  it('keeps an optional key sent as undefined, as zod does (Firefox’s messages carry it)', () => {
    const msg = {
      type: 'cards/seen',
      page: {
        url: 'https://arxiv.org/list/cs/new',
        site: 'arxiv',
        kind: 'l',
        listing: true,
        loadId: 'x',
      },
      cards: [{ title: 'A', url: 'https://a.org/', doi: undefined, section: undefined }],
    };
    const fast = parseRequest(msg);
    expect(fast.success).toBe(true);
    if (fast.success && fast.data.type === 'cards/seen') {
      expect(fast.data).toStrictEqual(Request.parse(msg));
      expect('doi' in fast.data.cards[0]!).toBe(true);
    }
  });

  it('a prototype key in a card is dropped, never read as a field', () => {
    const text = `{"type":"cards/seen","page":{"url":"https://arxiv.org/list/cs/new","site":"arxiv","kind":"l","listing":true,"loadId":"x"},"cards":[{"title":"A","url":"https://a.org/","__proto__":{"doi":"10.1/evil","title":"B"},"constructor":{"prototype":{"x":1}}}]}`;
    const fast = parseRequest(JSON.parse(text));
    expect(fast).toMatchObject({ success: true });
    if (fast.success && fast.data.type === 'cards/seen') {
      expect(fast.data.cards[0]).toStrictEqual({ title: 'A', url: 'https://a.org/' });
      expect(fast.data).toStrictEqual(Request.parse(JSON.parse(text)));
    }
    expect(({} as Record<string, unknown>).doi).toBeUndefined();
  });
});
