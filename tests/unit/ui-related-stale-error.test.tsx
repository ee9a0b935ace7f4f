// @vitest-environment happy-dom
/**
 * The Related tab's alert says what went wrong with the last thing the user did: once a later
 * "Not interested", Undo or save goes through, the reason an earlier one was refused ("the disk is
 * full") is no longer shown as if the later action had failed too.
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
/** What the background holds: ids hidden with "Not interested", and saved ids. */
const dismissed = new Set<string>();
const saved = new Set<string>();
const REASON = 'Could not write to the database: the disk is full.';
/** How many of the next writes the background refuses. */
const refuse = { next: 0 };

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: { type: string; id?: string; undo?: boolean; saved?: boolean }) => {
    if (req.type === 'related/forYou') {
      return {
        ok: true,
        value: {
          items: [1, 2, 3]
            .map(item)
            .filter((x) => !dismissed.has(x.id))
            .map((x) => ({ ...x, saved: saved.has(x.id) })),
          tags: [],
        },
      };
    }
    if ((req.type === 'related/dismiss' || req.type === 'paper/setSavedById') && refuse.next > 0) {
      refuse.next--;
      return { ok: false, error: { code: 'internal', message: REASON } };
    }
    if (req.type === 'related/dismiss') {
      if (req.undo) dismissed.delete(req.id!);
      else dismissed.add(req.id!);
      return { ok: true, value: { id: req.id, dismissed: !req.undo } };
    }
    if (req.type === 'paper/setSavedById') {
      if (req.saved) saved.add(req.id!);
      else saved.delete(req.id!);
      return { ok: true, value: { id: req.id, saved: req.saved } };
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
  saved.clear();
  refuse.next = 0;
});
async function showTab() {
  host = document.createElement('div');
  document.body.append(host);
  await act(async () => {
    render(<RelatedTab mode={{ kind: 'forYou', tag: '' }} onMode={() => {}} />, host);
  });
  await act(async () => {});
}
const settle = async () => {
  for (let i = 0; i < 3; i++) await act(async () => {});
};
const alertText = () => host.querySelector('[role="alert"]')?.textContent ?? '';
const click = async (id: string, action: 'dismiss' | 'save') => {
  const b = host.querySelector<HTMLButtonElement>(
    `[data-paper-id="${id}"] [data-action="${action}"]`,
  )!;
  await act(async () => b.click());
  await settle();
};

it('a "Not interested" that goes through clears the reason an earlier one was refused', async () => {
  await showTab();
  refuse.next = 1;
  await click('arxiv:2401.00002', 'dismiss');
  expect(alertText()).toContain(REASON);

  await click('arxiv:2401.00002', 'dismiss');
  expect(host.querySelector('.undo')?.textContent).toContain('Hidden “Paper 2”');
  expect(alertText()).toBe('');
});

it('a save that goes through clears the reason an earlier "Not interested" was refused', async () => {
  await showTab();
  refuse.next = 1;
  await click('arxiv:2401.00001', 'dismiss');
  expect(alertText()).toContain(REASON);

  await click('arxiv:2401.00003', 'save');
  expect(
    host.querySelector('[data-paper-id="arxiv:2401.00003"] [data-action="save"]')!.textContent,
  ).toBe('★');
  expect(alertText()).toBe('');
});

it('a refused save after a "Not interested" that went through still says why', async () => {
  await showTab();
  await click('arxiv:2401.00001', 'dismiss');
  refuse.next = 1;
  await click('arxiv:2401.00003', 'save');
  expect(alertText()).toContain(REASON);
});
