/**
 * Loads real saved pages from tests/fixtures/pages and runs an adapter over them exactly as the
 * content script does (matchPage → findCards → readCard), so adapter tests and the expected-output
 * files stay in one format.
 *
 * Layout: tests/fixtures/pages/<site>/<name>.html (verbatim copy from ../shared, never edited)
 * and <name>.expected.json = { url, kind, cards: ExpectedCard[] }.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { matchPage } from '../../../lib/sites/registry';
import { canonicalKey, type PaperCandidate } from '../../../lib/paper';

export const FIXTURE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/pages');

/** What a fixture's expected output lists per card (the fields a user sees). */
export interface ExpectedFile {
  /** The real URL the page was served at (SOURCES.md); decides the adapter and page kind. */
  url: string;
  kind: string;
  /** One entry per card, in page order. `key` is canonicalKey(candidate). Other fields optional. */
  cards: Array<{ key: string; title: string } & Partial<PaperCandidate>>;
}

export interface Fixture {
  site: string;
  name: string;
  htmlPath: string;
  expected: ExpectedFile;
}

/** All fixtures with an expected-output file, grouped by site folder. */
export function listFixtures(): Fixture[] {
  if (!existsSync(FIXTURE_ROOT)) return [];
  const out: Fixture[] = [];
  for (const site of readdirSync(FIXTURE_ROOT)) {
    const dir = join(FIXTURE_ROOT, site);
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.expected.json')) continue;
      const name = file.replace(/\.expected\.json$/, '');
      const htmlPath = join(dir, `${name}.html`);
      const expected = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ExpectedFile;
      out.push({ site, name, htmlPath, expected });
    }
  }
  return out;
}

/** Parses a saved page into a Document whose location is the page's real URL. */
export function loadDocument(htmlPath: string, url: string): Document {
  const window = new Window({
    url,
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      navigation: { disableMainFrameNavigation: true, disableChildFrameNavigation: true },
    },
  });
  const doc = window.document as unknown as Document;
  doc.write(readFileSync(htmlPath, 'utf8'));
  return doc;
}

/** Runs the adapter the URL selects over a document: one candidate (or null) per card found. */
export function readPage(doc: Document, url: string) {
  const m = matchPage(url);
  if (!m) throw new Error(`no adapter for ${url}`);
  const cards = m.adapter.findCards(doc, m.page);
  const candidates = cards.map((c) => m.adapter.readCard(c, m.page, doc));
  return { ...m, cards, candidates, keys: candidates.map((c) => (c ? canonicalKey(c) : null)) };
}
