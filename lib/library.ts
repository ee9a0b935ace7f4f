/**
 * The library's write paths: what happens when cards are seen and when a paper is saved.
 * Runs in the background worker (and in unit tests against fake-indexeddb). Every write is one
 * Dexie transaction, so a worker killed mid-way leaves the old state or the new, never a mix.
 */
import type {
  HitRecord,
  InlineSighting,
  PaperScoutDB,
  PaperRecord,
  SightingRecord,
  VisitRecord,
} from './db';
import { libraryCache, sightingKey, type LibraryCache } from './librarycache';
import { LIMITS } from './limits';
import type { CardState, PageInfo, Settings, WireCandidate } from './messages';
import {
  arxivIdOfDoi,
  canonicalKey,
  isCanonical,
  normalizeDoi,
  normalizeTitle,
  titleMatchable,
  type SiteId,
} from './paper';
import { highlightPapers } from './rules/store';
import { matchTopics } from './topics';
import { learnedId, topicSet, type TopicSet } from './topics/store';
import type { CardBadge } from './messages';
import { yieldToEventLoop } from './exchange/yield';

/**
 * Badges of recently seen cards, by what decides them (the card's text), so a listing visited
 * again while the worker is alive is not matched again (matching is most of a repeat visit's cost:
 * bench/run.mjs). Bounded; a worker restart simply starts it empty.
 */
const badgeCache = new Map<string, CardBadge[]>();
const BADGE_CACHE_MAX = 5_000;

const badgeKey = (c: WireCandidate, stamp: number): string =>
  [
    stamp,
    c.title,
    c.abstract?.length ?? -1,
    c.abstract?.slice(0, 64) ?? '',
    c.categories?.join(' ') ?? '',
    c.keywords?.join(' ') ?? '',
  ].join('\u0000');

/** Up to three topic badges for a card (built-in and user topics), with the words that decided each. */
export function topicBadges(c: WireCandidate, topics: TopicSet): CardBadge[] {
  const key = badgeKey(c, topics.stamp);
  const cached = badgeCache.get(key);
  if (cached) return cached;
  const badges = matchBadges(c, topics);
  if (badgeCache.size >= BADGE_CACHE_MAX) badgeCache.clear();
  badgeCache.set(key, badges);
  return badges;
}

/**
 * `topicBadges` without the cache (a topic refresh matches each stored paper once: through the
 * cache it would only push out the badges of cards being seen).
 */
function matchBadges(
  c: Pick<WireCandidate, 'title' | 'abstract' | 'categories' | 'keywords'>,
  topics: TopicSet,
  why = true,
): CardBadge[] {
  return matchTopics(
    { title: c.title, abstract: c.abstract, categories: c.categories, keywords: c.keywords },
    topics.compiled,
    { learned: topics.learned, why },
  ).map((m) => ({ id: m.id, name: m.name, kind: m.kind, why: m.why.slice(0, 6) }));
}

/** A card's badges without the learned topics of tags the paper already carries (any case). */
function withoutOwnTags(badges: CardBadge[], tags: readonly string[] | undefined): CardBadge[] {
  if (!tags?.length) return badges;
  const own = new Set(tags.map((t) => learnedId(t).toLowerCase()));
  return badges.filter((b) => b.kind !== 'learned' || !own.has(b.id.toLowerCase()));
}

/** Papers read, matched and written per transaction of a topic refresh (see refreshTopics). */
export const TOPIC_REFRESH_CHUNK = 1_000;

/** A topic refresh running over a database, and whether the topics changed again since it began. */
interface TopicRefresh {
  done: Promise<number>;
  stale: boolean;
}
const topicRefreshes = new WeakMap<PaperScoutDB, TopicRefresh>();

/**
 * The user's topics changed: every stored paper's topics (the reading list's topic filter, topic
 * watch rules) are matched again from its stored text, so a deleted or edited topic leaves the
 * papers it no longer matches and an added one reaches the papers it matches. Only changed
 * records are written. Resolves with how many records were written once the papers carry the
 * topics stored now.
 *
 * In chunks of `chunk` papers by primary key, each read, matched and written in its own read-write
 * transaction, yielding between chunks: one transaction over 100,000 papers held the papers store
 * (and the worker) for seconds, so pages being recorded and papers being saved waited for it. A
 * chunk re-reads its papers inside its transaction, so a paper saved or noted meanwhile is matched
 * as it is now, never written back from an older copy. Calls while a refresh runs join it: it
 * starts over with the topics stored then (the chunks it did were matched against older
 * topics), so one refresh runs at a time and the last save's topics win. A worker stopped
 * mid-way leaves the papers of the chunks not yet done with their old topics (each chunk is whole)
 * until the next refresh or until their cards are seen again.
 */
export function refreshTopics(db: PaperScoutDB, chunk = TOPIC_REFRESH_CHUNK): Promise<number> {
  const running = topicRefreshes.get(db);
  if (running) {
    running.stale = true;
    return running.done;
  }
  const run: TopicRefresh = { done: Promise.resolve(0), stale: false };
  run.done = (async () => {
    let written = 0;
    try {
      do {
        run.stale = false;
        written += await refreshPass(db, run, Math.max(1, chunk));
      } while (run.stale);
    } finally {
      // No await between the last `stale` check and this: a call that saw `running` is served.
      topicRefreshes.delete(db);
    }
    return written;
  })();
  topicRefreshes.set(db, run);
  return run.done;
}

/** One pass of refreshTopics over every paper; stops early once `run` is stale. Records written. */
async function refreshPass(db: PaperScoutDB, run: TopicRefresh, chunk: number): Promise<number> {
  const topics = await topicSet(db);
  let written = 0;
  let after: string | undefined;
  for (;;) {
    const [last, n] = await db.transaction('rw', db.papers, async () => {
      const papers = await (
        after === undefined
          ? db.papers.limit(chunk)
          : db.papers.where(':id').above(after).limit(chunk)
      ).toArray();
      const changed: PaperRecord[] = [];
      for (const p of papers) {
        const next = withTopics(p, topics);
        if (next !== p) changed.push(next);
      }
      if (changed.length) await db.papers.bulkPut(changed);
      const end = papers.length < chunk ? undefined : papers[papers.length - 1]!.id;
      return [end, changed.length] as const;
    });
    // Counted once committed.
    written += n;
    if (last === undefined || run.stale) return written;
    after = last;
    await yieldToEventLoop();
    if (run.stale) return written;
  }
}

/** `p` with the topics `topics` give its stored text (the same record when they are unchanged). */
function withTopics(p: PaperRecord, topics: TopicSet): PaperRecord {
  const ids = withoutOwnTags(
    matchBadges(
      { title: p.title, abstract: p.abstract, categories: p.categories, keywords: p.keywords },
      topics,
      // Only the ids are stored: no why lists (most of a refresh's learned-topic cost).
      false,
    ),
    p.tags,
  ).map((b) => b.id);
  const before = p.topics ?? [];
  if (ids.length === before.length && ids.every((id, i) => id === before[i])) return p;
  const next = { ...p };
  if (ids.length) next.topics = ids;
  else delete next.topics;
  return next;
}

/**
 * Whether a card shows a later version of the saved paper `rec` than the one the user saved.
 * When both versions are known they decide: a paper saved from the replacements section at v2
 * is not "new version" at v2 on the next visit (it was, whatever its version, before). Else a
 * card of the replacements section is a new version when the paper was saved before this page
 * first showed the card (`s`, this page's sighting, folded with this visit; none with history
 * off): saved on Hugging Face (no version) last week, in the replacements today.
 */
function isNewVersion(
  c: Pick<WireCandidate, 'version' | 'section'>,
  rec: PaperRecord,
  s: SightingRecord | undefined,
  now: number,
): boolean {
  if (c.version !== undefined && rec.savedVersion !== undefined)
    return c.version > rec.savedVersion;
  return c.section === 'replacement' && (rec.savedAt ?? now) <= (s?.firstAt ?? now);
}

