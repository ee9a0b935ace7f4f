import type { PaperCandidate, SiteId } from '../paper';

/**
 * What a page is, decided from its URL alone (pure, tested as a table of URLs).
 * `kind` names the page kind within the site, e.g. `daily`, `paper`, `list-new`, `search`.
 */
export interface PageMatch {
  site: SiteId;
  kind: string;
  /** True for pages that list many papers (the "new since your last visit" mark applies). */
  listing: boolean;
}

/** Where a card's UI goes: `anchor` and how the host element is placed relative to it. */
export interface MountPoint {
  anchor: Element;
  /** `after`: right after anchor; `append`: last child of anchor; `prepend`: first child. */
  position: 'after' | 'append' | 'prepend';
}

/**
 * One site's knowledge of its pages (one file per site under `lib/sites/`, in the spirit of Zotero
 * translators). Every function is synchronous and side-effect free except `mountPoint`'s caller.
 */
export interface SiteAdapter {
  id: SiteId;
  /** Human name, shown in the popup ("Hugging Face", "arXiv"). */
  name: string;
  /** Match patterns for the manifest (host permissions and content script matches). */
  matches: readonly string[];
  /** Page kind for a URL, or null when the adapter has nothing to do there. Pure. */
  detect(url: URL): PageMatch | null;
  /**
   * The card root elements under `root` (document order). For arXiv listings a card is a
   * `dt`/`dd` pair: the `dt` is the root and `readCard` looks at its `dd` sibling.
   */
  findCards(root: ParentNode, page: PageMatch): Element[];
  /**
   * A cheap identity for a card element (e.g. the href of its title link), used to notice that a
   * framework re-used an element for another paper. Null when the card is not (yet) readable.
   */
  cardIdentity(card: Element): string | null;
  /** Everything the card (and page data that provably belongs to it) says about its paper. */
  readCard(card: Element, page: PageMatch, doc: Document): PaperCandidate | null;
  /**
   * The least the card's UI needs to be mounted: the fields `canonicalKey` reads (the card's id)
   * and the title (the save toggle's accessible name), read with a few DOM look-ups. Optional:
   * where it is missing, `readCard` is used. When present it must give `readCard`'s key and
   * title, and null exactly when `readCard` does (tests/unit/sites/fixtures.test.ts checks both),
   * so a card can be mounted from its head and fully read a moment later (lib/content/controller.ts).
   */
  readHead?(card: Element, page: PageMatch, doc: Document): PaperCandidate | null;
  /** Where the card's UI host goes (next to the title). */
  mountPoint(card: Element, page: PageMatch): MountPoint | null;
  /** Elements holding the card's title and abstract text (watch-rule highlighting); default [card]. */
  textRoots?(card: Element, page: PageMatch): Element[];
}
