// @vitest-environment happy-dom
/**
 * The options page's counts read as numbers do in the user's language, as the reading list's do:
 * in a German browser, 1,234 papers show as "1.234" — not "1,234", which a German reader takes
 * for one point two — on the Export button, in an import's preview (the line and the table), in
 * the message after an export, and in the history cap's hint. Messages are answered by the real
 * router over fake-indexeddb; the browser's locale is simulated as German.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { envOf, OPTIONS_PAGE, paper } from './exchange-helpers';
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

const N = 1_234;
let host!: HTMLElement;
useRenderHost(getDb, (h) => (host = h));
const settle = async (ms = 100) => {
  for (let i = 0; i < 10; i++) await act(() => new Promise((r) => setTimeout(r, ms / 10)));
};
const $ = <T extends Element = HTMLElement>(sel: string) => host.querySelector<T>(sel);

it('the Export button and the message after an export count papers in the browser locale', async () => {
  await getDb().papers.bulkPut(
    Array.from({ length: N }, (_, i) =>
      paper({ id: `arxiv:2001.${String(i).padStart(5, '0')}`, savedAt: i + 1 }),
    ),
  );
  URL.createObjectURL ??= () => 'blob:x';
  URL.revokeObjectURL ??= () => {};
  await act(() => render(<ExportImport />, host));
  await settle(300);
  const button = $<HTMLButtonElement>('[data-action="export"]')!;
  expect(button.textContent).toBe('Export 1.234 papers');
  await act(() => button.click());
  await settle(500);
  expect($('[data-status="export"]')!.textContent).toMatch(/^Exported 1\.234 papers to /);
});

it('an import preview counts entries in the browser locale', async () => {
  const bib = Array.from(
    { length: N },
    (_, i) =>
      `@article{k${i},\n  title = {A Distinct Paper Number ${i}},\n  author = {Lovelace, Ada},\n  year = {2020}\n}\n`,
  ).join('\n');
  await act(() => render(<ExportImport />, host));
  await settle();
  const input = $<HTMLInputElement>('input[name="import-file"]')!;
  Object.defineProperty(input, 'files', { value: [new File([bib], 'big.bib')] });
  await act(() => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  for (let i = 0; i < 20 && $('.x-import')!.dataset.step !== 'preview'; i++) await settle(300);
  expect($('.x-preview p')!.textContent).toContain('1.234 entries');
  expect($('[data-table="papers"] [data-count="added"]')!.textContent).toBe('1.234');
});

it('the history cap hint gives its bounds in the browser locale', async () => {
  await act(() => render(<Options />, host));
  await settle();
  const cap = $<HTMLInputElement>('input[name="historyCap"]')!;
  cap.value = '5';
  await act(() => {
    cap.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
  expect(host.textContent).toContain('from 100 to 10.000.000; the cap stays at 100.000.');
});
