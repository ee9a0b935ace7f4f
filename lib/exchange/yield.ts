/**
 * Lets the page paint and handle input between slices of long work. `scheduler.yield()` where the
 * browser has it; else a MessageChannel round trip, which (unlike `setTimeout(0)`) is not clamped
 * to 4 ms or throttled to 1 s in a background tab.
 */
export function yieldToEventLoop(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof s?.yield === 'function') return s.yield();
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}
