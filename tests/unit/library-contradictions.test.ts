/**
 * Contradictory ids never join two papers: a card (or an imported row) that shows arXiv id A with
 * an ACL id or DOI the library already files under arXiv id B is a site's data error or a link to
 * another paper, not proof that A and B are one paper. Both records stay, each with its own notes,
 * tags and saved state; the shared key stays with the record that held it; the card answers as A.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PaperRecord, PaperScoutDB } from '../../lib/db';
import { recordCards, setSaved } from '../../lib/library';
import { findPaper } from '../../lib/readinglist';
import type { WireCandidate } from '../../lib/messages';
import { openDb, PAGES, recordKeys, saveWithNote } from './helpers/library';

let db: PaperScoutDB;
beforeEach(async () => {
  db = await openDb('contradictions');
});

const { acl, scholar } = PAGES;
const titleA = 'Direct Preference Optimization Without Tears';
const titleB = 'Sparse Mixtures Of Experts Revisited';
const ACL_ID = '2024.acl-long.7';
/** An Anthology card of arXiv paper A that names ACL id `ACL_ID`. */
const aclCardA: WireCandidate = {
  title: titleA,
  arxivId: '2401.00001',
  aclId: ACL_ID,
  url: `https://aclanthology.org/${ACL_ID}/`,
};

/** arXiv paper B, saved with a note from a Scholar card that also named ACL id `ACL_ID`. */
function storeB(extra: Partial<WireCandidate> = { aclId: ACL_ID }): Promise<PaperRecord> {
  const card = { title: titleB, arxivId: '2402.00002', url: 'https://arxiv.org/abs/2402.00002' };
  return saveWithNote(db, { ...card, ...extra }, 'scholar', 1000, {
    note: 'B note',
    tags: ['moe'],
    state: 'reading',
  });
}

/** arXiv paper A, saved with a note from Hugging Face. */
function storeA(): Promise<PaperRecord> {
  const card = {
    title: titleA,
    arxivId: '2401.00001',
    url: 'https://huggingface.co/papers/2401.00001',
  };
  return saveWithNote(db, card, 'huggingface', 1200, { note: 'A note', tags: ['dpo'] });
}

/** Every record's arXiv ids (id and aliases), by record id. */
async function arxivIds(): Promise<Record<string, string[]>> {
  const keys = Object.entries(await recordKeys(db));
  return Object.fromEntries(keys.map(([id, ks]) => [id, ks.filter((k) => k.startsWith('arxiv:'))]));
}

