// @vitest-environment happy-dom
/**
 * The Related tab's "% match" reads as a percentage does in the user's language: a German browser
 * writes "73 %" (with a space, as German does), an English one "73%". The browser's locale is
 * simulated as German; the background's reply is faked.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, it, vi } from 'vitest';
import type { RelatedItem } from '../../lib/related/service';
import { useBrowserLocale } from './helpers/locale';

vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async () => ({
    ok: true,
    value: {
      items: [
        {
          id: 'arxiv:2401.00001',
          title: 'Paper 1',
          authors: ['Ada Lovelace'],
          score: 0.734,
          saved: false,
          nearest: [],
          tags: [],
          terms: [],
        } satisfies RelatedItem,
      ],
      tags: [],
    },
  })),
}));

// The browser's own locale: German (a number formatter asked for no locale gets de-DE).
useBrowserLocale('de-DE');

const { RelatedTab } = await import('../../components/popup/RelatedTab');

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});

it('shows the match as a percentage in the browser locale', async () => {
  host = document.createElement('div');
  document.body.append(host);
  await act(async () => {
    render(<RelatedTab mode={{ kind: 'forYou', tag: '' }} onMode={() => {}} />, host);
  });
  await act(async () => {});
  // German puts a (no-break) space before the sign.
  expect(host.querySelector('[data-paper-id="arxiv:2401.00001"] .meta')!.textContent).toBe(
    'Ada Lovelace · 73\u00a0% match',
  );
});
