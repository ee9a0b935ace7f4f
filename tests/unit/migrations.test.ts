/**
 * Schema migrations: a database written by every earlier schema version opens in the current one
 * with nothing lost.
 *
 * For each version N below: a database is created by that version's own schema declaration (the
 * copy kept in SCHEMAS, checked against lib/db.ts), filled with a dump made by that version's code
 * (tests/fixtures/db-dumps/vN.json, see the README there), closed, and opened with the current
 * PaperScoutDB. Every row must still be there, field for field (or as a later version's upgrade
 * says it becomes), every index must find it, and the library must keep working on it.
 *
 * A new schema version needs: its declaration appended to SCHEMAS (exactly as in lib/db.ts, plus
 * `upgradeRow` if its upgrade function changes rows) and its dump
 * (`bash tests/fixtures/db-dumps/make-dump.sh <N> worktree`). The first two tests fail until then.
 */
import 'fake-indexeddb/auto';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Dexie, type Table } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import { PaperScoutDB, type PaperRecord } from '../../lib/db';

type Row = Record<string, unknown>;

interface SchemaVersion {
  version: number;
  /** The `stores()` argument of `this.version(N)` in lib/db.ts, verbatim. */
  stores: Record<string, string | null>;
  /**
   * What this version's upgrade function does to a row of an older database (null: the row is
   * deleted). Omitted when the version only adds tables or indexes.
   */
  upgradeRow?: (table: string, row: Row) => Row | null;
}

/** Every schema version ever declared, oldest first. Never edit an entry: append. */
const SCHEMAS: SchemaVersion[] = [
  {
    version: 1, // papers, sightings, visits, settings
    stores: {
      papers: 'id, *aliases, titleKey, savedAt, lastSeenAt',
      sightings: '[paperId+url], paperId, lastAt',
      visits: 'url',
      settings: 'key',
    },
  },
  {
    version: 2, // watch rules and their hits
    stores: {
      rules: 'id, updatedAt',
      hits: '[paperId+ruleId], ruleId, paperId, at',
    },
  },
  {
    version: 3, // papers gain a multi-entry tags index
    stores: {
      papers: 'id, *aliases, titleKey, savedAt, lastSeenAt, *tags',
    },
  },
  {
    version: 4, // sightings: only the primary key (paperId is its virtual index)
    stores: {
      sightings: '[paperId+url]',
    },
  },
  {
    // Records under keys older versions made move to their current key (lib/migrate-keys.ts);
    // the dumps hold none (tests/unit/migrations-keys.test.ts has them), so rows stay as they are.
    version: 5,
    stores: {},
  },
];

interface Dump {
  version: number;
  madeBy: string;
  requests: string[];
  tables: Record<string, Row[]>;
}

const dumpPath = (v: number) => resolve('tests/fixtures/db-dumps', `v${v}.json`);
const loadDump = (v: number) => JSON.parse(readFileSync(dumpPath(v), 'utf8')) as Dump;

/** Dexie's record of what each `version(N).stores()` declared (internal, stable since Dexie 2). */
function declaredVersions(db: Dexie): Array<{ version: number; stores: Record<string, string> }> {
  const versions = (db as unknown as { _versions: Array<{ _cfg: Record<string, unknown> }> })
    ._versions;
  return versions.map((v) => ({
    version: v._cfg.version as number,
    stores: v._cfg.storesSource as Record<string, string>,
  }));
}

const open: Dexie[] = [];
let n = 0;
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** Creates a database the way the code of `version` did, and fills it with that version's dump. */
async function writtenBy(version: number): Promise<{ name: string; dump: Dump }> {
  const name = `migrate-v${version}-${n++}`;
  const old = new Dexie(name);
  for (const s of SCHEMAS.filter((x) => x.version <= version))
    old.version(s.version).stores(s.stores);
  await old.open();
  const dump = loadDump(version);
  await old.transaction('rw', old.tables, async () => {
    for (const [table, rows] of Object.entries(dump.tables)) await old.table(table).bulkAdd(rows);
  });
  old.close();
  return { name, dump };
}

/** The rows the current schema should hold for a dump made at `version`. */
function expectedRows(version: number, dump: Dump): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const [table, rows] of Object.entries(dump.tables)) {
    let list = rows;
    for (const s of SCHEMAS.filter((x) => x.version > version && x.upgradeRow))
      list = list.map((r) => s.upgradeRow!(table, r)).filter((r): r is Row => r !== null);
    out[table] = list;
  }
  return out;
}

async function current(name: string): Promise<PaperScoutDB> {
  const db = new PaperScoutDB(name);
  open.push(db);
  await db.open();
  return db;
}

const keyOf = (table: Table, row: Row): unknown => {
  const kp = table.schema.primKey.keyPath;
  return Array.isArray(kp) ? kp.map((k) => row[k]) : row[kp as string];
};

