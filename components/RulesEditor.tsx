/**
 * Watch rules in the options page: add a rule (words with exclusions, authors, organizations,
 * topics, arXiv categories), pause, edit its color, delete. Every change goes through the
 * background (validated), which re-matches stored papers and tells open tabs.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { formatCount } from '../lib/count';
import { getDb, type RuleKind, type RuleRecord } from '../lib/db';
import { RuleInputSchema } from '../lib/messages';
import { send } from '../lib/rpc';
import { useLiveQuery } from './useLiveQuery';

const KINDS: Array<{ id: RuleKind; label: string; hint: string }> = [
  { id: 'words', label: 'Words or phrases', hint: 'diffusion, world models' },
  { id: 'author', label: 'Authors', hint: 'Sergey Levine, Chelsea Finn' },
  { id: 'organization', label: 'Organizations', hint: 'Google DeepMind' },
  { id: 'topic', label: 'Topics (badge ids)', hint: 'rlhf, agents' },
  { id: 'category', label: 'arXiv categories', hint: 'cs.RO, cs.CL' },
];

const split = (s: string) =>
  s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** What each field of a rule is called on the form, for a message about it. */
const FIELD_NAMES: Record<string, string> = {
  name: 'The name',
  terms: 'Terms',
  exclude: '“But not”',
};

/**
 * What is wrong with a rule the form is about to send, in words a person can act on, checked
 * against the schema the background checks it with (lib/messages.ts): else the background's
 * refusal reads "Invalid message: rule.terms.1: Too big: expected string to have <=300
 * characters". Undefined when the rule is fine.
 */
function ruleProblem(rule: unknown): string | undefined {
  const parsed = RuleInputSchema.safeParse(rule);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  if (!issue) return 'This rule cannot be saved.';
  const [field, index] = issue.path;
  const what = FIELD_NAMES[String(field)] ?? 'This rule';
  if (issue.code === 'too_big') {
    const max = formatCount(Number(issue.maximum));
    if (typeof index === 'number') {
      const values = (rule as Record<string, unknown>)[String(field)] as string[];
      const start = (values[index] ?? '').slice(0, 40);
      return `${what}: “${start}…” is too long; a phrase or name holds at most ${max} characters.`;
    }
    return issue.origin === 'array'
      ? `${what}: at most ${max} entries; split them over several rules.`
      : `${what} holds at most ${max} characters.`;
  }
  return `${what}: ${issue.message}`;
}

/** The rules section of the options page. */
export function RulesEditor(): JSX.Element {
  const { value: rules } = useLiveQuery(
    () => getDb().rules.orderBy('updatedAt').reverse().toArray(),
    [],
  );
  const [kind, setKind] = useState<RuleKind>('words');
  const [terms, setTerms] = useState('');
  const [exclude, setExclude] = useState('');
  const [name, setName] = useState('');
  const [color, setColor] = useState('#b45309');
  const [status, setStatus] = useState<string>();

  const save = async (
    rule: Omit<RuleRecord, 'createdAt' | 'updatedAt' | 'id'> & { id?: string },
  ) => {
    const res = await send({ type: 'rules/save', rule });
    setStatus(res.ok ? `Saved “${res.value.name}”.` : res.error.message);
    return res.ok;
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const t = split(terms);
    if (!t.length) return setStatus('Give at least one word, name or category to watch.');
    const rule = {
      name: name.trim() || t.join(', ').slice(0, 200),
      kind,
      terms: t,
      exclude: kind === 'words' ? split(exclude) : [],
      color,
      paused: false,
    };
    const problem = ruleProblem(rule);
    if (problem) return setStatus(problem);
    const ok = await save(rule);
    if (ok) {
      setTerms('');
      setExclude('');
      setName('');
    }
  };
  const hint = KINDS.find((k) => k.id === kind)?.hint;
  return (
    <section aria-labelledby="rules-h">
      <h2 id="rules-h">Watch rules</h2>
      <p>
        Cards matching a rule are marked in its color on every listing, the matched words are
        highlighted, and the popup's Highlighted tab collects them. Matching ignores case and
        accents and works on whole words.
      </p>
      <form class="rule-form" onSubmit={(e) => void add(e)}>
        <label class="field">
          Watch
          <select
            name="kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as RuleKind)}
          >
            {KINDS.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          Terms
          <input
            name="terms"
            value={terms}
            placeholder={hint}
            onInput={(e) => setTerms(e.currentTarget.value)}
          />
        </label>
        {kind === 'words' && (
          <label class="field">
            But not
            <input
              name="exclude"
              value={exclude}
              placeholder="diffusion MRI"
              onInput={(e) => setExclude(e.currentTarget.value)}
            />
          </label>
        )}
        <label class="field">
          Name
          <input
            name="name"
            value={name}
            placeholder="(optional)"
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          Color
          <input
            name="color"
            type="color"
            value={color}
            onInput={(e) => setColor(e.currentTarget.value)}
          />
        </label>
        <button type="submit">Add rule</button>
      </form>
      {status && <p role="status">{status}</p>}
      <ul class="rules" data-list="rules">
        {(rules ?? []).map((r) => (
          <li key={r.id} data-rule-id={r.id}>
            <span class="rule-chip" style={{ '--rule': r.color }}>
              {r.name}
            </span>{' '}
            <span class="meta">
              {KINDS.find((k) => k.id === r.kind)?.label}: {r.terms.join(', ')}
              {r.exclude.length ? ` — not ${r.exclude.join(', ')}` : ''}
            </span>{' '}
            <label>
              <input
                type="checkbox"
                aria-label={`Rule ${r.name} active`}
                checked={!r.paused}
                onChange={(e) => void save({ ...r, paused: !e.currentTarget.checked })}
              />{' '}
              active
            </label>{' '}
            <button
              type="button"
              aria-label={`Delete rule ${r.name}`}
              onClick={(e) => {
                // The button leaves with its rule: focus goes to the next rule's (or the previous
                // one's) Delete, else to Add rule, not to the top of the page.
                const button = e.currentTarget;
                const li = button.closest('li');
                const section = button.closest('section');
                const next = (li?.nextElementSibling ?? li?.previousElementSibling)?.querySelector(
                  'button',
                );
                const fallback = section?.querySelector<HTMLButtonElement>('button[type="submit"]');
                void send({ type: 'rules/delete', id: r.id }).then((res) => {
                  setStatus(res.ok ? 'Deleted.' : res.error.message);
                  const active = document.activeElement;
                  // The list drops the rule when the database tells it: focus moves now.
                  const lost = !active || active === document.body || !active.isConnected;
                  if (res.ok && (lost || active === button))
                    (next?.isConnected ? next : fallback)?.focus();
                });
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
