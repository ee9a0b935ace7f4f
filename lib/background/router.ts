/**
 * The background worker's message handling: who may ask what, validation, dispatch, replies.
 * Kept free of `browser` globals (the caller passes what it needs) so unit tests drive it directly.
 */
import { formatCount } from '../count';
import type { PaperRecord, PaperScoutDB } from '../db';
import {
  parseRequest,
  err,
  ok,
  type CardState,
  type ChangedNotice,
  type Request,
  type RelatedMarksNotice,
  type RulesChangedNotice,
  type Replies,
  type RequestType,
  type Result,
} from '../messages';
import {
  candidateNames,
  clearHistory,
  getSettings,
  recordCards,
  refreshTopics,
  setSaved,
  setSavedById,
  setSettings,
} from '../library';
import { matchPage } from '../sites/registry';
import {
  allTags,
  annotate,
  bulkChange,
  findPaper,
  NOTE_MAX,
  restore,
  viewOf,
} from '../readinglist';
import { deleteRule, markHighlightsRead, saveRule } from '../rules/store';
import { handleImport } from '../exchange/session';
import type { RelatedService } from '../related/service';
import { getLearnedTopics, getUserTopics, invalidateTopics, setUserTopics } from '../topics/store';

/** What the router knows about a message's sender (a subset of `runtime.MessageSender`). */
export interface SenderInfo {
  id?: string;
  url?: string;
  tab?: { id?: number };
}

/** Who may send each request: our content scripts on supported pages, our own pages, or both. */
const ALLOWED: Record<RequestType, ReadonlyArray<'content' | 'extension'>> = {
  'cards/seen': ['content'],
  'paper/setSaved': ['content', 'extension'],
  'paper/setSavedById': ['extension'],
  'settings/get': ['extension'],
  'settings/set': ['extension'],
  'history/clear': ['extension'],
  'rules/list': ['extension'],
  'rules/save': ['extension', 'content'],
  'rules/delete': ['extension'],
  'highlights/read': ['extension'],
  'paper/get': ['content', 'extension'],
  'paper/annotate': ['content', 'extension'],
  'papers/bulk': ['extension'],
  'papers/restore': ['extension'],
  // Import writes the whole library: extension pages only, never a content script.
  'import/begin': ['extension'],
  'import/stage': ['extension'],
  'import/preview': ['extension'],
  'import/commit': ['extension'],
  'import/cancel': ['extension'],
  'import/ping': ['extension'],
  'topics/show': ['content'],
  'topics/getUser': ['extension'],
  'topics/setUser': ['extension'],
  'related/forYou': ['extension'],
  'related/similar': ['extension'],
  'related/dismiss': ['extension'],
};

/** Requests after which the saved set (or its tags) may have changed: related papers re-read it. */
const CHANGES_SAVED = new Set<RequestType>([
  'paper/setSaved',
  'paper/setSavedById',
  'paper/annotate',
  'papers/bulk',
  'papers/restore',
  'import/commit',
]);

/**
 * Requests that may remove or bring watch-rule hits without a card showing them (history cleared
 * or turned off, a lower cap pruning, a backup's hits imported): the toolbar count is re-read.
 */
const CHANGES_BADGE = new Set<RequestType>(['history/clear', 'settings/set', 'import/commit']);

/** Context the router runs in. */
export interface RouterEnv {
  db: PaperScoutDB;
  /** This extension's id (`browser.runtime.id`). */
  extensionId: string;
  /** This extension's origin, e.g. `chrome-extension://<id>/`. */
  extensionOrigin: string;
  /** Tells open tabs that papers changed (saved state) or that watch rules changed. */
  notify(notice: ChangedNotice | RulesChangedNotice): void;
  /** Shows how many highlighted papers are new since the popup was last opened (toolbar badge). */
  updateBadge?(): void;
  /** The related-papers index (absent in tests that do not need it). */
  related?: RelatedService;
  /** Tags may have changed: learned topics are trained again soon (lib/topics/store.ts). */
  tagsChanged?(): void;
  /** Opens the popup (else a tab) on the reading list filtered by a topic. */
  showTopic?(topic: string): Promise<'popup' | 'tab'>;
  /** Sends a notice to one tab (the "related" marks of the cards it reported). */
  notifyTab?(tabId: number, notice: RelatedMarksNotice): void;
}

/**
 * After a page's cards are recorded: their papers go into the related index, and the cards close
 * to a saved paper get their "related" marks — both after the reply, so recording a page never
 * waits for the index.
 */
