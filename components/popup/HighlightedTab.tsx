/**
 * The popup's Highlighted tab: every seen or saved paper that matches an active watch rule, newest
 * first, filterable by rule, the ones new since the popup was last opened marked, one click to save.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { getDb, type HitRecord, type PaperRecord, type RuleRecord } from '../../lib/db';
import { send } from '../../lib/rpc';
import { useLiveQuery } from '../useLiveQuery';
import { paperLink } from '../../lib/readinglist';

interface Row {
  paper: PaperRecord;
  hits: HitRecord[];
  at: number;
}

const MAX_ROWS = 500;

async function load(): Promise<{ rows: Row[]; rules: RuleRecord[] }> {
  const db = getDb();
  const rules = await db.rules.toArray();
  const active = new Set(rules.filter((r) => !r.paused).map((r) => r.id));
  const byPaper = new Map<string, HitRecord[]>();
  await db.hits
    .orderBy('at')
    .reverse()
    .until(() => byPaper.size >= MAX_ROWS)
    .each((h) => {
      if (!active.has(h.ruleId)) return;
      const list = byPaper.get(h.paperId) ?? [];
      list.push(h);
      byPaper.set(h.paperId, list);
    });
  const ids = [...byPaper.keys()];
  const papers = await db.papers.bulkGet(ids);
  const rows = papers.flatMap((p, i) => {
    const hits = byPaper.get(ids[i]!) ?? [];
    return p ? [{ paper: p, hits, at: Math.max(...hits.map((h) => h.at)) }] : [];
  });
  return { rows, rules };
}

/** The Highlighted tab. `readAt` is when the popup was opened before this time. */
export function HighlightedTab({ readAt }: { readAt: number }): JSX.Element {
  const { value, error } = useLiveQuery(load, []);
  const [rule, setRule] = useState('');
  /** Why the last save or unsave of a paper failed, by paper id (shown on its row). */
  const [failed, setFailed] = useState<Record<string, string>>({});
  const toggleSave = async (paper: PaperRecord) => {
    const res = await send({
      type: 'paper/setSavedById',
      id: paper.id,
      saved: paper.savedAt === undefined,
    });
    setFailed((f) => {
      const next = { ...f };
      if (res.ok) delete next[paper.id];
      else next[paper.id] = res.error.message;
      return next;
    });
  };
  if (error) return <p class="error">Could not read highlights: {String(error)}</p>;
  if (!value) return <p class="empty">Loading…</p>;
  const { rows, rules } = value;
  const byId = new Map(rules.map((r) => [r.id, r]));
  const shown = rule ? rows.filter((r) => r.hits.some((h) => h.ruleId === rule)) : rows;
  if (!rules.length) {
    return (
      <div class="empty" data-empty="highlighted">
        <p>
          <strong>No watch rules yet.</strong>
        </p>
        <p>
          Press <b>◎ Watch</b> on a card to follow an author, organization, topic or category, or
          add words to watch in the{' '}
          <a href="options.html" target="_blank" rel="noopener">
            options
          </a>
          .
        </p>
      </div>
    );
  }
  return (
    <section class="tab-panel" aria-label="Highlighted papers">
      <div class="filters">
        <label>
          Rule{' '}
          <select value={rule} onChange={(e) => setRule(e.currentTarget.value)}>
            <option value="">All rules</option>
            {rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
                {r.paused ? ' (paused)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      {shown.length === 0 ? (
        <p class="empty">No paper you have seen matches {rule ? 'this rule' : 'your rules'} yet.</p>
      ) : (
        <ul class="list" data-list="highlighted" aria-label="Highlighted papers">
          {shown.map(({ paper, hits, at }) => {
            const href = paperLink(paper);
            const unread = at > readAt;
            return (
              <li
                key={paper.id}
                class="row"
                data-paper-id={paper.id}
                data-unread={unread ? 'true' : undefined}
              >
                <div class="row-main">
                  {unread && (
                    // An image with a name: a plain span's aria-label is not read out.
                    <span
                      class="dot"
                      role="img"
                      aria-label="New"
                      title="New since you last opened Paper Scout"
                    />
                  )}
                  {href ? (
                    <a
                      class="title"
                      dir="auto"
                      href={href}
                      target="_blank"
                      rel="noopener noreferrer"
                    >
                      {paper.title}
                    </a>
                  ) : (
                    <span class="title" dir="auto">
                      {paper.title}
                    </span>
                  )}
                  <div class="meta">
                    {hits.map((h) => {
                      const r = byId.get(h.ruleId);
                      return r ? (
                        <span
                          key={h.ruleId}
                          class="rule-chip"
                          style={{ '--rule': r.color }}
                          title={h.terms.join(', ')}
                        >
                          {r.name}
                        </span>
                      ) : null;
                    })}
                  </div>
                  {failed[paper.id] && (
                    <div class="error" role="alert">
                      {failed[paper.id]}
                    </div>
                  )}
                </div>
                <button
                  type="button"
                  class="icon"
                  data-action="save"
                  aria-pressed={paper.savedAt !== undefined ? 'true' : 'false'}
                  aria-label={`${paper.savedAt !== undefined ? 'Unsave' : 'Save'} “${paper.title.slice(0, 120)}”`}
                  onClick={() => void toggleSave(paper)}
                >
                  {paper.savedAt !== undefined ? '★' : '☆'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
