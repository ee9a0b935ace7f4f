// @vitest-environment happy-dom
/**
 * The Related tab's "Not interested", then Undo, when the background refuses the Undo (the
 * database could not be written, say): the user is told why, in the tab's alert, and the paper is
 * not shown back in the list as if it were restored (it is still hidden from suggestions).
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
/** What the background holds: ids hidden with "Not interested". */
const dismissed = new Set<string>();
const REASON = 'Could not write to the database: the disk is full.';

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: { type: string; id?: string; undo?: boolean }) => {
    if (req.type === 'related/forYou') {
      return {
        ok: true,
        value: { items: [1, 2, 3].map(item).filter((x) => !dismissed.has(x.id)), tags: [] },
      };
    }
    if (req.type === 'related/dismiss' && !req.undo) {
      dismissed.add(req.id!);
      return { ok: true, value: { id: req.id, dismissed: true } };
    }
    if (req.type === 'related/dismiss') {
      return { ok: false, error: { code: 'internal', message: REASON } };
    }
    return { ok: false, error: { code: 'internal', message: 'not in this test' } };
  }),
}));

const { RelatedTab } = await import('../../components/popup/RelatedTab');

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});
const shownIds = () =>
  [...host.querySelectorAll('[data-list="related"] li')].map((li) =>
    li.getAttribute('data-paper-id'),
  );

it('a refused Undo of "Not interested" says why and does not show the paper as restored', async () => {
  host = document.createElement('div');
  document.body.append(host);
  await act(async () => {
    render(<RelatedTab mode={{ kind: 'forYou', tag: '' }} onMode={() => {}} />, host);
  });
  await act(async () => {});
  expect(shownIds()).toEqual(['arxiv:2401.00001', 'arxiv:2401.00002', 'arxiv:2401.00003']);
  const dismiss = host.querySelector<HTMLButtonElement>(
    '[data-paper-id="arxiv:2401.00002"] [data-action="dismiss"]',
  )!;
  await act(async () => dismiss.click());
  await act(async () => {});
  expect(shownIds()).toEqual(['arxiv:2401.00001', 'arxiv:2401.00003']);

  const undo = [...host.querySelectorAll<HTMLButtonElement>('.undo button')].find(
    (b) => b.textContent === 'Undo',
  )!;
  await act(async () => undo.click());
  for (let i = 0; i < 3; i++) await act(async () => {});

  const said = [...host.querySelectorAll('[role="alert"], [role="status"]')]
    .map((el) => el.textContent)
    .join(' ');
  expect(said).toContain(REASON);
  expect(shownIds()).toEqual(['arxiv:2401.00001', 'arxiv:2401.00003']);
  // The Undo is still offered, to try again.
  expect(host.querySelector('.undo button')?.textContent).toBe('Undo');
});
