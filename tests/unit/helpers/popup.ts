/**
 * Setup shared by the popup's component tests (tests/unit/ui-readinglist-*.test.tsx): a library
 * of papers seen on the Hugging Face daily page and saved one after another, through the real
 * router, and a change of a filter menu as a user makes it.
 */
import { act } from 'preact/test-utils';
import { expect } from 'vitest';
import { handleMessage } from '../../../lib/background/router';
import type { PaperScoutDB } from '../../../lib/db';
import { CONTENT, envOf, OPTIONS_PAGE } from '../exchange-helpers';

/**
 * Empties `db`, then records `titles` as cards of the Hugging Face daily page (arXiv ids
 * 2401.00001…) and saves each in that order, `gapMs` apart (the newest, the last title, is the
 * list's first row when the saves are apart). Returns the papers' ids.
 */
export async function seedSaved(
  db: PaperScoutDB,
  titles: readonly string[],
  gapMs = 0,
): Promise<string[]> {
  await db.open();
  await Promise.all(db.tables.map((t) => t.clear()));
  const env = envOf(db);
  const seen = await handleMessage(
    {
      type: 'cards/seen',
      page: {
        site: 'huggingface',
        url: 'https://huggingface.co/papers',
        kind: 'daily',
        listing: true,
        loadId: 'l',
      },
      cards: titles.map((title, i) => ({
        arxivId: `2401.0000${i + 1}`,
        title,
        url: `https://huggingface.co/papers/2401.0000${i + 1}`,
      })),
    },
    CONTENT,
    env,
  );
  expect(seen.ok).toBe(true);
  const ids = titles.map((_, i) => `arxiv:2401.0000${i + 1}`);
  for (const id of ids) {
    const r = await handleMessage(
      { type: 'paper/setSavedById', id, saved: true },
      OPTIONS_PAGE,
      env,
    );
    expect(r.ok).toBe(true);
    if (gapMs) await new Promise((ok) => setTimeout(ok, gapMs));
  }
  return ids;
}

/** Picks `value` in the menu `select` (a change event, as the user's choice fires one). */
export async function choose(select: HTMLSelectElement, value: string): Promise<void> {
  select.value = value;
  await act(() => {
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
