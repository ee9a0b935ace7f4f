// @vitest-environment happy-dom
/**
 * The popup's Export menu says how many papers went into the file as the reading list counts
 * them: 1,234 saved papers read "1.234 papers → …" in a German browser — not "1234", without
 * the thousands separator the rest of the popup shows. The browser's locale is simulated as German.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, it } from 'vitest';
import { ExportMenu } from '../../components/exchange/ExportMenu';
import { getDb } from '../../lib/db';
import { paper } from './exchange-helpers';
import { useBrowserLocale } from './helpers/locale';

// The browser's own locale: German (a number formatter asked for no locale gets de-DE).
useBrowserLocale('de-DE');

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});

it('counts the exported papers with the browser locale’s separators', async () => {
  await getDb().open();
  await Promise.all(getDb().tables.map((t) => t.clear()));
  await getDb().papers.bulkPut(
    Array.from({ length: 1_234 }, (_, i) =>
      paper({ id: `arxiv:2001.${String(i).padStart(5, '0')}`, savedAt: i + 1 }),
    ),
  );
  URL.createObjectURL ??= () => 'blob:x';
  URL.revokeObjectURL ??= () => {};
  host = document.createElement('div');
  document.body.append(host);
  await act(() => render(<ExportMenu />, host));
  await act(() => host.querySelector<HTMLButtonElement>('[data-format="bibtex"]')!.click());
  let status = '';
  for (let i = 0; i < 50 && !/→/.test(status); i++) {
    await act(() => new Promise((r) => setTimeout(r, 20)));
    status = host.querySelector('[role="status"]')?.textContent ?? '';
  }
  expect(status).toMatch(/^1\.234 papers → paper-scout-/);
});