/** Default settings: history on, at most 100,000 papers kept (oldest unsaved pruned first). */
export const DEFAULT_SETTINGS: Settings = { historyEnabled: true, historyCap: 100_000 };

/**
 * A paper or sighting seen again within this time is not rewritten just to move its "last seen"
 * time: a listing reloaded or revisited within the hour is the same sighting (a repeat visit then
 * writes only what changed instead of every record of the page).
 */
export const SEEN_REFRESH_MS = 60 * 60 * 1000;

/** Key prefixes of provisional records (no arXiv id or DOI yet): see lib/paper.ts canonicalKey. */
const PROVISIONAL_PREFIXES = ['acl:', 'title:'];

/** Whether the library holds any provisional record (a primary-key range probe, no record read). */
async function hasProvisional(db: PaperScoutDB): Promise<boolean> {
  for (const prefix of PROVISIONAL_PREFIXES) {
    const hit = await db.papers.where(':id').startsWith(prefix).limit(1).primaryKeys();
    if (hit.length) return true;
  }
  return false;
}

/** Reads settings, filling in defaults. */
export async function getSettings(db: PaperScoutDB): Promise<Settings> {
  const { historyEnabled, historyCap } = await readSettings(db);
  return { historyEnabled, historyCap };
}

/**
 * Settings row: when sighting history was last cleared (turned off, or "Clear history now").
 * A saved paper keeps its record, and with it the time it was first seen; it is "seen" again only
 * once a card showed it after the clear (recordCards).
 */
export const HISTORY_CLEARED_AT = 'historyClearedAt';

/** The settings, and when history was last cleared (0: never). */
async function readSettings(db: PaperScoutDB): Promise<Settings & { clearedAt: number }> {
  const [enabled, cap, cleared] = await db.settings.bulkGet([
    'historyEnabled',
    'historyCap',
    HISTORY_CLEARED_AT,
  ]);
  return {
    historyEnabled:
      typeof enabled?.value === 'boolean' ? enabled.value : DEFAULT_SETTINGS.historyEnabled,
    historyCap: typeof cap?.value === 'number' ? cap.value : DEFAULT_SETTINGS.historyCap,
    clearedAt: typeof cleared?.value === 'number' ? cleared.value : 0,
  };
}

/** Changes settings; turning history off clears it. */
export async function setSettings(db: PaperScoutDB, patch: Partial<Settings>): Promise<Settings> {
  // One transaction: "history off" is never stored without the history being cleared
  // (tests/unit/hostile-crash.test.ts stops the worker between every two writes).
  await db.transaction(
    'rw',
    [db.settings, db.papers, db.sightings, db.visits, db.hits],
    async () => {
      await db.settings.bulkPut(Object.entries(patch).map(([key, value]) => ({ key, value })));
      if (patch.historyEnabled === false) await clearHistory(db);
    },
  );
  const settings = await getSettings(db);
  await prune(db, settings.historyCap);
  return settings;
}

/**
 * The card's DOI, normalized, unless it is an arXiv DOI of another arXiv id than the card's own
 * (a link naming arXiv 2401.00001 beside `10.48550/arXiv.2402.00002`, a site mixing two papers):
 * that DOI names another paper, so the card's record neither answers to it nor stores it (it held
 * two arXiv ids and joined the other paper's record). The card's arXiv id is its own: its link.
 */
function cardDoi(c: Pick<WireCandidate, 'doi' | 'arxivId'>): string | undefined {
  const doi = c.doi ? normalizeDoi(c.doi) : null;
  if (!doi) return undefined;
  if (c.arxivId) {
    const other = arxivIdOfDoi(doi);
    if (other && other !== c.arxivId.toLowerCase()) return undefined;
  }
  return doi;
}

/** Every key a candidate could be stored under (its canonical key first). */
function candidateKeys(c: WireCandidate): string[] {
  // Most cards (every arXiv listing's) carry an arXiv id and nothing else to key by.
  if (c.arxivId && !c.doi && !c.aclId) return [`arxiv:${c.arxivId}`];
  const keys = new Set<string>();
  const main = canonicalKey(c);
  if (main) keys.add(main);
  if (c.arxivId) keys.add(`arxiv:${c.arxivId}`);
  const doi = cardDoi(c);
  if (doi) keys.add(`doi:${doi}`);
  if (c.aclId) keys.add(`acl:${c.aclId}`);
  return [...keys];
}

/**
 * Whether a card's candidate is the paper of record `rec`, by the rules `resolve` finds a record
 * by (a key that is its id or an alias, its address, or its title), so a card's note panel may
 * write the paper the card shows and no other (lib/background/router.ts `paper/annotate`).
 */
export function candidateNames(rec: PaperRecord, c: WireCandidate): boolean {
  const keys = candidateKeys(c);
  const ids = new Set([rec.id, ...rec.aliases]);
  if (keys.some((k) => ids.has(k))) return true;
  if (Object.values(rec.urls).includes(c.url)) return true;
  const tk = normalizeTitle(c.title);
  const main = keys[0];
  return (
    titleMatchable(tk) &&
    tk === rec.titleKey &&
    (!main || !isCanonical(main) || !isCanonical(rec.id))
  );
}

/** Takes the richer of two values: a defined one over undefined, the longer string or list. */
function richer<T extends string | unknown[]>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined || a.length === 0) return b ?? a;
  if (b === undefined) return a;
  return b.length > a.length ? b : a;
}

/**
 * Merges what a card says into a record without ever replacing a richer field with a poorer one.
 * Counts (upvotes, comments, citations) take the newest observation: they change over time.
 */
export function mergeCandidate(
  rec: PaperRecord,
  c: WireCandidate,
  site: SiteId,
  now: number,
): PaperRecord {
  const doi = cardDoi(c);
  const merged: PaperRecord = {
    ...rec,
    // A copy: `rec` may be the stored (or cached) record, and aliases get added to the result.
    aliases: [...rec.aliases],
    title: rec.title || c.title,
    abstract: richer(rec.abstract, c.abstract),
    authors: richer(rec.authors, c.authors) ?? [],
    date: rec.date ?? c.date,
    year: rec.year ?? c.year,
    venue: richer(rec.venue, c.venue),
    upvotes: c.upvotes ?? rec.upvotes,
    comments: c.comments ?? rec.comments,
    citations: c.citations ?? rec.citations,
    organization: rec.organization ?? c.organization,
    github: rec.github ?? c.github,
    categories: richer(rec.categories, c.categories),
    // At most as many as a card may carry: Hugging Face's AI keywords change now and then, and
    // a union over every visit grew past what a backup row may hold (the backup was refused).
    keywords: c.keywords?.length
      ? [...new Set([...(rec.keywords ?? []), ...c.keywords])].slice(0, LIMITS.keywords)
      : rec.keywords,
    arxivId: rec.arxivId ?? c.arxivId,
    doi: rec.doi ?? doi,
    aclId: rec.aclId ?? c.aclId,
    version: Math.max(rec.version ?? 0, c.version ?? 0) || undefined,
    urls: { ...rec.urls, [site]: rec.urls[site] ?? c.url },
    pdfUrl: rec.pdfUrl ?? c.pdfUrl,
    lastSeenAt: Math.max(rec.lastSeenAt, now),
    updatedAt: now,
  };
  // Undefined fields are left out (a copy: `delete` would turn the object into a slow
  // dictionary, and a 1,000-card page merges 1,000 of them).
  const out: Record<string, unknown> = {};
  for (const k in merged) {
    const v = merged[k as keyof PaperRecord];
    if (v !== undefined) out[k] = v;
  }
  return out as unknown as PaperRecord;
}

