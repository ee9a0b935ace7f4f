/**
 * A paper first recorded on a page keeps that sighting in its record (lib/db.ts
 * `PaperRecord.inlineSightings`) instead of a row of its own: a 1,000-card listing of new papers
 * writes 1,000 records, not 2,000 rows. What the user sees does not change: the page is counted
 * as seen, backups list the sighting as before, clearing history forgets it.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PaperScoutDB } from '../../lib/db';
import { readTables, serializeBackup } from '../../lib/exchange/backup';
import { clearHistory, recordCards, setSaved } from '../../lib/library';
import { PAGES, listingCard } from './helpers/library';
import { importText, newDb } from './exchange-helpers';
import { storedSighting, storedSightings } from './helpers/sightings';

const NOW = 1_900_000_000_000;
const page = PAGES.arxivNew;
const card = listingCard;
const id = (i: number) => `arxiv:2401.${String(i).padStart(5, '0')}`;

let db: PaperScoutDB;
beforeEach(async () => {
  db = await newDb();
});

const backupOf = async (d: PaperScoutDB) =>
  serializeBackup(d, await readTables(d), { scope: 'all', now: new Date(NOW) });

describe('sightings of papers first recorded on a page', () => {
  it('are recorded without a sighting row, and a backup lists them as rows', async () => {
    await recordCards(db, page, [card(1), card(2), card(3)], NOW);
    expect(await db.sightings.count()).toBe(0);
    expect(await storedSightings(db)).toEqual(
      [1, 2, 3].map((i) => ({
        paperId: id(i),
        url: page.url,
        site: 'arxiv',
        firstAt: NOW,
        lastAt: NOW,
        count: 1,
      })),
    );
    const file = JSON.parse(await backupOf(db)) as {
      tables: { papers: Record<string, unknown>[]; sightings: unknown[] };
      counts: Record<string, number>;
    };
    expect(file.tables.sightings).toHaveLength(3);
    expect(file.counts.sightings).toBe(3);
    expect(file.tables.papers.some((p) => 'inlineSightings' in p)).toBe(false);
  });

  it('stay in the record when the page is seen again hours later, counted twice', async () => {
    await recordCards(db, page, [card(1), card(2)], NOW);
    const later = NOW + 3 * 60 * 60 * 1000;
    const again = await recordCards(db, { ...page, loadId: 'later' }, [card(1), card(2)], later);
    expect(again.map((s) => s.seen)).toEqual([true, true]);
    expect(await db.sightings.count()).toBe(0);
    expect(await storedSighting(db, id(1), page.url)).toMatchObject({
      firstAt: NOW,
      lastAt: later,
      count: 2,
    });
    // The same load reporting its cards again (a page that scrolled in more) counts nothing twice.
    await recordCards(db, { ...page, loadId: 'later' }, [card(1)], later + 5);
    expect(await storedSighting(db, id(1), page.url)).toMatchObject({ count: 2 });
  });

  it('show the page as seen and its new papers as new on the next visit', async () => {
    await recordCards(db, page, [card(1)], NOW);
    const next = await recordCards(db, { ...page, loadId: 'second' }, [card(1), card(2)], NOW + 10);
    expect(next.map((s) => [s.seen, s.isNew])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('restore into an empty library, and a backup imported back counts nothing twice', async () => {
    await recordCards(db, page, [card(1), card(2)], NOW);
    const text = await backupOf(db);
    const fresh = await newDb();
    await importText(fresh, text, 'b.json');
    expect(await storedSightings(fresh)).toEqual(await storedSightings(db));
    await importText(db, text, 'b.json');
    expect(await storedSighting(db, id(1), page.url)).toMatchObject({ count: 1, firstAt: NOW });
    expect(await storedSightings(db)).toHaveLength(2);
  });

  it('are forgotten with the history, also by the saved papers that keep their record', async () => {
    await recordCards(db, page, [card(1), card(2)], NOW);
    await setSaved(db, card(1), 'arxiv', true);
    expect(await clearHistory(db)).toEqual({ removedPapers: 1, removedSightings: 2 });
    expect(await storedSightings(db)).toEqual([]);
    const kept = await db.papers.get(id(1));
    expect(kept?.savedAt).toBeDefined();
    expect(kept?.inlineSightings).toBeUndefined();
  });
});
