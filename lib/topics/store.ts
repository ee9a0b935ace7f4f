/**
 * The topics the worker matches cards against: the built-in taxonomy plus the user's own topics
 * (options page), stored in the library's settings table (`topics-user`). Compiled once and kept
 * while the worker lives; a change recompiles (and the tabs ask for their cards' badges again).
 */
import type { PaperScoutDB } from '../db';
import { USER_TOPICS_MAX } from '../limits';
import { compileTopics, type CompiledTopics } from './match';
import { BUILTIN_TOPICS, userTopic } from './taxonomy';
import type { TopicDef } from './types';

/** Settings key of the user's topics. */
export const USER_TOPICS_KEY = 'topics-user';
export { USER_TOPICS_MAX };

/** A user topic as stored and as the options page edits it. */
export type UserTopic = TopicDef & { kind: 'user' };

/** What the options page sends for one topic (validated by `userTopic`). */
export interface UserTopicInput {
  id?: string;
  name: string;
  phrases: string[];
  exclude?: string[];
}

/** The compiled topic set and a stamp that changes whenever it does (for caches). */
export interface TopicSet {
  compiled: CompiledTopics;
  stamp: number;
}

let current: TopicSet | null = null;
let stamp = 0;

/** Stored user topics; anything malformed in storage is dropped, never thrown. */
export async function getUserTopics(db: PaperScoutDB): Promise<UserTopic[]> {
  const value = (await db.settings.get(USER_TOPICS_KEY))?.value;
  if (!Array.isArray(value)) return [];
  const out: UserTopic[] = [];
  for (const v of value.slice(0, USER_TOPICS_MAX)) {
    try {
      const t = v as UserTopicInput;
      out.push(userTopic({ id: t.id, name: t.name, phrases: t.phrases, exclude: t.exclude }));
    } catch {
      // A row this version cannot read: left out of matching, still in storage until replaced.
    }
  }
  return out;
}

/**
 * Replaces the user's topics. Throws (with every problem named) when one is invalid or two share
 * a name; nothing is stored then.
 */
export async function setUserTopics(
  db: PaperScoutDB,
  inputs: UserTopicInput[],
): Promise<UserTopic[]> {
  if (inputs.length > USER_TOPICS_MAX) throw new Error(`At most ${USER_TOPICS_MAX} topics.`);
  const problems: string[] = [];
  const topics: UserTopic[] = [];
  const ids = new Set<string>();
  for (const input of inputs) {
    try {
      const t = userTopic({ name: input.name, phrases: input.phrases, exclude: input.exclude });
      if (ids.has(t.id)) problems.push(`Two topics are named “${t.name}”.`);
      ids.add(t.id);
      topics.push(t);
    } catch (e) {
      problems.push(`“${input.name.slice(0, 40)}”: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (problems.length) throw new Error(problems.join(' '));
  await db.settings.put({ key: USER_TOPICS_KEY, value: topics });
  invalidateTopics();
  return topics;
}

/** The topic set to match cards against (built-in + user), compiled once per change. */
export async function topicSet(db: PaperScoutDB): Promise<TopicSet> {
  if (!current) {
    const user = await getUserTopics(db);
    current ??= { compiled: compileTopics([...BUILTIN_TOPICS, ...user]), stamp: ++stamp };
  }
  return current;
}

/** Forgets the compiled set (the user's topics changed). */
export function invalidateTopics(): void {
  current = null;
}