/** A new record from a card. */
function newRecord(
  id: string,
  c: WireCandidate,
  site: SiteId,
  now: number,
  /** `normalizeTitle(c.title)` when the caller has it already. */
  titleKey = normalizeTitle(c.title),
): PaperRecord {
  const base: PaperRecord = {
    id,
    aliases: [],
    titleKey,
    title: c.title,
    authors: [],
    urls: {},
    firstSeenAt: now,
    lastSeenAt: now,
    updatedAt: now,
  };
  return mergeCandidate(base, c, site, now);
}

/** `doi:10.48550/arxiv.<id>`: arXiv's own DOI of a paper, the same id as `arxiv:<id>`. */
const ARXIV_DOI_KEY = /^doi:10\.48550\/arxiv\.(.+)$/;

/** The arXiv ids (an arXiv DOI counts as its arXiv id) and the other DOIs among `keys`. */
function realIds(keys: readonly string[]): { arxiv: string[]; doi: string[] } {
  const arxiv: string[] = [];
  const doi: string[] = [];
  for (const k of keys) {
    if (k.startsWith('arxiv:')) arxiv.push(k.slice(6).toLowerCase());
    else if (k.startsWith('doi:')) {
      const m = ARXIV_DOI_KEY.exec(k);
      if (m) arxiv.push(m[1]!);
      else doi.push(k.slice(4));
    }
  }
  return { arxiv, doi };
}

const overlap = (a: string[], b: string[]) => a.some((x) => b.includes(x));

/**
 * Whether two sets of keys (a card's, a record's id and aliases, a merged group's) name two
 * different papers by their real ids, so that a secondary key they share (an ACL id, a DOI, a
 * title key) must not join them: both carry arXiv ids and none in common, or (sharing no arXiv
 * id) both carry DOIs and none in common. A site that links the wrong arXiv version of another
 * paper, or a Scholar card that mixes two papers' links, is such a case; joining the records put
 * two papers' notes, tags and states into one record that answers for both. An arXiv id or DOI
 * they share makes them one paper, whatever else they carry (an arXiv paper and its journal DOI).
 */
export function idsContradict(a: readonly string[], b: readonly string[]): boolean {
  const x = realIds(a);
  const y = realIds(b);
  if (x.arxiv.length && y.arxiv.length) return !overlap(x.arxiv, y.arxiv);
  return x.doi.length > 0 && y.doi.length > 0 && !overlap(x.doi, y.doi);
}

/** A record's id and aliases. */
const keysOf = (r: Pick<PaperRecord, 'id' | 'aliases'>): string[] => [r.id, ...r.aliases];

/**
 * Merges record `from` into `into` (a provisional record whose real id became known): notes, tags,
 * state and saved status survive; `from`'s id becomes an alias of `into`. Callers check first that
 * the two are one paper (`idsContradict` of their keys is false): absorb joins whatever it is given.
 */
export function absorb(into: PaperRecord, from: PaperRecord): PaperRecord {
  const out: PaperRecord = {
    ...from,
    ...into,
    aliases: [...new Set([...into.aliases, ...from.aliases, from.id])].filter((a) => a !== into.id),
    abstract: richer(into.abstract, from.abstract),
    authors: richer(into.authors, from.authors) ?? [],
    note: [into.note, from.note].filter(Boolean).join('\n\n') || undefined,
    tags: [...new Set([...(into.tags ?? []), ...(from.tags ?? [])])],
    state: into.state ?? from.state,
    savedAt: into.savedAt ?? from.savedAt,
    savedFrom: into.savedFrom ?? from.savedFrom,
    savedVersion: into.savedVersion ?? from.savedVersion,
    urls: { ...from.urls, ...into.urls },
    firstSeenAt: Math.min(into.firstSeenAt, from.firstSeenAt),
    lastSeenAt: Math.max(into.lastSeenAt, from.lastSeenAt),
  };
  // Both were seen where they were seen: a page both were recorded on counts both sightings.
  const inline = foldInline(into.inlineSightings, from.inlineSightings, (a, b) => a + b);
  if (inline) out.inlineSightings = inline;
  else delete out.inlineSightings;
  return out;
}

/**
 * Two lists of inline sightings as one, one entry per page (earliest first time, latest last
 * time, counts joined by `count`: summed for two records, the larger for two copies of one).
 */
export function foldInline(
  a: readonly InlineSighting[] | undefined,
  b: readonly InlineSighting[] | undefined,
  count: (a: number, b: number) => number,
): InlineSighting[] | undefined {
  if (!b?.length) return a?.length ? [...a] : undefined;
  if (!a?.length) return [...b];
  const byUrl = new Map<string, InlineSighting>();
  for (const e of a) byUrl.set(e.url, e);
  for (const e of b) byUrl.set(e.url, foldSighting(byUrl.get(e.url), e, count));
  return [...byUrl.values()];
}

/**
 * Sightings (as `recordCards` read them, or the library cache holds them) that their paper's
 * record holds inline, with no row: a later visit updates them there instead of writing a row.
 * Sound while no row of that paper and page is written: a row written by another transaction
 * removes the cache's entry (lib/librarycache.ts), and `recordCards` marks only what it read or
 * stored itself.
 */
const HELD_INLINE = new WeakSet<SightingRecord>();

/** `s`, marked as held inline by its record (`HELD_INLINE`). */
function markHeld(s: SightingRecord): SightingRecord {
  HELD_INLINE.add(s);
  return s;
}

/** The sighting of `rec` on page `url` that its record holds (`PaperRecord.inlineSightings`). */
function inlineSightingOf(
  rec: Pick<PaperRecord, 'id' | 'inlineSightings'> | undefined,
  url: string,
): SightingRecord | undefined {
  const e = rec?.inlineSightings?.find((x) => x.url === url);
  return e && { ...e, paperId: rec!.id };
}

/** Key prefix up to its last separator (`arxiv:2609.`, `doi:10.1145/`): keys that sort together. */
function clusterOf(key: string): string {
  for (let i = key.length - 1; i >= 0; i--) {
    const ch = key.charCodeAt(i);
    if (ch === 46 /* . */ || ch === 47 /* / */ || ch === 58 /* : */) return key.slice(0, i + 1);
  }
  return '';
}

/**
 * Which of `keys` are stored, as primary keys (`index` ':id') or aliases: one key-only read per
 * run of keys that sort together (a listing's ids are mostly one run) instead of one read per key.
 * A run whose range holds many other keys is looked up key by key instead (`lookup`).
 */
