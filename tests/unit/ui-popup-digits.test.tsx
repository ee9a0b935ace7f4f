// @vitest-environment happy-dom
/**
 * The popup's small counts are written in the digits of the browser's locale, as its other
 * counts are (lib/count.ts): an Arabic (Egypt) browser writes "٣" and "٦٤". The Related tab's
 * reason ("Close to 3 papers you saved") and the note panel's tag limit ("A paper has at most 64
 * tags") were always in English digits. (The numbers are below 1,000, so a German browser shows
 * them as English does; the digits show the difference.) The browser's locale is simulated as
 * Arabic (Egypt); the background's replies are faked.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, it, vi } from 'vitest';
import type { PaperRecord } from '../../lib/db';
import type { RelatedItem } from '../../lib/related/service';
import { TAGS_MAX, viewOf } from '../../lib/readinglist';
import { useBrowserLocale } from './helpers/locale';

const nearest = [1, 2, 3].map((i) => ({ id: `arxiv:2301.0000${i}`, title: `Saved ${i}` }));
vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async () => ({
    ok: true,
    value: {
      items: [
        {
          id: 'arxiv:2401.00001',
          title: 'Paper 1',
          authors: [],
          score: 0.5,
          saved: false,
          nearest,
          tags: [],
          terms: [],
        } satisfies RelatedItem,
      ],
      tags: [],
    },
  })),
}));

// The browser's own locale: Arabic as written in Egypt, with Arabic-Indic digits.
useBrowserLocale('ar-EG');

const { RelatedTab } = await import('../../components/popup/RelatedTab');
const { NotePanel } = await import('../../components/NotePanel');

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});
const mount = () => {
  host = document.createElement('div');
  document.body.append(host);
};

it('the Related tab says how many saved papers a suggestion is close to in the locale’s digits', async () => {
  mount();
  await act(async () => {
    render(<RelatedTab mode={{ kind: 'forYou', tag: '' }} onMode={() => {}} />, host);
  });
  await act(async () => {});
  expect(host.querySelector('[data-paper-id="arxiv:2401.00001"] [data-reason]')!.textContent).toBe(
    'Close to ٣ papers you saved',
  );
});

it('the note panel gives the tag limit in the locale’s digits', async () => {
  const tags = Array.from({ length: TAGS_MAX }, (_, i) => `t${i}`);
  const rec = { id: 'arxiv:1', title: 'T', savedAt: 1, lastSeenAt: 1, tags } as PaperRecord;
  mount();
  await act(async () => {
    render(
      <NotePanel
        title="T"
        idPrefix="np"
        load={async () => ({ ok: true as const, value: { paper: viewOf(rec), allTags: tags } })}
        save={async () => ({ ok: true as const, value: viewOf(rec) })}
        onClose={() => {}}
      />,
      host,
    );
  });
  await act(async () => {});
  const input = host.querySelector<HTMLInputElement>('input[role="combobox"]')!;
  await act(async () => {
    input.focus();
    input.value = 'one more';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => {
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  });
  await act(async () => {});
  expect(host.querySelector('.np-status')!.textContent).toBe('A paper has at most ٦٤ tags');
});
