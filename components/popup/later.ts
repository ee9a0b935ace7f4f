/**
 * Loading what the popup needs only after its first paint (components/popup/deferred.ts): one
 * dynamic import, started once the first rows are painted, or at once when something needs it
 * earlier (a key, a tab, a message to the background).
 */
import { useEffect, useState } from 'preact/hooks';
import type { Replies, Request, Result } from '../../lib/messages';

/** The deferred module. */
export type Deferred = typeof import('./deferred');

let loading: Promise<Deferred> | undefined;
let loaded: Deferred | undefined;
const waiting = new Set<(m: Deferred) => void>();

/** Loads the deferred module (once); resolves with it. */
export function loadDeferred(): Promise<Deferred> {
  loading ??= import('./deferred').then((m) => {
    loaded = m;
    for (const fn of waiting) fn(m);
    waiting.clear();
    return m;
  });
  return loading;
}

/** The deferred module if it is loaded already. */
export function deferredNow(): Deferred | undefined {
  return loaded;
}

/**
 * The deferred module once loaded (undefined until then; the component re-renders when it
 * arrives). Does not start the load: the reading list does, after its first paint.
 */
export function useDeferred(): Deferred | undefined {
  const [mod, setMod] = useState(loaded);
  useEffect(() => {
    if (loaded) {
      if (mod !== loaded) setMod(loaded);
      return;
    }
    waiting.add(setMod);
    return () => void waiting.delete(setMod);
  }, []);
  return mod;
}

/** lib/rpc.ts `send`, loading it first if need be. */
export async function send<T extends Request['type']>(
  req: Extract<Request, { type: T }>,
): Promise<Result<Replies[T]>> {
  const m = loaded ?? (await loadDeferred());
  return m.send(req);
}
