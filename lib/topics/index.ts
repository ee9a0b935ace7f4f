/**
 * Topic badges: the public API of lib/topics.
 *
 * - `matchTopics(paper, topics, opts)`: up to 3 badges for a card (built-in, user and learned
 *   topics), each with the words that decided it.
 * - `compileTopics([...BUILTIN_TOPICS, ...userTopics])`: compile once, match many cards.
 * - `trainLearnedTopic(positives, negatives)` → `LearnedModel` (plain data for IndexedDB);
 *   `predictLearned(model, paper)` → `{ score, why }`.
 * - `userTopic({ name, phrases, exclude })`: a validated user topic for the options page.
 */
export type {
  LearnedModel,
  LearnedTopic,
  TopicDef,
  TopicKind,
  TopicMatch,
  TopicPaper,
} from './types.ts';
export {
  compileTopics,
  matchTopics,
  scoreTopics,
  SCORING,
  type CompiledTopics,
  type MatchOptions,
  type TopicSource,
} from './match.ts';
export { predictLearned, trainLearnedTopic, type LearnOptions } from './learned.ts';
export { BUILTIN_TOPICS, builtinTopic, userTopic, validateTopic } from './taxonomy.ts';