function relatedAfterSeen(env: RouterEnv, tabId: number | undefined, ids: string[]): void {
  const related = env.related;
  if (!related) return;
  related.changed(ids);
  if (tabId === undefined || !env.notifyTab) return;
  related
    .marks(ids)
    .then((marks) => {
      if (marks.length)
        env.notifyTab?.(tabId, {
          type: 'related/marks',
          marks: marks.map((m) => ({ id: m.id, nearest: m.nearest })),
        });
    })
    .catch((e: unknown) => console.warn('Paper Scout: related marks failed', e));
}

function senderKind(sender: SenderInfo, env: RouterEnv): 'content' | 'extension' | null {
  if (sender.id !== env.extensionId || !sender.url) return null;
  if (sender.url.startsWith(env.extensionOrigin)) return 'extension';
  if (sender.tab && matchPage(sender.url)) return 'content';
  return null;
}

/** Whether two http(s) addresses have one origin (false when either does not parse). */
function sameOrigin(a: string, b: string | undefined): boolean {
  if (!b || !URL.canParse(a) || !URL.canParse(b)) return false;
  return new URL(a).origin === new URL(b).origin;
}

/**
 * A full disk or quota, however Dexie wraps it: the DOMException itself, an AbortError whose
 * `inner` is one (the transaction aborted at commit), or a BulkError whose `failures` hold one (a
 * put request failed): tests/unit/hostile-quota.test.ts.
 */
function isQuotaError(e: unknown, depth = 0): boolean {
  const x = e as { name?: unknown; inner?: unknown; failures?: unknown } | null | undefined;
  if (!x || depth > 3) return false;
  if (x.name === 'QuotaExceededError') return true;
  if (isQuotaError(x.inner, depth + 1)) return true;
  return Array.isArray(x.failures) && x.failures.some((f) => isQuotaError(f, depth + 1));
}

function describeError(e: unknown): Result<never> {
  if (isQuotaError(e)) {
    return err(
      'quota',
      'The browser has no room left for Paper Scout. Nothing stored was changed; free some disk space or clear history in the options.',
    );
  }
  return err('internal', e instanceof Error ? e.message : String(e));
}

/** What the worker's listener learns about a request before its reply is settled. */
export interface RequestHooks {
  committed?(): void;
  answered?(reply: Result<Replies['cards/seen']>): void;
}

/**
 * Validates and answers one message. Never throws: every outcome is a serializable `Result`.
 */
export async function handleMessage(
  raw: unknown,
  sender: SenderInfo,
  env: RouterEnv,
  /**
   * `committed`: told when this message's write has committed (`cards/seen`: bench/run.mjs times
   * it). `answered`: given a `cards/seen` reply as soon as it is known, before its writes commit
   * (the caller may send it at once; the returned promise settles after the commit).
   */
  hooks?: RequestHooks,
): Promise<Result<Replies[RequestType]>> {
  const parsed = parseRequest(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err(
      'invalid',
      `Invalid message: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown shape'}`,
    );
  }
  const msg = parsed.data;
  const kind = senderKind(sender, env);
  if (!kind || !ALLOWED[msg.type].includes(kind)) {
    return err('forbidden', `"${msg.type}" is not accepted from this sender.`);
  }
  try {
    const reply = await answer(msg, kind, sender, env, hooks);
    if (reply.ok && CHANGES_SAVED.has(msg.type)) {
      env.related?.savedChanged();
      env.tagsChanged?.();
    }
    if (reply.ok && msg.type === 'import/commit') {
      void env.related?.reset();
      // A backup may bring the user's own or learned topics (settings rows): compile them again.
      invalidateTopics();
    }
    if (reply.ok && CHANGES_BADGE.has(msg.type)) env.updateBadge?.();
    return reply;
  } catch (e) {
    return describeError(e);
  }
}

/**
 * Why a content script's card is refused, or `undefined` when it may go on: the card must be
 * sent (a card names the paper it shows) and be of the site the sending page is on. One check
 * for paper/setSaved, paper/get and paper/annotate, so the three cannot drift apart.
 */
function refuseCard(
  card: { site: string } | undefined,
  sender: SenderInfo,
): Result<never> | undefined {
  if (!card) return err('invalid', 'A card must send the paper it shows.');
  const site = sender.url ? matchPage(sender.url)?.adapter.id : undefined;
  if (site !== card.site) return err('forbidden', 'The card does not match its page.');
  return undefined;
}

