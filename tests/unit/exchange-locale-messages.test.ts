/**
 * The messages an import shows (built in lib/, read on the options page) write their numbers as
 * the rest of the page does, in the browser's locale: in a German browser "1.234 entries" and
 * "at most 2.000", not the English "1,234" and "2,000" (which a German reader takes for one point
 * two). So does the background's refusal of a note that is too long. The browser's locale is
 * simulated as German; the background runs over fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { BACKUP_FORMAT } from '../../lib/exchange/backup';
import { parseImport } from '../../lib/exchange/import';
import { describeZodError, schemaFor } from '../../lib/exchange/rows';
import { handleImport, MAX_STAGED_ROWS } from '../../lib/exchange/session';
import { envOf, importText, newDb, OPTIONS_PAGE, paper } from './exchange-helpers';
import { useBrowserLocale } from './helpers/locale';

// The browser's own locale: German (a number formatter asked for no locale gets de-DE).
useBrowserLocale('de-DE');

const N = 1_234;
const bibEntry = (i: number, fields: string) => `@article{k${i},\n${fields}  year = {2020}\n}\n`;

describe('an import’s messages in a German browser', () => {
  it('a file with nothing importable counts its entries with German separators', async () => {
    const bib = Array.from({ length: N }, (_, i) => bibEntry(i, '  author = {Lovelace, Ada},\n'));
    await expect(parseImport(bib.join('\n'), 'x.bib')).rejects.toThrow(
      /^None of the 1\.234 entries can be imported: /,
    );
  });

  it('a skipped entry’s title length and the limit read "4.321" and "2.000"', async () => {
    const bib = [
      bibEntry(0, '  title = {A Good Entry},\n'),
      bibEntry(1, `  title = {${'T'.repeat(4_321)}},\n`),
    ].join('\n');
    const parsed = await parseImport(bib, 'x.bib');
    expect(parsed.issues.map((i) => i.message)).toContain(
      'has a title of 4.321 characters (at most 2.000); skipped.',
    );
  });

  it('fields not kept are counted with German separators', async () => {
    const bib = Array.from({ length: N }, (_, i) =>
      bibEntry(i, `  title = {Paper ${i}},\n  urldate = {2020-01-01},\n`),
    );
    const parsed = await parseImport(bib.join('\n'), 'x.bib');
    expect(parsed.issues[0]!.message).toBe(
      'Not kept, Paper Scout has no place for them: urldate (1.234).',
    );
  });

  it('values cut to the limits say the limits with German separators', async () => {
    const item = {
      id: 'long',
      type: 'article-journal',
      title: 'A Paper With Much Of Everything',
      author: Array.from({ length: 5_321 }, (_, i) => ({ family: `Author${i}`, given: 'A.' })),
      abstract: 'word '.repeat(4_500),
      annote: 'note '.repeat(4_500),
    };
    const parsed = await parseImport(JSON.stringify([item]), 'x.json');
    expect(parsed.issues.map((i) => i.message)).toEqual([
      'only the first 5.000 of 5.321 authors kept.',
      'abstract cut to 20.000 characters.',
      'note cut to 20.000 characters.',
    ]);
  });

  it('a RIS value longer than a bibliography holds says "200.000 characters"', async () => {
    const ris = `TY  - JOUR\nTI  - ${'x'.repeat(200_001)}\nER  - \n`;
    await expect(parseImport(ris, 'x.ris')).rejects.toThrow(
      'is longer than 200.000 characters; this is not a bibliography.',
    );
  });

  it('places in the file keep no separator, as an editor numbers lines: "line 12345"', async () => {
    const ris = `${'\n'.repeat(12_344)}TY  - JOUR\nTI  - A Paper\n`;
    await expect(parseImport(ris, 'x.ris')).rejects.toThrow(
      'RIS record 1 (line 12345) has no “ER  - ” line before the end of the file',
    );
  });

  it('a backup row with a value out of bounds gives the bound in German: "2.000 characters"', async () => {
    const refused = async (over: Record<string, unknown>) =>
      importText(
        await newDb(),
        JSON.stringify({
          format: BACKUP_FORMAT,
          version: 1,
          tables: { papers: [{ ...paper({ id: 'arxiv:2401.00001' }), ...over }] },
        }),
        'b.backup.json',
      );
    await expect(refused({ title: 'T'.repeat(2_001) })).rejects.toThrow(
      'papers row 1 (arxiv:2401.00001): title: is longer than 2.000 characters. Nothing was written.',
    );
    await expect(refused({ authors: Array.from({ length: 5_001 }, () => 'A') })).rejects.toThrow(
      'papers row 1 (arxiv:2401.00001): authors: has more than 5.000 entries. Nothing was written.',
    );
  });

  it('a backup row with oversized unknown fields says "100.000 characters"', async () => {
    const text = JSON.stringify({
      format: BACKUP_FORMAT,
      version: 1,
      tables: { papers: [{ ...paper({ id: 'arxiv:2401.00001' }), x: 'x'.repeat(100_001) }] },
    });
    await expect(importText(await newDb(), text, 'b.backup.json')).rejects.toThrow(
      'fields this version does not know are larger than 100.000 characters',
    );
  });

  it('a huge row of a table checked generically says "1.000.000 characters"', () => {
    const r = schemaFor('a-future-table').safeParse({ x: 'x'.repeat(1_000_001) });
    expect(r.success).toBe(false);
    if (!r.success) expect(describeZodError(r.error)).toContain('1.000.000 characters');
  });

  it('a backup row larger than any row of Paper Scout says "20.000.000 characters"', async () => {
    const text = JSON.stringify({
      format: BACKUP_FORMAT,
      version: 1,
      tables: { papers: [{ ...paper({ id: 'arxiv:2401.00001' }), x: 'x'.repeat(20_000_001) }] },
    });
    await expect(importText(await newDb(), text, 'b.backup.json')).rejects.toThrow(
      'is larger than 20.000.000 characters',
    );
  });

  it('too many staged rows are refused with "2.000.000 rows"', async () => {
    const env = envOf(await newDb());
    const begun = await handleImport(
      { type: 'import/begin', mode: 'backup', source: 'b.backup.json' },
      env,
    );
    if (!begun.ok) throw new Error(begun.error.message);
    const { importId } = begun.value as { importId: string };
    const rows = new Array<Record<string, unknown>>(MAX_STAGED_ROWS + 1).fill({});
    const res = await handleImport(
      { type: 'import/stage', importId, table: 'papers', offset: 0, rows },
      env,
    );
    expect(res).toMatchObject({
      ok: false,
      error: { message: 'The file has more than 2.000.000 rows; nothing was written.' },
    });
  });
});

it('the background refuses a too-long note with "at most 20.000 characters"', async () => {
  const db = await newDb();
  await db.papers.put(paper({ id: 'arxiv:2401.00001', savedAt: 1 }));
  const res = await handleMessage(
    { type: 'paper/annotate', id: 'arxiv:2401.00001', note: 'x'.repeat(20_001) },
    OPTIONS_PAGE,
    envOf(db),
  );
  expect(res).toMatchObject({
    ok: false,
    error: { message: 'A note holds at most 20.000 characters.' },
  });
});
