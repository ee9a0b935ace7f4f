/**
 * The bulk channel: our own extension pages send the rows of an import (`import/stage`) to the
 * worker with `postMessage` and a `MessageChannel`, not `runtime.sendMessage`.
 *
 * Why: Chrome's extension messaging serializes every message to JSON in the sender and builds it
 * again in the worker. For the 10,000 entries of a BibTeX import that cost the options page
 * ~600 ms of its main thread (V8 sampling profile, Chromium 156), while a structured clone of the
 * same rows takes a fraction of it (2,000 rows, 4 MB: ~40–70 ms through `sendMessage`, ~13–30 ms
 * through `postMessage`). The request is the same request, validated and answered by the same
 * router (lib/background/router.ts); only the transport differs.
 *
 * Only same-origin clients, i.e. our own pages, can post to the extension's service worker (a
 * content script or a web page cannot reach it), and the worker takes the sender's address from
 * the browser's `event.source`, never from the message. Anything but `import/stage` is refused.
 * @see https://developer.mozilla.org/docs/Web/API/ServiceWorkerGlobalScope/message_event
 */
import { err, type Request, type Result } from '../messages';
import type { RouterEnv, SenderInfo } from './router';

/** The request types the bulk channel carries. */
export const CHANNEL_TYPES: ReadonlySet<string> = new Set<Request['type']>(['import/stage']);

/** What a page posts: the request, and the port the answer goes to. */
export interface ChannelMessage {
  request: unknown;
}

/** The parts of an `ExtendableMessageEvent` the listener reads (typed here: no WebWorker lib). */
export interface ChannelEvent {
  data: unknown;
  ports: readonly { postMessage(message: unknown): void }[];
  source: { url?: unknown } | null;
  waitUntil?(promise: Promise<unknown>): void;
}

/** A handler of one validated request (the router's `handleMessage`). */
export type ChannelHandler = (
  raw: unknown,
  sender: SenderInfo,
  env: RouterEnv,
) => Promise<Result<unknown>>;

/**
 * The worker's listener for the bulk channel. A message without a reply port or a sender address
 * is ignored (nobody could read an answer); every other one is answered on its port with a
 * `Result`, as `runtime.onMessage` answers.
 */
export function channelListener(
  env: RouterEnv,
  handle: ChannelHandler,
): (event: ChannelEvent) => void {
  return (event) => {
    const port = event.ports[0];
    const url = event.source?.url;
    if (!port || typeof url !== 'string') return;
    const request = (event.data as Partial<ChannelMessage> | null)?.request;
    const type = (request as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !CHANNEL_TYPES.has(type)) {
      port.postMessage(err('forbidden', 'Only import rows are accepted on this channel.'));
      return;
    }
    const done = handle(request, { id: env.extensionId, url }, env).then(
      (r) => port.postMessage(r),
      (e: unknown) => port.postMessage(err('internal', String(e))),
    );
    // Keeps the worker running until the answer is posted.
    event.waitUntil?.(done);
  };
}
