/**
 * Wires the background worker: the message listener is registered synchronously at start (an MV3
 * worker woken by a message must have its listener before the event is dispatched).
 */
import { browser } from 'wxt/browser';
import { getDb } from '../db';
import { refreshTopics } from '../library';
import type { ChangedNotice, Result, RulesChangedNotice } from '../messages';
import { unreadHighlights } from '../rules/store';
import { HOST_MATCHES } from '../sites/registry';
import { RelatedService } from '../related/service';
import { scheduleLearning } from '../topics/store';
import { channelListener, type ChannelEvent } from './channel';
import { handleMessage, type RouterEnv } from './router';

/** Sends a change notice to every open tab of a supported site (no `tabs` permission needed). */
async function notifyTabs(notice: ChangedNotice | RulesChangedNotice): Promise<void> {
  const tabs = await browser.tabs.query({ url: [...HOST_MATCHES] });
  await Promise.all(
    tabs.map((t) =>
      t.id === undefined
        ? undefined
        : browser.tabs.sendMessage(t.id, notice).catch(() => {
            // A tab without our content script (not yet loaded, or discarded): nothing to update.
          }),
    ),
  );
}

const MAX_MEASURES = 200;

/**
 * Leaves a user-timing measure per handled request so `npm run bench` can read the worker's own
 * cost of recording a page: `paper-scout:<type>` from the message received to the reply sent,
 * and for a write, `paper-scout:<type>:commit` from the message received to its transaction
 * committed (detail = card count); `paper-scout:<type>:bulk` for a request of the bulk channel.
 * Bounded, so it never grows.
 */
function timeRequest(message: unknown, start: number, suffix = ''): void {
  const m = message as { type?: unknown; cards?: unknown };
  if (typeof m?.type !== 'string') return;
  if (performance.getEntriesByType('measure').length > MAX_MEASURES) performance.clearMeasures();
  performance.measure(`paper-scout:${m.type}${suffix}`, {
    start,
    detail: Array.isArray(m.cards) ? m.cards.length : undefined,
  });
}

/** Starts the background worker. */
export function startBackground(): void {
  const db = getDb();
  const env: RouterEnv = {
    db,
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    notify: (notice) => {
      notifyTabs(notice).catch((e: unknown) => console.warn('Paper Scout: notify failed', e));
    },
    related: new RelatedService(db),
    // A retrained topic can reach papers stored before it, or leave papers it no longer fits.
    tagsChanged: () =>
      scheduleLearning(db, undefined, () => {
        refreshTopics(db).catch((e: unknown) =>
          console.warn('Paper Scout: refreshing topics failed', e),
        );
      }),
    showTopic: async (topic) => {
      // The popup itself where the browser lets a worker open it (Chrome 127+), pointed at the
      // filtered list for this one opening; else the same page in a tab.
      const query = `?topic=${encodeURIComponent(topic)}`;
      const page = `popup.html${query}`;
      try {
        await browser.action.setPopup({ popup: page });
        await browser.action.openPopup();
        return 'popup';
      } catch {
        await browser.tabs.create({ url: browser.runtime.getURL(`/popup.html${query}`) });
        return 'tab';
      } finally {
        await browser.action.setPopup({ popup: 'popup.html' }).catch(() => undefined);
      }
    },
    notifyTab: (tabId, notice) => {
      browser.tabs.sendMessage(tabId, notice).catch(() => {
        // The tab navigated away or closed: its marks no longer matter.
      });
    },
    updateBadge: () => {
      unreadHighlights(db)
        .then(async (n) => {
          await browser.action.setBadgeBackgroundColor({ color: '#b45309' });
          await browser.action.setBadgeText({ text: n ? String(Math.min(n, 999)) : '' });
        })
        .catch((e: unknown) => console.warn('Paper Scout: badge failed', e));
    },
  };
  // The badge is the browser's memory, not ours: a browser restart or an extension update starts
  // it empty, though the database still holds unread highlights (tests/unit/worker-start.test.ts).
  const restoreBadge = () => env.updateBadge?.();
  browser.runtime.onStartup.addListener(restoreBadge);
  browser.runtime.onInstalled.addListener(restoreBadge);
  // Chrome needs sendResponse + `return true`; a returned (Dexie) promise would arrive as undefined.
  browser.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    const start = performance.now();
    let sent = false;
    const reply = (r: Result<unknown>) => {
      if (sent) {
        // Answered early (cards/seen): the page has its states; only the sightings were lost.
        if (!r.ok) console.warn('Paper Scout: recording a page failed after its answer', r.error);
        return;
      }
      sent = true;
      sendResponse(r);
      timeRequest(message, start);
    };
    handleMessage(message, sender, env, {
      committed: () => timeRequest(message, start, ':commit'),
      answered: reply,
    }).then(reply, (e: unknown) =>
      reply({ ok: false, error: { code: 'internal', message: String(e) } }),
    );
    return true;
  });
  // Import rows from our own pages (lib/background/channel.ts). Firefox runs the background as an
  // event page, which has no such event: its pages send them as messages (lib/rpc.ts).
  if ('clients' in globalThis && typeof globalThis.addEventListener === 'function') {
    const onChannel = channelListener(env, async (raw, sender, e) => {
      const start = performance.now();
      const r = await handleMessage(raw, sender, e);
      timeRequest(raw, start, ':bulk');
      return r;
    });
    globalThis.addEventListener('message', (event) => onChannel(event as unknown as ChannelEvent));
  }
}
