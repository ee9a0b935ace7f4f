// @vitest-environment happy-dom
/**
 * The Rules and Topics editors' limits are written in the digits of the browser's locale, as
 * every other count of the options page is (lib/count.ts): an Arabic (Egypt) browser writes
 * "٣٠٠", and the rest of the page — "Type a whole number of papers from …", the Export button —
 * already does. (The limits are below 1,000, so a German browser shows them as English does; the
 * digits show the difference.) Messages are answered by the real router over fake-indexeddb;
 * the browser's locale is simulated as Arabic (Egypt).
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { envOf, OPTIONS_PAGE } from './exchange-helpers';
import { useBrowserLocale } from './helpers/locale';
import { useRenderHost } from './helpers/host';

vi.mock('../../lib/rpc', () => ({
  send: async (req: unknown) =>
    structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb()))),
}));

// The browser's own locale: Arabic as written in Egypt, with Arabic-Indic digits.
useBrowserLocale('ar-EG');

const { RulesEditor } = await import('../../components/RulesEditor');
const { TopicsEditor } = await import('../../components/TopicsEditor');

let host!: HTMLElement;
useRenderHost(getDb, (h) => (host = h));
const settle = async (ms = 60) => {
  for (let i = 0; i < 6; i++) await act(() => new Promise((r) => setTimeout(r, ms / 6)));
};
const type = async (el: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  el.value = value;
  await act(() => {
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
};
const message = () => host.querySelector('[role="status"], [role="alert"]')?.textContent ?? '';

it('a rule phrase that is too long: "at most ٣٠٠ characters"', async () => {
  await act(() => render(<RulesEditor />, host));
  await settle();
  await type(host.querySelector<HTMLInputElement>('[name="terms"]')!, 'x'.repeat(301));
  await act(() => {
    host.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true }));
  });
  await settle();
  expect(message()).toBe(
    `Terms: “${'x'.repeat(40)}…” is too long; a phrase or name holds at most ٣٠٠ characters.`,
  );
});

it('a rule with too many terms: "at most ١٠٠ entries"', async () => {
  await act(() => render(<RulesEditor />, host));
  await settle();
  const terms = Array.from({ length: 101 }, (_, i) => `term${i}`).join(', ');
  await type(host.querySelector<HTMLInputElement>('[name="terms"]')!, terms);
  await act(() => {
    host.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true }));
  });
  await settle();
  expect(message()).toBe('Terms: at most ١٠٠ entries; split them over several rules.');
});

it('a topic phrase that is too long: "at most ١٠٠ characters"', async () => {
  await act(() => render(<TopicsEditor />, host));
  await settle();
  const add = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Add a topic')!;
  await act(() => add.click());
  await type(host.querySelector<HTMLInputElement>('[name="topic-name"]')!, 'Protein design');
  await type(host.querySelector<HTMLTextAreaElement>('[name="topic-phrases"]')!, 'p'.repeat(150));
  await act(() => host.querySelector<HTMLButtonElement>('[data-action="save-topics"]')!.click());
  await settle();
  expect(message()).toBe(
    `“Protein design”: the phrase “${'p'.repeat(30)}…” is too long; a phrase holds at most ١٠٠ characters.`,
  );
});

it('a topic without a name is named by its place in Arabic digits: "Topic ٢"', async () => {
  await act(() => render(<TopicsEditor />, host));
  await settle();
  const add = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Add a topic')!;
  await act(() => add.click());
  await act(() => add.click());
  const phrases = host.querySelectorAll<HTMLTextAreaElement>('[name="topic-phrases"]');
  await type(phrases[0]!, 'protein folding');
  await type(host.querySelectorAll<HTMLInputElement>('[name="topic-name"]')[0]!, 'Proteins');
  await type(phrases[1]!, 'protein design');
  await act(() => host.querySelector<HTMLButtonElement>('[data-action="save-topics"]')!.click());
  await settle();
  expect(message()).toBe('Topic ٢ needs a name.');
});
