/**
 * Size limits of what a card may carry, shared by the message schemas (lib/messages.ts, which
 * reject anything larger) and the content script (lib/sanitize.ts, which trims a hostile page's
 * 10,000-character title to fit, so one odd card never spoils the page's batch).
 */
export const LIMITS = {
  title: 2_000,
  abstract: 20_000,
  author: 512,
  authors: 5_000,
  url: 2_000,
  venue: 1_000,
  organization: 512,
  category: 64,
  categories: 64,
  keyword: 256,
  keywords: 256,
  doi: 512,
  aclId: 128,
  date: 64,
  cards: 5_000,
} as const;

/** Limits a user topic must respect (lib/topics/taxonomy.ts checks them; the options page offers them). */
export const USER_TOPIC_LIMITS = { name: 40, phrases: 50, phrase: 100, exclude: 50 } as const;
/** At most this many user topics. */
export const USER_TOPICS_MAX = 100;

/** arXiv ids without version: new style (0704.0001, 2401.00001) and old style (hep-th/9901001). */
export const ARXIV_ID = /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})$/;

/** An http(s) URL that parses (popup links must never be `javascript:`). */
export function isHttpUrl(u: string): boolean {
  return /^https?:\/\//i.test(u) && URL.canParse(u);
}
