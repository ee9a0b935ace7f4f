/**
 * The JSON backup and the import machinery behind every format: lossless round trips (fixed and
 * property-based), merging into a library (newest change wins per field, nothing dropped
 * silently), sessions (preview writes nothing, cancel and refused rows leave the library as it was,
 * content scripts may not import), and broken backups.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PaperRecord, PaperScoutDB } from '../../lib/db';
import { handleMessage } from '../../lib/background/router';
import { parseBackup, readTables, serializeBackup, BACKUP_FORMAT } from '../../lib/exchange/backup';
import { ExchangeError } from '../../lib/exchange/errors';
import { exportPapers } from '../../lib/exchange/export';
import { cancelImport, parseImport, previewImport, stageImport } from '../../lib/exchange/import';
import { mergeBackupPaper } from '../../lib/exchange/merge';
import { openSessions } from '../../lib/exchange/session';
import { CONTENT, dump, envOf, importText, newDb, paper, sender } from './exchange-helpers';
import { storedSightings } from './helpers/sightings';

const BROKEN = 'tests/fixtures/import/broken';

/** A small library touching every table (rules and hits included, as another feature adds them). */
async function seed(db: PaperScoutDB): Promise<void> {
  await db.papers.bulkPut([
    paper({
      id: 'arxiv:2401.00001',
      title: 'Attention Is $O(n^2)$: {Braces}, “Quotes” & 中文 😀',
      titleKey: 'attention is o n2 braces quotes 中文',
      authors: ['Ada Lovelace', 'Jean-Pierre van der Berg', '张三'],
      arxivId: '2401.00001',
      version: 3,
      urls: {
        arxiv: 'https://arxiv.org/abs/2401.00001',
        huggingface: 'https://huggingface.co/papers/2401.00001',
      },
      savedAt: 1_700_000_100_000,
      savedFrom: 'huggingface',
      savedVersion: 2,
      state: 'reading',
      stateAt: 1_700_000_200_000,
      tags: ['transformers', 'to cite'],
      tagsAt: 1_700_000_200_000,
      note: 'Line one\n\nLine three with \\LaTeX and a tab\there.'.repeat(50),
      noteAt: 1_700_000_300_000,
      topics: ['llm'],
      upvotes: 42,
      categories: ['cs.LG', 'cs.AI'],
    }),
    paper({
      id: 'title:an unsaved paper from history',
      titleKey: 'an unsaved paper from history',
      title: 'An Unsaved Paper From History',
      urls: { scholar: 'https://scholar.google.com/scholar?q=x' },
    }),
  ]);
  await db.sightings.bulkPut([
    {
      paperId: 'arxiv:2401.00001',
      url: 'https://huggingface.co/papers',
      site: 'huggingface',
      firstAt: 1,
      lastAt: 5,
      count: 3,
    },
    {
      paperId: 'title:an unsaved paper from history',
      url: 'https://scholar.google.com/scholar?q=x',
      site: 'scholar',
      firstAt: 2,
      lastAt: 2,
      count: 1,
    },
  ]);
  await db.visits.put({
    url: 'https://huggingface.co/papers',
    loadId: 'l1',
    loadAt: 10,
    prevLoadAt: 5,
  });
  await db.settings.bulkPut([
    { key: 'historyEnabled', value: true },
    { key: 'historyCap', value: 5000 },
  ]);
  await db.rules.put({
    id: 'r1',
    name: 'LLMs',
    kind: 'words',
    terms: ['language model'],
    exclude: [],
    color: '#ff0000',
    paused: false,
    createdAt: 1,
    updatedAt: 2,
  });
  await db.hits.put({
    paperId: 'arxiv:2401.00001',
    ruleId: 'r1',
    terms: ['language model'],
    at: 3,
  });
}

async function backupText(db: PaperScoutDB): Promise<string> {
  return (await exportPapers(db, 'backup', { scope: 'all' }, { appVersion: '0.1.0' })).text;
}

