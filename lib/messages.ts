/**
 * The one message protocol between content scripts, extension pages and the background worker.
 *
 * Every request is a member of a zod discriminated union on `type`; the background validates each
 * message it receives with `Request.safeParse` before touching the database, and answers with a
 * serializable `Result` (never a thrown error, never a Dexie promise). Limits on sizes keep a
 * forged or hostile message from filling the database with megabytes of junk.
 */
import { z } from 'zod';
import { ARXIV_ID, LIMITS, USER_TOPIC_LIMITS, USER_TOPICS_MAX, isHttpUrl } from './limits';
import type { RuleRecord } from './db';
import { NOTE_JOINED_MAX, TAGS_MAX, TAG_MAX, type PaperView, type Snapshot } from './readinglist';
import { IMPORT_REQUESTS, type ImportReplies } from './exchange/protocol';
import type { RelatedItem } from './related/service';
import type { UserTopic } from './topics/store';

const MAX_SHORT = 2_000;

const text = (max = MAX_SHORT) => z.string().max(max);
/** An http(s) URL: links are rendered in the popup, so `javascript:` and friends never get in. */
const httpUrl = () => text(LIMITS.url).refine(isHttpUrl, 'must be an http(s) URL');

/** A site id; see `SiteId` in lib/paper.ts. */
export const SiteIdSchema = z.enum(['huggingface', 'arxiv', 'scholar', 'acl']);

/** The wire form of `PaperCandidate` (lib/paper.ts): what one card says about a paper. */
export const CandidateSchema = z.object({
  arxivId: text(64).regex(ARXIV_ID).optional(),
  version: z.number().int().positive().max(1000).optional(),
  doi: text(LIMITS.doi).optional(),
  aclId: text(LIMITS.aclId).optional(),
  title: text(LIMITS.title).min(1),
  abstract: text(LIMITS.abstract).optional(),
  authors: z.array(text(LIMITS.author)).max(LIMITS.authors).optional(),
  date: text(LIMITS.date).optional(),
  year: z.number().int().min(1000).max(3000).optional(),
  venue: text(LIMITS.venue).optional(),
  upvotes: z.number().int().nonnegative().max(1e9).optional(),
  comments: z.number().int().nonnegative().max(1e9).optional(),
  citations: z.number().int().nonnegative().max(1e10).optional(),
  organization: text(LIMITS.organization).optional(),
  github: httpUrl().optional(),
  categories: z.array(text(LIMITS.category)).max(LIMITS.categories).optional(),
  keywords: z.array(text(LIMITS.keyword)).max(LIMITS.keywords).optional(),
  url: httpUrl(),
  pdfUrl: httpUrl().optional(),
  section: z.enum(['new', 'cross', 'replacement']).optional(),
});

/** A page the content script is running on. `loadId` is random per page load. */
export const PageSchema = z.object({
  url: httpUrl(),
  site: SiteIdSchema,
  kind: text(64),
  listing: z.boolean(),
  loadId: text(64),
});

/** A watch rule as a page sends it (the background fills in timestamps and a missing id). */
export const RuleInputSchema = z.object({
  id: text(64)
    .regex(/^[a-zA-Z0-9_-]+$/)
    .optional(),
  name: text(200).min(1),
  kind: z.enum(['words', 'author', 'organization', 'topic', 'category']),
  terms: z.array(text(300).min(1)).min(1).max(100),
  exclude: z.array(text(300).min(1)).max(100).default([]),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  paused: z.boolean().default(false),
});
/** A validated rule input. */
export type RuleInput = z.infer<typeof RuleInputSchema>;

/** A reading state (lib/db.ts `ReadingState`). */
export const ReadingStateSchema = z.enum(['inbox', 'to-read', 'reading', 'done']);

/** What papers were before a bulk change (lib/readinglist.ts `Snapshot`): null = was absent. */
export const SnapshotSchema = z.object({
  id: text(512),
  state: ReadingStateSchema.nullable().optional(),
  stateAt: z.number().nonnegative().nullable().optional(),
  tags: z.array(text(TAG_MAX)).max(TAGS_MAX).nullable().optional(),
  tagsAt: z.number().nonnegative().nullable().optional(),
  savedAt: z.number().nonnegative().nullable().optional(),
  savedFrom: SiteIdSchema.nullable().optional(),
  savedVersion: z.number().int().positive().max(1000).nullable().optional(),
});

