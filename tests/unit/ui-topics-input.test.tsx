// @vitest-environment happy-dom
/**
 * The options page's topics editor with input a researcher gives it halfway: a topic named but
 * without phrases yet, phrases without a name, a pasted sentence as one phrase. The page says in
 * plain words which topic needs what (not the router's "Invalid message: topics.0.phrases: Too
 * small…"), keeps the drafts, and the topics stored before stay as they were.
 * Messages are answered by the real router over fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { envOf, OPTIONS_PAGE } from './exchange-helpers';

vi.mock('../../lib/rpc', () => ({
  send: async (req: unknown) =>
    structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb()))),
}));

const { TopicsEditor } = await import('../../components/TopicsEditor');

let host: HTMLElement;
beforeEach(async () => {
  await getDb().open();
  await Promise.all(getDb().tables.map((t) => t.clear()));
  const r = await handleMessage(
    { type: 'topics/setUser', topics: [{ name: 'State space', phrases: ['mamba'] }] },
    OPTIONS_PAGE,
    envOf(getDb()),
  );
  expect(r.ok).toBe(true);
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
/** The names of the stored user topics. */
const stored = async () => {
  const r = await handleMessage({ type: 'topics/getUser' }, OPTIONS_PAGE, envOf(getDb()));
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { topics: { name: string }[] }).topics.map((t) => t.name);
};

async function addDraft(name: string, phrases: string) {
  await act(() => render(<TopicsEditor />, host));
  await settle();
  const add = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Add a topic')!;
  await act(() => add.click());
  const fieldsets = host.querySelectorAll('fieldset');
  const draft = fieldsets[fieldsets.length - 1]!;
  const type = async (sel: string, value: string) => {
    const el = draft.querySelector<HTMLInputElement | HTMLTextAreaElement>(sel)!;
    el.value = value;
    await act(() => {
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
  };
  await type('[name="topic-name"]', name);
  await type('[name="topic-phrases"]', phrases);
  await act(() => host.querySelector<HTMLButtonElement>('[data-action="save-topics"]')!.click());
  await settle();
  return host.querySelector('[role="alert"], [role="status"]')?.textContent ?? '';
}

it.each([
  ['a name without phrases yet', 'Protein design', '', /Protein design/, /phrase/i],
  ['phrases without a name', '', 'protein folding', /name/i, /name/i],
  ['a phrase of 150 characters', 'Protein design', 'p'.repeat(150), /100/, /Protein design/],
])('%s: says what the topic needs; nothing stored changes', async (_w, name, phrases, a, b) => {
  const message = await addDraft(name, phrases);
  expect(message).not.toMatch(/Invalid message|Too (big|small)|expected|topics\./);
  expect(message).toMatch(a);
  expect(message).toMatch(b);
  // The draft is still on the page, and the stored topics are as before.
  expect(host.querySelectorAll('fieldset')).toHaveLength(2);
  expect(await stored()).toEqual(['State space']);
});
