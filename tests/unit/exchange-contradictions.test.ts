/**
 * Contradictory ids in an import never join two papers (the import side of
 * tests/unit/library-contradictions.test.ts): a backup row or a bibliography entry with arXiv id A
 * whose ACL id or DOI the library (or an earlier row of the file) files under arXiv id B is
 * another paper, not a second record of B. Both stay, each with its own note, tags, state and
 * saved time; the shared key stays with the record that held it first; the preview says what the
 * commit does. A provisional record (an ACL id, a title) still joins the arXiv record of its paper.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { PaperRecord, PaperScoutDB } from '../../lib/db';
import { BACKUP_FORMAT } from '../../lib/exchange/backup';
import type { ImportReport } from '../../lib/exchange/protocol';
import { recordCards } from '../../lib/library';
import { dump, importText, newDb, paper } from './exchange-helpers';
import { storedSightings } from './helpers/sightings';

const ACL = 'acl:2024.acl-long.7';
const A = 'arxiv:2401.00001';
const B = 'arxiv:2402.00002';

/** A backup file of `papers` (and `sightings`). */
const backup = (papers: PaperRecord[], sightings: unknown[] = []) =>
  JSON.stringify({ format: BACKUP_FORMAT, version: 1, tables: { papers, sightings } });

/** arXiv paper B as the library holds it: saved, noted, tagged, filed under the ACL id too. */
const storedB = () =>
  paper({
    id: B,
    aliases: [ACL],
    aclId: '2024.acl-long.7',
    arxivId: '2402.00002',
    title: 'Sparse Mixtures Of Experts Revisited',
    titleKey: 'sparse mixtures of experts revisited',
    note: 'B note',
    noteAt: 5,
    tags: ['moe'],
    tagsAt: 5,
    state: 'reading',
    stateAt: 5,
    savedAt: 1000,
  });

/** arXiv paper A in a backup, naming B's ACL id (a site that linked the wrong preprint). */
const rowA = (over: Partial<PaperRecord> = {}) =>
  paper({
    id: A,
    aliases: [ACL],
    aclId: '2024.acl-long.7',
    arxivId: '2401.00001',
    title: 'Direct Preference Optimization Without Tears',
    titleKey: 'direct preference optimization without tears',
    note: 'A note',
    noteAt: 9,
    tags: ['dpo'],
    tagsAt: 9,
    state: 'done',
    stateAt: 9,
    savedAt: 2000,
    updatedAt: 1_750_000_000_000,
    ...over,
  });

/** Every record's id and aliases, by id. */
async function keys(db: PaperScoutDB): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const p of await db.papers.toArray()) out[p.id] = p.aliases;
  return out;
}

/** The preview's counts are the commit's. */
function sameCounts(preview: ImportReport, report: ImportReport) {
  expect(preview.tables).toEqual(report.tables);
  expect(preview.savedChanged).toBe(report.savedChanged);
}

describe('a backup row naming an ACL id the library files under another arXiv paper', () => {
  it('restores as a paper of its own: B keeps the ACL id, note, tags, state and save; A has all of its own', async () => {
    const db = await newDb();
    await db.papers.put(storedB());
    const { preview, report } = await importText(db, backup([rowA()]), 'a.backup.json');
    expect(await keys(db)).toEqual({ [A]: [], [B]: [ACL] });
    expect(await db.papers.get(B)).toMatchObject({
      note: 'B note',
      tags: ['moe'],
      state: 'reading',
      savedAt: 1000,
      aclId: '2024.acl-long.7',
    });
    const a = await db.papers.get(A);
    expect(a).toMatchObject({ note: 'A note', tags: ['dpo'], state: 'done', savedAt: 2000 });
    // The ACL id is B's: A's record does not show or export it.
    expect(a?.aclId).toBeUndefined();
    sameCounts(preview, report);
    expect(report.tables.papers).toMatchObject({ added: 1, merged: 0 });
    expect(report.issues.map((i) => i.message).join('\n')).toContain(`${ACL} (filed under ${B})`);
  });

  it('restoring the same file again changes nothing', async () => {
    const db = await newDb();
    await db.papers.put(storedB());
    await importText(db, backup([rowA()]), 'a.backup.json');
    const before = await dump(db);
    const { report } = await importText(db, backup([rowA()]), 'a.backup.json');
    expect(await dump(db)).toEqual(before);
    expect(report.tables.papers).toMatchObject({ added: 0, merged: 0, unchanged: 1 });
  });
});

