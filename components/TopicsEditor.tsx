/**
 * The options page's topics section: the user's own topics (a name and the phrases that decide
 * it, optionally phrases that rule it out), shown as badges on cards next to the built-in ones.
 * Phrases are one per line; matching ignores case, accents and punctuation, `word*` matches a
 * prefix. Everything is checked by the background (lib/topics/taxonomy.ts) before it is stored.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { countOf, formatCount, formatPosition } from '../lib/count';
import { USER_TOPIC_LIMITS, USER_TOPICS_MAX } from '../lib/limits';
import { send } from '../lib/rpc';

interface Draft {
  key: number;
  name: string;
  phrases: string;
  exclude: string;
}

let nextKey = 1;
const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * What a draft needs before it can be saved, in words a person can act on (the background checks
 * the same limits, lib/messages.ts, and its refusal reads "Invalid message: topics.1.phrases: Too
 * small…"). `n` is the draft's place on the page, for a draft without a name. Undefined when the
 * draft is fine or empty (an empty draft is left out).
 */
function draftProblem(d: Draft, n: number): string | undefined {
  const name = d.name.trim();
  const phrases = lines(d.phrases);
  const exclude = lines(d.exclude);
  if (!name && !phrases.length) return undefined;
  const L = USER_TOPIC_LIMITS;
  const topic = name ? `“${name}”` : `Topic ${formatPosition(n)}`;
  if (!name) return `${topic} needs a name.`;
  if (name.length > L.name)
    return `${topic}: a name holds at most ${formatCount(L.name)} characters.`;
  if (!phrases.length) return `${topic} needs at least one phrase that decides it.`;
  if (phrases.length > L.phrases)
    return `${topic}: at most ${formatCount(L.phrases)} phrases that decide it.`;
  if (exclude.length > L.exclude)
    return `${topic}: at most ${formatCount(L.exclude)} phrases that rule it out.`;
  const long = [...phrases, ...exclude].find((p) => p.length > L.phrase);
  if (long)
    return `${topic}: the phrase “${long.slice(0, 30)}…” is too long; a phrase holds at most ${formatCount(L.phrase)} characters.`;
  return undefined;
}

/** The topics editor. */
export function TopicsEditor(): JSX.Element {
  const [drafts, setDrafts] = useState<Draft[]>();
  const [learned, setLearned] = useState<{ id: string; name: string; papers: number }[]>([]);
  const [status, setStatus] = useState<{ text: string; error?: boolean }>();
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void send({ type: 'topics/getUser' }).then((r) => {
      if (!r.ok) return setStatus({ text: r.error.message, error: true });
      setLearned(r.value.learned);
      setDrafts(
        r.value.topics.map((t) => ({
          key: nextKey++,
          name: t.name,
          phrases: t.phrases.join('\n'),
          exclude: (t.exclude ?? []).join('\n'),
        })),
      );
    });
  }, []);

  const change = (key: number, patch: Partial<Draft>) =>
    setDrafts((ds) => ds?.map((d) => (d.key === key ? { ...d, ...patch } : d)));

  const save = async (list: Draft[]) => {
    const problem = list.map((d, i) => draftProblem(d, i + 1)).find(Boolean);
    if (problem) return setStatus({ text: problem, error: true });
    const r = await send({
      type: 'topics/setUser',
      topics: list
        .filter((d) => d.name.trim() || d.phrases.trim())
        .map((d) => ({
          name: d.name.trim(),
          phrases: lines(d.phrases),
          exclude: lines(d.exclude),
        })),
    });
    if (!r.ok) return setStatus({ text: r.error.message, error: true });
    setStatus({
      text: `Saved ${countOf(r.value.topics.length, 'topic')}. Open pages update their badges.`,
    });
  };

  if (!drafts) return <p>Loading topics…</p>;
  return (
    <div class="topics-editor" data-editor="topics">
      {drafts.length === 0 && (
        <p class="empty">No topics of your own yet: the built-in taxonomy decides every badge.</p>
      )}
      {drafts.map((d) => (
        <fieldset key={d.key} class="topic" data-user-topic={d.name}>
          <legend>{d.name || 'New topic'}</legend>
          <label class="field">
            Name
            <input
              type="text"
              name="topic-name"
              maxLength={USER_TOPIC_LIMITS.name}
              value={d.name}
              onInput={(e) => change(d.key, { name: e.currentTarget.value })}
            />
          </label>
          <label class="field">
            Phrases that decide it, one per line
            <textarea
              name="topic-phrases"
              rows={3}
              value={d.phrases}
              placeholder={'state space model\nmamba'}
              onInput={(e) => change(d.key, { phrases: e.currentTarget.value })}
            />
          </label>
          <label class="field">
            Phrases that rule it out (optional), one per line
            <textarea
              name="topic-exclude"
              rows={2}
              value={d.exclude}
              onInput={(e) => change(d.key, { exclude: e.currentTarget.value })}
            />
          </label>
          <button
            type="button"
            onClick={() => {
              const rest = drafts.filter((x) => x.key !== d.key);
              setDrafts(rest);
              // The button leaves with its topic: focus goes to "Add a topic", not the page top.
              addButton.current?.focus();
              void save(rest);
            }}
          >
            Delete “{d.name || 'New topic'}”
          </button>
        </fieldset>
      ))}
      <div class="actions">
        <button
          ref={addButton}
          type="button"
          disabled={drafts.length >= USER_TOPICS_MAX}
          onClick={() =>
            setDrafts([...drafts, { key: nextKey++, name: '', phrases: '', exclude: '' }])
          }
        >
          Add a topic
        </button>
        <button type="button" data-action="save-topics" onClick={() => void save(drafts)}>
          Save topics
        </button>
      </div>
      <h3>Learned from your tags</h3>
      {learned.length ? (
        <ul class="learned-topics" data-list="learned-topics">
          {learned.map((t) => (
            <li key={t.id} data-topic={t.id}>
              #{t.name} — learned from {countOf(t.papers, 'saved paper')}; suggested on new cards
              with a dashed badge
            </li>
          ))}
        </ul>
      ) : (
        <p class="empty">
          Once a tag has 5 saved papers, Paper Scout learns it (in your browser) and suggests it on
          new cards.
        </p>
      )}
      {status && (
        <p role={status.error ? 'alert' : 'status'} class={status.error ? 'error' : undefined}>
          {status.text}
        </p>
      )}
    </div>
  );
}
