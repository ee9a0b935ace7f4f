/**
 * Refreshing the stored papers' topics after a topic save (lib/library.ts refreshTopics) works in
 * chunks, one read-write transaction each: a library of thousands of papers no longer holds the
 * papers store for the whole refresh (a save or a note made meanwhile is answered between two
 * chunks and kept), and quick successive saves end with the last one's topics.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';
import { PaperScoutDB, type PaperRecord } from '../../lib/db';
import { refreshTopics } from '../../lib/library';
import { invalidateTopics, setUserTopics } from '../../lib/topics/store';
import { paper } from './exchange-helpers';

const EXT = 'abcdefghijklmnop';
const options: SenderInfo = { id: EXT, url: `chrome-extension://${EXT}/options.html` };

let n = 0;
let db: PaperScoutDB;
let env: RouterEnv;

beforeEach(async () => {
  invalidateTopics();
  db = new PaperScoutDB(`topics-refresh-${n++}`);
  await db.open();
  env = { db, extensionId: EXT, extensionOrigin: `chrome-extension://${EXT}/`, notify: () => {} };
});

const TITLES = [
  'Zebrafish locomotion under a microscope',
  'Salmon migration tracked by satellites',
];
const id = (i: number) => `arxiv:2401.${String(10000 + i)}`;

/** `count` papers: even ones about zebrafish, odd ones about salmon, all with a stale topic. */
async function library(count: number): Promise<void> {
  const papers: PaperRecord[] = [];
  for (let i = 0; i < count; i++) {
    const title = `${TITLES[i % 2]} ${i}`;
    papers.push(paper({ id: id(i), title, titleKey: title.toLowerCase(), topics: ['user:gone'] }));
  }
  await db.papers.bulkPut(papers);
}

const fish = (phrase: string) => [{ name: 'Fish', phrases: [phrase] }];

describe('topic refresh', () => {
  it('gives every paper its topics, over many chunks', async () => {
    await library(250);
    await setUserTopics(db, fish('zebrafish'));
    expect(await refreshTopics(db, 40)).toBe(250);
    const papers = await db.papers.toArray();
    expect(papers).toHaveLength(250);
    for (const p of papers) {
      const i = Number(p.id.slice(-5)) - 10000;
      expect(p.topics, p.title).toEqual(i % 2 ? undefined : ['user:fish']);
    }
    // Nothing changed: nothing written.
    expect(await refreshTopics(db, 40)).toBe(0);
  });

  it('lets a save and a note made meanwhile through, and keeps them', async () => {
    const count = 3_000;
    await library(count);
    await setUserTopics(db, fish('zebrafish'));
    let refreshed = false;
    const refresh = refreshTopics(db, 200).then(() => (refreshed = true));
    // The first chunk is written…
    while (!(await db.papers.get(id(0)))?.topics?.includes('user:fish')) {
      await new Promise((r) => setTimeout(r, 1));
    }
    // …and the person saves one paper and notes another, both in later chunks.
    const [saved, noted] = await Promise.all([
      handleMessage({ type: 'paper/setSavedById', id: id(count - 2), saved: true }, options, env),
      handleMessage(
        { type: 'paper/annotate', id: id(count - 1), note: 'Read the methods.' },
        options,
        env,
      ),
    ]);
    expect(saved.ok && noted.ok, JSON.stringify([saved, noted])).toBe(true);
    // Answered before the refresh is over (it used to hold the papers store until its end).
    expect(refreshed).toBe(false);
    await refresh;
    const [a, b] = await db.papers.bulkGet([id(count - 2), id(count - 1)]);
    expect(a?.savedAt).toBeDefined();
    expect(a?.topics).toEqual(['user:fish']);
    expect(b?.note).toBe('Read the methods.');
    expect(b?.topics).toBeUndefined();
  });

  it('two quick topic saves end with the topics of the last one; one refresh at a time', async () => {
    await library(2_500);
    const first = handleMessage(
      { type: 'topics/setUser', topics: fish('zebrafish') },
      options,
      env,
    );
    const second = handleMessage({ type: 'topics/setUser', topics: fish('salmon') }, options, env);
    expect((await first).ok && (await second).ok).toBe(true);
    const papers = await db.papers.toArray();
    const tagged = papers.filter((p) => p.topics?.includes('user:fish'));
    expect(tagged).toHaveLength(1_250);
    expect(tagged.every((p) => p.title.startsWith('Salmon'))).toBe(true);
    expect(papers.some((p) => p.topics?.includes('user:gone'))).toBe(false);
    // A refresh asked for while one runs joins it (which starts over with the topics stored then).
    const a = refreshTopics(db, 100);
    expect(refreshTopics(db, 100)).toBe(a);
    await a;
  });
});