describe('a backup whose two arXiv papers share an ACL id (made before such cards were refused)', () => {
  const file = backup([
    rowA({ note: 'first paper notes', tags: ['a'], savedAt: 1 }),
    { ...storedB(), note: 'second paper notes', tags: ['b'], savedAt: undefined },
    // A provisional record of the ACL id, whose note was cleared later.
    paper({ id: ACL, noteAt: 3, updatedAt: 1_800_000_000_000 }),
  ]);

  it('restores into an empty browser as two papers, each with its note and tags; the ACL id goes with the first row', async () => {
    const db = await newDb();
    const { preview, report } = await importText(db, file, 'mine.backup.json');
    expect(await keys(db)).toEqual({ [A]: [ACL], [B]: [] });
    expect(await db.papers.get(A)).toMatchObject({
      note: 'first paper notes',
      tags: ['a'],
      savedAt: 1,
      aclId: '2024.acl-long.7',
    });
    const b = await db.papers.get(B);
    expect(b).toMatchObject({ note: 'second paper notes', tags: ['b'], state: 'reading' });
    expect(b?.savedAt).toBeUndefined();
    expect(b?.aclId).toBeUndefined();
    sameCounts(preview, report);
    expect(report.tables.papers).toMatchObject({ added: 2, merged: 1 });
  });
});

describe('a provisional record and its arXiv paper (one paper: they still join)', () => {
  it('an ACL record in the library and a backup row of arXiv A naming that ACL id: one record', async () => {
    const db = await newDb();
    await db.papers.put(paper({ id: ACL, note: 'acl notes', noteAt: 1 }));
    const { preview, report } = await importText(db, backup([rowA()]), 'a.backup.json');
    expect(await keys(db)).toEqual({ [A]: [ACL] });
    // The row's record took the ACL record in where it was made: its newer note is the one.
    expect(await db.papers.get(A)).toMatchObject({ note: 'A note', aclId: '2024.acl-long.7' });
    sameCounts(preview, report);
    expect(report.tables.papers).toMatchObject({ added: 0, merged: 1 });
  });

  it('a title record in the library and a backup row of arXiv A of that title: one record, both notes and tags', async () => {
    const db = await newDb();
    const t = 'title:direct preference optimization without tears';
    await db.papers.put(
      paper({
        id: t,
        title: 'Direct Preference Optimization Without Tears',
        titleKey: 'direct preference optimization without tears',
        note: 'title notes',
        noteAt: 1,
        tags: ['x'],
        tagsAt: 1,
      }),
    );
    const { preview, report } = await importText(db, backup([rowA()]), 'a.backup.json');
    expect(await keys(db)).toEqual({ [A]: [ACL, t] });
    expect(await db.papers.get(A)).toMatchObject({
      note: 'title notes\n\nA note',
      tags: ['x', 'dpo'],
      savedAt: 2000,
    });
    sameCounts(preview, report);
  });
});

describe('a bibliography entry with arXiv A and the ACL link of arXiv B', () => {
  it('imports as arXiv A, B untouched', async () => {
    const db = await newDb();
    await db.papers.put(storedB());
    const bib = `@inproceedings{rafailov2024direct,
  title = {Direct Preference Optimization Without Tears},
  author = {Rafailov, Rafael},
  year = {2024},
  eprint = {2401.00001},
  archivePrefix = {arXiv},
  url = {https://aclanthology.org/2024.acl-long.7}
}`;
    const { preview, report } = await importText(db, bib, 'refs.bib');
    expect(await keys(db)).toEqual({ [A]: [], [B]: [ACL] });
    expect(await db.papers.get(B)).toEqual(storedB());
    expect((await db.papers.get(A))?.savedAt).toBeDefined();
    sameCounts(preview, report);
    expect(report.tables.papers).toMatchObject({ added: 1, merged: 0 });
  });
});

