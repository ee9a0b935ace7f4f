/**
 * Sending requests to the background worker from extension pages and content scripts. Transport
 * failures (no worker, closed port) come back as an error Result, never as a throw.
 */
import { browser } from 'wxt/browser';
import type { Replies, Request, Result } from './messages';

/** Sends one request and returns the worker's Result. */
export async function send<T extends Request['type']>(
  req: Extract<Request, { type: T }>,
): Promise<Result<Replies[T]>> {
  try {
    const reply = (await browser.runtime.sendMessage(req)) as Result<Replies[T]> | undefined;
    return (
      reply ?? { ok: false, error: { code: 'internal', message: 'No reply from Paper Scout.' } }
    );
  } catch (e) {
    // The worker stopped mid-request, or the extension was reloaded: say so in words a person can
    // act on (tests/e2e/faults.spec.ts), with the browser's reason for the curious.
    const message = `Paper Scout stopped before answering; reload the page to see what was saved. (${String(e)})`;
    return { ok: false, error: { code: 'internal', message } };
  }
}
