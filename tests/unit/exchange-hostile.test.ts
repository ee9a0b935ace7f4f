/**
 * Hostile and malformed backups: tables named after Object's own properties, rows of the known
 * tables with the wrong types (rules, hits, settings), a 50 MB string, a file valid for half its
 * rows, duplicate ids. Each is either refused whole with a message naming the row (nothing
 * written) or imported with only valid rows; the user's notes, tags and saved papers never lose.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import type { PaperScoutDB } from '../../lib/db';
import { BACKUP_FORMAT, readTables, serializeBackup } from '../../lib/exchange/backup';
import { SETTING_MAX_CHARS_OF } from '../../lib/exchange/rows';
import { getSettings, prune } from '../../lib/library';
import { DISMISSED_KEY, DISMISSED_MAX } from '../../lib/related/service';
import { LEARNED_TOPICS_KEY, learnTopics, setUserTopics } from '../../lib/topics/store';
import { parseImport, stageImport, type Sender } from '../../lib/exchange/import';
import {
  OPTIONS_PAGE,
  dump,
  dumpAsBackup,
  envOf,
  importText,
  newDb,
  paper,
} from './exchange-helpers';

const backup = (tables: Record<string, unknown[]>) =>
  JSON.stringify({ format: BACKUP_FORMAT, version: 1, tables });

/** The user's library: a saved paper with a note and tags, and one seen paper. */
async function library(db: PaperScoutDB): Promise<void> {
  await db.papers.bulkPut([
    paper({
      id: 'arxiv:2401.00001',
      title: 'Diffusion Models Beat Everything',
      titleKey: 'diffusion models beat everything',
      arxivId: '2401.00001',
      urls: { arxiv: 'https://arxiv.org/abs/2401.00001' },
      savedAt: 1_700_000_100_000,
      savedFrom: 'arxiv',
      state: 'reading',
      stateAt: 1_700_000_200_000,
      note: 'my notes',
      noteAt: 1_700_000_300_000,
      tags: ['thesis'],
      tagsAt: 1_700_000_300_000,
      updatedAt: 1_700_000_300_000,
    }),
    paper({ id: 'arxiv:2401.00002', arxivId: '2401.00002', title: 'Seen Only' }),
  ]);
  await db.rules.put({
    id: 'r1',
    name: 'Diffusion',
    kind: 'words',
    terms: ['diffusion'],
    exclude: [],
    color: '#aa0000',
    paused: false,
    createdAt: 1,
    updatedAt: 1,
  });
}

const arxivPage = {
  type: 'cards/seen',
  page: {
    url: 'https://arxiv.org/list/cs.LG/new',
    site: 'arxiv',
    kind: 'list-new',
    listing: true,
    loadId: 'l1',
  },
  cards: [
    {
      arxivId: '2401.00003',
      title: 'Diffusion for all',
      url: 'https://arxiv.org/abs/2401.00003',
    },
  ],
};
const arxivTab = {
  id: 'abcdefghijklmnop',
  url: 'https://arxiv.org/list/cs.LG/new',
  tab: { id: 1 },
};

describe('tables named after Object’s properties', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'a table "%s" is skipped and reported; the rest imports',
    async (name) => {
      const db = await newDb();
      const text = `{"format":"${BACKUP_FORMAT}","version":1,"tables":{"${name}":[{"a":1}],"papers":[${JSON.stringify(paper({ id: 'arxiv:2401.00009', arxivId: '2401.00009' }))}]}}`;
      const { report } = await importText(db, text, 'odd.backup.json');
      expect(report.tables[name]).toEqual({ added: 0, merged: 0, unchanged: 0, skipped: 1 });
      expect(report.tables.papers).toMatchObject({ added: 1 });
      expect(report.issues[0]).toMatchObject({ kind: 'skipped', where: `table ${name}` });
      expect(await db.papers.count()).toBe(1);
      // Nothing counted into every object.
      expect(Object.prototype).not.toHaveProperty('skipped');
      expect(({} as Record<string, unknown>).skipped).toBeUndefined();
    },
  );
});

