// @vitest-environment happy-dom
/**
 * The note panel's over-the-limit line (a note joined from two records' notes) counts characters
 * as numbers read in the user's language: in a German browser "1.234 … over the 20.000", not
 * the English "1,234" and "20,000". The browser's locale is simulated as German.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, it } from 'vitest';
import { NotePanel } from '../../components/NotePanel';
import type { PaperRecord } from '../../lib/db';
import { viewOf } from '../../lib/readinglist';
import { useBrowserLocale } from './helpers/locale';

// The browser's own locale: German (a number formatter asked for no locale gets de-DE).
useBrowserLocale('de-DE');

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});

it('says how far a joined note is over the limit with the browser locale’s separators', async () => {
  // 21,234 characters: 1,234 over the 20,000 a note holds.
  const note = 'x'.repeat(21_234);
  const rec = { id: 'arxiv:1', title: 'T', savedAt: 1, lastSeenAt: 1, note, noteAt: 1 };
  host = document.createElement('div');
  document.body.append(host);
  await act(async () => {
    render(
      <NotePanel
        title="T"
        idPrefix="np"
        load={async () => ({
          ok: true as const,
          value: { paper: viewOf(rec as PaperRecord), allTags: [] },
        })}
        save={async () => ({ ok: true as const, value: viewOf(rec as PaperRecord) })}
        onClose={() => {}}
      />,
      host,
    );
  });
  await act(async () => {});
  expect(host.querySelector('.np-over')?.textContent).toContain(
    '1.234 characters over the 20.000 a note holds',
  );
});
