// @vitest-environment happy-dom
/**
 * The watch-rule form with input a researcher may well give it — a pasted paragraph as one
 * phrase, a very long name, a list of 150 authors: the page says in plain words what is too long
 * or too many (not the router's "Invalid message: rule.terms.0: Too big…"), keeps what was typed,
 * and stores nothing. Messages are answered by the real router over fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { envOf, OPTIONS_PAGE } from './exchange-helpers';
import { useRenderHost } from './helpers/host';

vi.mock('../../lib/rpc', () => ({
  send: async (req: unknown) =>
    structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb()))),
}));

const { RulesEditor } = await import('../../components/RulesEditor');

let host!: HTMLElement;
useRenderHost(getDb, (h) => (host = h));
const settle = async (ms = 60) => {
  for (let i = 0; i < 6; i++) await act(() => new Promise((r) => setTimeout(r, ms / 6)));
};

async function submit(fields: Record<string, string>) {
  await act(() => render(<RulesEditor />, host));
  await settle();
  for (const [name, value] of Object.entries(fields)) {
    const input = host.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
    input.value = value;
    await act(() => {
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }
  await act(() => {
    host.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true }));
  });
  await settle();
  return host.querySelector('[role="status"], [role="alert"]')?.textContent ?? '';
}

const paragraph = 'diffusion models for protein structure prediction '.repeat(8).trim();

it.each([
  ['a phrase longer than 300 characters', { terms: `world models, ${paragraph}` }, /300/],
  ['a name longer than 200 characters', { terms: 'diffusion', name: 'N'.repeat(250) }, /200/],
  [
    'more than 100 terms',
    { terms: Array.from({ length: 150 }, (_, i) => `Author ${i}`).join(', ') },
    /100/,
  ],
  ['an exclusion longer than 300 characters', { terms: 'diffusion', exclude: paragraph }, /300/],
])('%s: says what to shorten, keeps the text, stores nothing', async (_w, fields, limit) => {
  const message = await submit(fields);
  expect(message).not.toMatch(/Invalid message|Too big|expected|rule\./);
  expect(message).toMatch(limit);
  expect(await getDb().rules.count()).toBe(0);
  // What was typed is still there to shorten.
  expect(host.querySelector<HTMLInputElement>('[name="terms"]')!.value).toBe(fields.terms);
});

it('a 300-character phrase is fine', async () => {
  const message = await submit({ terms: 'x'.repeat(300) });
  expect(message).toMatch(/Saved/);
  expect(await getDb().rules.count()).toBe(1);
});

it('an exclusion typed for words is not kept on an author rule (its field is hidden)', async () => {
  await act(() => render(<RulesEditor />, host));
  await settle();
  const exclude = host.querySelector<HTMLInputElement>('[name="exclude"]')!;
  exclude.value = 'diffusion MRI';
  await act(() => {
    exclude.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const kind = host.querySelector<HTMLSelectElement>('[name="kind"]')!;
  kind.value = 'author';
  await act(() => {
    kind.dispatchEvent(new Event('change', { bubbles: true }));
  });
  expect(host.querySelector('[name="exclude"]')).toBeNull();
  const terms = host.querySelector<HTMLInputElement>('[name="terms"]')!;
  terms.value = 'Sergey Levine';
  await act(() => {
    terms.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(() => {
    host.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true }));
  });
  await settle();
  const [stored] = await getDb().rules.toArray();
  expect(stored?.exclude).toEqual([]);
  expect(host.querySelector('[data-list="rules"]')!.textContent).not.toContain('not diffusion');
});