async function storedKeys(
  db: PaperScoutDB,
  index: ':id' | 'aliases',
  keys: string[],
  lookup: (keys: string[]) => Promise<string[]>,
): Promise<Set<string>> {
  const out = new Set<string>();
  const sorted = [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let i = 0;
  while (i < sorted.length) {
    const prefix = clusterOf(sorted[i]!);
    let j = i + 1;
    while (j < sorted.length && clusterOf(sorted[j]!) === prefix) j++;
    const run = sorted.slice(i, j);
    i = j;
    if (run.length === 1) {
      out.add(run[0]!); // one key: read it rather than probe for it
      continue;
    }
    const cap = run.length * 4 + 32;
    const range = db.papers.where(index).between(run[0]!, run[run.length - 1]!, true, true);
    const inRange = (await (index === ':id'
      ? range.limit(cap).primaryKeys()
      : range.limit(cap).keys())) as string[];
    const found = inRange.length < cap ? inRange : await lookup(run);
    const wanted = new Set(run);
    for (const k of found) if (wanted.has(k)) out.add(k);
  }
  return out;
}

interface Resolution {
  /** The record after merging the card in (not yet written). */
  record: PaperRecord;
  /** The record as it was before this batch (undefined for a new paper). */
  before?: PaperRecord;
  /** Records absorbed into `record` (to delete, and their sightings to re-point). */
  absorbed: PaperRecord[];
}

/**
 * Finds (or makes) the record for each candidate: by key, then by alias, then by normalized title.
 * Reads only; the caller writes. Candidates of one batch that resolve to the same record share it.
 */
async function resolve(
  db: PaperScoutDB,
  cands: WireCandidate[],
  site: SiteId,
  now: number,
  create: boolean,
  /** Known records (lib/librarycache.ts); only inside an active transaction over papers. */
  cache?: LibraryCache,
): Promise<(Resolution | null)[]> {
  const keysPer = cands.map(candidateKeys);
  const allKeys = [...new Set(keysPer.flat())];
  const byId = new Map<string, PaperRecord>();
  let unknown = allKeys;
  if (cache) {
    unknown = [];
    for (const k of allKeys) {
      const r = cache.papers.get(k);
      if (r) byId.set(k, r);
      else unknown.push(k);
    }
    // Only keys that are stored are read (a page of papers never seen reads no record at all).
    if (unknown.length > 1) {
      const stored = await storedKeys(db, ':id', unknown, async (run) =>
        (await db.papers.bulkGet(run)).flatMap((r) => (r ? [r.id] : [])),
      );
      unknown = unknown.filter((k) => stored.has(k));
    }
  }
  if (unknown.length) for (const r of await db.papers.bulkGet(unknown)) if (r) byId.set(r.id, r);
  // Aliases are looked up for a card's keys that are no record's id: the first found decides
  // which record the card is, and a record holding a later key as an alias is this paper too
  // (it merges rather than share the key: oneRecordPerKey). A page of new papers probes the
  // same keys as before; only cards with two or more keys probe past their first hit.
  const missing = new Set<string>();
  for (const keys of keysPer) {
    let hit = false;
    for (const k of keys) {
      if (byId.has(k)) hit = true;
      else if (!hit || keys.length > 1) missing.add(k);
    }
  }
  const byAlias = new Map<string, PaperRecord>();
  let aliasKeys = [...missing];
  if (cache && aliasKeys.length > 1) {
    const stored = await storedKeys(db, 'aliases', aliasKeys, async (run) =>
      (await db.papers.where('aliases').anyOf(run).toArray()).flatMap((r) => r.aliases),
    );
    aliasKeys = aliasKeys.filter((k) => stored.has(k));
  }
  if (aliasKeys.length) {
    for (const r of await db.papers.where('aliases').anyOf(aliasKeys).toArray()) {
      for (const a of r.aliases) byAlias.set(a, r);
    }
  }
  const byTitle = new Map<string, PaperRecord[]>();
  // Titles only ever match a provisional record to a card (or a provisional card to a record):
  // a page of arXiv ids in a library without provisional records needs no title lookup (it is
  // an index walk per title, the dearest read of a 1,000-card page), nor its titles normalized
  // (a new record normalizes its own).
  const titlesMatter =
    keysPer.some((keys) => !keys[0] || !isCanonical(keys[0])) || (await hasProvisional(db));
  const titleKeys = titlesMatter ? cands.map((c) => normalizeTitle(c.title)) : null;
  const wanted = titleKeys ? [...new Set(titleKeys.filter(titleMatchable))] : [];
  if (wanted.length) {
    for (const r of await db.papers.where('titleKey').anyOf(wanted).toArray()) {
      const list = byTitle.get(r.titleKey) ?? [];
      list.push(r);
      byTitle.set(r.titleKey, list);
    }
  }

  // Records touched in this batch, by id, so two cards of one paper merge into one write.
  const working = new Map<string, Resolution>();
  // Records first made by this batch, by title key (two cards of one paper, one without id).
  const batchTitles = new Map<string, Resolution>();
  // Who holds key `k` now: the resolution of an earlier card of this batch that took it, else
  // the stored record (as the resolution that took that record in, if one did).
  const holder = (k: string): { res?: Resolution; record: PaperRecord } | undefined => {
    const w = working.get(k);
    if (w) return { res: w, record: w.record };
    const stored = byId.get(k) ?? byAlias.get(k);
    if (!stored) return undefined;
    const r = working.get(stored.id);
    return r ? { res: r, record: r.record } : { record: stored };
  };
  const out = cands.map((c, i) => {
    const keys = keysPer[i] ?? [];
    const main = keys[0];
    if (!main) return null;
    // A record reached by one of the card's secondary keys (an ACL id, a DOI) that carries other
    // real ids is another paper (idsContradict): the card shows arXiv 2401.00001 with an ACL id
    // the library files under arXiv 2402.00002. A card with one key, or a record found by the
    // card's arXiv id, cannot contradict it (no check, no cost for a page of arXiv cards).
    let found: PaperRecord | undefined;
    let foundRes: Resolution | undefined;
    for (const k of keys) {
      const h = holder(k);
      if (!h) continue;
      if (keys.length === 1 || k.startsWith('arxiv:') || !idsContradict(keys, keysOf(h.record))) {
        found = h.record;
        foundRes = h.res;
        break;
      }
    }
    const absorbed: PaperRecord[] = [];
    const tk = titleKeys?.[i];
    const sameTitle = tk ? (byTitle.get(tk) ?? []).filter((r) => r.id !== found?.id) : [];
    if (!found) {
      // No id match: an existing record with the same title is this paper, unless both carry
      // different real ids (two papers that share a title). A provisional record an earlier card
      // of this batch took in is judged as the record it is now part of.
      found = sameTitle.find(
        (r) =>
          (!isCanonical(main) || !isCanonical(r.id)) &&
          !idsContradict(keys, keysOf(working.get(r.id)?.record ?? r)),
      );
    }
    let res = found
      ? (foundRes ?? working.get(found.id) ?? { record: found, before: found, absorbed })
      : null;
    // Or a record an earlier card of this batch made, with this title (the same rule).
    const madeHere = !res && tk ? batchTitles.get(tk) : undefined;
    if (madeHere && (!isCanonical(main) || !isCanonical(madeHere.record.id))) res = madeHere;
    // The card's keys that a record of another paper holds stay with that record: it had them
    // first (stored before this page, or taken by an earlier card of it), so the verdict does not
    // depend on the order of cards on a page seen again, and a site's one wrong link cannot take
    // a key away from the paper the library already files under it. The card's record neither
    // takes them nor joins that record, and leaves out the card's ACL id or DOI that they name.
    let contested: Set<string> | undefined;
    if (keys.length > 1) {
      const mine = res ? [...keysOf(res.record), ...keys] : keys;
      for (const k of keys) {
        const h = holder(k);
        if (!h || (res && (h.res === res || h.record.id === res.record.id))) continue;
        if (idsContradict(mine, keysOf(h.record))) (contested ??= new Set()).add(k);
      }
    }
    const card = contested ? withoutKeys(c, contested) : c;
    // A record made from this card holds what the card says already: merging the card in again
    // gives the same record (one more copy of each new paper, half the merging of a first visit).
    let made = false;
    if (!res) {
      if (!create) return null;
      res = { record: newRecord(main, card, site, now, tk), absorbed };
      made = true;
    }
    let rec = made ? res.record : mergeCandidate(res.record, card, site, now);
    // A card that reveals a real id for a provisional record: the record moves to the real id.
    if (isCanonical(main) && !isCanonical(rec.id)) {
      const old = rec;
      rec = { ...rec, id: main, aliases: [...new Set([...rec.aliases, old.id])] };
      if (res.before) res.absorbed.push(res.before);
      const existing = byId.get(main);
      if (existing) rec = absorb(existing, rec);
    }
    // Records stored under the card's other ids are this paper too (an arXiv card that names
    // the DOI of a paper saved from a DOI card, or the ACL id of one saved from the Anthology):
    // they merge into the one found first. An ACL id names one paper as a DOI does; left out,
    // the acl: record lived on beside the one that took its key as an alias (two records of one
    // paper, which a backup's restore then joined). Unless they are another paper (contested).
    for (const k of keys) {
      const other = byId.get(k);
      const anId = isCanonical(k) || k.startsWith('acl:');
      if (!other || !anId || other.id === rec.id || res.absorbed.some((a) => a.id === k)) continue;
      if (contested?.has(k)) continue;
      const elsewhere = working.get(k);
      if (elsewhere && elsewhere !== res) continue; // another card of this batch holds it
      // A record taken in just before may have brought real ids of its own.
      if (idsContradict([...keysOf(rec), ...keys], keysOf(other))) {
        (contested ??= new Set()).add(k);
        continue;
      }
      rec = absorb(rec, other);
      res.absorbed.push(other);
    }
    // Provisional records with this title are the same paper seen where it had no id, unless an
    // earlier card of this batch took one into a record of another paper (two arXiv papers of
    // one title on a page: the first takes it; taken by both, its key then joined the two).
    if (isCanonical(rec.id)) {
      for (const r of sameTitle) {
        if (!isCanonical(r.id) && r.id !== rec.id && !res.absorbed.some((a) => a.id === r.id)) {
          const taken = working.get(r.id);
          const mine = [...keysOf(rec), ...keys];
          if (idsContradict(mine, keysOf(taken && taken !== res ? taken.record : r))) continue;
          rec = absorb(rec, r);
          res.absorbed.push(r);
        }
      }
    }
    for (const k of keys) {
      if (k !== rec.id && !rec.aliases.includes(k) && !contested?.has(k)) rec.aliases.push(k);
    }
    res.record = rec;
    if (!res.before && tk && titleMatchable(tk) && !batchTitles.has(tk)) batchTitles.set(tk, res);
    working.set(rec.id, res);
    for (const k of keys) if (!contested?.has(k)) working.set(k, res);
    for (const a of rec.aliases) working.set(a, res);
    return res;
  });
  const read = [...byId.values(), ...byAlias.values(), ...[...byTitle.values()].flat()];
  return oneRecordPerKey(out, read);
}

/**
 * `c` without the ACL id and DOI whose keys are in `keys` (another paper's: see `resolve`), so the
 * card's record does not show or export them. Its arXiv id, its title and its link stay.
 */
function withoutKeys(c: WireCandidate, keys: Set<string>): WireCandidate {
  const out = { ...c };
  if (c.aclId && keys.has(`acl:${c.aclId}`)) delete out.aclId;
  const doi = c.doi ? normalizeDoi(c.doi) : null;
  if (doi && keys.has(`doi:${doi}`)) delete out.doi;
  return out;
}

/** Which id a merged group keeps: an arXiv id, else a DOI, else an ACL id, else a title key. */
function idRank(id: string): number {
  if (id.startsWith('arxiv:')) return 0;
  if (id.startsWith('doi:')) return 1;
  if (id.startsWith('acl:')) return 2;
  return 3;
}

/**
 * Makes the batch's resolutions answer for disjoint keys: resolutions whose records share a key
 * (an id or alias), and stored records read by this batch that hold a key a resolution now holds,
 * are one paper and become one resolution (union-find over the keys). Card by card, `resolve`
 * can reach one paper by two paths (a card with no id matched by title, another by its arXiv id;
 * an arXiv id and an ACL id naming different stored records), and each path left its own record,
 * both answering to one key. No reads: a batch of distinct new papers only walks its keys once.
 */
function oneRecordPerKey(list: (Resolution | null)[], read: PaperRecord[]): (Resolution | null)[] {
  const unique = [...new Set(list.filter((r): r is Resolution => r !== null))];
  const parent = unique.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  let joined = false;
  // Every key of a group (by its root), made when groups are joined: two groups whose real ids
  // contradict (idsContradict) are two papers and stay apart, whatever key they share.
  const groupKeys = new Map<number, string[]>();
  const keysOfGroup = (g: number) => groupKeys.get(g) ?? keysOf(unique[g]!.record);
  const join = (a: number, b: number): boolean => {
    const [ka, kb] = [keysOfGroup(a), keysOfGroup(b)];
    if (idsContradict(ka, kb)) return false;
    parent[a] = b;
    groupKeys.set(b, [...ka, ...kb]);
    groupKeys.delete(a);
    return (joined = true);
  };
  /**
   * Keys two contradicting groups shared: each stays with one group (`keep`, a resolution's index,
   * or -1 for a stored record left as it is) and leaves the other (`lose`), unless the two are
   * joined by another path after all. `resolve` already keeps such keys with their first holder;
   * this catches what it could not see card by card (groups joined through several cards).
   */
  const refused: { key: string; keep: number; lose: number; stored?: PaperRecord }[] = [];
  unique.forEach((r, i) => {
    for (const k of keysOf(r.record)) {
      const o = owner.get(k);
      if (o === undefined) owner.set(k, i);
      else if (find(o) !== find(i) && !join(find(o), find(i))) {
        // The earlier card's record keeps it (as resolve decides), unless it is this one's id.
        if (k === r.record.id) refused.push({ key: k, keep: i, lose: o });
        else refused.push({ key: k, keep: o, lose: i });
      }
    }
  });
  // Stored records this batch read that are neither written by it nor already merged into it,
  // yet hold one of its keys.
  const handled = new Set<string>();
  for (const r of unique) {
    handled.add(r.record.id);
    for (const a of r.absorbed) handled.add(a.id);
  }
  const extra = new Map<number, PaperRecord[]>();
  for (const s of new Set(read)) {
    if (handled.has(s.id)) continue;
    let group: number | undefined;
    const sKeys = keysOf(s);
    for (const k of sKeys) {
      const o = owner.get(k);
      if (o === undefined) continue;
      const g = find(o);
      if (group === g) continue;
      // A stored record of another paper keeps its key (it held it before this batch).
      let ok: boolean;
      if (group === undefined) {
        ok = !idsContradict(keysOfGroup(g), sKeys);
        if (ok) groupKeys.set(g, [...keysOfGroup(g), ...sKeys]);
      } else ok = join(g, group);
      if (!ok) {
        refused.push({ key: k, keep: -1, lose: o, stored: s });
        continue;
      }
      group = find(g);
    }
    if (group === undefined) continue;
    handled.add(s.id);
    const l = extra.get(group) ?? [];
    l.push(s);
    extra.set(group, l);
    joined = true;
  }
  if (!joined && !refused.length) return list;
  const storedById = new Map(read.map((r) => [r.id, r]));
  const members = new Map<number, number[]>();
  unique.forEach((_, i) => {
    const g = find(i);
    members.set(g, [...(members.get(g) ?? []), i]);
  });
  const into = new Map<Resolution, Resolution>();
  for (const [g, idx] of members) {
    // Extras were filed under the group root of their time: collect them from every member.
    const stored = idx.flatMap((i) => extra.get(i) ?? []);
    if (idx.length === 1 && !stored.length && g === idx[0]) continue;
    // The record kept: the best id; among equals one stored before, then the earliest card.
    const ranked = [...idx].sort(
      (a, b) =>
        idRank(unique[a]!.record.id) - idRank(unique[b]!.record.id) ||
        Number(!unique[a]!.before) - Number(!unique[b]!.before) ||
        a - b,
    );
    const root = unique[ranked[0]!]!;
    let rec = root.record;
    const absorbed = [...root.absorbed];
    const add = (a: PaperRecord) => {
      if (a.id !== rec.id && !absorbed.some((x) => x.id === a.id)) absorbed.push(a);
    };
    // Notes come from stored records only (a card has none), and a member may hold a stored
    // record the root already took in (both found it by title, say): each stored record's note
    // is added once, or the merged note would repeat it.
    const folded = new Set([root.record.id, ...root.absorbed.map((a) => a.id)]);
    if (root.before) folded.add(root.before.id);
    const notes = [rec.note];
    const noteOf = (id: string, from: PaperRecord | undefined) => {
      if (folded.has(id)) return;
      folded.add(id);
      notes.push(from?.note);
    };
    for (const i of ranked.slice(1)) {
      const m = unique[i]!;
      rec = absorb(rec, m.record);
      for (const a of m.absorbed) {
        add(a);
        noteOf(a.id, a);
      }
      if (m.before) {
        add(m.before);
        noteOf(m.before.id, m.before);
      }
      noteOf(m.record.id, storedById.get(m.record.id));
      into.set(m, root);
    }
    for (const s of stored) {
      if (s.id === rec.id) continue;
      rec = absorb(rec, s);
      add(s);
      noteOf(s.id, s);
    }
    const note = notes.filter(Boolean).join('\n\n');
    if (note) rec.note = note;
    else delete rec.note;
    root.record = rec;
    root.absorbed = absorbed;
  }
  const final = (i: number) => into.get(unique[i]!) ?? unique[i]!;
  for (const { key, keep, lose, stored } of refused) {
    const loser = final(lose);
    if (keep >= 0 ? final(keep) === loser : loser.absorbed.includes(stored!)) continue;
    if (key === loser.record.id || !loser.record.aliases.includes(key)) continue;
    const rec = { ...loser.record, aliases: loser.record.aliases.filter((a) => a !== key) };
    if (rec.aclId !== undefined && `acl:${rec.aclId}` === key) delete rec.aclId;
    if (rec.doi !== undefined && `doi:${normalizeDoi(rec.doi)}` === key) delete rec.doi;
    loser.record = rec;
  }
  return list.map((r) => (r ? (into.get(r) ?? r) : r));
}

/** Fields that change on every sighting; a record that differs only in them need not be rewritten. */
const SEEN_FIELDS = new Set<string>(['lastSeenAt', 'updatedAt']);

/** Whether `b` stores the same as `a` apart from its "last seen" times. */
function sameStored(a: PaperRecord, b: PaperRecord): boolean {
  const ka = Object.keys(a) as (keyof PaperRecord)[];
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (SEEN_FIELDS.has(k)) continue;
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || JSON.stringify(x) !== JSON.stringify(y))
      return false;
  }
  return true;
}

