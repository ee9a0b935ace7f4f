// @vitest-environment happy-dom
/**
 * The reading list's rows keep one stop in the Tab order (the active row, with its link and
 * buttons): Tab from the list goes on to the next part of the popup instead of stepping through a
 * BibTeX button in every other row shown.
 */
import { render } from 'preact';
import { afterEach, expect, it } from 'vitest';
import { CopyBibtexButton } from '../../components/exchange/CopyBibtexButton';
import { PaperRow } from '../../components/popup/PaperRow';
import type { ListRow } from '../../lib/readinglist';

const noop = () => {};
const row = (i: number): ListRow => ({
  id: `arxiv:2401.0000${i}`,
  title: `Paper ${i}`,
  href: `https://arxiv.org/abs/2401.0000${i}`,
  authors: ['Ada Lovelace'],
  authorCount: 1,
  dateKey: 0,
  savedAt: 1,
  sites: ['arxiv'],
  state: 'inbox',
  tags: [],
  note: '',
  topics: [],
});

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});

it.each([
  ['loaded', CopyBibtexButton],
  ['still loading', undefined],
])('only the active row has controls in the Tab order (BibTeX button %s)', (_w, CopyButton) => {
  host = document.createElement('ul');
  document.body.append(host);
  render(
    <>
      {[0, 1, 2].map((i) => (
        <PaperRow
          key={i}
          row={row(i)}
          index={i}
          setSize={3}
          style={{}}
          active={i === 1}
          selected={false}
          inAbstract={false}
          CopyButton={CopyButton}
          onActivate={noop}
          onSelect={noop}
          onCycleState={noop}
          onEdit={noop}
          onUnsave={noop}
        />
      ))}
    </>,
    host,
  );
  const tabbable = (li: Element) =>
    [li, ...li.querySelectorAll<HTMLElement>('a, button, input, [tabindex]')].filter(
      (el) => (el as HTMLElement).tabIndex >= 0 && !(el as HTMLButtonElement).disabled,
    );
  const rows = host.querySelectorAll('li');
  expect(tabbable(rows[0]!)).toEqual([]);
  expect(tabbable(rows[2]!)).toEqual([]);
  // The active row: itself, its title link and its buttons, BibTeX included once it works.
  const active = tabbable(rows[1]!).map((el) => el.getAttribute('data-action') ?? el.tagName);
  expect(active).toContain('note');
  expect(active).toContain('unsave');
  if (CopyButton) expect(active).toContain('copy-bibtex');
});
