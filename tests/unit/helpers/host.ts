/**
 * The render host of a file's component tests (the options page's and the popup's): before each
 * test the database is emptied and a fresh host appended to the document; after it, what was
 * rendered is unmounted and the host removed.
 */
import { render } from 'preact';
import { afterEach, beforeEach } from 'vitest';
import type { PaperScoutDB } from '../../../lib/db';

/** Registers the hooks; `set` is given each test's host. */
export function useRenderHost(db: () => PaperScoutDB, set: (host: HTMLElement) => void): void {
  let host: HTMLElement | undefined;
  beforeEach(async () => {
    await db().open();
    await Promise.all(db().tables.map((t) => t.clear()));
    host = document.createElement('div');
    document.body.append(host);
    set(host);
  });
  afterEach(() => {
    if (!host) return;
    render(null, host);
    host.remove();
  });
}