/** Two sightings of one paper on one page as one (`b`'s key; counts summed unless `count`). */
function foldSighting<S extends InlineSighting>(
  a: S | undefined,
  b: S,
  count: (a: number, b: number) => number = (x, y) => x + y,
): S {
  if (!a) return b;
  return {
    ...b,
    firstAt: Math.min(a.firstAt, b.firstAt),
    lastAt: Math.max(a.lastAt, b.lastAt),
    count: count(a.count, b.count),
  };
}

/**
 * Puts `values` into `store` of the open IndexedDB transaction `trans`, past Dexie: one request
 * each and one handler on the last. Dexie's bulkPut also gives every request an error handler
 * and collects every result, which for the 1,000 records of a listing's first visit cost the
 * worker ~10 ms. A failed put aborts the transaction (no handler keeps it alive), and the
 * promise rejects. The write middleware (lib/db.ts `writeListeners`) does not see these writes:
 * only for a transaction whose writes its listeners skip anyway (`recordCards`).
 */
function putAll(trans: IDBTransaction, store: string, values: readonly object[]): Promise<void> {
  return new Promise((ok, no) => {
    const os = trans.objectStore(store);
    let last: IDBRequest | undefined;
    for (const v of values) last = os.put(v);
    if (!last) return ok();
    const req = last;
    req.onsuccess = () => ok();
    req.onerror = () => no(req.error);
  });
}

