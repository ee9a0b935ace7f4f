/**
 * The popup's reading-list worker: runs lib/liststore.ts (saved papers, search index, changes) on
 * its own thread, so the popup paints its first rows and answers keys while 10,000 papers are
 * read and indexed. Same origin as the popup, so it opens the extension's IndexedDB itself.
 */
import { getDb } from './db';
import { ListStore, type FromStore, type ToStore } from './liststore';

const scope = self as unknown as {
  postMessage(m: FromStore): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<ToStore>) => void): void;
};
const store = new ListStore(getDb(), (m) => scope.postMessage(m));
scope.addEventListener('message', (e) => store.handle(e.data));
store.start();
