// @vitest-environment happy-dom
/**
 * The Related tab's "Not interested": the row goes away and keyboard focus stays in the
 * list (on the row that takes its place), not on the document body.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, it, vi } from 'vitest';
import type { RelatedItem } from '../../lib/related/service';

const item = (i: number): RelatedItem => ({
  id: `arxiv:2401.0000${i}`,
  title: `Paper ${i}`,
  authors: [],
  score: 0.5,
  saved: false,
  nearest: [],
  tags: [],
  terms: [],
});
const items = [1, 2, 3].map(item);

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: { type: string; id?: string }) => {
    if (req.type === 'related/forYou') return { ok: true, value: { items, tags: [] } };
    if (req.type === 'related/dismiss') return { ok: true, value: { id: req.id, dismissed: true } };
    return { ok: false, error: { code: 'internal', message: 'no' } };
  }),
}));

const { RelatedTab } = await import('../../components/popup/RelatedTab');

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});

it.each([
  ['a middle row', 1, 'arxiv:2401.00003'],
  ['the last row', 2, 'arxiv:2401.00002'],
])('keeps focus in the list after "Not interested" on %s', async (_w, index, next) => {
  host = document.createElement('div');
  document.body.append(host);
  await act(async () => {
    render(<RelatedTab mode={{ kind: 'forYou', tag: '' }} onMode={() => {}} />, host);
  });
  await act(async () => {});
  const rows = host.querySelectorAll('[data-list="related"] li');
  expect(rows.length).toBe(3);
  const button = rows[index]!.querySelector<HTMLButtonElement>('[data-action="dismiss"]')!;
  button.focus();
  await act(async () => {
    button.click();
  });
  await act(async () => {});
  expect(host.querySelectorAll('[data-list="related"] li').length).toBe(2);
  expect(document.activeElement).not.toBe(document.body);
  expect(document.activeElement?.closest('li')?.getAttribute('data-paper-id')).toBe(next);
});