/** Writes resolved records, deleting absorbed ones and moving their sightings. */
async function writeResolutions(
  db: PaperScoutDB,
  list: (Resolution | null)[],
  now: number,
  /** When history was last cleared: a record last seen before is written (its lastSeenAt). */
  clearedAt = 0,
  /** `recordCards`' own transaction, to put past Dexie (see `putAll`). */
  raw?: IDBTransaction,
): Promise<{ stored: PaperRecord[]; merged: boolean }> {
  const unique = [...new Set(list.filter((r): r is Resolution => r !== null))];
  const absorbedIds = new Set(unique.flatMap((r) => r.absorbed.map((a) => a.id)));
  for (const r of unique) absorbedIds.delete(r.record.id);
  if (absorbedIds.size) {
    const moved = await db.sightings
      .where('paperId')
      .anyOf([...absorbedIds])
      .toArray();
    await db.sightings.bulkDelete(moved.map((s) => [s.paperId, s.url] as [string, string]));
    const target = new Map<string, string>();
    for (const r of unique) for (const a of r.absorbed) target.set(a.id, r.record.id);
    // The sightings absorbed records hold inline move as rows (a row of theirs supersedes).
    const hasRow = new Set(moved.map((s) => sightingKey(s.paperId, s.url)));
    const inlined = new Set<string>();
    for (const r of unique) {
      for (const a of r.absorbed) {
        if (!absorbedIds.has(a.id) || inlined.has(a.id)) continue;
        inlined.add(a.id);
        for (const e of a.inlineSightings ?? []) {
          if (!hasRow.has(sightingKey(a.id, e.url))) moved.push({ ...e, paperId: a.id });
        }
      }
    }
    // What each record kept holds inline of its own (its stored version, when not absorbed).
    const own = new Map<string, PaperRecord>();
    for (const r of unique) {
      if (r.before && r.before.id === r.record.id && !absorbedIds.has(r.before.id))
        own.set(r.record.id, r.before);
    }
    // A sighting of the same page under the record it moves to combines with it.
    const rows = new Map<string, SightingRecord>();
    const retargeted = moved.map((s) => ({ ...s, paperId: target.get(s.paperId) ?? s.paperId }));
    const there = await db.sightings.bulkGet(
      retargeted.map((s) => [s.paperId, s.url] as [string, string]),
    );
    retargeted.forEach((s, i) => {
      const k = sightingKey(s.paperId, s.url);
      const base = rows.get(k) ?? there[i] ?? inlineSightingOf(own.get(s.paperId), s.url);
      rows.set(k, foldSighting(base, s));
    });
    await db.sightings.bulkPut([...rows.values()]);
    // A record that took others in keeps inline only its own sightings of pages with no row now
    // (absorb joined theirs, which are rows from here on).
    for (const r of unique) {
      if (!r.absorbed.length) continue;
      const mine = own
        .get(r.record.id)
        ?.inlineSightings?.filter((e) => !rows.has(sightingKey(r.record.id, e.url)));
      if (mine?.length) r.record = { ...r.record, inlineSightings: mine };
      else if (r.record.inlineSightings) {
        r.record = { ...r.record };
        delete r.record.inlineSightings;
      }
    }
    // Their watch-rule hits move too, keeping the first match time: a hit left under a deleted
    // record would count in the toolbar badge as another highlighted paper.
    const hits = await db.hits
      .where('paperId')
      .anyOf([...absorbedIds])
      .toArray();
    if (hits.length) {
      await db.hits.bulkDelete(hits.map((h) => [h.paperId, h.ruleId] as [string, string]));
      const movedHits = hits.map((h) => ({ ...h, paperId: target.get(h.paperId) ?? h.paperId }));
      const had = await db.hits.bulkGet(
        movedHits.map((h) => [h.paperId, h.ruleId] as [string, string]),
      );
      const byKey = new Map<string, HitRecord>();
      movedHits.forEach((h, i) => {
        const k = `${h.paperId}\u0000${h.ruleId}`;
        const prev = byKey.get(k) ?? had[i];
        byKey.set(k, prev && prev.at <= h.at ? prev : h);
      });
      await db.hits.bulkPut([...byKey.values()]);
    }
    await db.papers.bulkDelete([...absorbedIds]);
  }
  const changed = unique.filter(
    (r) =>
      !r.before ||
      r.absorbed.length > 0 ||
      r.before.id !== r.record.id ||
      r.before.lastSeenAt < now - SEEN_REFRESH_MS ||
      r.before.lastSeenAt < clearedAt ||
      !sameStored(r.before, r.record),
  );
  if (changed.length) {
    if (raw)
      await putAll(
        raw,
        'papers',
        changed.map((r) => r.record),
      );
    else await db.papers.bulkPut(changed.map((r) => r.record));
  }
  // Every record as it is stored now: the written ones, and the others as they were read.
  const written = new Set(changed);
  const stored = unique.flatMap((r) => (written.has(r) ? [r.record] : r.before ? [r.before] : []));
  return { stored, merged: absorbedIds.size > 0 };
}

