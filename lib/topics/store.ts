/**
 * The topics the worker matches cards against: the built-in taxonomy plus the user's own topics
 * (options page), stored in the library's settings table (`topics-user`). Compiled once and kept
 * while the worker lives; a change recompiles (and the tabs ask for their cards' badges again).
 */
import type { PaperRecord, PaperScoutDB } from '../db';
import { USER_TOPICS_MAX } from '../limits';
import { trainLearnedTopic } from './learned';
import { compileTopics, type CompiledTopics } from './match';
import { BUILTIN_TOPICS, userTopic } from './taxonomy';
import type { LearnedTopic, TopicDef } from './types';

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

/** Settings key of the learned topics (one model per tag with enough papers). */
export const LEARNED_TOPICS_KEY = 'topics-learned';
/** Settings key of what the learned topics were trained on (a hash of tags and their papers). */
const LEARNED_SIGNATURE_KEY = 'topics-learned-signature';

/** A 32-bit FNV-1a hash, as hex. */
function hashString(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

/** A tag is learned once this many saved papers carry it (issue 5). */
export const LEARN_MIN_PAPERS = 5;
/** At most this many tags are learned (the most used ones). */
const LEARN_MAX_TAGS = 30;
/** Positives and negatives per model, at most (training on 1,000 papers takes ~0.1 s). */
const LEARN_MAX_EXAMPLES = 1_000;

/** The compiled topic set (built-in and user topics), the learned ones, and a stamp for caches. */
export interface TopicSet {
  compiled: CompiledTopics;
  learned: LearnedTopic[];
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
    const learned = await getLearnedTopics(db);
    current ??= {
      compiled: compileTopics([...BUILTIN_TOPICS, ...user]),
      learned,
      stamp: ++stamp,
    };
  }
  return current;
}

/** Forgets the compiled set (the user's topics changed). */
export function invalidateTopics(): void {
  current = null;
}

/** Stored learned topics; a malformed row is ignored. */
export async function getLearnedTopics(db: PaperScoutDB): Promise<LearnedTopic[]> {
  const value = (await db.settings.get(LEARNED_TOPICS_KEY))?.value;
  if (!Array.isArray(value)) return [];
  return value.filter(
    (t): t is LearnedTopic =>
      typeof t?.id === 'string' &&
      typeof t?.name === 'string' &&
      t?.model?.v === 1 &&
      Array.isArray(t.model.terms) &&
      Array.isArray(t.model.w),
  );
}

/** The learned-topic id of a tag (its badges carry it as `data-topic`). */
export const learnedId = (tag: string): string => `tag:${tag}`;

const paperText = (p: PaperRecord) => ({
  title: p.title,
  abstract: p.abstract,
  categories: p.categories,
  keywords: p.keywords,
});

/**
 * (Re)trains a learned topic for every tag with at least `LEARN_MIN_PAPERS` saved papers:
 * positives are its papers, negatives the other saved papers and, when those are few, recently
 * seen ones. Stores the models and makes the next cards use them. Returns the tags learned.
 * `onTrained` is told once new models are stored (not when the tagged papers are as at the last
 * training): the stored papers' topics, which topic watch rules and the reading list's topic
 * filter read, are then matched again (lib/background/start.ts: refreshTopics).
 */
export async function learnTopics(db: PaperScoutDB, onTrained?: () => void): Promise<string[]> {
  const saved = await db.papers.where('savedAt').above(0).toArray();
  // A tag is one tag whatever its case (as the reading list's tag filter and the tag box have
  // it): "Diffusion" and "diffusion" are learned together, under the spelling used first.
  const byTag = new Map<string, PaperRecord[]>();
  const spelling = new Map<string, string>();
  for (const p of saved)
    for (const t of new Set((p.tags ?? []).map((x) => x.toLowerCase()))) {
      byTag.set(t, [...(byTag.get(t) ?? []), p]);
      if (!spelling.has(t))
        spelling.set(
          t,
          p.tags!.find((x) => x.toLowerCase() === t)!,
        );
    }
  const hasTag = (p: PaperRecord, t: string) => !!p.tags?.some((x) => x.toLowerCase() === t);
  const tags = [...byTag]
    .filter(([, ps]) => ps.length >= LEARN_MIN_PAPERS)
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, LEARN_MAX_TAGS);
  // Nothing to do when the tagged papers are the same as at the last training (a save or a note
  // that touched no tag of 5+ papers).
  const signature = hashString(
    tags
      .map(
        ([t, ps]) =>
          `${t}\u0000${ps
            .map((p) => p.id)
            .sort()
            .join(',')}`,
      )
      .join('\u0001'),
  );
  const last = (await db.settings.get(LEARNED_SIGNATURE_KEY))?.value;
  if (last === signature) return tags.map(([t]) => spelling.get(t)!);
  let seen: PaperRecord[] | null = null;
  const models: LearnedTopic[] = [];
  for (const [tag, papers] of tags) {
    let negatives = saved.filter((p) => !hasTag(p, tag));
    if (negatives.length < 200) {
      seen ??= await db.papers.orderBy('lastSeenAt').reverse().limit(LEARN_MAX_EXAMPLES).toArray();
      negatives = [...negatives, ...seen.filter((p) => !hasTag(p, tag) && p.savedAt === undefined)];
    }
    if (!negatives.length) continue;
    const model = trainLearnedTopic(
      papers.slice(0, LEARN_MAX_EXAMPLES).map(paperText),
      negatives.slice(0, LEARN_MAX_EXAMPLES).map(paperText),
    );
    const name = spelling.get(tag)!;
    models.push({ id: learnedId(name), name, model });
    await new Promise((r) => setTimeout(r, 0)); // let messages through between models
  }
  await db.settings.bulkPut([
    { key: LEARNED_TOPICS_KEY, value: models },
    { key: LEARNED_SIGNATURE_KEY, value: signature },
  ]);
  invalidateTopics();
  onTrained?.();
  return models.map((m) => m.name);
}

let learnTimer: ReturnType<typeof setTimeout> | undefined;

/** Tags changed: learn again a moment later (one run for a burst of changes), in the background. */
export function scheduleLearning(
  db: PaperScoutDB,
  delayMs = 2_000,
  /** Told when new models were stored (see learnTopics). */
  onTrained?: () => void,
): void {
  if (learnTimer) clearTimeout(learnTimer);
  learnTimer = setTimeout(() => {
    learnTimer = undefined;
    learnTopics(db, onTrained).catch((e: unknown) =>
      console.warn('Paper Scout: learning topics failed', e),
    );
  }, delayMs);
}
