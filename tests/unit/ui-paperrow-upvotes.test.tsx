// @vitest-environment happy-dom
/**
 * A reading-list row's upvote count reads as the list's other counts do, in the browser's
 * locale: a paper with 1,234 upvotes on Hugging Face shows "▲ 1.234" in a German browser (it
 * showed "▲ 1234"). The browser's locale is simulated as German.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, it } from 'vitest';
import type { ListRow } from '../../lib/readinglist';
import { useBrowserLocale } from './helpers/locale';

// The browser's own locale: German (a number formatter asked for no locale gets de-DE).
useBrowserLocale('de-DE');

const { PaperRow } = await import('../../components/popup/PaperRow');

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});

it('shows the upvotes with the thousands separator of the browser locale', async () => {
  const row: ListRow = {
    id: 'arxiv:2401.00001',
    title: 'A Popular Paper',
    authors: ['Ada Lovelace'],
    authorCount: 1,
    dateKey: 0,
    savedAt: 1,
    sites: ['huggingface'],
    state: 'inbox',
    tags: [],
    note: '',
    topics: [],
    upvotes: 1_234,
  };
  host = document.createElement('ul');
  document.body.append(host);
  const noop = () => {};
  await act(() =>
    render(
      <PaperRow
        row={row}
        index={0}
        setSize={1}
        style={{}}
        active={false}
        selected={false}
        inAbstract={false}
        onActivate={noop}
        onSelect={noop}
        onCycleState={noop}
        onEdit={noop}
        onUnsave={noop}
      />,
      host,
    ),
  );
  expect(host.querySelector('.meta')!.textContent).toBe('Ada Lovelace · ▲ 1.234');
});
