/**
 * In a browser whose locale writes other digits than English — Arabic as written in Egypt:
 * "٣٠٠" — an import's messages write every number in them in those digits, as the rest of the
 * options page does (lib/count.ts): the limits ("more than ١٠٠ deep") and the places in the file
 * ("entry ١, line ٢"), so one sentence never mixes two kinds of digits. Places have no thousands
 * separators, as an editor's line numbers have none. The browser's locale is simulated as Arabic
 * (Egypt); the background runs over fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { BACKUP_FORMAT } from '../../lib/exchange/backup';
import { parseImport } from '../../lib/exchange/import';
import { importText, newDb, paper } from './exchange-helpers';
import { useBrowserLocale } from './helpers/locale';

// The browser's own locale: Arabic as written in Egypt, with Arabic-Indic digits.
useBrowserLocale('ar-EG');

const backup = (tables: Record<string, unknown>) =>
  JSON.stringify({ format: BACKUP_FORMAT, version: 1, tables });

it('a BibTeX entry nested too deep: its place and the limit in Arabic digits', async () => {
  const bib = `@article{deep2020,\n  title = {${'{'.repeat(101)}x${'}'.repeat(101)}}\n}\n`;
  await expect(parseImport(bib, 'deep.bib')).rejects.toThrow(
    'Entry ١ (“deep2020”, line ١) nests braces more than ١٠٠ deep at line ٢; this is not a bibliography.',
  );
});

it('a skipped BibTeX entry: its place, its title length and the limit in Arabic digits', async () => {
  const bib = [
    '@article{ok,\n  title = {A Good Entry},\n  year = {2020}\n}\n',
    `@article{huge,\n  title = {${'T'.repeat(4_321)}},\n  year = {2020}\n}\n`,
  ].join('\n');
  const parsed = await parseImport(bib, 'x.bib');
  expect(parsed.issues.map((i) => `${i.where}: ${i.message}`)).toEqual([
    'BibTeX entry ٢ (“huge”, line ٦): has a title of ٤٬٣٢١ characters (at most ٢٬٠٠٠); skipped.',
  ]);
});

it('a RIS file cut off: the record and its line in Arabic digits', async () => {
  await expect(parseImport('TY  - JOUR\nTI  - A Paper\n', 'x.ris')).rejects.toThrow(
    'RIS record ١ (line ١) has no “ER  - ” line before the end of the file: the file looks cut off.',
  );
});

it('a backup that is not valid JSON: line and column in Arabic digits', async () => {
  const text = `{\n  "format": "${BACKUP_FORMAT}",\n  "version": 1,\n  "tables": {,}\n}\n`;
  await expect(parseImport(text, 'x.backup.json')).rejects.toThrow(/ at line ٤, column ١٤ /);
});

it('a backup row nested too deep: the row and the limit in Arabic digits', async () => {
  const text = backup({ papers: [] }).replace(
    '"papers":[]',
    `"papers":[{"id":"x","extra":${'['.repeat(70)}1${']'.repeat(70)}}]`,
  );
  await expect(parseImport(text, 'deep.backup.json')).rejects.toThrow(
    'Row ١ of table "papers" nests values more than ٦٤ levels deep',
  );
});

it('a backup row the background refuses: its row in Arabic digits', async () => {
  const text = backup({
    papers: [
      paper({ id: 'arxiv:2401.00001' }),
      { ...paper({ id: 'arxiv:2401.00002' }), tags: 'thesis' },
    ],
  });
  await expect(importText(await newDb(), text, 'b.backup.json')).rejects.toThrow(
    /^papers row ٢ \(arxiv:2401\.00002\): tags: /,
  );
});
