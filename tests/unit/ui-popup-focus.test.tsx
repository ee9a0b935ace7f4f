// @vitest-environment happy-dom
/**
 * The popup's tabs with a keyboard: a reading-list row's "≈" (papers similar to it) switches to
 * the Related tab, and "Back to “For you”" puts that list back; either way the control that was
 * pressed goes away, and focus must land on something in the popup, not on the page body (where
 * the next Tab starts over from the top and a screen reader says nothing).
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { SIMILAR_EVENT } from '../../components/popup/events';

const item = {
  id: 'arxiv:2401.00002',
  title: 'A close paper',
  authors: [],
  score: 0.5,
  saved: false,
  nearest: [],
  tags: [],
  terms: [],
};
vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: { type: string }) => {
    if (req.type === 'related/forYou') return { ok: true, value: { items: [item], tags: [] } };
    if (req.type === 'related/similar') return { ok: true, value: { items: [item] } };
    if (req.type === 'highlights/read') return { ok: true, value: { at: 1 } };
    return { ok: false, error: { code: 'internal', message: 'not in this test' } };
  }),
}));
// The reading list itself (its list worker) is not what this test is about: one row's "≈".
vi.mock('../../components/popup/ReadingList', () => ({
  ReadingList: () => (
    <button
      type="button"
      data-action="similar"
      onClick={() =>
        window.dispatchEvent(
          new CustomEvent(SIMILAR_EVENT, { detail: { id: 'arxiv:2401.00001', title: 'Mine' } }),
        )
      }
    >
      ≈
    </button>
  ),
}));

const { Popup } = await import('../../components/Popup');

let host: HTMLElement;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(() => {
  render(null, host);
  host.remove();
});
const settle = async (ms = 300) => {
  for (let i = 0; i < 6; i++) await act(() => new Promise((r) => setTimeout(r, ms / 6)));
};
const focusIsInPopup = () =>
  document.activeElement !== document.body && host.contains(document.activeElement);

it('"≈" on a row, then "Back to “For you”": focus stays in the popup each time', async () => {
  await act(() => render(<Popup />, host));
  await settle();
  const similar = host.querySelector<HTMLButtonElement>('[data-action="similar"]')!;
  similar.focus();
  await act(() => similar.click());
  await settle();
  expect(host.querySelector('#tab-related')!.getAttribute('aria-selected')).toBe('true');
  expect(host.querySelector('.related-head')?.textContent).toContain('Mine');
  expect(host.contains(similar)).toBe(false);
  expect(focusIsInPopup()).toBe(true);

  const back = [...host.querySelectorAll('button')].find((b) => /Back to/.test(b.textContent!))!;
  back.focus();
  await act(() => back.click());
  await settle();
  expect(host.contains(back)).toBe(false);
  expect(focusIsInPopup()).toBe(true);
  // On the control that took its place: the "For you" list's source.
  expect(document.activeElement?.tagName).toBe('SELECT');
});