describe('a backup row filed under a DOI that the library files under another arXiv paper', () => {
  it('becomes its arXiv id, the DOI stays with B, and its sightings follow it', async () => {
    const db = await newDb();
    await db.papers.put({ ...storedB(), aliases: ['doi:10.1145/3600000.1'], aclId: undefined });
    const row = paper({
      id: 'doi:10.1145/3600000.1',
      aliases: [A],
      doi: '10.1145/3600000.1',
      arxivId: '2401.00001',
      title: 'Direct Preference Optimization Without Tears',
      titleKey: 'direct preference optimization without tears',
      note: 'A note',
      savedAt: 2000,
    });
    const sighting = {
      paperId: 'doi:10.1145/3600000.1',
      url: 'https://scholar.google.com/scholar?q=dpo',
      site: 'scholar',
      firstAt: 1,
      lastAt: 2,
      count: 1,
    };
    const { preview, report } = await importText(db, backup([row], [sighting]), 'a.backup.json');
    expect(await keys(db)).toEqual({ [A]: [], [B]: ['doi:10.1145/3600000.1'] });
    const a = await db.papers.get(A);
    expect(a).toMatchObject({ note: 'A note', savedAt: 2000 });
    expect(a?.doi).toBeUndefined();
    expect(await db.papers.get(B)).toMatchObject({ note: 'B note', savedAt: 1000 });
    expect((await storedSightings(db)).map((s) => s.paperId)).toEqual([A]);
    sameCounts(preview, report);
  });
});

describe('a backup row of arXiv A that an older version gave the arXiv DOI of B', () => {
  const row = () =>
    rowA({
      aliases: ['doi:10.48550/arxiv.2402.00002'],
      doi: '10.48550/arXiv.2402.00002',
      aclId: undefined,
    });

  it('does not join arXiv B stored under that DOI: two records, each with its own note', async () => {
    const db = await newDb();
    const b = { ...storedB(), aliases: ['doi:10.48550/arxiv.2402.00002'], aclId: undefined };
    await db.papers.put(b);
    const { preview, report } = await importText(db, backup([row()]), 'a.backup.json');
    expect(await keys(db)).toEqual({ [A]: [], [B]: ['doi:10.48550/arxiv.2402.00002'] });
    expect(await db.papers.get(B)).toEqual(b);
    const a = await db.papers.get(A);
    expect(a).toMatchObject({ note: 'A note', tags: ['dpo'], savedAt: 2000 });
    expect(a?.doi).toBeUndefined();
    sameCounts(preview, report);
    expect(report.issues.find((i) => i.kind === 'dropped')?.message).toContain(
      'doi:10.48550/arxiv.2402.00002',
    );
  });

  it('restored into an empty browser, A does not answer to B’s DOI', async () => {
    const db = await newDb();
    await importText(db, backup([row()]), 'a.backup.json');
    expect(await keys(db)).toEqual({ [A]: [] });
    expect((await db.papers.get(A))?.doi).toBeUndefined();
  });
});

describe('a backup row of arXiv A that an older version gave the arXiv id of B as an alias', () => {
  const row = () => rowA({ aliases: [B, ACL] });

  it('restored into an empty browser, A does not answer to B: a card of B is not A', async () => {
    const db = await newDb();
    const { preview, report } = await importText(db, backup([row()]), 'a.backup.json');
    expect(await keys(db)).toEqual({ [A]: [ACL] });
    expect(await db.papers.get(A)).toMatchObject({ note: 'A note', tags: ['dpo'], savedAt: 2000 });
    const [state] = await recordCards(
      db,
      {
        url: 'https://arxiv.org/list/cs.CL/new',
        site: 'arxiv',
        kind: 'listing',
        listing: true,
        loadId: 'load-1',
      },
      [
        {
          arxivId: '2402.00002',
          title: 'Sparse Mixtures Of Experts Revisited',
          url: 'https://arxiv.org/abs/2402.00002',
        },
      ],
      1_760_000_000_000,
    );
    expect(state).toMatchObject({ id: B, saved: false });
    sameCounts(preview, report);
    expect(report.issues.find((i) => i.kind === 'dropped')?.message).toContain(B);
  });

  it('does not join arXiv B stored in the library: two records, each with its own note', async () => {
    const db = await newDb();
    const b = { ...storedB(), aliases: [], aclId: undefined };
    await db.papers.put(b);
    await importText(db, backup([row()]), 'a.backup.json');
    expect(await db.papers.get(B)).toEqual(b);
    expect(await db.papers.get(A)).toMatchObject({ note: 'A note', aliases: [ACL] });
  });
});
