/**
 * The sightings a database holds as the user's backup lists them: rows of `sightings` and those
 * records keep inline (lib/db.ts `PaperRecord.inlineSightings`). Tests of what was recorded read
 * these, so they do not depend on which of the two forms a write chose.
 */
import type { PaperScoutDB, SightingRecord } from '../../../lib/db';
import { readTables } from '../../../lib/exchange/backup';

/** Every stored sighting, as a backup would list it. */
export async function storedSightings(db: PaperScoutDB): Promise<SightingRecord[]> {
  return ((await readTables(db)).get('sightings') ?? []) as unknown as SightingRecord[];
}

/** The stored sighting of one paper on one page, if any. */
export async function storedSighting(
  db: PaperScoutDB,
  paperId: string,
  url: string,
): Promise<SightingRecord | undefined> {
  return (await storedSightings(db)).find((s) => s.paperId === paperId && s.url === url);
}