/**
 * A value a JSON file can hold: fast-check's jsonValue also yields -0, which JSON writes as 0, so
 * no backup (a JSON file) can carry it; what the library stores came from pages or files anyway.
 */
const jsonValue = fc
  .jsonValue({ maxDepth: 2 })
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);

describe('JSON backup', () => {
  it('has every table, a format version and the schema, one row per line', async () => {
    const db = await newDb();
    await seed(db);
    const text = await backupText(db);
    const data = JSON.parse(text);
    expect(data).toMatchObject({
      format: BACKUP_FORMAT,
      version: 1,
      scope: 'all',
      app: { version: '0.1.0' },
    });
    expect(Object.keys(data.tables).sort()).toEqual(db.tables.map((t) => t.name).sort());
    expect(data.database.version).toBe(db.verno);
    expect(data.database.tables.papers).toMatch(/^id, \*aliases/);
    expect(data.counts).toMatchObject({ papers: 2, sightings: 2, rules: 1, hits: 1 });
    const paperLines = text
      .split('\n')
      .filter((l) => l.startsWith('      {') && l.includes('"titleKey":'));
    expect(paperLines).toHaveLength(2);
  });

  it('round trip: export → empty database → import gives back an identical library', async () => {
    const a = await newDb();
    await seed(a);
    const b = await newDb();
    const { report } = await importText(b, await backupText(a), 'paper-scout.backup.json');
    expect(await dump(b)).toEqual(await dump(a));
    expect(report.tables.papers).toEqual({ added: 2, merged: 0, unchanged: 0, skipped: 0 });
    expect(report.tables.sightings?.added).toBe(2);
    expect(report.tables.rules?.added).toBe(1);
    expect(report.issueCounts).toEqual({ skipped: 0, dropped: 0, conflict: 0, kept: 0 });
  });

  it('importing the same backup again changes nothing and says so', async () => {
    const db = await newDb();
    await seed(db);
    const before = await dump(db);
    const { report } = await importText(db, await backupText(db), 'b.json');
    expect(await dump(db)).toEqual(before);
    expect(report.tables.papers).toEqual({ added: 0, merged: 0, unchanged: 2, skipped: 0 });
    expect(report.tables.sightings).toEqual({ added: 0, merged: 0, unchanged: 2, skipped: 0 });
    expect(report.savedChanged).toBe(0);
  });

  it.each([400, 250])(
    'a large backup (%i of a 600-paper library, 100 new, 1 changed) merges by id',
    async (n) => {
      // 400 of 600: the library is read whole (getAll); 250: record by record (bulkGet).
      const ids = Array.from({ length: 700 }, (_, i) => `arxiv:2401.${String(i).padStart(5, '0')}`);
      const lib = ids
        .slice(0, 600)
        .map((id, i) =>
          paper({ id, title: `Paper ${i} of the library`, titleKey: `paper ${i} of the library` }),
        );
      const db = await newDb();
      await db.papers.bulkPut(lib);
      const other = await newDb();
      const fromFile = [
        ...lib.slice(0, n),
        ...ids
          .slice(600)
          .map((id, i) => paper({ id, title: `New paper ${i}`, titleKey: `new paper ${i}` })),
      ];
      fromFile[0] = { ...fromFile[0]!, note: 'from the file', noteAt: 2_000_000_000_000 };
      await other.papers.bulkPut(fromFile);
      const before = await db.papers.bulkGet(ids.slice(n, 600));
      const { report } = await importText(db, await backupText(other), 'b.json');
      expect(report.tables.papers).toEqual({ added: 100, merged: 1, unchanged: n - 1, skipped: 0 });
      expect(await db.papers.count()).toBe(700);
      expect((await db.papers.get(ids[0]!))?.note).toBe('from the file');
      expect(await db.papers.bulkGet(ids.slice(n, 600))).toEqual(before);
    },
  );

  it('a selection backup has the selected papers and the rows that name them', async () => {
    const db = await newDb();
    await seed(db);
    const file = await exportPapers(db, 'backup', { scope: 'saved', tag: 'to cite' });
    const { meta, tables } = parseBackup(file.text);
    expect(meta.scope).toBe('selection');
    expect(tables.get('papers')!.map((p) => p.id)).toEqual(['arxiv:2401.00001']);
    expect(tables.get('sightings')).toHaveLength(1);
    expect(tables.get('hits')).toHaveLength(1);
    expect(tables.has('settings')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: any library round-trips exactly.

const oddText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '$\\alpha$-Nets: {GAN}s & 100% of #1 \\emph{fun}',
    'Ünïcödé — “quotes” ‘single’ … ½ ² ≠ ∞',
    '中文标题：大型语言模型 😀🧪',
    'العربية עברית',
    '<script>alert(1)</script>',
    'Line\nbreak\ttab\u0000nul\u2028sep',
    '\\textbf{Bold} ~ ^ _ \\\\ {{{nested}}}',
  ),
);
const url = fc
  .webUrl({ withQueryParameters: true, withFragments: true })
  .filter((u) => u.length < 500);
const timestamp = fc.integer({ min: 0, max: 4_000_000_000_000 });
const tags = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 64 }), { maxLength: 8 });
const longNote = fc.oneof(oddText, fc.string({ minLength: 1_000, maxLength: 20_000 }));

