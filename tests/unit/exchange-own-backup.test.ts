/**
 * A library built through the real messages (cards from every site with odd text at the limits,
 * saves, notes, tags, watch rules) backs up and restores: the restore is never refused, and no
 * saved paper, note or tag of the library is missing from the restored one. Seeded, so a failure
 * names its seed and replays.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { handleMessage, type SenderInfo } from '../../lib/background/router';
import type { PaperRecord } from '../../lib/db';
import { BACKUP_FORMAT, readTables, serializeBackup } from '../../lib/exchange/backup';
import { LIMITS } from '../../lib/limits';
import { envOf, importText, newDb, paper } from './exchange-helpers';
import { rng } from './seeded';

/** Characters that grow under NFKD (ﷺ ﬃ), change under case mapping (İ), TeX, bidi, surrogates. */
const CHARS = ['a', 'b', ' ', '\ufdfa', '\ufb03', 'İ', '\u202e', '\ud800', 'é', '$', '\\', '{'];
const SITES = [
  ['huggingface', 'https://huggingface.co/papers'],
  ['arxiv', 'https://arxiv.org/list/cs.LG/new'],
  ['scholar', 'https://scholar.google.com/scholar?q=x'],
  ['acl', 'https://aclanthology.org/events/acl-2024/'],
] as const;
const EXT = 'abcdefghijklmnop';
const POPUP: SenderInfo = { id: EXT, url: `chrome-extension://${EXT}/popup.html` };

/** Every saved id, note and tag of a library, each under every key its record answers to. */
function keep(papers: PaperRecord[]) {
  const byKey = new Map<string, PaperRecord>();
  for (const p of papers) for (const k of [p.id, ...p.aliases]) byKey.set(k, p);
  return byKey;
}

async function library(seed: number) {
  const r = rng(seed);
  const text = (max: number) =>
    Array.from({ length: r.chance(0.2) ? max : r.int(20) }, () => r.pick(CHARS)).join('');
  const db = await newDb();
  const env = envOf(db);
  for (let round = 0; round < 6; round++) {
    const [site, url] = r.pick(SITES);
    const from: SenderInfo = { id: EXT, url, tab: { id: 1 } };
    const cards = Array.from({ length: 1 + r.int(6) }, () => {
      const c: Record<string, unknown> = {
        title: r.chance(0.5)
          ? r.pick(['Deep Learning For Cats', 'A Study Of Things', 'Intro'])
          : text(LIMITS.title) || 'x',
        url: `https://a.org/${r.int(5)}`,
      };
      if (r.chance(0.5)) c.arxivId = r.pick(['2401.00001', '2401.00002', '2401.00003']);
      if (r.chance(0.3)) c.doi = r.pick(['10.1/a', '10.18653/v1/2024.acl-long.1']);
      if (r.chance(0.3)) c.aclId = r.pick(['2024.acl-long.1', '2024.acl-long.2']);
      if (r.chance(0.3))
        c.keywords = Array.from({ length: r.pick([1, 256]) }, (_, i) => `k${r.int(1000)}-${i}`);
      if (r.chance(0.3)) c.authors = Array.from({ length: r.pick([1, 50]) }, () => text(512));
      if (r.chance(0.3)) c.abstract = text(LIMITS.abstract);
      return c;
    });
    const page = { url, site, kind: 'list', listing: true, loadId: `l${round}` };
    expect(await handleMessage({ type: 'cards/seen', page, cards }, from, env)).toMatchObject({
      ok: true,
    });
    for (const paper of cards)
      if (r.chance(0.4))
        await handleMessage({ type: 'paper/setSaved', paper, site, saved: true }, from, env);
    for (const id of (await db.papers.toCollection().primaryKeys()) as string[]) {
      if (!r.chance(0.3)) continue;
      const tags = Array.from({ length: r.pick([1, 64]) }, () => text(64));
      await handleMessage({ type: 'paper/annotate', id, note: text(20_000), tags }, POPUP, env);
    }
    if (r.chance(0.3)) {
      const rule = {
        name: text(200) || ' ',
        kind: r.pick(['words', 'author']),
        terms: [text(300) || ' '],
        exclude: [],
        color: '#AA0000',
        paused: false,
      };
      await handleMessage({ type: 'rules/save', rule }, POPUP, env);
    }
  }
  return db;
}