/**
 * Records that the cards of one page were seen (one sighting per paper and page URL) and answers
 * what each card should show: saved, seen before, new since the last visit, new version.
 */
export async function recordCards(
  db: PaperScoutDB,
  page: PageInfo,
  cards: WireCandidate[],
  now = Date.now(),
  /** Answer from what is stored and write nothing (the disk is full: see lib/background/router.ts). */
  readOnly = false,
  /**
   * Told the answer as soon as it is known, while this page's writes may still be committing:
   * it says what was stored before this visit (saved, seen, new), which the writes do not change,
   * so the page can paint it without waiting for them (the returned promise still waits).
   */
  answered?: (states: CardState[]) => void,
  /** Told when the delayed prune these sightings call for deleted papers (see schedulePrune). */
  onPruned?: (removed: string[]) => void,
): Promise<CardState[]> {
  const settings = await readSettings(db);
  const topics = await topicSet(db);
  const history = settings.historyEnabled && !readOnly;
  const cache = libraryCache(db);
  const tables = [db.papers, db.sightings, db.visits, db.rules, db.hits];
  /** What this transaction stored (or read and left), for the cache once it has committed. */
  const known: { papers: PaperRecord[]; sightings: SightingRecord[]; merged: boolean } = {
    papers: [],
    sightings: [],
    merged: false,
  };
  const states = await db.transaction('rw', tables, async (tx) => {
    const idbtrans = (tx as unknown as { idbtrans?: object }).idbtrans;
    if (idbtrans) cache.own.add(idbtrans);
    // Its puts skip Dexie only where the cache is the one listener and ignores them (`own`).
    const raw =
      idbtrans && db.writeListeners.size === 1 && db.writeListeners.has(cache.onWrite)
        ? (idbtrans as IDBTransaction)
        : undefined;
    // The first read also makes the transaction active: from here on IndexedDB runs it alone
    // over these tables, so what the cache holds is what is stored (lib/librarycache.ts).
    const prev = await db.visits.get(page.url);
    let visit: VisitRecord | undefined;
    if (history) {
      visit =
        prev && prev.loadId === page.loadId
          ? prev
          : { url: page.url, loadId: page.loadId, loadAt: now, prevLoadAt: prev?.loadAt };
      if (visit !== prev) await db.visits.put(visit);
    }
    const resolved = await resolve(
      db,
      cards,
      page.site,
      now,
      history,
      idbtrans ? cache : undefined,
    );
    // Topic badges come back in the same answer (computed here, not in the content script: the
    // taxonomy would double its size). They are kept on the record for topic watch rules.
    // A learned topic is a suggestion: never on a paper that already carries its tag.
    const badges = cards.map((c, i) =>
      withoutOwnTags(topicBadges(c, topics), resolved[i]?.record.tags),
    );
    resolved.forEach((r, i) => {
      const ids = badges[i]?.map((b) => b.id);
      if (r && ids?.length) r.record.topics = ids;
    });
    // A paper first stored now has no sighting yet; the others' come from the cache or are read.
    const sightings: (SightingRecord | undefined)[] = new Array(resolved.length);
    /** `rec`'s inline sighting of this page, marked as held by the record (`HELD_INLINE`). */
    const held = (rec: PaperRecord): SightingRecord | undefined => {
      const h = inlineSightingOf(rec, page.url);
      return h && markHeld(h);
    };
    if (history) {
      const toRead: number[] = [];
      resolved.forEach((r, i) => {
        if (!r?.before) return;
        const s = idbtrans ? cache.sightings.get(sightingKey(r.record.id, page.url)) : undefined;
        if (s) sightings[i] = s;
        else toRead.push(i);
      });
      if (toRead.length) {
        const read = await db.sightings.bulkGet(
          toRead.map((i) => [resolved[i]!.record.id, page.url] as [string, string]),
        );
        // No row: the sighting the record holds inline, if it was first recorded here.
        toRead.forEach((i, k) => {
          const r = resolved[i]!;
          sightings[i] = read[k] ?? (r.before!.id === r.record.id ? held(r.before!) : undefined);
        });
      }
      // Records merged into this one were seen on this page too: their sightings are its own.
      const merging: number[] = [];
      resolved.forEach((r, i) => r?.absorbed.length && merging.push(i));
      if (merging.length) {
        const read = await db.sightings.bulkGet(
          merging.flatMap((i) =>
            resolved[i]!.absorbed.map((a) => [a.id, page.url] as [string, string]),
          ),
        );
        let k = 0;
        for (const i of merging) {
          for (const from of resolved[i]!.absorbed) {
            const a = read[k++] ?? inlineSightingOf(from, page.url);
            if (a)
              sightings[i] = foldSighting(sightings[i], { ...a, paperId: resolved[i]!.record.id });
          }
        }
      }
    }
    // When records merge, their sightings move first and this page's sightings are written
    // after, before anything else is read. Otherwise the page's writes are issued once every
    // read is done (a read issued after them would wait for IndexedDB to store them) and the
    // answer is told: what the page shows does not depend on them.
    const merges = history && resolved.some((r) => r && r.absorbed.length > 0);
    const list: SightingRecord[] = [];
    if (history) {
      const rows = new Map<string, SightingRecord>();
      const inlined = new Set<Resolution>();
      resolved.forEach((r, i) => {
        if (!r) return;
        // A paper first recorded now holds its sighting of this page in its record: no row.
        if (!r.before && !r.absorbed.length) {
          if (inlined.has(r)) return;
          inlined.add(r);
          const e = { url: page.url, site: page.site, firstAt: now, lastAt: now, count: 1 };
          r.record.inlineSightings = [e];
          known.sightings.push(markHeld({ ...e, paperId: r.record.id }));
          return;
        }
        const s = sightings[i];
        // Seen here within the hour (a reload, back and forth): the same sighting, nothing to write.
        if (s && s.lastAt >= now - SEEN_REFRESH_MS && s.lastAt <= now && !r.absorbed.length) {
          known.sightings.push(s);
          return;
        }
        // Seen here again later, a sighting its record holds: it stays there, updated (the
        // record is rewritten anyway, its "last seen" time being older than the hour).
        if (s && HELD_INLINE.has(s) && !r.absorbed.length && r.before?.id === r.record.id) {
          if (inlined.has(r)) return;
          inlined.add(r);
          const { paperId, ...e } = {
            ...s,
            lastAt: now,
            count: s.count + (s.lastAt >= (visit?.loadAt ?? now) ? 0 : 1),
          };
          const others = (r.record.inlineSightings ?? []).filter((x) => x.url !== page.url);
          r.record = { ...r.record, inlineSightings: [...others, e] };
          known.sightings.push(markHeld({ ...e, paperId }));
          return;
        }
        rows.set(r.record.id, {
          paperId: r.record.id,
          url: page.url,
          site: page.site,
          firstAt: s?.firstAt ?? now,
          lastAt: now,
          count: (s?.count ?? 0) + (s && s.lastAt >= (visit?.loadAt ?? now) ? 0 : 1),
        });
      });
      list.push(...rows.values());
      known.sightings.push(...list);
    }
    const writePapers = () =>
      writeResolutions(db, resolved, now, settings.clearedAt, merges ? undefined : raw).then(
        (w) => {
          known.merged = w.merged;
          known.papers = w.stored;
        },
      );
    let writes: Promise<unknown> | null = null;
    if (merges) {
      await writePapers();
      if (list.length) await db.sightings.bulkPut(list);
    }
    const records = [...new Set(resolved.filter((r) => r !== null).map((r) => r.record))];
    const highlights = await highlightPapers(db, records, now, history);
    const loadAt = visit?.loadAt ?? now;
    const answer = cards.map((c, i): CardState => {
      const r = resolved[i];
      const key = canonicalKey(c) ?? '';
      if (!r)
        return {
          key,
          id: key,
          saved: false,
          seen: false,
          isNew: false,
          newVersion: false,
          highlights: [],
          badges: badges[i] ?? [],
        };
      const before = r.before;
      const saved = r.record.savedAt !== undefined;
      const s = sightings[i];
      return {
        key,
        id: r.record.id,
        saved,
        // "Seen" is history: with history off (which deleted it) no card says so, not even a
        // saved paper's, whose record keeps the time it was first seen.
        // …nor a saved paper not shown since history was cleared (it kept its record).
        seen:
          settings.historyEnabled &&
          before !== undefined &&
          before.firstSeenAt < loadAt &&
          (settings.clearedAt === 0 || before.lastSeenAt > settings.clearedAt),
        isNew: page.listing && visit?.prevLoadAt !== undefined && (!s || s.firstAt >= loadAt),
        newVersion: saved && isNewVersion(c, r.record, s, now),
        highlights: highlights.get(r.record.id) ?? [],
        badges: badges[i] ?? [],
      };
    });
    // Told before this page's writes are issued: issuing 2,000 puts takes the worker tens of ms
    // (Blink's cost per request), which the page need not wait for. Same task as the last read,
    // no await in between, so the transaction is still active when the writes are issued.
    try {
      answered?.(answer);
    } catch (e) {
      // A closed page must not cost the sightings.
      console.warn('Paper Scout: answering a page failed', e);
    }
    if (history && !merges) {
      writes = Promise.all([
        writePapers(),
        !list.length ? null : raw ? putAll(raw, 'sightings', list) : db.sightings.bulkPut(list),
      ]);
    }
    await writes;
    return answer;
  });
  // Committed: the cache learns what is stored now (records merged: it starts over instead).
  if (known.merged) cache.clear();
  else if (history) cache.fill(known.papers, known.sightings);
  if (history) schedulePrune(db, onPruned);
  return states;
}