/** Every request the background worker answers. */
export const Request = z.discriminatedUnion('type', [
  /** Content script: these cards are on the page (records sightings, returns their states). */
  z.object({
    type: z.literal('cards/seen'),
    page: PageSchema,
    cards: z.array(CandidateSchema).max(LIMITS.cards),
  }),
  /** Content script or extension page: save (or unsave) the paper a card shows. */
  z.object({
    type: z.literal('paper/setSaved'),
    paper: CandidateSchema,
    site: SiteIdSchema,
    saved: z.boolean(),
  }),
  /** Extension page: unsave (or re-save) a stored paper by id. */
  z.object({ type: z.literal('paper/setSavedById'), id: text(512), saved: z.boolean() }),
  /** Extension page: read settings. */
  z.object({ type: z.literal('settings/get') }),
  /** Extension page: change settings. */
  z.object({
    type: z.literal('settings/set'),
    settings: z
      .object({
        historyEnabled: z.boolean(),
        historyCap: z.number().int().min(100).max(10_000_000),
      })
      .partial(),
  }),
  /** Extension page: forget every sighting and every unsaved paper. */
  z.object({ type: z.literal('history/clear') }),
  /** Extension page: every watch rule. */
  z.object({ type: z.literal('rules/list') }),
  /** Extension page or a card ("watch this"): create or change a watch rule. */
  z.object({ type: z.literal('rules/save'), rule: RuleInputSchema }),
  /** Extension page: delete a watch rule. */
  z.object({ type: z.literal('rules/delete'), id: text(64) }),
  /** Extension page: the popup was opened; highlighted papers seen so far are no longer new. */
  z.object({ type: z.literal('highlights/read') }),
  /**
   * Card (note panel) or extension page: one paper's note, tags and state, by id; all tags. A card
   * sends its candidate too: the worker answers only for the paper the card shows.
   */
  z.object({
    type: z.literal('paper/get'),
    id: text(512),
    card: z.object({ paper: CandidateSchema, site: SiteIdSchema }).optional(),
  }),
  /**
   * Card or extension page: change one paper's note, tags or state. A card sends its candidate
   * too: annotating a paper from a card saves it (creating its record when history is off).
   */
  z.object({
    type: z.literal('paper/annotate'),
    id: text(512),
    // Up to a joined note's length (lib/readinglist.ts): the worker keeps it from growing.
    note: text(NOTE_JOINED_MAX).optional(),
    tags: z
      .array(text(TAG_MAX * 4))
      .max(TAGS_MAX)
      .optional(),
    tagsWas: z
      .array(text(TAG_MAX * 4))
      .max(TAGS_MAX)
      .optional(),
    state: ReadingStateSchema.optional(),
    card: z.object({ paper: CandidateSchema, site: SiteIdSchema }).optional(),
  }),
  /** Extension page: one change over many papers (state, add or remove a tag, unsave). */
  z.object({
    type: z.literal('papers/bulk'),
    ids: z.array(text(512)).min(1).max(100_000),
    op: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('state'), state: ReadingStateSchema }),
      z.object({ kind: z.literal('addTag'), tag: text(TAG_MAX * 4).min(1) }),
      z.object({ kind: z.literal('removeTag'), tag: text(TAG_MAX * 4).min(1) }),
      z.object({ kind: z.literal('unsave') }),
    ]),
  }),
  /** Extension page: undo a bulk change with the snapshot it answered. */
  z.object({
    type: z.literal('papers/restore'),
    items: z.array(SnapshotSchema).max(100_000),
  }),
  /** Extension page (options): the user's own topics. */
  z.object({ type: z.literal('topics/getUser') }),
  /** Extension page (options): replace the user's topics (each validated: lib/topics/taxonomy.ts). */
  z.object({
    type: z.literal('topics/setUser'),
    topics: z
      .array(
        z.object({
          name: text(USER_TOPIC_LIMITS.name).min(1),
          phrases: z.array(text(USER_TOPIC_LIMITS.phrase)).min(1).max(USER_TOPIC_LIMITS.phrases),
          exclude: z
            .array(text(USER_TOPIC_LIMITS.phrase))
            .max(USER_TOPIC_LIMITS.exclude)
            .optional(),
        }),
      )
      .max(USER_TOPICS_MAX),
  }),
  /** Card: a topic badge was clicked — show the reading list filtered by that topic. */
  z.object({ type: z.literal('topics/show'), topic: text(200).min(1) }),
  /** Extension page: "For you" — seen, unsaved papers close to the saved library (or a tag). */
  z.object({ type: z.literal('related/forYou'), tag: text(TAG_MAX * 4).optional() }),
  /** Extension page: the papers most similar to one paper. */
  z.object({ type: z.literal('related/similar'), id: text(512) }),
  /** Extension page: "Not interested" in a suggestion (or take it back with `undo`). */
  z.object({ type: z.literal('related/dismiss'), id: text(512), undo: z.boolean().optional() }),
  /** Extension page: import a file in steps (lib/exchange/protocol.ts). */
  ...IMPORT_REQUESTS,
]);