describe('the backup of a library built through the real messages', () => {
  it('restores, with every saved paper, note and tag', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const db = await library(seed);
      const fresh = await newDb();
      try {
        await importText(
          fresh,
          serializeBackup(db, await readTables(db), { scope: 'all' }),
          'b.json',
        );
        const after = keep(await fresh.papers.toArray());
        for (const p of await db.papers.toArray()) {
          const q = after.get(p.id);
          expect(q, p.id).toBeDefined();
          if (p.savedAt !== undefined) expect(q!.savedAt).toBeDefined();
          if (p.note) expect(q!.note).toContain(p.note);
          for (const t of p.tags ?? []) expect(q!.tags).toContain(t);
        }
        expect(await fresh.rules.count()).toBe(await db.rules.count());
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}`, { cause: e });
      }
    }
  }, 120_000);
});

describe('two records of one library that share a key', () => {
  it('restore as one paper with both notes and both tag lists (one note was dropped)', async () => {
    const db = await newDb();
    const text = JSON.stringify({
      format: BACKUP_FORMAT,
      version: 1,
      tables: {
        papers: [
          paper({
            id: 'arxiv:2401.00001',
            aliases: ['acl:2024.acl-long.1'],
            note: 'first paper notes',
            noteAt: 2,
            tags: ['a'],
            tagsAt: 2,
            savedAt: 1,
          }),
          // The same paper filed under its DOI (two records with different arXiv ids would be
          // two papers, kept apart: tests/unit/exchange-contradictions.test.ts).
          paper({
            id: 'doi:10.18653/v1/2024.acl-long.1',
            aliases: ['acl:2024.acl-long.1'],
            note: 'second paper notes',
            noteAt: 1,
            tags: ['b'],
            tagsAt: 1,
          }),
          // A third whose note was cleared later: that says nothing of the others' notes.
          paper({ id: 'acl:2024.acl-long.1', noteAt: 3, updatedAt: 1_800_000_000_000 }),
        ],
      },
    });
    await importText(db, text, 'mine.backup.json');
    const all = await db.papers.toArray();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      note: 'first paper notes\n\nsecond paper notes',
      tags: ['a', 'b'],
      savedAt: 1,
    });
  });
});

describe('a card naming both the arXiv id and the ACL id of two records', () => {
  it('joins them into one record, note kept (the ACL record lived on beside it)', async () => {
    const db = await newDb();
    const env = envOf(db);
    const arxiv: SenderInfo = { id: EXT, url: 'https://arxiv.org/list/cs.CL/new', tab: { id: 1 } };
    const page = (loadId: string) => ({
      url: arxiv.url!,
      site: 'arxiv',
      kind: 'list',
      listing: true,
      loadId,
    });
    const acl = {
      title: 'Deep Learning For Cats',
      url: 'https://arxiv.org/abs/x',
      aclId: '2024.acl-long.1',
    };
    const withArxiv = {
      title: 'A Study Of Things',
      url: 'https://arxiv.org/abs/x',
      arxivId: '2401.00001',
    };
    await handleMessage(
      { type: 'cards/seen', page: page('a'), cards: [acl, withArxiv] },
      arxiv,
      env,
    );
    await handleMessage(
      { type: 'paper/annotate', id: 'acl:2024.acl-long.1', note: 'acl notes' },
      POPUP,
      env,
    );
    await handleMessage(
      { type: 'cards/seen', page: page('b'), cards: [{ ...withArxiv, aclId: '2024.acl-long.1' }] },
      arxiv,
      env,
    );
    const all = await db.papers.toArray();
    expect(all.map((p) => [p.id, p.aliases])).toEqual([
      ['arxiv:2401.00001', ['acl:2024.acl-long.1']],
    ]);
    expect(all[0]!.note).toBe('acl notes');
  });
});