describe('an ACL id or DOI shared with another arXiv paper does not join the two', () => {
  it('an Anthology card showing arXiv A and the ACL id stored on arXiv B, both papers stored: two records, both notes where they were', async () => {
    await storeB();
    await storeA();
    const states = await recordCards(db, acl, [aclCardA], 2000);
    // Before: arxiv:2402.00002 was absorbed into arxiv:2401.00001 (one record, both notes).
    expect(await arxivIds()).toEqual({
      'arxiv:2401.00001': ['arxiv:2401.00001'],
      'arxiv:2402.00002': ['arxiv:2402.00002'],
    });
    expect(states[0]).toMatchObject({ id: 'arxiv:2401.00001', saved: true });
    const a = await db.papers.get('arxiv:2401.00001');
    const b = await db.papers.get('arxiv:2402.00002');
    expect(a).toMatchObject({ note: 'A note', tags: ['dpo'], savedAt: 1200 });
    expect(b).toMatchObject({ note: 'B note', tags: ['moe'], state: 'reading', savedAt: 1000 });
    // The ACL id stays with the record that held it; the card's record does not take it.
    expect(b?.aliases).toContain(`acl:${ACL_ID}`);
    expect(a?.aliases).not.toContain(`acl:${ACL_ID}`);
    expect(a?.aclId).toBeUndefined();
    expect((await findPaper(db, `acl:${ACL_ID}`))?.id).toBe('arxiv:2402.00002');
  });

  it('the same card when arXiv A is not stored yet: a new record for A, B keeps its own id only', async () => {
    await storeB();
    const [s] = await recordCards(db, acl, [aclCardA], 2000);
    // Before: the card was found by the ACL alias, answered as B (shown saved) and B took arXiv A.
    expect(s).toMatchObject({ id: 'arxiv:2401.00001', saved: false });
    expect(await arxivIds()).toEqual({
      'arxiv:2401.00001': ['arxiv:2401.00001'],
      'arxiv:2402.00002': ['arxiv:2402.00002'],
    });
    const b = await db.papers.get('arxiv:2402.00002');
    expect(b).toMatchObject({ title: titleB, note: 'B note', aliases: [`acl:${ACL_ID}`] });
    expect(b?.urls.acl).toBeUndefined();
  });

  it('two new cards on one page naming one ACL id with different arXiv ids: two records, the first card keeps the ACL id', async () => {
    const states = await recordCards(
      db,
      acl,
      [
        { title: titleB, arxivId: '2402.00002', aclId: ACL_ID, url: 'https://a.org/1' },
        { title: titleA, arxivId: '2401.00001', aclId: ACL_ID, url: 'https://a.org/2' },
      ],
      1000,
    );
    expect(states.map((s) => s.id)).toEqual(['arxiv:2402.00002', 'arxiv:2401.00001']);
    expect(await arxivIds()).toEqual({
      'arxiv:2401.00001': ['arxiv:2401.00001'],
      'arxiv:2402.00002': ['arxiv:2402.00002'],
    });
    expect((await db.papers.get('arxiv:2402.00002'))?.aliases).toEqual([`acl:${ACL_ID}`]);
    expect((await db.papers.get('arxiv:2401.00001'))?.aliases).toEqual([]);
    // Seen again in the other order: nothing moves.
    await recordCards(
      db,
      { ...acl, loadId: 'e2' },
      [
        { title: titleA, arxivId: '2401.00001', aclId: ACL_ID, url: 'https://a.org/2' },
        { title: titleB, arxivId: '2402.00002', aclId: ACL_ID, url: 'https://a.org/1' },
      ],
      2000,
    );
    expect((await db.papers.get('arxiv:2402.00002'))?.aliases).toEqual([`acl:${ACL_ID}`]);
    expect((await db.papers.get('arxiv:2401.00001'))?.aliases).toEqual([]);
  });

  it('a Scholar card showing arXiv A with the DOI stored on arXiv B: two records', async () => {
    await storeB({ doi: '10.1145/3600000.1' });
    await storeA();
    const [s] = await recordCards(
      db,
      scholar,
      [
        {
          title: titleA,
          arxivId: '2401.00001',
          doi: '10.1145/3600000.1',
          url: 'https://arxiv.org/abs/2401.00001',
        },
      ],
      2000,
    );
    expect(s?.id).toBe('arxiv:2401.00001');
    expect(await arxivIds()).toEqual({
      'arxiv:2401.00001': ['arxiv:2401.00001'],
      'arxiv:2402.00002': ['arxiv:2402.00002'],
    });
    expect((await db.papers.get('arxiv:2401.00001'))?.note).toBe('A note');
    expect((await db.papers.get('arxiv:2402.00002'))?.note).toBe('B note');
  });

  it('a card with a DOI and an ACL id stored on a record of another DOI: two records', async () => {
    await setSaved(
      db,
      { title: titleB, doi: '10.1162/tacl_a_00001', aclId: ACL_ID, url: 'https://a.org/b' },
      'scholar',
      true,
      1000,
    );
    const [s] = await recordCards(
      db,
      scholar,
      [{ title: titleA, doi: '10.1145/3600000.1', aclId: ACL_ID, url: 'https://a.org/a' }],
      2000,
    );
    expect(s).toMatchObject({ id: 'doi:10.1145/3600000.1', saved: false });
    const ids = (await db.papers.toArray()).map((p) => [p.id, p.aliases]);
    expect(ids).toEqual([
      ['doi:10.1145/3600000.1', []],
      ['doi:10.1162/tacl_a_00001', [`acl:${ACL_ID}`]],
    ]);
  });

  it('a stored title record and two arXiv papers of that title on one page: the title record joins the first only', async () => {
    const shared = 'Scaling Laws For Neural Language Models';
    const card = { title: shared, url: 'https://scholar.example/1' };
    const t = await saveWithNote(db, card, 'scholar', 1000, { note: 'title note' });
    const states = await recordCards(
      db,
      scholar,
      [
        { title: shared, arxivId: '2401.00001', url: 'https://arxiv.org/abs/2401.00001' },
        { title: shared, arxivId: '2402.00002', url: 'https://arxiv.org/abs/2402.00002' },
      ],
      2000,
    );
    // Before: both took the title record (and a copy of its note), then were joined by its key.
    expect(states.map((s) => s.id)).toEqual(['arxiv:2401.00001', 'arxiv:2402.00002']);
    expect(await arxivIds()).toEqual({
      'arxiv:2401.00001': ['arxiv:2401.00001'],
      'arxiv:2402.00002': ['arxiv:2402.00002'],
    });
    const a = await db.papers.get('arxiv:2401.00001');
    expect(a).toMatchObject({ note: 'title note', savedAt: 1000, aliases: [t.id] });
    expect((await db.papers.get('arxiv:2402.00002'))?.note).toBeUndefined();
  });
});

describe('a card whose arXiv link and arXiv DOI name two different papers', () => {
  const mixed: WireCandidate = {
    title: titleA,
    arxivId: '2401.00001',
    doi: '10.48550/arXiv.2402.00002',
    url: 'https://arxiv.org/abs/2401.00001',
  };

  it('is arXiv A only: B’s DOI is neither an alias nor the DOI of A’s record', async () => {
    const [s] = await recordCards(db, scholar, [mixed], 2000);
    expect(s?.id).toBe('arxiv:2401.00001');
    const all = await db.papers.toArray();
    expect(all.map((p) => [p.id, p.aliases, p.doi])).toEqual([['arxiv:2401.00001', [], undefined]]);
  });

  it('does not join arXiv B stored under that DOI: two records, both notes where they were', async () => {
    await storeB({ doi: '10.48550/arXiv.2402.00002' });
    await storeA();
    const [s] = await recordCards(db, scholar, [mixed], 2000);
    expect(s?.id).toBe('arxiv:2401.00001');
    const all = await db.papers.toArray();
    expect(all.map((p) => [p.id, p.aliases])).toEqual([
      ['arxiv:2401.00001', []],
      ['arxiv:2402.00002', ['doi:10.48550/arxiv.2402.00002']],
    ]);
    expect((await db.papers.get('arxiv:2401.00001'))?.note).toBe('A note');
    expect(await db.papers.get('arxiv:2402.00002')).toMatchObject({
      note: 'B note',
      tags: ['moe'],
    });
  });

  it('saved from such a card, A is saved and B is not', async () => {
    await storeB({ doi: '10.48550/arXiv.2402.00002' });
    const rec = await setSaved(db, mixed, 'scholar', true, 3000);
    expect(rec.id).toBe('arxiv:2401.00001');
    expect((await findPaper(db, 'arxiv:2401.00001'))?.savedAt).toBe(3000);
    expect(await db.papers.get('arxiv:2402.00002')).toMatchObject({
      savedAt: 1000,
      aliases: ['doi:10.48550/arxiv.2402.00002'],
    });
  });
});
