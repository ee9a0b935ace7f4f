/**
 * Types of the topic engine (lib/topics). Plain data only: everything here can be stored in
 * IndexedDB and sent in extension messages.
 */

/** What a topic matcher reads of a paper (a subset of `PaperCandidate`, lib/paper.ts). */
export interface TopicPaper {
  title: string;
  abstract?: string;
  /** arXiv categories, primary first (on arXiv cards). */
  categories?: string[];
  /** Site keywords (Hugging Face `ai_keywords`); they count like the title. */
  keywords?: string[];
}

/** A phrase-defined topic: a built-in taxonomy entry (lib/topics/taxonomy.json) or a user topic. */
export interface TopicDef {
  /** Stable id, `[a-z0-9-]+` for built-in topics; user topics get `user:<id>` from the caller. */
  id: string;
  /** Badge text. */
  name: string;
  description?: string;
  /** Strong evidence: one occurrence in the title decides; in the abstract it needs support. */
  phrases: string[];
  /** Weak evidence: counts only together with other evidence. */
  hints?: string[];
  /** Strong evidence that counts only in the title (and keywords). */
  title?: string[];
  /** Phrases that cancel a phrase or hint occurrence they overlap ("diffusion MRI"). */
  exclude?: string[];
  /** Related arXiv categories, most specific first. */
  categories?: string[];
  /** Broad topics ("LLMs") rank after specific ones. */
  broad?: boolean;
}

/** Where a badge comes from. */
export type TopicKind = 'builtin' | 'user' | 'learned';

/** One badge for one paper. */
export interface TopicMatch {
  id: string;
  name: string;
  kind: TopicKind;
  /**
   * Strength of the evidence. Phrase topics: evidence points (≥ the threshold, 3 by default);
   * learned topics: the classifier's probability (≥ the model's threshold).
   */
  score: number;
  /** The words or phrases that decided it, as written on the page; `arXiv cs.RO` for categories. */
  why: string[];
}

/** A learned-topic model (see lib/topics/learned.ts): plain serializable data. */
export interface LearnedModel {
  /** Format version of this object. */
  v: 1;
  /** Feature terms (unigrams, `a b` bigrams, `c:<category>`, `k:<keyword>`). */
  terms: string[];
  /** Inverse document frequency of each term (same order). */
  idf: number[];
  /** Weight of each term (same order). */
  w: number[];
  /** Bias. */
  b: number;
  /** Idf assumed for terms outside `terms` when normalizing a paper's vector. */
  restIdf: number;
  /** Probability at or above which the topic is suggested. */
  threshold: number;
  /** Whether categories and keywords were used as features. */
  meta: boolean;
  /** Whether word pairs were features. */
  bigrams: boolean;
  /** How many positives and negatives it was trained on. */
  trainedOn: { positives: number; negatives: number };
}

/** A learned topic as the caller stores it: the tag it learns and its model. */
export interface LearnedTopic {
  id: string;
  name: string;
  model: LearnedModel;
}
