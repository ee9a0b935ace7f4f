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
/** Which of the background's answers are refusals. */
const refuse = { dismiss: false, undo: true };

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: { type: string; id?: string; undo?: boolean }) => {
    if (req.type === 'related/forYou') {
      return {
        ok: true,
        value: { items: [1, 2, 3].map(item).filter((x) => !dismissed.has(x.id)), tags: [] },
      };
    }
    if (req.type === 'related/dismiss' && (req.undo ? refuse.undo : refuse.dismiss)) {
      return { ok: false, error: { code: 'internal', message: REASON } };
    }
    if (req.type === 'related/dismiss') {
      if (req.undo) dismissed.delete(req.id!);
      else dismissed.add(req.id!);
      return { ok: true, value: { id: req.id, dismissed: !req.undo } };
    }
    return { ok: false, error: { code: 'internal', message: 'not in this test' } };
  }),
}));

const { RelatedTab } = await import('../../components/popup/RelatedTab');

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
  dismissed.clear();
  Object.assign(refuse, { dismiss: false, undo: true });
});
async function showTab() {
  host = document.createElement('div');
  document.body.append(host);
  await act(async () => {
    render(<RelatedTab mode={{ kind: 'forYou', tag: '' }} onMode={() => {}} />, host);
  });
  await act(async () => {});
}
const said = () =>
  [...host.querySelectorAll('[role="alert"], [role="status"]')]
    .map((el) => el.textContent)
    .join(' ');
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

it('a refused "Not interested" says why and leaves the paper in its place', async () => {
  refuse.dismiss = true;
  await showTab();
  const dismiss = host.querySelector<HTMLButtonElement>(
    '[data-paper-id="arxiv:2401.00002"] [data-action="dismiss"]',
  )!;
  await act(async () => dismiss.click());
  for (let i = 0; i < 3; i++) await act(async () => {});
  expect(said()).toContain(REASON);
  // Not hidden (the background did not record it): shown where it was, with no "Hidden …" line.
  expect(shownIds()).toEqual(['arxiv:2401.00001', 'arxiv:2401.00002', 'arxiv:2401.00003']);
  expect(host.querySelector('.undo')).toBeNull();
});

it('after a successful Undo, focus is on the paper that came back', async () => {
  refuse.undo = false;
  await showTab();
  const dismiss = host.querySelector<HTMLButtonElement>(
    '[data-paper-id="arxiv:2401.00002"] [data-action="dismiss"]',
  )!;
  dismiss.focus();
  await act(async () => dismiss.click());
  await act(async () => {});
  const undo = host.querySelector<HTMLButtonElement>('.undo button')!;
  undo.focus();
  await act(async () => undo.click());
  for (let i = 0; i < 3; i++) await act(async () => {});
  expect(shownIds()).toEqual(['arxiv:2401.00001', 'arxiv:2401.00002', 'arxiv:2401.00003']);
  expect(document.activeElement?.closest('li')?.getAttribute('data-paper-id')).toBe(
    'arxiv:2401.00002',
  );
});