/** A validated request. */
export type Request = z.infer<typeof Request>;
/** The request types, e.g. `'cards/seen'`. */
export type RequestType = Request['type'];
/** A wire candidate (validated `PaperCandidate`). */
export type WireCandidate = z.infer<typeof CandidateSchema>;
/** A wire page description. */
export type PageInfo = z.infer<typeof PageSchema>;

// ---------------------------------------------------------------------------------------------
// A fast path for the one big message. zod validates a 1,000-card `cards/seen` in ~40–70 ms in
// the worker: an extension's CSP forbids `new Function`, so zod cannot compile its schemas and
// walks them per value. `parseCardsSeen` checks exactly the same rules by hand and builds the
// same output (unknown keys dropped); anything it does not accept goes to zod, which then
// accepts or refuses it with its message. tests/unit/messages.test.ts and
// messages-hostile.test.ts compare both on random valid, broken and hostile input: the fast path
// never accepts what zod refuses, never outputs otherwise.
// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
const str = (v: unknown, max: number, min = 0): v is string =>
  typeof v === 'string' && v.length <= max && v.length >= min;
const int = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const strList = (v: unknown, maxItems: number, maxLen: number): v is string[] => {
  if (!Array.isArray(v) || v.length > maxItems) return false;
  for (let i = 0; i < v.length; i++) if (!str(v[i], maxLen)) return false;
  return true;
};
const url = (v: unknown): v is string => str(v, LIMITS.url) && isHttpUrl(v);
const SITES = new Set<unknown>(SiteIdSchema.options);
const SECTIONS = new Set<unknown>(['new', 'cross', 'replacement']);

/** Optional string fields of a candidate and their limits (as in `CandidateSchema`). */
const OPTIONAL_TEXT = [
  ['doi', LIMITS.doi],
  ['aclId', LIMITS.aclId],
  ['abstract', LIMITS.abstract],
  ['date', LIMITS.date],
  ['venue', LIMITS.venue],
  ['organization', LIMITS.organization],
] as const;
const OPTIONAL_LISTS = [
  ['authors', LIMITS.authors, LIMITS.author],
  ['categories', LIMITS.categories, LIMITS.category],
  ['keywords', LIMITS.keywords, LIMITS.keyword],
] as const;
const OPTIONAL_INTS = [
  ['version', 1, 1000],
  ['year', 1000, 3000],
  ['upvotes', 0, 1e9],
  ['comments', 0, 1e9],
  ['citations', 0, 1e10],
] as const;

/** `CandidateSchema`'s rules by hand; null when anything is off (zod then decides). */
function fastCandidate(c: unknown): WireCandidate | null {
  if (!isObj(c)) return null;
  const out: Obj = {};
  // An optional key present with the value `undefined` stays in the output, as zod keeps it
  // (`key in input`; Firefox's structured clone carries such keys, Chrome's JSON drops them).
  const a = c.arxivId;
  if (a !== undefined) {
    if (!str(a, 64) || !ARXIV_ID.test(a)) return null;
    out.arxivId = a;
  } else if ('arxivId' in c) out.arxivId = undefined;
  if (!str(c.title, LIMITS.title, 1)) return null;
  out.title = c.title;
  if (!url(c.url)) return null;
  out.url = c.url;
  for (const [k, max] of OPTIONAL_TEXT) {
    const v = c[k];
    if (v === undefined) {
      if (k in c) out[k] = undefined;
      continue;
    }
    if (!str(v, max)) return null;
    out[k] = v;
  }
  for (const [k, items, len] of OPTIONAL_LISTS) {
    const v = c[k];
    if (v === undefined) {
      if (k in c) out[k] = undefined;
      continue;
    }
    if (!strList(v, items, len)) return null;
    out[k] = v.slice();
  }
  for (const [k, min, max] of OPTIONAL_INTS) {
    const v = c[k];
    if (v === undefined) {
      if (k in c) out[k] = undefined;
      continue;
    }
    if (!int(v, min, max)) return null;
    out[k] = v;
  }
  for (const k of ['github', 'pdfUrl'] as const) {
    const v = c[k];
    if (v === undefined) {
      if (k in c) out[k] = undefined;
      continue;
    }
    if (!url(v)) return null;
    out[k] = v;
  }
  if (c.section !== undefined) {
    if (!SECTIONS.has(c.section)) return null;
    out.section = c.section;
  } else if ('section' in c) out.section = undefined;
  return out as WireCandidate;
}

/** `PageSchema`'s rules by hand; null when anything is off. */
function fastPage(p: unknown): PageInfo | null {
  if (!isObj(p)) return null;
  if (!url(p.url) || !SITES.has(p.site) || !str(p.kind, 64) || typeof p.listing !== 'boolean')
    return null;
  if (!str(p.loadId, 64)) return null;
  return {
    url: p.url,
    site: p.site as PageInfo['site'],
    kind: p.kind,
    listing: p.listing,
    loadId: p.loadId,
  };
}