describe('schema declarations', () => {
  it('SCHEMAS declares every version exactly as lib/db.ts does', () => {
    const code = declaredVersions(new PaperScoutDB('declarations'));
    expect(
      SCHEMAS.map((s) => ({ version: s.version, stores: s.stores })),
      'append the new version to SCHEMAS; never change an old one',
    ).toEqual(code);
  });

  it.each(SCHEMAS.map((s) => s.version))('v%i has a dump made by its own code', (v) => {
    expect(
      existsSync(dumpPath(v)),
      `run: bash tests/fixtures/db-dumps/make-dump.sh ${v} <commit of v${v}, or worktree>`,
    ).toBe(true);
    const dump = loadDump(v);
    expect(dump.version).toBe(v);
    expect(dump.madeBy).toMatch(/^(commit [0-9a-f]{7,}|working tree of \d{4}-\d{2}-\d{2})$/);
    expect(dump.tables.papers?.length).toBeGreaterThan(0);
  });
});

describe.each(SCHEMAS.map((s) => s.version))('a database written by schema v%i', (version) => {
  it('opens in the current schema with every row intact', async () => {
    const { name, dump } = await writtenBy(version);
    const db = await current(name);
    expect(db.verno).toBe(SCHEMAS.at(-1)!.version);
    const want = expectedRows(version, dump);
    for (const [table, rows] of Object.entries(want)) {
      expect(await db.table(table).toArray(), `table ${table}`).toEqual(rows);
    }
    // Tables added since are there, empty.
    for (const t of db.tables)
      if (!(t.name in want)) expect(await t.count(), `new table ${t.name}`).toBe(0);
  });

  it('finds every row through every index of the current schema (new indexes included)', async () => {
    const { name, dump } = await writtenBy(version);
    const db = await current(name);
    const want = expectedRows(version, dump);
    for (const table of db.tables) {
      const rows = want[table.name] ?? [];
      for (const index of table.schema.indexes) {
        for (const row of rows) {
          const kp = index.keyPath;
          const values: unknown[] = Array.isArray(kp)
            ? [kp.map((k) => row[k])]
            : index.multi
              ? ((row[kp as string] as unknown[] | undefined) ?? [])
              : row[kp as string] === undefined
                ? []
                : [row[kp as string]];
          for (const v of values) {
            const keys = await table
              .where(index.name)
              .equals(v as string)
              .primaryKeys();
            expect(
              keys.map((k) => JSON.stringify(k)),
              `${table.name}.${index.name} = ${JSON.stringify(v)}`,
            ).toContain(JSON.stringify(keyOf(table, row)));
          }
        }
      }
    }
  });

  it('keeps working: cards, saves and notes on old records', async () => {
    const { name } = await writtenBy(version);
    const db = await current(name);
    const EXT = 'migrationsmigrat';
    const env: RouterEnv = {
      db,
      extensionId: EXT,
      extensionOrigin: `chrome-extension://${EXT}/`,
      notify: () => {},
    };
    const popup: SenderInfo = { id: EXT, url: `chrome-extension://${EXT}/popup.html` };
    const hf: SenderInfo = { id: EXT, url: 'https://huggingface.co/papers', tab: { id: 1 } };
    const saved = (await db.papers.orderBy('savedAt').toArray()).filter(
      (p): p is PaperRecord & { arxivId: string } => !!p.arxivId && p.id.startsWith('arxiv:'),
    );
    const before = saved[0];
    expect(before, 'the dump has a saved arXiv paper').toBeTruthy();
    const card = {
      arxivId: before!.arxivId,
      title: before!.title,
      url: `https://huggingface.co/papers/${before!.arxivId}`,
    };
    const seen = await handleMessage(
      {
        type: 'cards/seen',
        page: {
          url: hf.url,
          site: 'huggingface',
          kind: 'daily',
          listing: true,
          loadId: 'after-migration',
        },
        cards: [card],
      },
      hf,
      env,
    );
    expect(seen).toMatchObject({
      ok: true,
      value: { cards: [{ id: before!.id, saved: true, seen: true }] },
    });
    const noted = await handleMessage(
      { type: 'paper/annotate', id: before!.id, tags: [...(before!.tags ?? []), 'migrated'] },
      popup,
      env,
    );
    expect(noted.ok).toBe(true);
    const after = await db.papers.get(before!.id);
    expect(after).toMatchObject({ savedAt: before!.savedAt, title: before!.title });
    if (before!.note) expect(after?.note).toBe(before!.note);
    expect(await db.papers.where('tags').equals('migrated').primaryKeys()).toEqual([before!.id]);
    const unsaved = await handleMessage(
      { type: 'paper/setSavedById', id: before!.id, saved: false },
      popup,
      env,
    );
    expect(unsaved).toMatchObject({ ok: true, value: { saved: false } });
  });
});
