// @vitest-environment happy-dom
/**
 * The options page's history controls, as a researcher meets them: turning history off and
 * "Clear history now" delete every sighting, so neither happens on one stray click — each asks
 * first, in words that say what goes and what stays, and "Keep" leaves the history as it was.
 * Messages are answered by the real router over fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { CONTENT, envOf, OPTIONS_PAGE } from './exchange-helpers';
import { storedSightings } from './helpers/sightings';

vi.mock('../../lib/rpc', () => ({
  send: async (req: unknown) =>
    structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb()))),
}));

const { Options } = await import('../../components/Options');

let host: HTMLElement;
beforeEach(async () => {
  await getDb().open();
  await Promise.all(getDb().tables.map((t) => t.clear()));
  host = document.createElement('div');
  document.body.append(host);
  // Two papers seen on a listing: a sighting history to lose.
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
      cards: [1, 2].map((i) => ({
        arxivId: `2401.0000${i}`,
        title: `Seen paper ${i}`,
        url: `https://huggingface.co/papers/2401.0000${i}`,
      })),
    },
    CONTENT,
    envOf(getDb()),
  );
  expect(seen.ok).toBe(true);
  expect((await storedSightings(getDb())).length).toBe(2);
});
afterEach(() => {
  render(null, host);
  host.remove();
});

const settle = async (ms = 50) => {
  for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, ms / 5)));
};
const checkbox = () => host.querySelector<HTMLInputElement>('input[name="historyEnabled"]')!;
const button = (text: RegExp) =>
  [...host.querySelectorAll<HTMLButtonElement>('button')].find((b) => text.test(b.textContent!));

async function open() {
  await act(() => render(<Options />, host));
  await settle();
  expect(checkbox().checked).toBe(true);
}
async function click(el: HTMLElement | undefined) {
  expect(el).toBeDefined();
  await act(() => el!.click());
  await settle();
}

describe('turning history off', () => {
  it('asks first; "Keep history" keeps every sighting and the box ticked', async () => {
    await open();
    await click(checkbox());
    // Nothing is deleted by the click itself ...
    expect((await storedSightings(getDb())).length).toBe(2);
    expect((await getDb().settings.get('historyEnabled'))?.value).not.toBe(false);
    // ... the page says what turning it off deletes, and the box still shows history on.
    const ask = host.querySelector('[data-confirm="history-off"]');
    expect(ask?.textContent).toMatch(/delete/i);
    expect(checkbox().checked).toBe(true);
    // Focus is on the safe answer, so Enter does not delete anything.
    expect(document.activeElement?.textContent).toMatch(/Keep/);
    await click(button(/Keep history/));
    expect(host.querySelector('[data-confirm]')).toBeNull();
    expect((await storedSightings(getDb())).length).toBe(2);
    expect(checkbox().checked).toBe(true);
    expect(document.activeElement).toBe(checkbox());
  });

  it('turns history off and clears it once confirmed', async () => {
    await open();
    await click(checkbox());
    await click(button(/Turn off and clear/));
    expect((await storedSightings(getDb())).length).toBe(0);
    expect(checkbox().checked).toBe(false);
    expect(host.querySelector('[role="status"]')?.textContent).toMatch(/off/i);
    expect(document.activeElement).toBe(checkbox());
  });

  it('turning it back on needs no confirmation', async () => {
    await open();
    await click(checkbox());
    await click(button(/Turn off and clear/));
    await click(checkbox());
    expect(host.querySelector('[data-confirm]')).toBeNull();
    expect(checkbox().checked).toBe(true);
    expect((await getDb().settings.get('historyEnabled'))?.value).toBe(true);
  });
});

describe('Clear history now', () => {
  it('asks first; Cancel deletes nothing', async () => {
    await open();
    await click(button(/Clear history now/));
    expect((await storedSightings(getDb())).length).toBe(2);
    expect(host.querySelector('[data-confirm="history-clear"]')?.textContent).toMatch(/delete/i);
    await click(button(/^Cancel$/));
    expect((await storedSightings(getDb())).length).toBe(2);
    expect(document.activeElement).toBe(button(/Clear history now/));
    // Escape is a Cancel too.
    await click(button(/Clear history now/));
    await act(() => {
      document.activeElement!.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
      );
    });
    expect(host.querySelector('[data-confirm]')).toBeNull();
    expect((await storedSightings(getDb())).length).toBe(2);
  });

  it('clears once confirmed and says how much', async () => {
    await open();
    await click(button(/Clear history now/));
    await click(button(/^Clear history$/));
    expect((await storedSightings(getDb())).length).toBe(0);
    expect(host.querySelector('[role="status"]')?.textContent).toMatch(/Cleared 2 sightings/);
  });
});
