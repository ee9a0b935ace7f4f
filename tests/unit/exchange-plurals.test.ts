/**
 * An import's messages count in words a reader expects: "1 row", not "1 rows"; a file whose one
 * entry cannot be imported says so, not "None of the 1 entries"; and counts above a thousand
 * read as the browser's locale writes them ("1.234 rows" in German). The browser's locale is
 * simulated as German; the background runs over fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { BACKUP_FORMAT } from '../../lib/exchange/backup';
import { parseImport } from '../../lib/exchange/import';
import { importText, newDb } from './exchange-helpers';
import { useBrowserLocale } from './helpers/locale';

// The browser's own locale: German (a number formatter asked for no locale gets de-DE).
useBrowserLocale('de-DE');

const backup = (tables: Record<string, unknown[]>) =>
  JSON.stringify({ format: BACKUP_FORMAT, version: 1, tables });

it('a file whose only entry cannot be imported says so', async () => {
  await expect(parseImport('@misc{a, author={X}}', 'x.bib')).rejects.toThrow(
    /^The only entry cannot be imported: BibTeX entry 1 \(“a”, line 1\) has no title; skipped\.$/,
  );
});

it('a table this version does not have counts its rows: "1 row", "1.234 rows"', async () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `t${i}` }));
  const { report } = await importText(
    await newDb(),
    backup({ topics: rows(1), futureThings: rows(1_234) }),
    'future.backup.json',
  );
  expect(report.issues.map((i) => `${i.where}: ${i.message}`)).toEqual([
    'table topics: 1 row not imported: this version of Paper Scout has no such table.',
    'table futureThings: 1.234 rows not imported: this version of Paper Scout has no such table.',
  ]);
});

it('a table no version can have ("my-notes") counts its rows the same way', async () => {
  const parsed = await parseImport(
    backup({ 'my-notes': [{ id: 'n1' }], 'my-drafts': [{ id: 'd1' }, { id: 'd2' }] }),
    'hand.backup.json',
  );
  expect(parsed.issues.map((i) => `${i.where}: ${i.message}`)).toEqual([
    'table my-notes: 1 row not imported: this version of Paper Scout has no such table.',
    'table my-drafts: 2 rows not imported: this version of Paper Scout has no such table.',
  ]);
});
