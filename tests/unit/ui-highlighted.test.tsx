// @vitest-environment happy-dom
/**
 * The popup's Highlighted tab as a researcher uses it: a paper matching a watch rule can be saved
 * with one click, and when the background refuses (the disk is full) the row says so instead of
 * the star silently staying empty. The "new" dot is announced to screen readers too.
 * Messages go through the real router over fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { CONTENT, envOf, OPTIONS_PAGE } from './exchange-helpers';

const refuse = vi.hoisted(() => ({ save: false }));
const QUOTA = 'The browser has no room left for Paper Scout. Nothing stored was changed.';
vi.mock('../../lib/rpc', () => ({
  send: async (req: { type: string }) => {
    if (refuse.save && req.type === 'paper/setSavedById')
      return { ok: false, error: { code: 'quota', message: QUOTA } };
    return structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb())));
  },
}));

const { HighlightedTab } = await import('../../components/popup/HighlightedTab');

let host: HTMLElement;
beforeEach(async () => {
  refuse.save = false;
  await getDb().open();
  await Promise.all(getDb().tables.map((t) => t.clear()));
  const env = envOf(getDb());
  const rule = await handleMessage(
    {
      type: 'rules/save',
      rule: { name: 'Diffusion', kind: 'words', terms: ['diffusion'], color: '#b45309' },
    },
    OPTIONS_PAGE,
    env,
  );
  expect(rule.ok).toBe(true);
  const seen = await handleMessage(
    {
      type: 'cards/seen',
      page: {
        site: 'huggingface',
        url: 'https://huggingface.co/papers',
        kind: 'daily',
        listing: true,
        loadId: 'load-1',
      },
      cards: [
        {
          arxivId: '2401.00001',
          title: 'Masked diffusion models',
          url: 'https://huggingface.co/papers/2401.00001',
        },
      ],
    },
    CONTENT,
    env,
  );
  expect(seen.ok).toBe(true);
  expect(await getDb().hits.count()).toBe(1);
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(() => {
  render(null, host);
  host.remove();
});

const settle = async (ms = 60) => {
  for (let i = 0; i < 6; i++) await act(() => new Promise((r) => setTimeout(r, ms / 6)));
};

it('shows why a save failed, on the row, and clears it when a save works', async () => {
  await act(() => render(<HighlightedTab readAt={0} />, host));
  await settle();
  const row = () => host.querySelector('[data-list="highlighted"] li')!;
  expect(row().textContent).toContain('Masked diffusion models');
  refuse.save = true;
  await act(() => row().querySelector<HTMLButtonElement>('[data-action="save"]')!.click());
  await settle();
  expect(row().querySelector('[role="alert"]')?.textContent).toBe(QUOTA);
  expect(row().querySelector('[data-action="save"]')!.getAttribute('aria-pressed')).toBe('false');

  refuse.save = false;
  await act(() => row().querySelector<HTMLButtonElement>('[data-action="save"]')!.click());
  await settle();
  expect(row().querySelector('[role="alert"]')).toBeNull();
  expect(row().querySelector('[data-action="save"]')!.getAttribute('aria-pressed')).toBe('true');
});

it('says "new" to screen readers, not only with a colored dot', async () => {
  await act(() => render(<HighlightedTab readAt={0} />, host));
  await settle();
  const row = host.querySelector('[data-list="highlighted"] li')!;
  expect(row.getAttribute('data-unread')).toBe('true');
  // A plain span's aria-label is not read out: the dot is an image with a name (or the row has
  // the word in its text).
  const dot = row.querySelector('.dot')!;
  const named = dot.getAttribute('role') === 'img' && /new/i.test(dot.getAttribute('aria-label')!);
  expect(named || /\bnew\b/i.test(row.textContent!)).toBe(true);
});
