/**
 * The popup's Reading list tab: saved papers, newest first. Reads the database directly (an
 * extension page shares the worker's IndexedDB) through liveQuery, so saves made in any tab show
 * at once; every change goes through the background worker's validated messages.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { getDb, type PaperRecord } from '../../lib/db';
import type { SiteId } from '../../lib/paper';
import { send } from '../../lib/rpc';
import { useLiveQuery } from '../useLiveQuery';

const SITE_NAMES: Record<SiteId, string> = {
  huggingface: 'Hugging Face',
  arxiv: 'arXiv',
  scholar: 'Google Scholar',
  acl: 'ACL Anthology',
};

/** The best link for a paper: where it was saved from, else any site, else arXiv. */
export function paperLink(p: PaperRecord): string | undefined {
  const url = (p.savedFrom && p.urls[p.savedFrom]) ?? Object.values(p.urls)[0];
  if (url && /^https:\/\//.test(url)) return url;
  return p.arxivId ? `https://arxiv.org/abs/${p.arxivId}` : undefined;
}

function formatDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? undefined
    : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

function byline(p: PaperRecord): string | undefined {
  if (p.organization) return p.organization;
  const first = p.authors[0];
  if (!first) return undefined;
  return p.authors.length > 1 ? `${first} et al.` : first;
}

function Row({ paper }: { paper: PaperRecord }): JSX.Element {
  const [error, setError] = useState<string>();
  const href = paperLink(paper);
  const meta = [
    byline(paper),
    formatDate(paper.date),
    paper.upvotes !== undefined ? `▲ ${paper.upvotes}` : undefined,
    paper.savedFrom ? SITE_NAMES[paper.savedFrom] : undefined,
  ].filter(Boolean);
  const unsave = async () => {
    const res = await send({ type: 'paper/setSavedById', id: paper.id, saved: false });
    if (!res.ok) setError(res.error.message);
  };
  return (
    <li class="row" data-paper-id={paper.id}>
      <div class="row-main">
        {href ? (
          <a class="title" href={href} target="_blank" rel="noopener noreferrer">
            {paper.title}
          </a>
        ) : (
          <span class="title">{paper.title}</span>
        )}
        <div class="meta">{meta.join(' · ')}</div>
        {error && (
          <div class="error" role="alert">
            {error}
          </div>
        )}
      </div>
      <button
        type="button"
        class="icon"
        data-action="unsave"
        aria-label={`Remove “${paper.title.slice(0, 120)}” from the reading list`}
        title="Remove from reading list"
        onClick={unsave}
      >
        ★
      </button>
    </li>
  );
}

/** The reading list tab. */
export function ReadingList(): JSX.Element {
  const { value: saved, error } = useLiveQuery(
    () => getDb().papers.orderBy('savedAt').reverse().toArray(),
    [],
  );
  return (
    <section class="tab-panel" aria-label="Reading list">
      <div class="count">{saved ? `${saved.length} saved` : ''}</div>
      {error ? (
        <p class="error" role="alert">
          Could not read your library: {String(error)}
        </p>
      ) : saved === undefined ? (
        <p class="empty">Loading…</p>
      ) : saved.length === 0 ? (
        <div class="empty" data-empty="saved">
          <p>
            <strong>Your reading list is empty.</strong>
          </p>
          <p>
            Open{' '}
            <a href="https://huggingface.co/papers" target="_blank" rel="noopener noreferrer">
              Hugging Face Papers
            </a>
            , an arXiv listing, Google Scholar or the ACL Anthology and press <b>☆ Save</b> on any
            paper.
          </p>
        </div>
      ) : (
        <ul class="list" data-list="saved" aria-label="Saved papers">
          {saved.map((p) => (
            <Row key={p.id} paper={p} />
          ))}
        </ul>
      )}
    </section>
  );
}
