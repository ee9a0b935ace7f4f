// @vitest-environment happy-dom
/**
 * The card bar for keyboard and screen-reader users: every stop in the Tab order is a control
 * (a role a screen reader announces and a key activates), and names are only given to elements
 * whose role takes one (ARIA 1.2 prohibits naming the generic role: aria-label on a plain span is
 * dropped by screen readers).
 */
import { render } from 'preact';
import { afterEach, expect, it } from 'vitest';
import { CardBar } from '../../components/CardBar';

const NATIVE = new Set(['button', 'a', 'input', 'select', 'textarea']);
/** Roles that take a name from the author (the ones this bar could use). */
const NAMEABLE = new Set(['button', 'link', 'menuitem', 'menu', 'note', 'img', 'status', 'group']);
const INTERACTIVE = new Set(['button', 'link', 'menuitem', 'checkbox', 'switch', 'tab']);

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
});

it('has no focusable element without a control role, nor a name on a role-less element', () => {
  host = document.createElement('div');
  document.body.append(host);
  render(
    <CardBar
      title="A paper"
      saved={false}
      loading={false}
      busy={false}
      seen={false}
      isNew
      newVersion={false}
      onToggle={() => {}}
      onNote={() => {}}
      onTopic={() => {}}
      onWatch={() => {}}
      related={{ id: 'arxiv:1', title: 'Saved one' }}
      badges={[{ id: 'rl', name: 'Reinforcement learning', kind: 'builtin', why: ['reward'] }]}
      highlights={[{ ruleId: 'r', name: 'Ada', color: '#7c3aed', terms: ['Ada'] }]}
      watch={{ authors: ['Ada'], categories: [], topics: [] }}
    />,
    host,
  );
  const problems: string[] = [];
  for (const el of host.querySelectorAll<HTMLElement>('*')) {
    const tag = el.localName;
    const role =
      el.getAttribute('role') ?? (NATIVE.has(tag) ? (tag === 'a' ? 'link' : 'button') : '');
    const tabbable =
      (el.hasAttribute('tabindex') && Number(el.getAttribute('tabindex')) >= 0) || NATIVE.has(tag);
    if (tabbable && !INTERACTIVE.has(role))
      problems.push(`Tab stop without a control role: ${el.outerHTML}`);
    if (el.hasAttribute('aria-label') && !NAMEABLE.has(role))
      problems.push(`aria-label on an element whose role takes no name: ${el.outerHTML}`);
  }
  expect(problems).toEqual([]);
});
