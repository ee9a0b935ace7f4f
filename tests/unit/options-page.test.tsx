// @vitest-environment happy-dom
/**
 * The options page as a person meets it, rendered with Preact in happy-dom, its messages answered
 * by the real router over fake-indexeddb.
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

const { Options } = await import('../../components/Options');

let host!: HTMLElement;
useRenderHost(getDb, (h) => (host = h));

const settle = async (ms = 50) => {
  for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, ms / 5)));
};
const capInput = () => host.querySelector<HTMLInputElement>('input[name="historyCap"]')!;
const statusText = () => host.querySelector('main > section [role="status"]')?.textContent ?? '';

async function typeCap(value: string) {
  const input = capInput();
  input.value = value;
  await act(() => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

describe('history cap input', () => {
  it.each([
    ['', 'empty'],
    ['0', 'zero'],
    ['-5', 'negative'],
    ['2500.5', 'a decimal'],
    ['99999999999', 'huge'],
  ])(
    'refuses %j (%s) in words a person can act on, and shows the stored value again',
    async (v) => {
      await act(() => render(<Options />, host));
      await settle();
      expect(capInput().value).toBe('100000');
      await typeCap(v);
      // Nothing stored changed ...
      const stored = (await getDb().settings.get('historyCap'))?.value;
      expect(stored).toBeUndefined();
      // ... the field says what is kept, not the rejected text ...
      expect(capInput().value).toBe('100000');
      // ... and the message says what to type, not the router's internals.
      expect(statusText()).not.toMatch(/Invalid message|expected|settings\./);
      expect(statusText()).toMatch(/100/);
    },
  );

  it('stores a valid cap and shows it after a reload', async () => {
    await act(() => render(<Options />, host));
    await settle();
    await typeCap('5000');
    expect(statusText()).toBe('Saved.');
    render(null, host);
    await act(() => render(<Options />, host));
    await settle();
    expect(capInput().value).toBe('5000');
  });
});

describe('history cap steps', () => {
  it('the default cap is a valid value of the field (arrow keys step from it)', async () => {
    await act(() => render(<Options />, host));
    await settle();
    const input = capInput();
    expect(input.value).toBe('100000');
    expect(input.validity.stepMismatch).toBe(false);
    input.stepUp();
    expect(Number(input.value)).toBeGreaterThan(100_000);
    expect(input.validity.stepMismatch).toBe(false);
  });
});
