// @vitest-environment happy-dom
/**
 * The reading list's counts read as numbers do in the user's language: 12,345 saved papers show
 * as "12,345 saved" in English and "12.345" in German — not "12345" — in the count line, with a
 * filter on ("6.172 of 12.345 saved"), in the selection bar ("12.345 selected", "All 12.345") and
 * in the message after a change to them all. The browser here speaks German; the list's data is
 * given directly (its store is tested elsewhere), and the background's replies are faked.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, it, vi } from 'vitest';
import type { ListRow } from '../../lib/readinglist';
import { choose } from './helpers/popup';
import { useBrowserLocale } from './helpers/locale';

const N = 12_345;
const rows: ListRow[] = Array.from({ length: N }, (_, i) => ({
  id: `arxiv:2401.${String(i).padStart(5, '0')}`,
  title: `Paper ${i}`,
  authors: ['Ada Lovelace'],
  authorCount: 1,
  dateKey: 0,
  savedAt: N - i,
  sites: ['arxiv'],
  state: i % 2 ? 'done' : 'inbox',
  tags: [],
  note: '',
  topics: [],
}));

vi.mock('../../components/popup/useListStore', () => {
  const data = {
    rows: new Map(rows.map((r) => [r.id, r])),
    order: rows.map((r) => r.id),
    full: true,
    total: N,
    indexed: N,
    snippets: new Map(),
    version: 1,
    rowsVersion: 1,
  };
  return { useListStore: () => ({ data, ask: () => {}, patch: () => {} }) };
});
vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: { type: string; ids?: string[] }) => {
    if (req.type === 'papers/bulk')
      return { ok: true, value: { changed: req.ids!.length, undo: [] } };
    return { ok: false, error: { code: 'internal', message: 'not in this test' } };
  }),
}));

// The browser's own locale: German (a number formatter asked for no locale gets de-DE).
useBrowserLocale('de-DE');

const { ReadingList } = await import('../../components/popup/ReadingList');

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});
const settle = async () => {
  for (let i = 0; i < 4; i++) await act(() => new Promise((r) => setTimeout(r, 20)));
};
const countText = () => host.querySelector('.rl-countbar [role="status"]')!.textContent;

it('shows counts with the thousands separators of the browser locale', async () => {
  host = document.createElement('div');
  document.body.append(host);
  await act(() => render(<ReadingList />, host));
  await settle();
  expect(countText()).toBe('12.345 saved');

  const state = host.querySelector<HTMLSelectElement>(
    'select[aria-label="Filter by reading state"]',
  )!;
  await choose(state, 'done');
  await settle();
  expect(countText()).toBe('6.172 of 12.345 saved');
  await choose(state, '');
  await settle();

  const check = host.querySelector<HTMLInputElement>('[data-list="saved"] li .rl-check')!;
  await act(() => check.click());
  const bar = () => host.querySelector('.rl-bulk')!;
  const all = bar().querySelector<HTMLButtonElement>('[data-action="select-all"]')!;
  expect(all.textContent).toBe('All 12.345');
  await act(() => all.click());
  expect(bar().textContent).toContain('12.345 selected');

  const set = bar().querySelector<HTMLSelectElement>('[data-action="bulk-state"]')!;
  set.value = 'reading';
  await act(() => {
    set.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
  expect(host.querySelector('.rl-toast')!.textContent).toContain('12.345 set to');
});
