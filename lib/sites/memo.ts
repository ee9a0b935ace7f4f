/**
 * Memos that live for one synchronous task (a content-script scan), then clear themselves in the
 * next microtask. A scan asks the same questions of a card several times (its identity, its data,
 * where the UI goes) and of the page once per card (the page JSON, the section headings); within a
 * task the DOM cannot change under us, so the first answer holds, and the next scan reads afresh.
 */
export interface TaskMemo<K extends object, V> {
  /** The value for `key` computed in this task, or `make()`'s (remembered until the task ends). */
  get(key: K, make: () => V): V;
}

/** A memo cleared at the end of the current task. */
export function taskMemo<K extends object, V>(): TaskMemo<K, V> {
  let map: WeakMap<K, V> | null = null;
  return {
    get(key, make) {
      if (!map) {
        map = new WeakMap();
        queueMicrotask(() => {
          map = null;
        });
      }
      if (map.has(key)) return map.get(key) as V;
      const value = make();
      map.set(key, value);
      return value;
    },
  };
}
