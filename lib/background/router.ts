/**
 * The background worker's message handling: who may ask what, validation, dispatch, replies.
 * Kept free of `browser` globals (the caller passes what it needs) so unit tests drive it directly.
 */
import type { PaperScoutDB } from '../db';
import {
  Request,
  err,
  ok,
  type ChangedNotice,
  type RulesChangedNotice,
  type Replies,
  type RequestType,
  type Result,
} from '../messages';
import {
  clearHistory,
  getSettings,
  recordCards,
  setSaved,
  setSavedById,
  setSettings,
} from '../library';
import { matchPage } from '../sites/registry';
import { deleteRule, markHighlightsRead, saveRule } from '../rules/store';

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
};

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
}

function senderKind(sender: SenderInfo, env: RouterEnv): 'content' | 'extension' | null {
  if (sender.id !== env.extensionId || !sender.url) return null;
  if (sender.url.startsWith(env.extensionOrigin)) return 'extension';
  if (sender.tab && matchPage(sender.url)) return 'content';
  return null;
}

function describeError(e: unknown): Result<never> {
  const name = (e as { name?: string; inner?: { name?: string } })?.name;
  const inner = (e as { inner?: { name?: string } })?.inner?.name;
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return err(
      'quota',
      'The browser has no room left for Paper Scout. Nothing stored was changed; free some disk space or clear history in the options.',
    );
  }
  return err('internal', e instanceof Error ? e.message : String(e));
}

/**
 * Validates and answers one message. Never throws: every outcome is a serializable `Result`.
 */
export async function handleMessage(
  raw: unknown,
  sender: SenderInfo,
  env: RouterEnv,
): Promise<Result<Replies[RequestType]>> {
  const parsed = Request.safeParse(raw);
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
    switch (msg.type) {
      case 'cards/seen': {
        const site = sender.url ? matchPage(sender.url)?.adapter.id : undefined;
        if (site !== msg.page.site) return err('forbidden', 'The page does not match its sender.');
        const cards = await recordCards(env.db, msg.page, msg.cards);
        if (cards.some((c) => c.highlights.length)) env.updateBadge?.();
        return ok({ cards });
      }
      case 'paper/setSaved': {
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
      case 'history/clear':
        return ok(await clearHistory(env.db));
      case 'rules/list':
        return ok(await env.db.rules.orderBy('updatedAt').reverse().toArray());
      case 'rules/save': {
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
    }
  } catch (e) {
    return describeError(e);
  }
}