async function answer(
  msg: Request,
  kind: 'content' | 'extension',
  sender: SenderInfo,
  env: RouterEnv,
  hooks?: RequestHooks,
): Promise<Result<Replies[RequestType]>> {
  {
    switch (msg.type) {
      case 'cards/seen': {
        const site = sender.url ? matchPage(sender.url)?.adapter.id : undefined;
        if (site !== msg.page.site) return err('forbidden', 'The page does not match its sender.');
        // The page's address is stored with each sighting: it is the sender's own site (the
        // content script may shorten it, never move it to another host).
        if (!sameOrigin(msg.page.url, sender.url))
          return err('forbidden', 'The page address does not match its sender.');
        // A full disk must not make saved papers look unsaved: the page still gets the stored
        // states, only the sightings go unrecorded (tests/e2e/faults.spec.ts).
        // The page is answered as soon as the states are known (before the writes commit: they
        // do not change what the states say); a later failure then changes nothing on the page.
        const early = hooks?.answered
          ? (c: CardState[]) => hooks.answered?.(ok({ cards: c }))
          : undefined;
        // A prune of papers beyond the history cap may delete highlighted papers (recount) and
        // papers the related index holds (it drops the ones gone when told they changed).
        const pruned = (ids: string[]) => {
          env.updateBadge?.();
          env.related?.changed(ids);
        };
        const cards = await recordCards(
          env.db,
          msg.page,
          msg.cards,
          Date.now(),
          false,
          early,
          pruned,
        ).catch((e: unknown) => {
          if (!isQuotaError(e)) throw e;
          return recordCards(env.db, msg.page, msg.cards, Date.now(), true);
        });
        // recordCards returns once its transaction has committed (Dexie resolves on `complete`).
        hooks?.committed?.();
        if (cards.some((c) => c.highlights.length)) env.updateBadge?.();
        relatedAfterSeen(
          env,
          sender.tab?.id,
          cards.map((c) => c.id),
        );
        return ok({ cards });
      }
      case 'paper/setSaved': {
        if (kind === 'content') {
          // A card saves for its own page's site only (as cards/seen and paper/annotate).
          const refused = refuseCard({ site: msg.site }, sender);
          if (refused) return refused;
        }
        const rec = await setSaved(env.db, msg.paper, msg.site, msg.saved);
        env.notify({
          type: 'papers/changed',
          changes: [{ id: rec.id, saved: rec.savedAt !== undefined, aliases: rec.aliases }],
        });
        return ok({ id: rec.id, saved: rec.savedAt !== undefined });
      }
      case 'paper/setSavedById': {
        const rec = await setSavedById(env.db, msg.id, msg.saved);
        if (!rec) return err('not-found', `No paper ${msg.id} in the library.`);
        env.notify({
          type: 'papers/changed',
          changes: [{ id: rec.id, saved: rec.savedAt !== undefined, aliases: rec.aliases }],
        });
        return ok({ id: rec.id, saved: rec.savedAt !== undefined });
      }
      case 'settings/get':
        return ok(await getSettings(env.db));
      case 'settings/set':
        return ok(await setSettings(env.db, msg.settings));
      case 'history/clear': {
        const res = await clearHistory(env.db);
        await env.related?.reset();
        return ok(res);
      }
      case 'rules/list':
        return ok(await env.db.rules.orderBy('updatedAt').reverse().toArray());
      case 'rules/save': {
        // A card's "watch this" creates a rule; changing (or pausing) one is the options page's.
        if (kind === 'content' && msg.rule.id !== undefined)
          return err('forbidden', 'A card may create a watch rule, not change one.');
        const rule = await saveRule(env.db, msg.rule);
        env.notify({ type: 'rules/changed' });
        env.updateBadge?.();
        return ok(rule);
      }
      case 'rules/delete':
        await deleteRule(env.db, msg.id);
        env.notify({ type: 'rules/changed' });
        env.updateBadge?.();
        return ok({ id: msg.id });
      case 'highlights/read': {
        const at = await markHighlightsRead(env.db);
        env.updateBadge?.();
        return ok({ at });
      }
      case 'paper/get': {
        // A card's note panel gets only the panel's fields of the one paper it shows: a content
        // script's messages are checked as a compromised page process could forge them (it may
        // send anything our content script can), so a card must send the paper it shows and the
        // id must be that paper's (by key, alias, address or title, as paper/annotate checks).
        // Without the check, one message named any stored paper's id and got its note.
        if (kind === 'content') {
          const refused = refuseCard(msg.card, sender);
          if (refused) return refused;
        }
        const rec = await findPaper(env.db, msg.id);
        if (rec && msg.card && kind === 'content' && !candidateNames(rec, msg.card.paper))
          return err('forbidden', 'The card does not show this paper.');
        return ok({ paper: rec ? viewOf(rec) : null, allTags: await allTags(env.db) });
      }
      case 'paper/annotate': {
        const card = kind === 'content' ? msg.card : undefined;
        if (kind === 'content') {
          // From a card: the paper it shows, saved if it was not (a note puts it on the list).
          const refused = refuseCard(msg.card, sender);
          if (refused) return refused;
        }
        // Longer than a note holds: only a note joined from two records' notes may be, and an
        // edit may shorten it, not make it longer (lib/readinglist.ts NOTE_JOINED_MAX).
        if (msg.note !== undefined && msg.note.length > NOTE_MAX) {
          const stored = (await findPaper(env.db, msg.id))?.note?.length ?? 0;
          if (msg.note.length > stored)
            return err('invalid', `A note holds at most ${formatCount(NOTE_MAX)} characters.`);
        }
        // Saving and annotating are one transaction: a worker stopped in between must not leave
        // the paper saved without its note (tests/unit/hostile-crash.test.ts).
        const { rec, saved, foreign } = await env.db.transaction(
          'rw',
          [env.db.papers, env.db.sightings, env.db.hits],
          async () => {
            let id = msg.id;
            let saved: PaperRecord | undefined;
            if (card) {
              const existing = await findPaper(env.db, msg.id);
              if (existing?.savedAt !== undefined) {
                // A card writes the note of the paper it shows, not of another saved paper.
                if (!candidateNames(existing, card.paper)) return { foreign: true };
                id = existing.id;
              } else {
                saved = await setSaved(env.db, card.paper, card.site, true);
                id = saved.id;
              }
            }
            const note = { note: msg.note, tags: msg.tags, tagsWas: msg.tagsWas, state: msg.state };
            return { rec: await annotate(env.db, id, note), saved, foreign: false };
          },
        );
        if (foreign) return err('forbidden', 'The card does not show this paper.');
        if (!rec) return err('not-found', `No paper ${msg.id} in the library.`);
        if (saved) {
          env.notify({
            type: 'papers/changed',
            changes: [{ id: rec.id, saved: true, aliases: rec.aliases }],
          });
        }
        return ok(viewOf(rec));
      }
      case 'papers/bulk': {
        const res = await bulkChange(env.db, msg.ids, msg.op);
        if (msg.op.kind === 'unsave' && res.changed.length) {
          env.notify({
            type: 'papers/changed',
            changes: res.changed.map((r) => ({ id: r.id, saved: false, aliases: r.aliases })),
          });
        }
        return ok({ changed: res.changed.length, undo: res.undo });
      }
      case 'papers/restore': {
        const recs = await restore(env.db, msg.items);
        if (msg.items.some((i) => 'savedAt' in i)) {
          env.notify({
            type: 'papers/changed',
            changes: recs.map((r) => ({
              id: r.id,
              saved: r.savedAt !== undefined,
              aliases: r.aliases,
            })),
          });
        }
        return ok({ restored: recs.length });
      }
      case 'import/begin':
      case 'import/stage':
      case 'import/preview':
      case 'import/commit':
      case 'import/cancel':
      case 'import/ping':
        return await handleImport(msg, env);
      case 'topics/getUser':
        return ok({
          topics: await getUserTopics(env.db),
          learned: (await getLearnedTopics(env.db)).map((t) => ({
            id: t.id,
            name: t.name,
            papers: t.model.trainedOn.positives,
          })),
        });
      case 'topics/setUser': {
        let topics;
        try {
          topics = await setUserTopics(env.db, msg.topics);
        } catch (e) {
          if (isQuotaError(e)) throw e;
          return err('invalid', e instanceof Error ? e.message : String(e));
        }
        // The stored papers' topics follow (a deleted topic no longer filters the reading list).
        await refreshTopics(env.db);
        env.notify({ type: 'rules/changed' });
        return ok({ topics });
      }
      case 'topics/show':
        if (!env.showTopic) return err('internal', 'Cannot open the reading list here.');
        return ok({ opened: await env.showTopic(msg.topic) });
      case 'related/forYou':
        if (!env.related) return err('internal', 'Related papers are not available.');
        return ok(await env.related.forYou(msg.tag));
      case 'related/similar':
        if (!env.related) return err('internal', 'Related papers are not available.');
        return ok({ items: await env.related.similar(msg.id) });
      case 'related/dismiss':
        if (!env.related) return err('internal', 'Related papers are not available.');
        await env.related.dismiss(msg.id, msg.undo);
        return ok({ id: msg.id, dismissed: !msg.undo });
    }
  }
}
