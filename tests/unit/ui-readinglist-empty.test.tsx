// @vitest-environment happy-dom
/**
 * The reading list when a search or the filters leave nothing: the popup says what was searched
 * for and that filters are on, and one button brings the whole list back, focus in the
 * search box to type again. Rendered with Preact in happy-dom over fake-indexeddb, the list's
 * store running in the page (happy-dom has no Worker) and messages through the real router.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { envOf, OPTIONS_PAGE } from './exchange-helpers';
import { choose, seedSaved } from './helpers/popup';

vi.mock('../../lib/rpc', () => ({
  send: async (req: unknown) =>
    structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb()))),
}));

const { ReadingList } = await import('../../components/popup/ReadingList');

let host: HTMLElement;
beforeAll(async () => {
  await seedSaved(getDb(), [
    'Masked diffusion models',
    'World models for robots',
    'Sparse attention',
  ]);
});
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(() => {
  render(null, host);
  host.remove();
});
const settle = async (ms = 400) => {
  for (let i = 0; i < 10; i++) await act(() => new Promise((r) => setTimeout(r, ms / 10)));
};
const rows = () => host.querySelectorAll('[data-list="saved"] li').length;
const search = () => host.querySelector<HTMLInputElement>('input[type="search"]')!;

async function type(text: string) {
  search().value = text;
  await act(() => {
    search().dispatchEvent(new Event('input', { bubbles: true }));
  });
  await settle();
}

it('a search that finds nothing says what was searched; one button shows everything again', async () => {
  await act(() => render(<ReadingList />, host));
  await settle();
  expect(rows()).toBe(3);
  await type('quantum chromodynamics');
  const empty = host.querySelector('[data-empty="matches"]')!;
  expect(empty.textContent).toContain('quantum chromodynamics');
  const clear = empty.querySelector<HTMLButtonElement>('button')!;
  expect(clear.textContent).toMatch(/clear|show all/i);
  await act(() => clear.click());
  await settle();
  expect(rows()).toBe(3);
  expect(search().value).toBe('');
  expect(document.activeElement).toBe(search());
});

it('filters that leave nothing say so, and the same button clears them too', async () => {
  await act(() => render(<ReadingList />, host));
  await settle();
  const state = host.querySelector<HTMLSelectElement>(
    'select[aria-label="Filter by reading state"]',
  )!;
  await choose(state, 'done');
  await settle();
  expect(rows()).toBe(0);
  const empty = host.querySelector('[data-empty="matches"]')!;
  expect(empty.textContent).toMatch(/filter/i);
  await act(() => empty.querySelector<HTMLButtonElement>('button')!.click());
  await settle();
  expect(rows()).toBe(3);
  expect(
    host.querySelector<HTMLSelectElement>('select[aria-label="Filter by reading state"]')!.value,
  ).toBe('');
});
