/**
 * The reading list's data layer against fake-indexeddb: notes, tags and states with their
 * timestamps, the tag vocabulary, bulk changes and their undo, and the messages that carry them
 * (who may send them, what a card's note panel may read and write); the popup's first rows read
 * without Dexie.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import { PaperScoutDB, type PaperRecord } from '../../lib/db';
import { LIBRARY_DB, readFirstRecords } from '../../lib/firstrows';
import { recordCards, setSaved, setSavedById } from '../../lib/library';
import type { ChangedNotice, WireCandidate } from '../../lib/messages';
import {
  allTags,
  annotate,
  applyAnnotation,
  bulkChange,
  nextState,
  normalizeTags,
  restore,
} from '../../lib/readinglist';

let db: PaperScoutDB;
let n = 0;
beforeEach(async () => {
  db = new PaperScoutDB(`rl-${n++}`);
  await db.open();
});

const paper = (i: number, over: Partial<WireCandidate> = {}): WireCandidate => ({
  arxivId: `2401.${String(i).padStart(5, '0')}`,
  title: `Paper number ${i} about things`,
  url: `https://huggingface.co/papers/2401.${String(i).padStart(5, '0')}`,
  ...over,
});
const idOf = (i: number) => `arxiv:2401.${String(i).padStart(5, '0')}`;

async function saveMany(count: number): Promise<void> {
  for (let i = 1; i <= count; i++) await setSaved(db, paper(i), 'huggingface', true, 1_000 + i);
}

describe('note, tags and state', () => {
  it('stamps each change with its own time and leaves the others alone', async () => {
    await saveMany(1);
    const a = await annotate(db, idOf(1), { note: 'Read §3\nthen the appendix' }, 5_000);
    expect(a).toMatchObject({
      note: 'Read §3\nthen the appendix',
      noteAt: 5_000,
      updatedAt: 5_000,
    });
    expect(a?.tagsAt).toBeUndefined();
    const b = await annotate(db, idOf(1), { tags: ['RLHF', ' reward  models '] }, 6_000);
    expect(b).toMatchObject({ tags: ['RLHF', 'reward models'], tagsAt: 6_000, noteAt: 5_000 });
    const c = await annotate(db, idOf(1), { state: 'reading' }, 7_000);
    expect(c).toMatchObject({ state: 'reading', stateAt: 7_000, tagsAt: 6_000, noteAt: 5_000 });
    const stored = await db.papers.get(idOf(1));
    expect(stored).toMatchObject({ note: 'Read §3\nthen the appendix', state: 'reading' });
  });

  it('writes nothing (and stamps nothing) when the value does not change', async () => {
    await saveMany(1);
    await annotate(db, idOf(1), { note: 'x', tags: ['a'], state: 'done' }, 5_000);
    const again = await annotate(db, idOf(1), { note: 'x', tags: ['a'], state: 'done' }, 9_000);
    expect(again).toMatchObject({ noteAt: 5_000, tagsAt: 5_000, stateAt: 5_000, updatedAt: 5_000 });
  });

  it('removes an emptied note and empty tags, and finds a paper by alias', async () => {
    const rec = await setSaved(
      db,
      paper(1, { arxivId: undefined, doi: '10.1234/ABC' }),
      'scholar',
      true,
    );
    expect(rec.id).toBe('doi:10.1234/abc');
    // The same paper later seen with its arXiv id too: that key becomes an alias of the record.
    await setSaved(db, paper(1, { doi: '10.1234/abc' }), 'arxiv', true);
    const viaAlias = await annotate(db, idOf(1), { note: 'hello', tags: ['x'] }, 5_000);
    expect(viaAlias?.id).toBe('doi:10.1234/abc');
    const cleared = await annotate(db, 'doi:10.1234/abc', { note: '   ', tags: [] }, 6_000);
    expect(cleared?.note).toBeUndefined();
    expect(cleared?.tags).toBeUndefined();
    expect(cleared).toMatchObject({ noteAt: 6_000, tagsAt: 6_000 });
    expect(await annotate(db, 'arxiv:9999.99999', { note: 'no' })).toBeNull();
  });

  it('keeps notes and tags when a paper is unsaved, and a saved paper starts in the inbox', async () => {
    await saveMany(1);
    expect((await db.papers.get(idOf(1)))?.state).toBe('inbox');
    await annotate(db, idOf(1), { note: 'keep me', tags: ['t'] });
    await setSavedById(db, idOf(1), false);
    expect(await db.papers.get(idOf(1))).toMatchObject({ note: 'keep me', tags: ['t'] });
  });

  it('normalizes tags: trims, collapses spaces, drops empty and case-duplicates', () => {
    expect(normalizeTags([' a  b ', 'A B', '', 'c', 'x'.repeat(100)])).toEqual([
      'a b',
      'c',
      'x'.repeat(64),
    ]);
  });

  it('cycles states inbox → to read → reading → done → inbox', () => {
    expect(nextState(undefined)).toBe('to-read');
    expect(nextState('to-read')).toBe('reading');
    expect(nextState('reading')).toBe('done');
    expect(nextState('done')).toBe('inbox');
  });

  it('applyAnnotation is pure and returns the same object when nothing changes', () => {
    const rec = { id: 'x', note: 'a', tags: ['t'], state: 'inbox' } as PaperRecord;
    expect(applyAnnotation(rec, { note: 'a', tags: ['t'], state: 'inbox' }, 1)).toBe(rec);
    expect(rec.note).toBe('a');
  });

  it('lists every tag in use once, sorted ignoring case', async () => {
    await saveMany(3);
    await annotate(db, idOf(1), { tags: ['vision', 'RL'] });
    await annotate(db, idOf(2), { tags: ['rl', 'Agents'] });
    expect(await allTags(db)).toEqual(['Agents', 'RL', 'vision']);
  });
});

describe('bulk changes and undo', () => {
  it('changes the state of many papers and undoes it exactly', async () => {
    await saveMany(4);
    await annotate(db, idOf(2), { state: 'reading' }, 2_000);
    const res = await bulkChange(
      db,
      [idOf(1), idOf(2), idOf(3)],
      { kind: 'state', state: 'done' },
      3_000,
    );
    expect(res.changed.map((r) => r.id).sort()).toEqual([idOf(1), idOf(2), idOf(3)]);
    expect((await db.papers.get(idOf(3)))?.state).toBe('done');
    expect(res.undo).toContainEqual({ id: idOf(2), state: 'reading', stateAt: 2_000 });
    expect(res.undo).toContainEqual({ id: idOf(1), state: 'inbox', stateAt: null });
    await restore(db, res.undo, 4_000);
    expect(await db.papers.get(idOf(2))).toMatchObject({ state: 'reading', stateAt: 2_000 });
    const one = await db.papers.get(idOf(1));
    expect(one?.state).toBe('inbox');
    expect(one?.stateAt).toBeUndefined();
    expect((await db.papers.get(idOf(4)))?.state).toBe('inbox');
  });

  it('adds and removes a tag over many papers, skipping papers that already match', async () => {
    await saveMany(3);
    await annotate(db, idOf(1), { tags: ['Later'] });
    const add = await bulkChange(db, [idOf(1), idOf(2), idOf(3)], { kind: 'addTag', tag: 'later' });
    expect(add.changed).toHaveLength(2);
    expect((await db.papers.get(idOf(2)))?.tags).toEqual(['later']);
    const rm = await bulkChange(db, [idOf(1), idOf(2)], { kind: 'removeTag', tag: 'LATER' });
    expect(rm.changed).toHaveLength(2);
    expect((await db.papers.get(idOf(1)))?.tags).toBeUndefined();
    await restore(db, rm.undo);
    expect((await db.papers.get(idOf(1)))?.tags).toEqual(['Later']);
    expect(await allTags(db)).toEqual(['Later']);
  });

  it('removes papers from the list and puts them back where they were', async () => {
    await saveMany(3);
    const before = await db.papers.get(idOf(2));
    const res = await bulkChange(db, [idOf(2), idOf(3), 'arxiv:0000.00000'], { kind: 'unsave' });
    expect(res.changed).toHaveLength(2);
    expect(await db.papers.where('savedAt').above(0).count()).toBe(1);
    await restore(db, res.undo);
    const back = await db.papers.get(idOf(2));
    expect(back?.savedAt).toBe(before?.savedAt);
    expect(back?.savedFrom).toBe('huggingface');
    const order = await db.papers.orderBy('savedAt').reverse().primaryKeys();
    expect(order).toEqual([idOf(3), idOf(2), idOf(1)]);
  });
});

describe('reading-list messages', () => {
  const EXT = 'abcdefghijklmnop';
  const ORIGIN = `chrome-extension://${EXT}/`;
  const content: SenderInfo = { id: EXT, url: 'https://huggingface.co/papers', tab: { id: 3 } };
  const popup: SenderInfo = { id: EXT, url: `${ORIGIN}popup.html` };
  let env: RouterEnv;
  let notices: ChangedNotice[];
  beforeEach(() => {
    notices = [];
    env = {
      db,
      extensionId: EXT,
      extensionOrigin: ORIGIN,
      notify: (x) => {
        if (x.type === 'papers/changed') notices.push(x);
      },
    };
  });
  const card = (i: number) => ({ paper: paper(i), site: 'huggingface' as const });

  it('a card annotates the paper it shows and saves it; the popup sees the note', async () => {
    await recordCards(
      db,
      {
        url: 'https://huggingface.co/papers',
        site: 'huggingface',
        kind: 'daily',
        listing: true,
        loadId: 'l',
      },
      [paper(1)],
    );
    const res = await handleMessage(
      { type: 'paper/annotate', id: idOf(1), note: 'from the card', tags: ['x'], card: card(1) },
      content,
      env,
    );
    expect(res).toMatchObject({
      ok: true,
      value: { id: idOf(1), saved: true, note: 'from the card', tags: ['x'] },
    });
    expect(notices).toEqual([
      { type: 'papers/changed', changes: [{ id: idOf(1), saved: true, aliases: [] }] },
    ]);
    const got = await handleMessage({ type: 'paper/get', id: idOf(1) }, popup, env);
    expect(got).toMatchObject({
      ok: true,
      value: { paper: { note: 'from the card' }, allTags: ['x'] },
    });
    // The panel's view carries the panel's fields only.
    if (got.ok && 'paper' in got.value && got.value.paper) {
      expect(Object.keys(got.value.paper).sort()).toEqual(
        ['id', 'note', 'noteAt', 'saved', 'state', 'tags', 'tagsAt', 'title'].sort(),
      );
    }
  });

  it('a card may annotate a paper that has no record yet (history off)', async () => {
    const res = await handleMessage(
      { type: 'paper/annotate', id: idOf(7), state: 'to-read', card: card(7) },
      content,
      env,
    );
    expect(res).toMatchObject({ ok: true, value: { id: idOf(7), saved: true, state: 'to-read' } });
  });

  it('refuses a card annotation without its paper, or claiming another site', async () => {
    expect(
      await handleMessage({ type: 'paper/annotate', id: idOf(1), note: 'x' }, content, env),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    const other = await handleMessage(
      { type: 'paper/annotate', id: idOf(1), note: 'x', card: { paper: paper(1), site: 'arxiv' } },
      content,
      env,
    );
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await db.papers.count()).toBe(0);
  });

  it('refuses bulk changes and restores from content scripts, and oversized notes', async () => {
    await saveMany(1);
    for (const msg of [
      { type: 'papers/bulk', ids: [idOf(1)], op: { kind: 'unsave' } },
      { type: 'papers/restore', items: [{ id: idOf(1), savedAt: null }] },
    ]) {
      expect(await handleMessage(msg, content, env)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    const big = await handleMessage(
      { type: 'paper/annotate', id: idOf(1), note: 'x'.repeat(20_001) },
      popup,
      env,
    );
    expect(big).toMatchObject({ ok: false, error: { code: 'invalid' } });
    // A note joined from two records' notes is longer: it can be edited whole, not lengthened.
    const joined = 'j'.repeat(30_000);
    await env.db.papers.update(idOf(1), { note: joined });
    const fixed = `J${joined.slice(1)}`;
    const edit = await handleMessage(
      { type: 'paper/annotate', id: idOf(1), note: fixed },
      popup,
      env,
    );
    expect(edit.ok).toBe(true);
    expect((await env.db.papers.get(idOf(1)))?.note).toBe(fixed);
    const longer = await handleMessage(
      { type: 'paper/annotate', id: idOf(1), note: `${fixed}!` },
      popup,
      env,
    );
    expect(longer).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect((await env.db.papers.get(idOf(1)))?.note).toBe(fixed);
    const badState = await handleMessage(
      { type: 'paper/annotate', id: idOf(1), state: 'later' },
      popup,
      env,
    );
    expect(badState).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('bulk unsave notifies tabs, and its undo (through a structured clone) restores it', async () => {
    await saveMany(2);
    const res = await handleMessage(
      { type: 'papers/bulk', ids: [idOf(1), idOf(2)], op: { kind: 'unsave' } },
      popup,
      env,
    );
    expect(res.ok).toBe(true);
    expect(notices.at(-1)?.changes.map((c) => c.saved)).toEqual([false, false]);
    if (!res.ok || !('undo' in res.value)) throw new Error('no undo');
    const undo = structuredClone(res.value.undo);
    const back = await handleMessage({ type: 'papers/restore', items: undo }, popup, env);
    expect(back).toEqual({ ok: true, value: { restored: 2 } });
    expect(notices.at(-1)?.changes.map((c) => c.saved)).toEqual([true, true]);
    expect(await db.papers.where('savedAt').above(0).count()).toBe(2);
  });
});

describe("the popup's first rows (lib/firstrows.ts)", () => {
  it('reads the newest saved papers as Dexie orders them, and only saved ones', async () => {
    await saveMany(30);
    // Two saved at one moment (ordered by id, as the index orders them), one seen only.
    await setSaved(db, paper(31), 'huggingface', true, 1_030);
    const page = {
      url: 'https://huggingface.co/papers',
      site: 'huggingface',
      kind: 'daily',
      listing: true,
      loadId: 'l1',
    } as const;
    await recordCards(db, page, [paper(40)], 9_000);
    expect(await db.papers.get(idOf(40))).toBeDefined();
    const want = await db.papers.orderBy('savedAt').reverse().limit(12).toArray();
    const got = await readFirstRecords(12, db.name);
    expect(got?.map((r) => r.id)).toEqual(want.map((r) => r.id));
    expect(got).toEqual(want);
    expect(got?.some((r) => r.id === idOf(40))).toBe(false);
    expect((await readFirstRecords(100, db.name))?.length).toBe(31);
  });

  it('answers the same through getAllRecords where the browser has it', async () => {
    await saveMany(5);
    const proto = IDBIndex.prototype as unknown as Record<string, unknown>;
    proto.getAllRecords = function (
      this: IDBIndex,
      o: { count: number; direction: IDBCursorDirection },
    ) {
      // What Chromium answers, built from a cursor.
      const req = { result: [] as { value: unknown }[], onsuccess: null as null | (() => void) };
      const cursor = this.openCursor(null, o.direction);
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (c && req.result.length < o.count) {
          req.result.push({ value: c.value });
          c.continue();
        } else req.onsuccess?.();
      };
      return req;
    };
    try {
      const got = await readFirstRecords(3, db.name);
      expect(got?.map((r) => r.id)).toEqual([idOf(5), idOf(4), idOf(3)]);
    } finally {
      delete proto.getAllRecords;
    }
  });

  it('never creates or upgrades a database: null when there is none, Dexie opens it later', async () => {
    expect(await readFirstRecords(10, 'no-such-library')).toBeNull();
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).not.toContain('no-such-library');
    const later = new PaperScoutDB('no-such-library');
    await later.open();
    expect(later.verno).toBe(db.verno);
    expect(await readFirstRecords(10, 'no-such-library')).toEqual([]);
    later.close();
  });

  it('does not hold up an upgrade, and reads the library by its real name', async () => {
    db.close();
    const reading = readFirstRecords(10, db.name);
    const upgraded = new PaperScoutDB(db.name);
    upgraded.version(99).stores({ extra: 'id' });
    await upgraded.open();
    expect(await reading).toEqual([]);
    upgraded.close();
    expect(new PaperScoutDB().name).toBe(LIBRARY_DB);
  });
});