const paperArb = fc
  .record(
    {
      kind: fc.constantFrom('arxiv', 'doi', 'title'),
      n: fc.integer({ min: 1, max: 99_999 }),
      title: oddText.filter((t) => t.length <= 2000),
      abstract: fc.option(fc.string({ maxLength: 3000 }), { nil: undefined }),
      authors: fc.array(
        oddText.map((s) => s.slice(0, 500)),
        { maxLength: 6 },
      ),
      year: fc.option(fc.integer({ min: 1900, max: 2100 }), { nil: undefined }),
      link: fc.option(url, { nil: undefined }),
      savedAt: fc.option(timestamp, { nil: undefined }),
      state: fc.option(fc.constantFrom('inbox', 'to-read', 'reading', 'done'), { nil: undefined }),
      tags: fc.option(tags, { nil: undefined }),
      note: fc.option(
        longNote.filter((s) => s.length <= 20_000),
        { nil: undefined },
      ),
      noteAt: fc.option(timestamp, { nil: undefined }),
      firstSeenAt: timestamp,
      lastSeenAt: timestamp,
      updatedAt: timestamp,
      extra: fc.option(jsonValue, { nil: undefined }),
    },
    { requiredKeys: ['kind', 'n', 'title', 'authors', 'firstSeenAt', 'lastSeenAt', 'updatedAt'] },
  )
  .map((r): PaperRecord => {
    const id =
      r.kind === 'arxiv'
        ? `arxiv:2401.${String(r.n).padStart(5, '0')}`
        : r.kind === 'doi'
          ? `doi:10.1234/x${r.n}`
          : `title:t${r.n}`;
    const p: PaperRecord & Record<string, unknown> = {
      id,
      aliases: [],
      titleKey: `t${r.n}`,
      title: r.title,
      authors: r.authors,
      urls: r.link ? { scholar: r.link } : {},
      firstSeenAt: r.firstSeenAt,
      lastSeenAt: r.lastSeenAt,
      updatedAt: r.updatedAt,
    };
    if (r.kind === 'arxiv') p.arxivId = id.slice(6);
    for (const k of ['abstract', 'year', 'savedAt', 'state', 'tags', 'note', 'noteAt'] as const) {
      if (r[k] !== undefined) (p as Record<string, unknown>)[k] = r[k];
    }
    if (r.extra !== undefined) p.futureField = r.extra; // a field a later version adds
    return p;
  });

