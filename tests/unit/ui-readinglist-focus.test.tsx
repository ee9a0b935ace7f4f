// @vitest-environment happy-dom
/**
 * Where keyboard focus goes after the reading list's own actions take away the control that was
 * pressed: "Remove" on a row (the row goes), the message's "Undo" (the row comes back, the button
 * goes) and its × (the message goes). Focus must land on something that still exists and makes
 * sense, never on the page body (where the next Tab starts over and a screen reader says nothing).
 * Rendered with Preact in happy-dom over fake-indexeddb, the list's store running in the page
 * (happy-dom has no Worker) and messages through the real router.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { envOf, OPTIONS_PAGE } from './exchange-helpers';
import { seedSaved } from './helpers/popup';

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: unknown) =>
    structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb()))),
  ),
}));
const rpc = await import('../../lib/rpc');

const { ReadingList } = await import('../../components/popup/ReadingList');

const ID = (i: number) => `arxiv:2401.0000${i}`;
let host: HTMLElement;
beforeEach(async () => {
  // Saved one after another: the newest (3) is the list's first row.
  await seedSaved(
    getDb(),
    ['Masked diffusion models', 'World models for robots', 'Sparse attention'],
    2,
  );
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(() => {
  render(null, host);
  host.remove();
});
const settle = async (ms = 600) => {
  for (let i = 0; i < 12; i++) await act(() => new Promise((r) => setTimeout(r, ms / 12)));
};
const rowIds = () =>
  [...host.querySelectorAll('[data-list="saved"] li')].map((li) =>
    li.getAttribute('data-paper-id'),
  );
const rowEl = (id: string) => host.querySelector<HTMLElement>(`li[data-paper-id="${id}"]`)!;
const search = () => host.querySelector<HTMLInputElement>('input[type="search"]')!;
const focusedRowId = () => document.activeElement?.closest('li')?.getAttribute('data-paper-id');

async function pressRemove(id: string) {
  const row = rowEl(id);
  const remove = row.querySelector<HTMLButtonElement>('[data-action="unsave"]')!;
  await act(() => remove.focus());
  await act(() => remove.click());
  await settle();
}

it('after "Remove" on a row, focus is on the row that takes its place', async () => {
  await act(() => render(<ReadingList />, host));
  await settle();
  expect(rowIds()).toEqual([ID(3), ID(2), ID(1)]);
  await pressRemove(ID(2));
  expect(rowIds()).toEqual([ID(3), ID(1)]);
  expect(document.activeElement).toBe(rowEl(ID(1)));
});

it('after "Remove" on the last row, focus is on the row before it', async () => {
  await act(() => render(<ReadingList />, host));
  await settle();
  await pressRemove(ID(1));
  expect(rowIds()).toEqual([ID(3), ID(2)]);
  expect(document.activeElement).toBe(rowEl(ID(2)));
});

it('after "Remove" on the only row, focus is on the search box', async () => {
  await act(() => render(<ReadingList />, host));
  await settle();
  await pressRemove(ID(3));
  await pressRemove(ID(2));
  await pressRemove(ID(1));
  expect(rowIds()).toEqual([]);
  expect(document.activeElement).toBe(search());
});

it('after "Undo" in the message, focus is on the restored row', async () => {
  await act(() => render(<ReadingList />, host));
  await settle();
  await pressRemove(ID(2));
  const undo = host.querySelector<HTMLButtonElement>('.rl-toast [data-action="undo"]')!;
  await act(() => undo.focus());
  await act(() => undo.click());
  await settle();
  expect(rowIds()).toEqual([ID(3), ID(2), ID(1)]);
  expect(host.querySelector('.rl-toast')!.textContent).toContain('Undone');
  expect(focusedRowId()).toBe(ID(2));
});

it('after a refused "Undo", focus is on the message\'s ×, next to the reason', async () => {
  await act(() => render(<ReadingList />, host));
  await settle();
  await pressRemove(ID(2));
  vi.mocked(rpc.send).mockResolvedValueOnce({
    ok: false,
    error: { code: 'internal', message: 'The database could not be written.' },
  });
  const undo = host.querySelector<HTMLButtonElement>('.rl-toast [data-action="undo"]')!;
  await act(() => undo.focus());
  await act(() => undo.click());
  await settle();
  expect(rowIds()).toEqual([ID(3), ID(1)]);
  const toast = host.querySelector('.rl-toast')!;
  expect(toast.textContent).toContain('could not be written');
  expect(document.activeElement).toBe(toast.querySelector('[aria-label="Dismiss"]'));
});

it('after × on the message, focus goes back where it was before the message', async () => {
  await act(() => render(<ReadingList />, host));
  await settle();
  await pressRemove(ID(2));
  // Focus on the next row (as after any Remove); the user Tabs to the ×.
  const before = document.activeElement;
  const dismiss = host.querySelector<HTMLButtonElement>('.rl-toast [aria-label="Dismiss"]')!;
  await act(() => dismiss.focus());
  await act(() => dismiss.click());
  await settle();
  expect(host.querySelector('.rl-toast')).toBeNull();
  expect(document.activeElement).not.toBe(document.body);
  expect(document.activeElement).toBe(before);
});

it('after × on a message whose earlier control is gone, focus is on the search box', async () => {
  await act(() => render(<ReadingList />, host));
  await settle();
  await pressRemove(ID(2));
  const dismiss = host.querySelector<HTMLButtonElement>('.rl-toast [aria-label="Dismiss"]')!;
  await act(() => dismiss.focus());
  // Meanwhile the paper whose button had focus is removed elsewhere (a card's ★ in a tab).
  const r = await handleMessage(
    { type: 'paper/setSavedById', id: ID(1), saved: false },
    OPTIONS_PAGE,
    envOf(getDb()),
  );
  expect(r.ok).toBe(true);
  await settle();
  expect(rowIds()).toEqual([ID(3)]);
  await act(() => dismiss.click());
  await settle();
  expect(host.querySelector('.rl-toast')).toBeNull();
  expect(document.activeElement).toBe(search());
});

it.each([
  ['Remove', 'bulk-remove', [ID(3), ID(1)]],
  ['Clear', 'select-none', [ID(3), ID(2), ID(1)]],
])("after the selection bar's %s, focus is on a row of the list", async (_name, action, left) => {
  await act(() => render(<ReadingList />, host));
  await settle();
  const check = rowEl(ID(2)).querySelector<HTMLInputElement>('.rl-check')!;
  await act(() => check.click());
  const button = host.querySelector<HTMLButtonElement>(`.rl-bulk [data-action="${action}"]`)!;
  await act(() => button.focus());
  await act(() => button.click());
  await settle();
  expect(host.querySelector('.rl-bulk')).toBeNull();
  expect(rowIds()).toEqual(left);
  expect(document.activeElement).not.toBe(document.body);
  expect(left).toContain(focusedRowId());
});

it("after the selection bar's Remove took every row, focus is on the search box", async () => {
  await act(() => render(<ReadingList />, host));
  await settle();
  for (const i of [1, 2, 3]) {
    await act(() => rowEl(ID(i)).querySelector<HTMLInputElement>('.rl-check')!.click());
  }
  const remove = host.querySelector<HTMLButtonElement>('.rl-bulk [data-action="bulk-remove"]')!;
  await act(() => remove.focus());
  await act(() => remove.click());
  await settle();
  expect(rowIds()).toEqual([]);
  expect(document.activeElement).toBe(search());
});
