/**
 * A first visit of a listing (every paper new) is the worker's dearest answer: what it stores and
 * answers, and that it builds each new paper's record from its card once (bench/run.mjs "first
 * visit" times it; merging every card a second time into the record just made from it cost a copy
 * of each of 1,000 records).
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { recordCards } from '../../lib/library';
import type { WireCandidate } from '../../lib/messages';
import { PAGES, listingCard } from './helpers/library';

let db: PaperScoutDB;
let n = 0;
beforeEach(async () => {
  db = new PaperScoutDB(`first-visit-${n++}`);
  await db.open();
});

const NOW = 1_900_000_000_000;
const page = PAGES.arxivNew;
const card = listingCard;

/** `c` behind a proxy that counts reads of each of its fields. */
function counted(c: WireCandidate): { card: WireCandidate; reads: Map<PropertyKey, number> } {
  const reads = new Map<PropertyKey, number>();
  const card = new Proxy(c, {
    get(target, key, receiver) {
      reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { card, reads };
}

describe('a first visit of new papers', () => {
  it('stores each paper as its card says and answers it as new to the library', async () => {
    const states = await recordCards(db, page, [card(1), card(2)], NOW);
    expect(states.map((s) => [s.id, s.saved, s.seen, s.isNew])).toEqual([
      ['arxiv:2401.00001', false, false, false],
      ['arxiv:2401.00002', false, false, false],
    ]);
    const rec = await db.papers.get('arxiv:2401.00002');
    expect(rec).toEqual({
      id: 'arxiv:2401.00002',
      aliases: [],
      titleKey: 'sparse attention for long documents part 2',
      title: 'Sparse Attention for Long Documents, Part 2',
      authors: ['Ada Lovelace', 'Alan Turing'],
      abstract: 'We study sparse attention over long documents with transformers.',
      categories: ['cs.LG', 'cs.CL'],
      comments: 3,
      arxivId: '2401.00002',
      version: 2,
      urls: { arxiv: 'https://arxiv.org/abs/2401.00002' },
      pdfUrl: 'https://arxiv.org/pdf/2401.00002',
      firstSeenAt: NOW,
      lastSeenAt: NOW,
      updatedAt: NOW,
      ...(rec?.topics ? { topics: rec.topics } : {}),
      // Where it was first seen: kept in the record, not as a row of its own.
      inlineSightings: [{ url: page.url, site: page.site, firstAt: NOW, lastAt: NOW, count: 1 }],
    });
    expect(Object.keys(rec!).slice(0, 9)).toEqual([
      'id',
      'aliases',
      'titleKey',
      'title',
      'authors',
      'urls',
      'firstSeenAt',
      'lastSeenAt',
      'updatedAt',
    ]);
  });

  it('builds a new paper’s record from its card once (no second merge of the same card)', async () => {
    const { card: c, reads } = counted(card(3));
    await recordCards(db, page, [c], NOW);
    // `comments` is read only where a card is merged into a record.
    expect(reads.get('comments')).toBe(1);
    expect((await db.papers.get('arxiv:2401.00003'))?.comments).toBe(3);
  });

  it('still merges a card into a record stored before (a count changed since)', async () => {
    await recordCards(db, page, [card(4)], NOW);
    const { card: c, reads } = counted({ ...card(4), comments: 5 });
    await recordCards(db, { ...page, loadId: 'second' }, [c], NOW + 1);
    expect(reads.get('comments')).toBe(1);
    expect((await db.papers.get('arxiv:2401.00004'))?.comments).toBe(5);
  });
});