/** Saves or unsaves the paper a card shows, creating its record if needed. */
export async function setSaved(
  db: PaperScoutDB,
  c: WireCandidate,
  site: SiteId,
  saved: boolean,
  now = Date.now(),
): Promise<PaperRecord> {
  return db.transaction('rw', [db.papers, db.sightings, db.hits], async () => {
    const [res] = await resolve(db, [c], site, now, true);
    if (!res) throw new Error('This card has no title or id to save it by.');
    res.record = applySaved(res.record, saved, site, now);
    await writeResolutions(db, [res], now);
    return res.record;
  });
}

/** Saves or unsaves a stored paper by id (or alias). Null when there is no such paper. */
export async function setSavedById(
  db: PaperScoutDB,
  id: string,
  saved: boolean,
  now = Date.now(),
): Promise<PaperRecord | null> {
  return db.transaction('rw', db.papers, async () => {
    const rec = (await db.papers.get(id)) ?? (await db.papers.where('aliases').equals(id).first());
    if (!rec) return null;
    const next = applySaved(rec, saved, rec.savedFrom, now);
    await db.papers.put(next);
    return next;
  });
}

function applySaved(
  rec: PaperRecord,
  saved: boolean,
  site: SiteId | undefined,
  now: number,
): PaperRecord {
  if (saved) {
    if (rec.savedAt !== undefined) return rec;
    return {
      ...rec,
      savedAt: now,
      savedFrom: site,
      savedVersion: rec.version,
      state: rec.state ?? 'inbox',
      updatedAt: now,
    };
  }
  const next = { ...rec, updatedAt: now };
  delete next.savedAt;
  delete next.savedVersion;
  return next;
}

/** Forgets sightings, visits and every paper that is not saved and has no note or tags. */
export async function clearHistory(
  db: PaperScoutDB,
): Promise<{ removedPapers: number; removedSightings: number }> {
  return db.transaction(
    'rw',
    [db.papers, db.sightings, db.visits, db.hits, db.settings],
    async () => {
      await db.settings.put({ key: HISTORY_CLEARED_AT, value: Date.now() });
      const rowKeys = await db.sightings.toCollection().primaryKeys();
      const hasRow = new Set(rowKeys.map(([id, url]) => sightingKey(id, url)));
      let removedSightings = rowKeys.length;
      await db.sightings.clear();
      await db.visits.clear();
      // One pass over the papers: the unkept go; the kept forget the sightings they hold inline.
      const removed: string[] = [];
      const forgetting: PaperRecord[] = [];
      await db.papers.each((p) => {
        for (const e of p.inlineSightings ?? [])
          if (!hasRow.has(sightingKey(p.id, e.url))) removedSightings++;
        if (!isKept(p)) removed.push(p.id);
        else if (p.inlineSightings) {
          const next = { ...p };
          delete next.inlineSightings;
          forgetting.push(next);
        }
      });
      await db.papers.bulkPut(forgetting);
      // Their watch-rule hits go with them (else the toolbar badge still counts them).
      await db.hits.where('paperId').anyOf(removed).delete();
      await db.papers.bulkDelete(removed);
      return { removedPapers: removed.length, removedSightings };
    },
  );
}

/** A paper the user put something into: never pruned, never cleared with history. */
function isKept(p: PaperRecord): boolean {
  return p.savedAt !== undefined || !!p.note || (p.tags?.length ?? 0) > 0;
}

/** Deletes the least recently seen unkept papers beyond `cap`, with their sightings. */
export async function prune(db: PaperScoutDB, cap: number): Promise<number> {
  return (await pruneIds(db, cap)).length;
}

/** `prune`, answering the ids of the papers it deleted (the related index forgets them). */
async function pruneIds(db: PaperScoutDB, cap: number): Promise<string[]> {
  const count = await db.papers.count();
  if (count <= cap) return [];
  return db.transaction('rw', [db.papers, db.sightings, db.hits], async () => {
    const excess = (await db.papers.count()) - cap;
    const victims = await db.papers
      .orderBy('lastSeenAt')
      .filter((p) => !isKept(p))
      .limit(excess)
      .primaryKeys();
    await db.sightings.where('paperId').anyOf(victims).delete();
    await db.hits.where('paperId').anyOf(victims).delete();
    await db.papers.bulkDelete(victims);
    return victims;
  });
}

/** Papers pruned (their ids): what to tell once the prune has committed (the latest caller's). */
type PrunedListener = (removed: string[]) => void;
/** A prune waiting to run, per database (tests open many), and whom to tell after it. */
const prunes = new WeakMap<PaperScoutDB, { onPruned?: PrunedListener }>();
/**
 * Prunes a little later, once, after a burst of writes (not in the recording's hot path). The cap
 * is read when it runs, not when it was scheduled (a lower cap set meanwhile applies). Papers it
 * deletes take their watch-rule hits with them, so `onPruned` is told (the toolbar badge would
 * still count them, and the related index would still suggest them: lib/background/router.ts).
 */
function schedulePrune(db: PaperScoutDB, onPruned?: PrunedListener): void {
  const waiting = prunes.get(db);
  if (waiting) {
    if (onPruned) waiting.onPruned = onPruned;
    return;
  }
  const next = { onPruned };
  prunes.set(db, next);
  setTimeout(() => {
    prunes.delete(db);
    getSettings(db)
      .then((s) => pruneIds(db, s.historyCap))
      .then((removed) => {
        if (removed.length) next.onPruned?.(removed);
      })
      .catch((e: unknown) => console.warn('Paper Scout: prune failed', e));
  }, 2_000);
}