const libraryArb = fc
  .record({
    papers: fc.uniqueArray(paperArb, { selector: (p) => p.id, maxLength: 12 }),
    settings: fc.uniqueArray(
      fc.record({
        key: fc.string({ minLength: 1, maxLength: 20 }),
        value: jsonValue,
      }),
      { selector: (s) => s.key, maxLength: 4 },
    ),
    sightingUrls: fc.array(url, { maxLength: 3 }),
  })
  .map((l) => ({
    ...l,
    sightings: l.papers.flatMap((p, i) =>
      l.sightingUrls.slice(0, i % 3).map((u, j) => ({
        paperId: p.id,
        url: u,
        site: 'scholar',
        firstAt: j,
        lastAt: j + 1,
        count: j + 1,
      })),
    ),
  }));

describe('JSON backup round trip (property)', () => {
  it('export → empty database → import gives back an identical library, for any library', async () => {
    await fc.assert(
      fc.asyncProperty(libraryArb, async (lib) => {
        const a = await newDb();
        await a.papers.bulkPut(lib.papers);
        await a.settings.bulkPut(lib.settings);
        await a.sightings.bulkPut(lib.sightings as never);
        const text = await backupText(a);
        const b = await newDb();
        if (lib.papers.length || lib.settings.length) await importText(b, text, 'x.backup.json');
        expect(await dump(b)).toEqual(await dump(a));
        a.close();
        b.close();
      }),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('merging a backup into a library', () => {
  const base = paper({ id: 'arxiv:2401.00001', arxivId: '2401.00001', updatedAt: 100 });

  it('newest change wins per field, using the field’s own time stamp', () => {
    const mine = {
      ...base,
      note: 'my newer note',
      noteAt: 300,
      tags: ['old'],
      tagsAt: 100,
      updatedAt: 300,
    };
    const theirs = {
      ...base,
      note: 'their older note',
      noteAt: 200,
      tags: ['new'],
      tagsAt: 250,
      updatedAt: 250,
      upvotes: 7,
    };
    const { merged, conflicts } = mergeBackupPaper(mine as never, theirs as never);
    expect(merged).toMatchObject({
      note: 'my newer note',
      noteAt: 300,
      tags: ['new'],
      tagsAt: 250,
      upvotes: 7,
      updatedAt: 300,
    });
    expect(conflicts.sort()).toEqual(['note', 'tags']);
  });

  it('never lets an absent value win, keeps saved over unsaved, spans seen times', () => {
    const mine = { ...base, abstract: 'kept', firstSeenAt: 50, lastSeenAt: 60, updatedAt: 500 };
    const theirs = {
      ...base,
      savedAt: 10,
      savedFrom: 'arxiv',
      state: 'done',
      stateAt: 20,
      firstSeenAt: 40,
      lastSeenAt: 90,
      updatedAt: 100,
    };
    const { merged } = mergeBackupPaper(mine as never, theirs as never);
    expect(merged).toMatchObject({
      abstract: 'kept',
      savedAt: 10,
      savedFrom: 'arxiv',
      state: 'done',
      firstSeenAt: 40,
      lastSeenAt: 90,
      updatedAt: 500,
    });
  });

  it('reports each replaced value and merges the rest, one transaction', async () => {
    const db = await newDb();
    await db.papers.put({
      ...base,
      note: 'written here later',
      noteAt: 900,
      title: 'Local Title',
      updatedAt: 900,
    });
    await db.sightings.put({
      paperId: base.id,
      url: 'https://arxiv.org/list/cs.LG/new',
      site: 'arxiv',
      firstAt: 5,
      lastAt: 50,
      count: 2,
    });
    const other = await newDb();
    await other.papers.put({
      ...base,
      note: 'written there',
      noteAt: 400,
      title: 'Backup Title',
      tags: ['x'],
      tagsAt: 400,
      updatedAt: 400,
    });
    await other.sightings.put({
      paperId: base.id,
      url: 'https://arxiv.org/list/cs.LG/new',
      site: 'arxiv',
      firstAt: 1,
      lastAt: 40,
      count: 7,
    });
    const { report } = await importText(db, await backupText(other), 'b.json');
    const rec = await db.papers.get(base.id);
    expect(rec).toMatchObject({ note: 'written here later', title: 'Local Title', tags: ['x'] });
    expect(await storedSightings(db)).toEqual([
      {
        paperId: base.id,
        url: 'https://arxiv.org/list/cs.LG/new',
        site: 'arxiv',
        firstAt: 1,
        lastAt: 50,
        count: 7,
      },
    ]);
    expect(report.tables.papers).toMatchObject({ merged: 1 });
    expect(report.issues.filter((i) => i.kind === 'conflict').map((i) => i.message)).toEqual([
      expect.stringMatching(/^title differs .*kept this browser’s/),
      expect.stringMatching(/^note differs .*kept this browser’s/),
    ]);
  });

  it('a provisional record in the library moves to the backup’s real id, sightings follow', async () => {
    const db = await newDb();
    const tk = 'scaling laws for neural language models';
    await db.papers.put(
      paper({
        id: `title:${tk}`,
        titleKey: tk,
        title: 'Scaling Laws for Neural Language Models',
        note: 'from scholar',
      }),
    );
    await db.sightings.put({
      paperId: `title:${tk}`,
      url: 'https://scholar.google.com/scholar?q=scaling',
      site: 'scholar',
      firstAt: 1,
      lastAt: 2,
      count: 1,
    });
    const other = await newDb();
    await other.papers.put(
      paper({
        id: 'arxiv:2001.08361',
        arxivId: '2001.08361',
        titleKey: tk,
        title: 'Scaling Laws for Neural Language Models',
        savedAt: 5,
        updatedAt: 1_800_000_000_000,
      }),
    );
    const { report, env } = await importText(db, await backupText(other), 'b.json');
    const all = await db.papers.toArray();
    expect(all.map((p) => p.id)).toEqual(['arxiv:2001.08361']);
    expect(all[0]).toMatchObject({ aliases: [`title:${tk}`], note: 'from scholar', savedAt: 5 });
    expect((await storedSightings(db)).map((s) => s.paperId)).toEqual(['arxiv:2001.08361']);
    expect(report.savedChanged).toBe(1);
    expect(env.notices[0]?.changes).toEqual([
      { id: 'arxiv:2001.08361', saved: true, aliases: [`title:${tk}`] },
    ]);
  });

  it('keeps this browser’s differing settings and says so; skips tables it does not know', async () => {
    const db = await newDb();
    await db.settings.put({ key: 'historyCap', value: 1000 });
    const text = JSON.stringify({
      format: BACKUP_FORMAT,
      version: 1,
      tables: {
        settings: [
          { key: 'historyCap', value: 9000 },
          { key: 'historyEnabled', value: false },
        ],
        topics: [{ id: 't1', name: 'From the future' }],
      },
    });
    const { report } = await importText(db, text, 'future.backup.json');
    expect(await db.settings.toArray()).toEqual([
      { key: 'historyCap', value: 1000 },
      { key: 'historyEnabled', value: false },
    ]);
    expect(report.tables.topics).toEqual({ added: 0, merged: 0, unchanged: 0, skipped: 1 });
    expect(report.issues.map((i) => `${i.kind} ${i.where}: ${i.message}`)).toEqual([
      'skipped table topics: 1 row not imported: this version of Paper Scout has no such table.',
      expect.stringMatching(
        /^kept settings row 1: differs from this browser’s settings row historyCap; kept this browser’s/,
      ),
    ]);
  });
});

describe('import sessions', () => {
  it('a preview and a cancel write nothing', async () => {
    const a = await newDb();
    await seed(a);
    const text = await backupText(a);
    const db = await newDb();
    const send = sender(envOf(db));
    const parsed = await parseImport(text, 'b.json');
    const id = await stageImport(parsed, send);
    const preview = await previewImport(id, parsed, send);
    expect(preview).toMatchObject({ dryRun: true, tables: { papers: { added: 2 } } });
    expect(await db.papers.count()).toBe(0);
    await cancelImport(id, send);
    expect(await send({ type: 'import/commit', importId: id })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await dump(db)).toEqual(await dump(await newDb()));
  });

  it('a row that fails validation refuses the whole import, naming the row', async () => {
    const db = await newDb();
    const before = await dump(db);
    const text = readFileSync(`${BROKEN}/backup-script-link.backup.json`, 'utf8');
    await expect(importText(db, text, 'x.json')).rejects.toThrow(
      'papers row 2 (arxiv:2401.00002): urls.arxiv: must be an http(s) URL. Nothing was written.',
    );
    expect(await dump(db)).toEqual(before);
  });

  it('only extension pages may import: a content script is refused', async () => {
    const db = await newDb();
    const env = envOf(db);
    const res = await handleMessage(
      { type: 'import/begin', mode: 'backup', source: 'x' },
      CONTENT,
      env,
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const stage = await handleMessage(
      {
        type: 'import/stage',
        importId: 'x',
        table: 'papers',
        offset: 0,
        rows: new Array(2001).fill({}),
      },
      CONTENT,
      env,
    );
    expect(stage).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('stages a large backup over several messages and commits it in one go', async () => {
    const a = await newDb();
    await a.papers.bulkPut(
      Array.from({ length: 4500 }, (_, i) =>
        paper({ id: `arxiv:2401.${String(i).padStart(5, '0')}`, abstract: 'x'.repeat(2000) }),
      ),
    );
    const db = await newDb();
    const env = envOf(db);
    const calls: string[] = [];
    const send = sender(env);
    const counting = ((req: { type: string }) => (
      calls.push(req.type),
      send(req as never)
    )) as typeof send;
    const parsed = await parseImport(await backupText(a), 'b.json');
    const id = await stageImport(parsed, counting);
    expect(calls.filter((c) => c === 'import/stage').length).toBeGreaterThanOrEqual(3);
    expect(await db.papers.count()).toBe(0);
    await send({ type: 'import/commit', importId: id });
    expect(await db.papers.count()).toBe(4500);
    expect(openSessions()).toBeLessThanOrEqual(4);
  });
});

describe('broken backups', () => {
  it.each([
    [
      'backup-truncated.broken-json',
      /^This backup is not valid JSON: .* at line \d+, column \d+.* It may be cut off/,
    ],
    [
      'backup-newer-version.backup.json',
      /^This backup was written by a newer Paper Scout \(backup format 2; this version reads up to 1\)/,
    ],
    ['backup-wrong-format.backup.json', /neither a Paper Scout backup nor CSL-JSON/],
  ])('%s is refused with a clear message', async (file, message) => {
    const text = readFileSync(`${BROKEN}/${file}`, 'utf8');
    const err = await parseImport(text, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangeError);
    expect((err as Error).message).toMatch(message);
  });

  it('serializeBackup output parses back to the same tables', async () => {
    const db = await newDb();
    await seed(db);
    const tables = await readTables(db);
    const parsed = parseBackup(serializeBackup(db, tables, { scope: 'all' }));
    expect(parsed.tables).toEqual(tables);
  });
});

describe('JSON errors say where', () => {
  it('finds the offset of the first error whatever the engine says', async () => {
    const { jsonErrorOffset } = await import('../../lib/exchange/errors');
    for (const bad of [
      '[1, 2,]',
      '{"a": 1,}',
      '{"a" 1}',
      '[1 2]',
      '{"a": tru}',
      '"abc',
      '[[[',
      '{"a": [1, {"b": "\\x"}]}',
      '[1]]',
    ]) {
      const at = jsonErrorOffset(bad);
      expect(at, bad).not.toBeNull();
      expect(() => JSON.parse(bad.slice(0, at!) + ' junk')).toThrow();
    }
    for (const good of [
      '[]',
      '{}',
      '[1, {"a": [true, null, -1.5e3, "x\\u00e9"]}]',
      ' {"a": {"b": {}}} ',
      '"s"',
      `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    ]) {
      expect(jsonErrorOffset(good), good.slice(0, 20)).toBeNull();
    }
    expect(jsonErrorOffset('[1, 2,\n]')).toBe(7);
  });
});