describe('rows of known tables with the wrong types are refused, naming the row', () => {
  const bad: [string, Record<string, unknown[]>, RegExp][] = [
    [
      'a rule whose terms are a number (every page then failed: "r.terms is not iterable")',
      {
        rules: [
          {
            id: 'r2',
            name: 'x',
            kind: 'words',
            terms: 5,
            exclude: [],
            color: '#000000',
            paused: false,
            createdAt: 1,
            updatedAt: 2,
          },
        ],
      },
      /^rules row 1 \(r2\): terms: .*Nothing was written\.$/,
    ],
    [
      'a rule without its exclusions, newer than the user’s',
      {
        rules: [
          {
            id: 'r1',
            name: 'Diffusion',
            kind: 'words',
            terms: ['diffusion'],
            color: '#aa0000',
            paused: false,
            createdAt: 1,
            updatedAt: 9e12,
          },
        ],
      },
      /^rules row 1 \(r1\): exclude: /,
    ],
    [
      'a hit whose terms are a number (the Highlighted tab then failed)',
      { hits: [{ paperId: 'arxiv:2401.00001', ruleId: 'r1', terms: 5, at: 1 }] },
      /^hits row 1: terms: /,
    ],
    [
      'a history cap of 0 (the next page pruned every unsaved paper)',
      { settings: [{ key: 'historyCap', value: 0 }] },
      /^settings row 1: value: is not a valid historyCap/,
    ],
    [
      'history turned off with a string',
      { settings: [{ key: 'historyEnabled', value: 'no' }] },
      /^settings row 1: value: is not a valid historyEnabled/,
    ],
    [
      'a 1 MB string in a field this version does not know',
      {
        papers: [
          { ...paper({ id: 'arxiv:2401.00001', arxivId: '2401.00001' }), x: 'x'.repeat(1e6) },
        ],
      },
      /^papers row 1 \(arxiv:2401\.00001\): x: fields this version does not know are larger than 100,000 characters/,
    ],
    [
      'a 50 MB string in a field this version does not know',
      {
        papers: [
          { ...paper({ id: 'arxiv:2401.00001', arxivId: '2401.00001' }), x: 'x'.repeat(5e7) },
        ],
      },
      /^papers row 1 \(arxiv:2401\.00001\): is larger than 20,000,000 characters/,
    ],
    [
      'a title of 2,001 characters (it said "Too big: expected string to have <=2000")',
      { papers: [paper({ id: 'arxiv:2401.00001', title: 'T'.repeat(2_001) })] },
      /^papers row 1 \(arxiv:2401\.00001\): title: is longer than 2,000 characters\. Nothing was written\.$/,
    ],
    [
      'a negative upvote count',
      { papers: [paper({ id: 'arxiv:2401.00001', upvotes: -1 })] },
      /^papers row 1 \(arxiv:2401\.00001\): upvotes: must be at least 0\. Nothing was written\.$/,
    ],
    [
      'a 1 MB note',
      { papers: [paper({ id: 'arxiv:2401.00001', note: 'x'.repeat(1e6), noteAt: 9e12 })] },
      /^papers row 1 \(arxiv:2401\.00001\): note: /,
    ],
    [
      'a 50 MB note',
      { papers: [paper({ id: 'arxiv:2401.00001', note: 'x'.repeat(5e7), noteAt: 9e12 })] },
      /^papers row 1 \(arxiv:2401\.00001\): is larger than 20,000,000 characters/,
    ],
    [
      'a file valid for its first rows only',
      {
        papers: [
          paper({ id: 'arxiv:2401.00005', arxivId: '2401.00005' }),
          paper({ id: 'arxiv:2401.00006', arxivId: '2401.00006' }),
          { ...paper({ id: 'arxiv:2401.00001' }), note: 'poorer', noteAt: 9e12, tags: 'thesis' },
        ],
      },
      /^papers row 3 \(arxiv:2401\.00001\): tags: /,
    ],
  ];
  it.each(bad)('%s', async (_name, tables, message) => {
    const db = await newDb();
    await library(db);
    const before = await dump(db);
    await expect(importText(db, backup(tables), 'hostile.backup.json')).rejects.toThrow(message);
    expect(await dump(db)).toEqual(before);
    // The library still works: pages are answered, highlights computed, history kept.
    const res = await handleMessage(arxivPage, arxivTab, envOf(db));
    expect(res).toMatchObject({ ok: true });
    if (res.ok)
      expect(
        (res.value as { cards: { highlights: unknown[] }[] }).cards[0]!.highlights,
      ).toHaveLength(1);
    await prune(db, (await getSettings(db)).historyCap);
    expect(await db.papers.count()).toBe(3);
  });

  it('a learned topic whose model lacks its idf is refused (pages with its words failed)', async () => {
    const db = await newDb();
    await library(db);
    const before = await dump(db);
    const model = { v: 1, terms: ['diffusion'], w: [1] };
    const text = backup({
      settings: [{ key: LEARNED_TOPICS_KEY, value: [{ id: 'tag:ml', name: 'ml', model }] }],
    });
    await expect(importText(db, text, 'x.backup.json')).rejects.toThrow(
      /^settings row 1: value: is not a valid topics-learned \(0\.model: idf: /,
    );
    expect(await dump(db)).toEqual(before);
    expect(await handleMessage(arxivPage, arxivTab, envOf(db))).toMatchObject({ ok: true });
  });

  it('a valid rule and hit from a backup still import', async () => {
    const db = await newDb();
    await library(db);
    const rule = {
      id: 'r9',
      name: 'Transformers',
      kind: 'words',
      terms: ['transformer'],
      exclude: ['transformer oil'],
      color: '#0000aa',
      paused: true,
      createdAt: 5,
      updatedAt: 6,
      fromTheFuture: { small: true },
    };
    const hit = { paperId: 'arxiv:2401.00001', ruleId: 'r9', terms: ['Transformer'], at: 7 };
    const settings = [
      { key: 'historyCap', value: 5000 },
      { key: 'highlightsReadAt', value: 8 },
    ];
    const { report } = await importText(
      db,
      backup({ rules: [rule], hits: [hit], settings }),
      'ok.backup.json',
    );
    expect(report.tables).toMatchObject({
      rules: { added: 1 },
      hits: { added: 1 },
      settings: { added: 2 },
    });
    expect(await db.rules.get('r9')).toEqual(rule);
    expect(await db.hits.toArray()).toEqual([hit]);
  });
});

describe('duplicate and poorer rows never beat the user’s data', () => {
  it('two older rows of the user’s saved paper leave its note, tags, state and save as they are', async () => {
    const db = await newDb();
    await library(db);
    const mine = await db.papers.get('arxiv:2401.00001');
    const older = {
      id: 'arxiv:2401.00001',
      arxivId: '2401.00001',
      updatedAt: 1_600_000_000_000,
    };
    const { report } = await importText(
      db,
      backup({
        papers: [
          paper({ ...older, note: '', noteAt: 1_600_000_000_000, tags: [], state: 'inbox' }),
          paper({ ...older, title: 'Diffusion Models Beat Everything' }),
        ],
      }),
      'old.backup.json',
    );
    const after = await db.papers.get('arxiv:2401.00001');
    expect(after).toMatchObject({
      note: 'my notes',
      tags: ['thesis'],
      state: 'reading',
      savedAt: mine!.savedAt,
    });
    expect(report.tables.papers).toMatchObject({ added: 0, skipped: 0 });
  });
});

describe('a backup of a library with learned topics', () => {
  it('restores whole (the learned topics were over the 100,000-character setting limit)', async () => {
    const db = await newDb();
    // 60 saved papers in two tags, with varied words: two learned models of ~1,400 terms.
    const words = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}q${(i * 7919) % 997}`);
    await db.papers.bulkPut(
      Array.from({ length: 60 }, (_, i) =>
        paper({
          id: `arxiv:2401.${10000 + i}`,
          arxivId: `2401.${10000 + i}`,
          title: `Paper number ${i}`,
          titleKey: `paper number ${i}`,
          abstract: Array.from({ length: 150 }, (_, j) => words[(i * 131 + j * 17) % 3000]).join(
            ' ',
          ),
          savedAt: 1_700_000_000_000,
          tags: [i % 2 ? 'ml' : 'bio'],
          tagsAt: 1_700_000_000_000,
        }),
      ),
    );
    expect(await learnTopics(db)).toHaveLength(2);
    const learned = await db.settings.get(LEARNED_TOPICS_KEY);
    expect(JSON.stringify(learned!.value).length).toBeGreaterThan(100_000);
    const text = serializeBackup(db, await readTables(db), { scope: 'all' });
    const fresh = await newDb();
    await importText(fresh, text, 'mine.backup.json');
    expect(await dumpAsBackup(fresh)).toEqual(await dumpAsBackup(db));
  });
});

describe('a backup of a library with large settings the app wrote itself', () => {
  it('restores 60 user topics of 50 phrases, and 5,000 dismissed Scholar papers', async () => {
    const db = await newDb();
    await setUserTopics(
      db,
      Array.from({ length: 60 }, (_, i) => ({
        name: `Topic ${i}`,
        phrases: Array.from(
          { length: 50 },
          (_, j) => `phrase ${j} of topic ${i} ${'x'.repeat(60)}`,
        ),
      })),
    );
    const dismissed = Array.from(
      { length: DISMISSED_MAX },
      (_, i) => `title:a paper seen on google scholar with a long title number ${i}`,
    );
    await db.settings.put({ key: DISMISSED_KEY, value: dismissed });
    const text = serializeBackup(db, await readTables(db), { scope: 'all' });
    const fresh = await newDb();
    await importText(fresh, text, 'mine.backup.json');
    expect(await dumpAsBackup(fresh)).toEqual(await dumpAsBackup(db));
    // The limit is kept under the key the related service writes.
    expect(SETTING_MAX_CHARS_OF[DISMISSED_KEY]).toBeGreaterThan(1_000_000);
  });
});

describe('a record made from a hostile page', () => {
  it('is in a backup that restores (a title whose key decomposes 18-fold)', async () => {
    const db = await newDb();
    const hf = { id: 'abcdefghijklmnop', url: 'https://huggingface.co/papers', tab: { id: 1 } };
    const res = await handleMessage(
      {
        type: 'cards/seen',
        page: { url: hf.url, site: 'huggingface', kind: 'list', listing: true, loadId: 'l' },
        cards: [
          {
            arxivId: '2401.00001',
            title: `Deep ${'\ufdfa'.repeat(1990)}`,
            url: 'https://huggingface.co/papers/2401.00001',
          },
        ],
      },
      hf,
      envOf(db),
    );
    expect(res.ok).toBe(true);
    expect((await db.papers.get('arxiv:2401.00001'))!.titleKey.length).toBeGreaterThan(30_000);
    const fresh = await newDb();
    await importText(fresh, serializeBackup(db, await readTables(db), { scope: 'all' }), 'b.json');
    expect(await dumpAsBackup(fresh)).toEqual(await dumpAsBackup(db));
  });
});

describe('a backup header with the wrong types', () => {
  it.each(['3', 3.5, -1, null, 1e9])(
    'database.version %s is ignored; the rows import',
    async (version) => {
      const db = await newDb();
      const text = JSON.stringify({
        format: BACKUP_FORMAT,
        version: 1,
        database: { name: 'paper-scout', version },
        tables: { papers: [paper({ id: 'arxiv:2401.00009', arxivId: '2401.00009' })] },
      });
      const { report } = await importText(db, text, 'edited.backup.json');
      expect(report.tables.papers).toMatchObject({ added: 1 });
      expect(await db.papers.count()).toBe(1);
    },
  );
});

describe('a backup with tables this version cannot have', () => {
  it.each(['my-notes', '', 'x'.repeat(65), '1st', 'tables with spaces'])(
    'a table named "%s" is skipped and reported; the rest imports',
    async (name) => {
      const db = await newDb();
      const text = JSON.stringify({
        format: BACKUP_FORMAT,
        version: 1,
        tables: {
          [name]: [{ a: 1 }, { a: 2 }],
          papers: [paper({ id: 'arxiv:2401.00009', arxivId: '2401.00009' })],
        },
      });
      const { report } = await importText(db, text, 'odd.backup.json');
      expect(report.tables.papers).toMatchObject({ added: 1 });
      expect(report.issues).toContainEqual({
        kind: 'skipped',
        where: `table ${name.slice(0, 64)}`,
        message: '2 rows not imported: this version of Paper Scout has no such table.',
      });
      expect(await db.papers.count()).toBe(1);
    },
  );
});

describe('rows of a table this version does not have', () => {
  it('are skipped whatever they hold (a 2 MB row, a javascript: link)', async () => {
    const db = await newDb();
    const text = backup({
      snapshots: [
        { id: 's1', blob: 'x'.repeat(2_000_000) },
        { id: 's2', url: 'javascript:1' },
      ],
      papers: [paper({ id: 'arxiv:2401.00009', arxivId: '2401.00009' })],
    });
    const { report } = await importText(db, text, 'future.backup.json');
    expect(report.tables.snapshots).toEqual({ added: 0, merged: 0, unchanged: 0, skipped: 2 });
    expect(report.tables.papers).toMatchObject({ added: 1 });
    expect(await db.papers.count()).toBe(1);
  });
});

describe('a Hugging Face paper whose AI keywords change between visits', () => {
  it('keeps at most 256 keywords, and its backup restores', async () => {
    const db = await newDb();
    const env = envOf(db);
    const hf = { id: 'abcdefghijklmnop', url: 'https://huggingface.co/papers', tab: { id: 1 } };
    for (let visit = 0; visit < 30; visit++) {
      const res = await handleMessage(
        {
          type: 'cards/seen',
          page: {
            url: hf.url,
            site: 'huggingface',
            kind: 'list',
            listing: true,
            loadId: `v${visit}`,
          },
          cards: [
            {
              arxivId: '2401.00001',
              title: 'A Paper About Things',
              url: 'https://huggingface.co/papers/2401.00001',
              keywords: Array.from({ length: 10 }, (_, i) => `keyword ${visit}-${i}`),
            },
          ],
        },
        hf,
        env,
      );
      expect(res.ok).toBe(true);
    }
    expect((await db.papers.get('arxiv:2401.00001'))!.keywords).toHaveLength(256);
    const fresh = await newDb();
    await importText(fresh, serializeBackup(db, await readTables(db), { scope: 'all' }), 'b.json');
    expect(await dumpAsBackup(fresh)).toEqual(await dumpAsBackup(db));
  });

  it('a library that already holds 300 keywords restores with the first 256', async () => {
    const db = await newDb();
    const keywords = Array.from({ length: 300 }, (_, i) => `k${i}`);
    await db.papers.put(paper({ id: 'arxiv:2401.00001', arxivId: '2401.00001', keywords }));
    const fresh = await newDb();
    await importText(fresh, serializeBackup(db, await readTables(db), { scope: 'all' }), 'b.json');
    expect((await fresh.papers.get('arxiv:2401.00001'))!.keywords).toEqual(keywords.slice(0, 256));
  });
});

describe('rules and hits as the app stores them', () => {
  it('restore from a backup: a name and terms trimmed to nothing, a long matched author', async () => {
    const db = await newDb();
    const options = {
      id: 'abcdefghijklmnop',
      url: 'chrome-extension://abcdefghijklmnop/options.html',
    };
    const saved = await handleMessage(
      {
        type: 'rules/save',
        rule: {
          name: ' ',
          kind: 'words',
          terms: ['  '],
          exclude: [],
          color: '#AA0000',
          paused: true,
        },
      },
      options,
      envOf(db),
    );
    expect(saved).toMatchObject({ ok: true, value: { name: '', terms: [] } });
    await db.papers.put(paper({ id: 'arxiv:2401.00001', arxivId: '2401.00001' }));
    await db.hits.put({
      paperId: 'arxiv:2401.00001',
      ruleId: 'r1',
      terms: ['Ab'.repeat(250)],
      at: 1,
    });
    const fresh = await newDb();
    await importText(fresh, serializeBackup(db, await readTables(db), { scope: 'all' }), 'b.json');
    expect(await dumpAsBackup(fresh)).toEqual(await dumpAsBackup(db));
  });
});

describe('two records of one paper joined by an import', () => {
  it('keep both notes and all tags, and the library’s next backup restores', async () => {
    const db = await newDb();
    const long = (c: string) => c.repeat(15_000);
    const tags = (p: string) => Array.from({ length: 40 }, (_, i) => `${p}${i}`);
    await db.papers.bulkPut([
      paper({
        id: 'acl:2024.acl-long.1',
        aclId: '2024.acl-long.1',
        savedAt: 1,
        note: long('a'),
        noteAt: 1,
        tags: tags('a'),
        tagsAt: 1,
      }),
      paper({
        id: 'arxiv:2401.00001',
        arxivId: '2401.00001',
        savedAt: 1,
        note: long('b'),
        noteAt: 1,
        tags: tags('b'),
        tagsAt: 1,
      }),
    ]);
    // Another browser learned they are one paper (a card showed both ids).
    await importText(
      db,
      backup({
        papers: [
          paper({
            id: 'arxiv:2401.00001',
            arxivId: '2401.00001',
            aclId: '2024.acl-long.1',
            aliases: ['acl:2024.acl-long.1'],
          }),
        ],
      }),
      'other.backup.json',
    );
    const joined = (await db.papers.toArray()).find(
      (p) => p.note?.includes('a') && p.note.includes('b'),
    );
    expect(joined?.note?.length).toBeGreaterThan(30_000);
    expect(joined?.tags).toHaveLength(80);
    const fresh = await newDb();
    await importText(fresh, serializeBackup(db, await readTables(db), { scope: 'all' }), 'b.json');
    expect(await dumpAsBackup(fresh)).toEqual(await dumpAsBackup(db));
  });
});

describe('a row too large for any message', () => {
  it('refuses the import before sending it, naming the row', async () => {
    const db = await newDb();
    await library(db);
    const before = await dump(db);
    const big = paper({ id: 'arxiv:2401.00009', arxivId: '2401.00009' });
    const text = backup({
      papers: [paper({ id: 'arxiv:2401.00008' }), { ...big, x: 'x'.repeat(25e6) }],
    });
    // The browser refuses a message over 64 MiB; this page's double refuses what is over 20 MB.
    let largest = 0;
    const env = envOf(db);
    const send = (async (req: unknown) => {
      largest = Math.max(largest, JSON.stringify(req).length);
      if (largest > 20_100_000) throw new Error('Message length exceeded maximum allowed length.');
      return structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, env));
    }) as Sender;
    const parsed = await parseImport(text, 'huge.backup.json');
    await expect(stageImport(parsed, send)).rejects.toThrow(
      /^papers row 2 \(arxiv:2401\.00009\): is larger than 20,000,000 characters, which no row of Paper Scout is\. Nothing was written\.$/,
    );
    expect(largest).toBeLessThan(20_000_000);
    expect(await dump(db)).toEqual(before);
  });
});

describe('a bibliography entry for a paper with a long note and many tags', () => {
  it('adds to them and never cuts the library’s own', async () => {
    const db = await newDb();
    const tags = Array.from({ length: 80 }, (_, i) => `t${i}`);
    const note = 'n'.repeat(30_000);
    await db.papers.put(
      paper({
        id: 'arxiv:2401.00001',
        arxivId: '2401.00001',
        savedAt: 1,
        note,
        noteAt: 1,
        tags,
        tagsAt: 1,
      }),
    );
    const bib = `@misc{x, title={A Paper About Things}, author={Lovelace, Ada}, eprint={2401.00001}, archivePrefix={arXiv}, year={2024}, keywords={fresh}, annote={from bib}}`;
    await importText(db, bib, 'refs.bib');
    const after = await db.papers.get('arxiv:2401.00001');
    expect(after!.tags).toEqual(tags);
    expect(after!.note).toBe(note);
    // With room, the entry's tag and note are added as before.
    await db.papers.put(
      paper({
        id: 'arxiv:2401.00001',
        arxivId: '2401.00001',
        savedAt: 1,
        note: 'mine',
        tags: ['ML'],
      }),
    );
    await importText(db, bib, 'refs.bib');
    expect(await db.papers.get('arxiv:2401.00001')).toMatchObject({
      tags: ['ML', 'fresh'],
      note: 'mine\n\nfrom bib',
    });
  });
});

describe('a paper with more tags than the editor allows (two records joined)', () => {
  it('keeps all the others when a tag is removed or added in bulk', async () => {
    const db = await newDb();
    const tags = Array.from({ length: 80 }, (_, i) => `t${i}`);
    await db.papers.put(paper({ id: 'arxiv:2401.00001', savedAt: 1, tags, tagsAt: 1 }));
    const popup = { id: 'abcdefghijklmnop', url: 'chrome-extension://abcdefghijklmnop/popup.html' };
    const bulk = (op: Record<string, unknown>) =>
      handleMessage({ type: 'papers/bulk', ids: ['arxiv:2401.00001'], op }, popup, envOf(db));
    expect(await bulk({ kind: 'removeTag', tag: 't0' })).toMatchObject({ ok: true });
    expect((await db.papers.get('arxiv:2401.00001'))!.tags).toEqual(tags.slice(1));
    // Over the limit already: a new tag is not added, and none of the others goes.
    expect(await bulk({ kind: 'addTag', tag: 'new' })).toMatchObject({ ok: true });
    expect((await db.papers.get('arxiv:2401.00001'))!.tags).toEqual(tags.slice(1));
  });
});
