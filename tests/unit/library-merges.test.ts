/**
 * Merges found by review: an arXiv record and a DOI record named by one card, two cards of one
 * paper in one batch, an undo after a paper moved to its real id, and a page's sightings of a
 * provisional record kept when it moves.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { recordCards, setSaved } from '../../lib/library';
import { annotate, bulkChange, restore, findPaper } from '../../lib/readinglist';
import type { PageInfo } from '../../lib/messages';

let db: PaperScoutDB;
let n = 0;
beforeEach(async () => {
  db = new PaperScoutDB(`merges-${n++}`);
  await db.open();
});
const scholar: PageInfo = {
  url: 'https://scholar.google.com/scholar?q=x',
  site: 'scholar',
  kind: 'results',
  listing: true,
  loadId: 's1',
};
const hf: PageInfo = {
  url: 'https://huggingface.co/papers',
  site: 'huggingface',
  kind: 'daily',
  listing: true,
  loadId: 'h1',
};
const arxivAbs: PageInfo = {
  url: 'https://arxiv.org/abs/2401.00001',
  site: 'arxiv',
  kind: 'abs',
  listing: false,
  loadId: 'a1',
};
const title = 'Scaling Laws for Reward Model Overoptimization';

describe('one record per paper, whatever order its ids arrive in', () => {
  it('a card naming both the arXiv id and the DOI merges the DOI record and the arXiv record', async () => {
    const d = await setSaved(
      db,
      { title, doi: '10.1145/abc', url: 'https://scholar.example/1' },
      'scholar',
      true,
      1000,
    );
    await annotate(db, d.id, { note: 'doi note', tags: ['rl'], state: 'reading' }, 1100);
    const a = await setSaved(
      db,
      { title, arxivId: '2401.00001', url: 'https://huggingface.co/papers/2401.00001' },
      'huggingface',
      true,
      2000,
    );
    await annotate(db, a.id, { note: 'arxiv note' }, 2100);
    expect(await db.papers.count()).toBe(2);
    await recordCards(
      db,
      arxivAbs,
      [
        {
          title,
          arxivId: '2401.00001',
          doi: '10.1145/ABC',
          url: 'https://arxiv.org/abs/2401.00001',
        },
      ],
      3000,
    );
    const all = await db.papers.toArray();
    expect(all).toHaveLength(1);
    expect(all[0]?.note).toContain('doi note');
    expect(all[0]?.note).toContain('arxiv note');
  });

  it('undo of a bulk change still works after the paper moved to its real id', async () => {
    const p = await setSaved(
      db,
      { title, url: 'https://scholar.example/1' },
      'scholar',
      true,
      1000,
    );
    expect(p.id.startsWith('title:')).toBe(true);
    const { undo } = await bulkChange(db, [p.id], { kind: 'unsave' }, 2000);
    // tags keep the record (so it survives); then a card reveals its arXiv id
    await annotate(db, p.id, { tags: ['keep'] }, 2500);
    await recordCards(
      db,
      hf,
      [{ title, arxivId: '2401.00001', url: 'https://huggingface.co/papers/2401.00001' }],
      3000,
    );
    const restored = await restore(db, undo, 4000);
    expect(restored).toHaveLength(1);
    expect((await findPaper(db, p.id))?.savedAt).toBe(1000);
  });

  it('two cards of one paper on one page (one without id) make one record', async () => {
    await recordCards(
      db,
      scholar,
      [
        { title, url: 'https://scholar.example/1' },
        { title, arxivId: '2401.00001', url: 'https://arxiv.org/abs/2401.00001' },
      ],
      1000,
    );
    expect(await db.papers.count()).toBe(1);
  });
});

describe('sightings survive a merge', () => {
  it('a listing seen before without the id, seen again with it: not new, first time and count kept', async () => {
    const page = (loadId: string): PageInfo => ({ ...scholar, loadId });
    const noId = { title, url: 'https://scholar.example/1' };
    const withId = { title, arxivId: '2401.00001', url: 'https://arxiv.org/abs/2401.00001' };
    const other = { title: 'Some Other Paper Entirely', url: 'https://scholar.example/2' };
    await recordCards(db, page('l1'), [noId, other], 1000);
    const day = 24 * 3600 * 1000;
    await recordCards(db, page('l2'), [noId, other], 1000 + day);
    const [s] = await recordCards(db, page('l3'), [withId, other], 1000 + 2 * day);
    expect(s).toMatchObject({ id: 'arxiv:2401.00001', isNew: false, seen: true });
    const sighting = await db.sightings.get(['arxiv:2401.00001', scholar.url]);
    expect(sighting).toMatchObject({ firstAt: 1000, count: 3 });
  });
});
