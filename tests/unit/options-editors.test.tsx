// @vitest-environment happy-dom
/**
 * The options page's watch-rule and topic editors with a keyboard and a screen reader, rendered
 * with Preact in happy-dom, messages answered by the real router over fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { envOf, OPTIONS_PAGE } from './exchange-helpers';
import { useRenderHost } from './helpers/host';

vi.mock('../../lib/rpc', () => ({
  send: async (req: unknown) =>
    structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb()))),
}));

const { RulesEditor } = await import('../../components/RulesEditor');
const { TopicsEditor } = await import('../../components/TopicsEditor');

let host!: HTMLElement;
useRenderHost(getDb, (h) => (host = h));
const settle = async (ms = 100) => {
  for (let i = 0; i < 10; i++) await act(() => new Promise((r) => setTimeout(r, ms / 10)));
};
const rule = (id: string, name: string, at: number) => ({
  id,
  name,
  kind: 'words' as const,
  terms: [name],
  exclude: [],
  color: '#b45309',
  paused: false,
  createdAt: at,
  updatedAt: at,
});
/** The accessible name of a checkbox: aria-label, else its label's text. */
const nameOf = (el: HTMLInputElement) =>
  el.getAttribute('aria-label') ?? el.closest('label')?.textContent?.trim() ?? '';

describe('watch rules list', () => {
  it('each rule’s "active" checkbox names its rule', async () => {
    await getDb().rules.bulkPut([rule('r1', 'diffusion', 1), rule('r2', 'world models', 2)]);
    await act(() => render(<RulesEditor />, host));
    await settle();
    const boxes = [...host.querySelectorAll<HTMLInputElement>('[data-list="rules"] input')];
    expect(boxes).toHaveLength(2);
    expect(nameOf(boxes[0]!)).toContain('world models');
    expect(nameOf(boxes[1]!)).toContain('diffusion');
  });

  it('deleting a rule keeps focus in the rules section', async () => {
    await getDb().rules.bulkPut([rule('r1', 'diffusion', 1), rule('r2', 'world models', 2)]);
    await act(() => render(<RulesEditor />, host));
    await settle();
    const del = host.querySelector<HTMLButtonElement>('[aria-label="Delete rule world models"]')!;
    del.focus();
    await act(() => del.click());
    await settle();
    expect(await getDb().rules.count()).toBe(1);
    expect(host.querySelector('section')!.contains(document.activeElement)).toBe(true);
  });
});

describe('topics editor', () => {
  it('deleting a topic keeps focus in the editor', async () => {
    await act(() => render(<TopicsEditor />, host));
    await settle();
    await act(() => host.querySelector<HTMLButtonElement>('.actions button')!.click());
    const name = host.querySelector<HTMLInputElement>('input[name="topic-name"]')!;
    name.value = 'SSM';
    await act(() => {
      name.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const phrases = host.querySelector<HTMLTextAreaElement>('textarea[name="topic-phrases"]')!;
    phrases.value = 'state space model';
    await act(() => {
      phrases.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(() => host.querySelector<HTMLButtonElement>('[data-action="save-topics"]')!.click());
    await settle();
    const del = host.querySelector<HTMLButtonElement>('fieldset button')!;
    expect(del.textContent).toContain('SSM');
    del.focus();
    await act(() => del.click());
    await settle();
    expect(host.querySelector('fieldset')).toBeNull();
    expect(host.querySelector('[data-editor="topics"]')!.contains(document.activeElement)).toBe(
      true,
    );
  });
});
