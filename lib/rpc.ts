/**
 * Sending requests to the background worker from extension pages and content scripts. Transport
 * failures (no worker, closed port) come back as an error Result, never as a throw.
 */
import { browser } from 'wxt/browser';
import type { Replies, Request, Result } from './messages';

/** The worker gave no answer at all. */
const noReply = (): Result<never> => ({
  ok: false,
  error: { code: 'internal', message: 'No reply from Paper Scout.' },
});

/** The worker went away before answering (`why`: the browser's reason, for the curious). */
const stopped = (why: string): Result<never> => ({
  ok: false,
  error: {
    code: 'internal',
    message: `Paper Scout stopped before answering; reload the page to see what was saved. (${why})`,
  },
});

/**
 * Sends one request and returns the worker's Result. The rows of an import (`import/stage`) sent
 * from our own pages take the bulk channel (`sendBulk`); everything else is a runtime message.
 */
export async function send<T extends Request['type']>(
  req: Extract<Request, { type: T }>,
): Promise<Result<Replies[T]>> {
  if (req.type === 'import/stage') {
    const stage = req as Extract<Request, { type: 'import/stage' }>;
    return (await sendBulk(stage)) as Result<Replies[T]>;
  }
  return sendMessage(req);
}

/** As a runtime message (`runtime.sendMessage`). */
async function sendMessage<T extends Request['type']>(
  req: Extract<Request, { type: T }>,
): Promise<Result<Replies[T]>> {
  try {
    const reply = (await browser.runtime.sendMessage(req)) as Result<Replies[T]> | undefined;
    return reply ?? noReply();
  } catch (e) {
    // The worker stopped mid-request, or the extension was reloaded: say so in words a person can
    // act on (tests/e2e/faults.spec.ts), with the browser's reason for the curious.
    return stopped(String(e));
  }
}

/**
 * Whether this code runs on one of our own extension pages. A content script's
 * `navigator.serviceWorker` is the web page's: nothing may ever be posted there.
 */
function onOwnPage(): boolean {
  const here = (globalThis.location as Location | undefined)?.origin;
  if (!here || here === 'null') return false;
  // Compared as text: Node's URL gives a chrome-extension: address an opaque origin ("null").
  try {
    return browser.runtime.getURL('/') === `${here}/`;
  } catch {
    return false;
  }
}

/** How long a bulk request may wait for its answer before it counts as lost. */
export const BULK_TIMEOUT_MS = 120_000;
/**
 * While a bulk request waits, the session is asked after this often (as an ordinary message): a
 * worker stopped meanwhile has no port to close (Chromium fires no `close` on a MessagePort whose
 * worker was stopped), but the worker started again for the question has lost the session.
 */
export const BULK_LIVENESS_MS = 5_000;

/** The extension's service worker, where this page can post to it; null where it cannot. */
async function activeWorker(): Promise<{
  postMessage(message: unknown, transfer: Transferable[]): void;
} | null> {
  const container = (globalThis.navigator as Navigator | undefined)?.serviceWorker;
  if (!container || typeof MessageChannel !== 'function') return null;
  try {
    return (await container.getRegistration())?.active ?? null;
  } catch {
    return null;
  }
}

/**
 * Sends the rows of an import (`import/stage`) over the worker's bulk channel
 * (lib/background/channel.ts): a structured clone instead of extension messaging's JSON, several
 * times cheaper for the page. Only from our own pages; where there is no service worker to post to
 * (Firefox's event page) it is sent as a runtime message.
 */
export async function sendBulk(
  req: Extract<Request, { type: 'import/stage' }>,
): Promise<Result<Replies['import/stage']>> {
  const worker = onOwnPage() ? await activeWorker() : null;
  if (!worker) return sendMessage(req);
  const { port1, port2 } = new MessageChannel();
  return new Promise<Result<Replies['import/stage']>>((resolve) => {
    let done = false;
    const finish = (
      r: Result<Replies['import/stage']> | Promise<Result<Replies['import/stage']>>,
    ) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(liveness);
      port1.close();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish(stopped('no answer to the import rows')),
      BULK_TIMEOUT_MS,
    );
    const liveness = setInterval(() => {
      void sendMessage({ type: 'import/ping', importId: req.importId }).then((r) => {
        if (!r.ok) finish(r);
        else if (!r.value.alive) finish(stopped('the import was lost with it'));
      });
    }, BULK_LIVENESS_MS);
    port1.onmessage = (e: MessageEvent) =>
      finish((e.data as Result<Replies['import/stage']> | undefined) ?? noReply());
    try {
      worker.postMessage({ request: req }, [port2]);
    } catch {
      // Not cloneable, or the worker went away: the ordinary way still works.
      finish(sendMessage(req));
    }
  });
}
