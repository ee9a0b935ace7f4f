// @vitest-environment happy-dom
/**
 * The options page counts in words that agree with the count: clearing a history of one sighting
 * says "Cleared 1 sighting and 1 unsaved paper." (it said "1 sightings and 1 unsaved papers"),
 * and an import preview of a file with one entry says "1 entry" ("1 entries"), one paper of a
 * backup "1 paper"; counts still read in the browser's locale. Messages are answered by the real
 * router over fake-indexeddb; the browser's locale is simulated as German.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { BACKUP_FORMAT } from '../../lib/exchange/backup';
import { CONTENT, envOf, OPTIONS_PAGE, paper } from './exchange-helpers';
import { useBrowserLocale } from './helpers/locale';
import { useRenderHost } from './helpers/host';

vi.mock('../../lib/rpc', () => ({
  send: async (req: unknown) =>
    structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb()))),
}));

// The browser's own locale: German (a number formatter asked for no locale gets de-DE).
useBrowserLocale('de-DE');

const { ExportImport } = await import('../../components/ExportImport');
const { Options } = await import('../../components/Options');

let host!: HTMLElement;
useRenderHost(getDb, (h) => (host = h));
const settle = async (ms = 100) => {
  for (let i = 0; i < 10; i++) await act(() => new Promise((r) => setTimeout(r, ms / 10)));
};
const button = (text: RegExp) =>
  [...host.querySelectorAll<HTMLButtonElement>('button')].find((b) => text.test(b.textContent!));

it('clearing a history of one sighting says "1 sighting and 1 unsaved paper"', async () => {
  const seen = await handleMessage(
    {
      type: 'cards/seen',
      page: {
        site: 'huggingface',
        url: 'https://huggingface.co/papers',
        kind: 'daily',
        listing: true,
        loadId: 'load-1',
      },
      cards: [
        {
          arxivId: '2401.00001',
          title: 'Seen paper',
          url: 'https://huggingface.co/papers/2401.00001',
        },
      ],
    },
    CONTENT,
    envOf(getDb()),
  );
  expect(seen.ok).toBe(true);
  await act(() => render(<Options />, host));
  await settle();
  await act(() => button(/Clear history now/)!.click());
  await settle();
  await act(() => button(/^Clear history$/)!.click());
  await settle();
  expect(host.querySelector('[role="status"]')!.textContent).toBe(
    'Cleared 1 sighting and 1 unsaved paper.',
  );
});

async function preview(text: string, name: string): Promise<string> {
  await act(() => render(<ExportImport />, host));
  await settle();
  const input = host.querySelector<HTMLInputElement>('input[name="import-file"]')!;
  Object.defineProperty(input, 'files', { value: [new File([text], name)] });
  await act(() => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  for (
    let i = 0;
    i < 20 && host.querySelector<HTMLElement>('.x-import')!.dataset.step !== 'preview';
    i++
  )
    await settle(300);
  return host.querySelector('.x-preview p')!.textContent!;
}

it('an import preview of a file with one entry says "1 entry"', async () => {
  const bib =
    '@article{k1,\n  title = {A Paper},\n  author = {Lovelace, Ada},\n  year = {2020}\n}\n';
  expect(await preview(bib, 'one.bib')).toBe(
    'one.bib (BibTeX): 1 entry. Nothing is written until you import.',
  );
});

it('an import preview of a backup with one paper says "1 paper"', async () => {
  const text = JSON.stringify({
    format: BACKUP_FORMAT,
    version: 1,
    tables: { papers: [paper({ id: 'arxiv:2401.00001', savedAt: 1 })] },
  });
  expect(await preview(text, 'one.backup.json')).toMatch(
    /^one\.backup\.json \(.*\): 1 paper\. Nothing is written until you import\.$/,
  );
});
