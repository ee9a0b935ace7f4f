/**
 * Merges found by review: an arXiv record and a DOI record named by one card, two cards of one
 * paper in one batch, an undo after a paper moved to its real id, and a page's sightings of a
 * provisional record kept when it moves; one page that reaches one paper by two paths (a title
 * card and an arXiv card, an ACL card and a card naming the arXiv and ACL ids) leaves one record.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PaperScoutDB } from '../../lib/db';
import { recordCards, setSaved } from '../../lib/library';
import { annotate, bulkChange, restore, findPaper } from '../../lib/readinglist';
import type { PageInfo } from '../../lib/messages';
import { openDb, PAGES, saveWithNote, sharedKeys } from './helpers/library';
import { storedSightings, storedSighting } from './helpers/sightings';

let db: PaperScoutDB;
beforeEach(async () => {
  db = await openDb('merges');
});
const { scholar, huggingface: hf, arxivAbs } = PAGES;
const title = 'Scaling Laws for Reward Model Overoptimization';

describe('one record per paper, whatever order its ids arrive in', () => {
  it('a card naming both the arXiv id and the DOI merges the DOI record and the arXiv record', async () => {
    const doiCard = { title, doi: '10.1145/abc', url: 'https://scholar.example/1' };
    await saveWithNote(db, doiCard, 'scholar', 1000, {
      note: 'doi note',
      tags: ['rl'],
      state: 'reading',
    });
    const arxivCard = {
      title,
      arxivId: '2401.00001',
      url: 'https://huggingface.co/papers/2401.00001',
    };
    await saveWithNote(db, arxivCard, 'huggingface', 2000, { note: 'arxiv note' });
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
    const sighting = await storedSighting(db, 'arxiv:2401.00001', scholar.url);
    expect(sighting).toMatchObject({ firstAt: 1000, count: 3 });
  });
});

describe('one page that reaches one paper by two paths makes one record', () => {
  const { acl } = PAGES;
  const aclTitle = 'Reward Model Overoptimization: Scaling Laws';

  it('an ACL card and an arXiv card naming the same ACL id, on one page, with both papers stored: one record, both notes', async () => {
    // Saved from Hugging Face (arXiv id) and from the Anthology (ACL id), with notes on each.
    const arxivCard = {
      title,
      arxivId: '2401.00001',
      url: 'https://huggingface.co/papers/2401.00001',
    };
    await saveWithNote(db, arxivCard, 'huggingface', 1000, { note: 'arxiv note', tags: ['rl'] });
    // The Anthology's title differs (else the title alone would have joined them).
    const aclCard = {
      title: aclTitle,
      aclId: '2024.acl-long.1',
      url: 'https://aclanthology.org/2024.acl-long.1/',
    };
    await saveWithNote(db, aclCard, 'acl', 1200, { note: 'acl note', tags: ['acl'] });
    expect(await db.papers.count()).toBe(2);
    // A page showing the ACL card first, then a card that links both ids.
    const states = await recordCards(
      db,
      acl,
      [
        {
          title: aclTitle,
          aclId: '2024.acl-long.1',
          url: 'https://aclanthology.org/2024.acl-long.1/',
        },
        {
          title,
          arxivId: '2401.00001',
          aclId: '2024.acl-long.1',
          url: 'https://aclanthology.org/2024.acl-long.1.pdf',
        },
      ],
      2000,
    );
    // Before: acl:2024.acl-long.1 stayed a record of its own while the arXiv record took its key.
    expect(await sharedKeys(db)).toEqual([]);
    const all = await db.papers.toArray();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: 'arxiv:2401.00001', savedAt: 1000 });
    expect(all[0]?.aliases).toContain('acl:2024.acl-long.1');
    expect(all[0]?.note).toContain('arxiv note');
    expect(all[0]?.note).toContain('acl note');
    expect(all[0]?.tags).toEqual(expect.arrayContaining(['rl', 'acl']));
    expect(states.map((s) => s.id)).toEqual(['arxiv:2401.00001', 'arxiv:2401.00001']);
    // The page's sighting is the kept record's, and the toolbar finds the paper by either key.
    expect(
      (await storedSightings(db)).filter((s) => s.paperId === 'acl:2024.acl-long.1').length,
    ).toBe(0);
    expect(await storedSighting(db, 'arxiv:2401.00001', acl.url)).toBeDefined();
    expect((await findPaper(db, 'acl:2024.acl-long.1'))?.id).toBe('arxiv:2401.00001');
  });

  it('a title card and an arXiv card of that title on one page, with a stored title record: the title record is not left beside the arXiv one', async () => {
    // Scholar showed the paper without a link: a title record, saved with a note.
    const t = await saveWithNote(db, { title, url: 'https://scholar.example/1' }, 'scholar', 1000, {
      note: 'title note',
    });
    expect(t.id).toMatch(/^title:/);
    // Hugging Face stored the arXiv record under another title spelling.
    await recordCards(
      db,
      hf,
      [{ title: `${title}: A Study`, arxivId: '2401.00001', url: 'https://hf.co/p/1' }],
      1200,
    );
    // Scholar lists two versions of the paper: one without a link, one with its arXiv link.
    await recordCards(
      db,
      { ...scholar, loadId: 's2' },
      [
        { title, url: 'https://scholar.example/1' },
        { title, arxivId: '2401.00001', url: 'https://arxiv.org/abs/2401.00001' },
      ],
      2000,
    );
    // Before: the arXiv record took title:… as an alias (and a copy of the note) while the
    // title record stayed, both answering to it.
    expect(await sharedKeys(db)).toEqual([]);
    const all = await db.papers.toArray();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: 'arxiv:2401.00001', savedAt: 1000 });
    expect(all[0]?.aliases).toContain(t.id);
    expect(all[0]?.note).toBe('title note');
  });

  it('an ACL card, a title card and a card naming both ids, all new on one page: one record', async () => {
    await recordCards(
      db,
      acl,
      [
        { title: 'Attention Is Enough Here', arxivId: '2401.00001', url: 'https://a.org/1' },
        { title: 'A Study Of Things', aclId: '2024.acl-long.1', url: 'https://a.org/2' },
        {
          title: 'Attention Is Enough Here',
          arxivId: '2401.00001',
          aclId: '2024.acl-long.1',
          url: 'https://a.org/3',
        },
      ],
      1000,
    );
    // Before: acl:2024.acl-long.1 was a record and an alias of arxiv:2401.00001.
    expect(await sharedKeys(db)).toEqual([]);
    expect((await db.papers.toArray()).map((p) => p.id)).toEqual(['arxiv:2401.00001']);
  });
});