/** The `cards/seen` request by the fast path, or null (not such a request, or zod must decide). */
function fastCardsSeen(raw: unknown): Extract<Request, { type: 'cards/seen' }> | null {
  if (!isObj(raw) || raw.type !== 'cards/seen') return null;
  const page = fastPage(raw.page);
  const list = raw.cards;
  if (!page || !Array.isArray(list) || list.length > LIMITS.cards) return null;
  const cards: WireCandidate[] = new Array<WireCandidate>(list.length);
  for (let i = 0; i < list.length; i++) {
    const c = fastCandidate(list[i]);
    if (!c) return null;
    cards[i] = c;
  }
  return { type: 'cards/seen', page, cards };
}

/**
 * Validates a request: `Request.safeParse`, with `cards/seen` checked by hand first (same rules,
 * same output; see above). Returns zod's result shape.
 */
export function parseRequest(
  raw: unknown,
): { success: true; data: Request } | { success: false; error: z.ZodError } {
  const fast = fastCardsSeen(raw);
  if (fast) return { success: true, data: fast };
  const r = Request.safeParse(raw);
  return r.success ? { success: true, data: r.data } : { success: false, error: r.error };
}

/** Error codes a reply may carry. */
export type ErrorCode = 'invalid' | 'forbidden' | 'not-found' | 'quota' | 'internal';

/** A serializable reply: a value, or an error with a code and a message a person can read. */
export type Result<T> =
  { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** Builds a success reply. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
/** Builds an error reply. */
export const err = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});

/** What the page shows for one card (answer to `cards/seen`, and pushed on changes). */
export interface CardState {
  /** The key the content script computed for the card. */
  key: string;
  /** The stored record's id (may differ from `key` when a title matched an existing record). */
  id: string;
  saved: boolean;
  /** The paper was seen (anywhere) before this page load. */
  seen: boolean;
  /** This listing was visited before and the paper was not on it then. */
  isNew: boolean;
  /** The card is a replacement (new version) of a paper the user saved. */
  newVersion: boolean;
  /** Active watch rules the paper matches, with the words that matched. */
  highlights: CardHighlight[];
  /** Up to three topic badges. */
  badges: CardBadge[];
}

/** A topic badge on a card: the topic, and the words or phrases that decided it. */
export interface CardBadge {
  id: string;
  name: string;
  kind: 'builtin' | 'user' | 'learned';
  why: string[];
}

/** A watch rule's match on a card, as the card shows it. */
export interface CardHighlight {
  ruleId: string;
  name: string;
  color: string;
  terms: string[];
  /** The rule's exclusions (words rules), so the painter leaves out the occurrences they cover. */
  exclude?: string[];
}

/** Settings kept in the database. */
export interface Settings {
  historyEnabled: boolean;
  historyCap: number;
}

/** The reply type for each request type (import replies: lib/exchange/protocol.ts). */
export interface Replies extends ImportReplies {
  'cards/seen': { cards: CardState[] };
  'paper/setSaved': { id: string; saved: boolean };
  'paper/setSavedById': { id: string; saved: boolean };
  'settings/get': Settings;
  'settings/set': Settings;
  'history/clear': { removedPapers: number; removedSightings: number };
  'rules/list': RuleRecord[];
  'rules/save': RuleRecord;
  'rules/delete': { id: string };
  'highlights/read': { at: number };
  'paper/get': { paper: PaperView | null; allTags: string[] };
  'paper/annotate': PaperView;
  'papers/bulk': { changed: number; undo: Snapshot[] };
  'papers/restore': { restored: number };
  'topics/show': { opened: 'popup' | 'tab' };
  'topics/getUser': {
    topics: UserTopic[];
    learned: { id: string; name: string; papers: number }[];
  };
  'topics/setUser': { topics: UserTopic[] };
  'related/forYou': { items: RelatedItem[]; tags: string[] };
  'related/similar': { items: RelatedItem[] };
  'related/dismiss': { id: string; dismissed: boolean };
}

/**
 * Background → the tab that sent `cards/seen`: cards close to a saved paper, each with that
 * paper (computed after the reply, once the page's papers are in the related index).
 */
export interface RelatedMarksNotice {
  type: 'related/marks';
  marks: { id: string; nearest: { id: string; title: string } }[];
}

/**
 * Background → tabs: watch rules (or the user's topics) changed, so cards ask for their
 * highlights and badges again.
 */
export interface RulesChangedNotice {
  type: 'rules/changed';
}

/** Background → tabs: stored papers changed (saved state), so cards showing them update. */
export const ChangedNotice = z.object({
  type: z.literal('papers/changed'),
  changes: z.array(z.object({ id: z.string(), saved: z.boolean(), aliases: z.array(z.string()) })),
});
/** A validated change notice. */
export type ChangedNotice = z.infer<typeof ChangedNotice>;
