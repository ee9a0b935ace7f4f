// @vitest-environment happy-dom
/**
 * The topics editor counts as the rest of the options page does, in the browser's locale: a tag
 * learned from 1,234 saved papers reads "learned from 1.234 saved papers" in a German browser
 * (not "1234"), and saving one topic says "Saved 1 topic". The browser's locale is simulated as
 * German; the background's replies are faked.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { useBrowserLocale } from './helpers/locale';

const topics = [{ id: 'user:state-space', name: 'State space', phrases: ['mamba'] }];
vi.mock('../../lib/rpc', () => ({
  send: vi.fn(async (req: { type: string }) =>
    req.type === 'topics/getUser'
      ? {
          ok: true,
          value: { topics, learned: [{ id: 'tag:robotics', name: 'robotics', papers: 1_234 }] },
        }
      : { ok: true, value: { topics } },
  ),
}));

// The browser's own locale: German (a number formatter asked for no locale gets de-DE).
useBrowserLocale('de-DE');

const { TopicsEditor } = await import('../../components/TopicsEditor');

let host: HTMLElement;
beforeEach(async () => {
  host = document.createElement('div');
  document.body.append(host);
  await act(() => render(<TopicsEditor />, host));
  await act(async () => {});
});
afterEach(() => {
  render(null, host);
  host.remove();
});

it('says how many saved papers a tag was learned from in the browser locale', () => {
  expect(host.querySelector('[data-topic="tag:robotics"]')!.textContent).toBe(
    '#robotics — learned from 1.234 saved papers; suggested on new cards with a dashed badge',
  );
});

it('saving one topic says "Saved 1 topic"', async () => {
  await act(() => host.querySelector<HTMLButtonElement>('[data-action="save-topics"]')!.click());
  await act(async () => {});
  expect(host.querySelector('[role="status"]')!.textContent).toBe(
    'Saved 1 topic. Open pages update their badges.',
  );
});
