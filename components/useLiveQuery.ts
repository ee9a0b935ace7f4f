/**
 * A Preact hook over Dexie's liveQuery: re-renders when the queried tables change, in this page
 * or in any other extension context (Dexie broadcasts changes between same-origin contexts).
 * @see https://dexie.org/docs/liveQuery()
 */
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

/** The latest result of `query` (undefined until the first result), and its error if any. */
export function useLiveQuery<T>(
  query: () => Promise<T>,
  deps: unknown[] = [],
): {
  value: T | undefined;
  error: unknown;
} {
  const [state, setState] = useState<{ value: T | undefined; error: unknown }>({
    value: undefined,
    error: undefined,
  });
  useEffect(() => {
    const sub = liveQuery(query).subscribe({
      next: (value) => setState({ value, error: undefined }),
      error: (error: unknown) => setState((s) => ({ ...s, error })),
    });
    return () => sub.unsubscribe();
  }, deps);
  return state;
}
