/**
 * The built-in taxonomy (lib/topics/taxonomy.json, reviewed data) and the checks every topic
 * definition passes, built-in or the user's.
 */
import { USER_TOPIC_LIMITS } from '../limits.ts';
import data from './taxonomy.json' with { type: 'json' };
import type { TopicDef } from './types.ts';

/** The built-in topics, in taxonomy order. */
export const BUILTIN_TOPICS: readonly TopicDef[] = data.topics as TopicDef[];

/** The built-in topic with this id. */
export function builtinTopic(id: string): TopicDef | undefined {
  return BUILTIN_TOPICS.find((t) => t.id === id);
}

const ARXIV_CATEGORY = /^[a-z]+(-[a-z]+)?(\.[A-Za-z]{2,}(-[a-z]{2,})?)?$/;

export { USER_TOPIC_LIMITS };

/**
 * Problems with a topic definition; an empty list when it is fine. Checks shapes and sizes, that
 * every phrase has a word, that wildcards (`word*`, `*word`) keep at least 3 letters, and that
 * categories look like arXiv codes.
 */
export function validateTopic(t: TopicDef): string[] {
  const errors: string[] = [];
  if (!t.id || !/^[a-z0-9:_-]+$/.test(t.id)) errors.push(`bad id "${t.id}"`);
  if (!t.name?.trim()) errors.push(`${t.id}: empty name`);
  else if (t.name.length > USER_TOPIC_LIMITS.name) errors.push(`${t.id}: name too long`);
  if (!Array.isArray(t.phrases) || t.phrases.length === 0) errors.push(`${t.id}: no phrases`);
  const lists: Array<[string, readonly string[] | undefined]> = [
    ['phrases', t.phrases],
    ['hints', t.hints],
    ['title', t.title],
    ['exclude', t.exclude],
  ];
  for (const [name, list] of lists) {
    for (const p of list ?? []) {
      if (typeof p !== 'string' || !/[\p{L}\p{N}]/u.test(p)) {
        errors.push(`${t.id}: ${name} entry "${p}" has no word`);
        continue;
      }
      if (p.length > USER_TOPIC_LIMITS.phrase) errors.push(`${t.id}: "${p}" too long`);
      for (const w of p.split(/\s+/)) {
        if (w.includes('*') && w.replace(/\*/g, '').length < 3)
          errors.push(`${t.id}: wildcard "${w}" needs 3 letters`);
        if (/\*\S*\*/.test(w)) errors.push(`${t.id}: "${w}" has two wildcards`);
      }
    }
    const lower = (list ?? []).map((p) => p.toLowerCase());
    const dup = lower.find((p, i) => lower.indexOf(p) !== i);
    if (dup) errors.push(`${t.id}: duplicate ${name} entry "${dup}"`);
  }
  for (const c of t.categories ?? [])
    if (!ARXIV_CATEGORY.test(c)) errors.push(`${t.id}: bad category "${c}"`);
  return errors;
}

/** A short hash of a (lower-cased) topic name, for ids the slug alone cannot tell apart. */
function nameHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/**
 * A user topic from what the options page collects: a name and phrases (one per entry), optional
 * exclusions. Its id is `user:<slug>` unless given. Throws with the problems when invalid.
 */
export function userTopic(input: {
  id?: string;
  name: string;
  phrases: string[];
  exclude?: string[];
}): TopicDef & { kind: 'user' } {
  const clean = (xs: string[] | undefined) =>
    [...new Set((xs ?? []).map((x) => x.trim()).filter(Boolean))].slice(
      0,
      USER_TOPIC_LIMITS.phrases,
    );
  const plain = input.name
    .trim()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const slug =
    plain
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'topic';
  // A name the slug cannot spell (another script, "C++" / "C#") gets a hash of the name too:
  // "图神经网络" and "强化学习" are two topics, not both `user:topic`.
  const lossy = /[^a-z0-9\s\-_.,:;!?'"()[\]/&]/.test(plain);
  const t = {
    id: input.id ?? `user:${lossy ? `${slug}-${nameHash(plain)}` : slug}`,
    name: input.name.trim(),
    phrases: clean(input.phrases),
    exclude: clean(input.exclude),
    kind: 'user' as const,
  };
  const errors = validateTopic(t);
  if (errors.length) throw new Error(errors.join('; '));
  return t;
}
