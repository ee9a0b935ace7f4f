/**
 * What a row of each table may be when it comes from a file (a backup, or papers converted from
 * BibTeX/RIS/CSL-JSON): zod schemas the background checks every staged row against before keeping
 * it. They are as strict as the messages content scripts send (sizes, http(s) links, id formats)
 * and loose about fields they do not know, so a backup written by a newer Paper Scout keeps them.
 *
 * A table of the database without a schema here (one added since) is checked generically: a JSON
 * object of at most GENERIC_ROW_MAX_CHARS, whose link-like fields are http(s). Owners of a table
 * can add a strict schema to TABLE_SCHEMAS. Rows of a table the database does not have are not
 * checked at all: they are skipped (lib/exchange/session.ts).
 */
import { z } from 'zod';
import { countOf, formatCount } from '../count';
import { ARXIV_ID, LIMITS, isHttpUrl } from '../limits';
import { NOTE_MAX, TAGS_MAX, TAG_MAX } from '../readinglist';
import { HIGHLIGHTS_READ_AT } from '../rules/store';
import { LEARNED_TOPICS_KEY, USER_TOPICS_KEY } from '../topics/store';
import { CITATION_KEY } from './citation-key';

const time = z.number().finite().nonnegative().max(1e14);
const count = z.number().int().nonnegative().max(1e10);
const str = (max: number) => z.string().max(max);
const httpUrl = () => str(LIMITS.url).refine(isHttpUrl, 'must be an http(s) URL');
/**
 * Paper keys: `arxiv:…`, `doi:…`, `acl:…`, `title:…` (or a later kind of key). An `arxiv:` or
 * `doi:` key names the paper itself (lib/paper.ts `isCanonical`), and every version made them
 * from an arXiv id or a DOI only (lib/paper.ts `canonicalKey`): a file's `arxiv:99999999999` or
 * `arxiv:[[[…` was stored as a paper's id, and a provisional record of the same title was
 * renamed to it (a real id replaces a provisional one).
 */
const paperKey = str(2_200)
  .regex(/^[a-z][a-z0-9-]*:[\s\S]+$/, 'must be a paper key like arxiv:…')
  .refine(
    (k) => !k.startsWith('arxiv:') || ARXIV_ID.test(k.slice(6)),
    'must be an arXiv id after “arxiv:” (like arxiv:2401.00001)',
  )
  .refine(
    (k) => !k.startsWith('doi:') || /^10\.\d{4,9}\/\S+$/i.test(k.slice(4)),
    'must be a DOI after “doi:” (like doi:10.1000/xyz)',
  );

/** A record may hold the notes and tags of this many joined records (see `note` below). */
const JOINED_MAX = 10;

/** At most this many characters (of JSON) of fields a row's schema does not know, together. */
export const EXTRA_FIELDS_MAX_CHARS = 100_000;

/**
 * A loose row schema whose unknown fields (a newer version's) are kept only while they are small:
 * a hand-made file's 50 MB string or 10,000 odd keys in a paper row would otherwise be stored.
 */
function bounded<S extends z.ZodObject>(schema: S): S {
  const known = new Set(Object.keys(schema.shape));
  return schema.superRefine((row, ctx) => {
    let size = 0;
    for (const k of Object.keys(row)) {
      if (known.has(k)) continue;
      size += k.length + (JSON.stringify(row[k]) ?? '').length;
      if (size > EXTRA_FIELDS_MAX_CHARS) {
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `fields this version does not know are larger than ${formatCount(EXTRA_FIELDS_MAX_CHARS)} characters`,
        });
        return;
      }
    }
  });
}

/** A paper (lib/db.ts `PaperRecord`). */
export const PaperRowSchema = bounded(
  z.looseObject({
    id: paperKey,
    aliases: z.array(paperKey).max(1_000),
    // normalizeTitle decomposes (NFKD): a title's key may be longer than the title, up to 18
    // characters for one (U+FDFA); a 2,000-character title of those made a 36,000-character key,
    // and the library's own backup was then refused whole.
    titleKey: str(LIMITS.title * 18),
    title: str(LIMITS.title),
    abstract: str(LIMITS.abstract).optional(),
    authors: z.array(str(LIMITS.author)).max(LIMITS.authors),
    date: str(LIMITS.date).optional(),
    year: z.number().int().min(0).max(9999).optional(),
    venue: str(LIMITS.venue).optional(),
    upvotes: count.optional(),
    comments: count.optional(),
    citations: count.optional(),
    organization: str(LIMITS.organization).optional(),
    github: httpUrl().optional(),
    categories: z.array(str(LIMITS.category)).max(LIMITS.categories).optional(),
    // A library whose keywords grew past the limit (lib/library.ts `mergeCandidate` once kept
    // every keyword of every visit) keeps the first ones: the backup must restore.
    keywords: z
      .preprocess(
        (v) => (Array.isArray(v) && v.length > LIMITS.keywords ? v.slice(0, LIMITS.keywords) : v),
        z.array(str(LIMITS.keyword)).max(LIMITS.keywords),
      )
      .optional(),
    topics: z.array(str(256)).max(256).optional(),
    arxivId: str(64).regex(ARXIV_ID, 'must be an arXiv id').optional(),
    doi: str(LIMITS.doi).optional(),
    aclId: str(LIMITS.aclId).optional(),
    version: z.number().int().positive().max(1000).optional(),
    urls: z.record(str(64), httpUrl()),
    pdfUrl: httpUrl().optional(),
    savedFrom: str(64).optional(),
    savedAt: time.optional(),
    savedVersion: z.number().int().positive().max(1000).optional(),
    // Two records of one paper joined (lib/library.ts `absorb`) keep both notes and every tag,
    // so a library may hold more than one note or tag list may: its backup must restore.
    note: str(NOTE_MAX * JOINED_MAX).optional(),
    tags: z
      .array(str(TAG_MAX))
      .max(TAGS_MAX * JOINED_MAX)
      .optional(),
    state: z.enum(['inbox', 'to-read', 'reading', 'done']).optional(),
    noteAt: time.optional(),
    tagsAt: time.optional(),
    stateAt: time.optional(),
    /** The citation key a BibTeX import brought (exports keep it). */
    citationKey: str(200).regex(CITATION_KEY, 'must be a BibTeX key').optional(),
    firstSeenAt: time,
    lastSeenAt: time,
    updatedAt: time,
  }),
);

/** A sighting (lib/db.ts `SightingRecord`). */
export const SightingRowSchema = bounded(
  z.looseObject({
    paperId: paperKey,
    url: httpUrl(),
    site: str(64),
    firstAt: time,
    lastAt: time,
    count: count,
  }),
);

/** A listing visit (lib/db.ts `VisitRecord`). */
export const VisitRowSchema = bounded(
  z.looseObject({
    url: httpUrl(),
    loadId: str(64),
    loadAt: time,
    prevLoadAt: time.optional(),
  }),
);

const finite = z.number().finite();
/**
 * A learned topic's model as lib/topics/learned.ts writes it (`LearnedModel`, format 1): one with
 * `idf` missing stopped every page whose cards had one of its terms ("Cannot read properties of
 * undefined").
 */
const LearnedModelSchema = z
  .looseObject({
    v: z.literal(1),
    terms: z.array(str(1_000)).max(10_000),
    idf: z.array(finite).max(10_000),
    w: z.array(finite).max(10_000),
    b: finite,
    restIdf: finite,
    threshold: finite,
    meta: z.boolean(),
    bigrams: z.boolean(),
    trainedOn: z.looseObject({ positives: count, negatives: count }),
  })
  .refine(
    (m) => m.idf.length === m.terms.length && m.w.length === m.terms.length,
    'idf and w must have one number per term',
  );

/**
 * The learned topics (lib/topics/store.ts `getLearnedTopics`): the entries that reader uses (id
 * and name strings, a format-1 model) must be whole; the others it skips, and so may a file.
 */
const LearnedTopicsSchema = z.unknown().superRefine((v, ctx) => {
  if (!Array.isArray(v)) return;
  v.forEach((t: unknown, i) => {
    const e = t as { id?: unknown; name?: unknown; model?: { v?: unknown } } | null;
    if (typeof e?.id !== 'string' || typeof e.name !== 'string' || e.model?.v !== 1) return;
    const r = LearnedModelSchema.safeParse(e.model);
    if (!r.success)
      ctx.addIssue({ code: 'custom', path: [i, 'model'], message: describeZodError(r.error) });
  });
});

/**
 * Values of the settings this version reads, as `settings/set` (lib/messages.ts) and the
 * background write them: a backup's `historyCap: 0` would have pruned every unsaved paper on the
 * next page. Other keys (the user's topics, dismissed papers …) are read defensively by their
 * owners.
 */
const SETTING_VALUES: Record<string, z.ZodType> = {
  historyEnabled: z.boolean(),
  historyCap: z.number().int().min(100).max(10_000_000),
  // lib/library.ts HISTORY_CLEARED_AT (not imported: it would pull the library into this module).
  historyClearedAt: time,
  [HIGHLIGHTS_READ_AT]: time,
  [LEARNED_TOPICS_KEY]: LearnedTopicsSchema,
};

/** Largest value of a setting, in characters of JSON (unless SETTING_MAX_CHARS_OF says). */
export const SETTING_MAX_CHARS = 100_000;
/**
 * Settings this version writes larger than that: a backup holding them must restore. 60 tagged
 * papers made 174,000 characters of learned topics (up to 30 models of 3,000 terms); 100 user
 * topics of 50 phrases and 50 exclusions of 100 characters are ~1 MB; 5,000 dismissed papers
 * under title keys of a few hundred characters ~1–2 MB. Each was refused whole before
 * ("settings row 1: value: is too large. Nothing was written.").
 */
export const SETTING_MAX_CHARS_OF: Record<string, number> = {
  [LEARNED_TOPICS_KEY]: 16_000_000,
  [USER_TOPICS_KEY]: 2_000_000,
  // lib/related/service.ts DISMISSED_KEY (not imported: that module opens its own database).
  'related-dismissed': 12_000_000,
};

/** A setting (lib/db.ts `SettingRecord`): small JSON values only (but see SETTING_MAX_CHARS_OF). */
export const SettingRowSchema = bounded(
  z.looseObject({
    key: str(128).min(1),
    value: z.unknown(),
  }),
).superRefine((row, ctx) => {
  const max = Object.hasOwn(SETTING_MAX_CHARS_OF, row.key)
    ? SETTING_MAX_CHARS_OF[row.key]!
    : SETTING_MAX_CHARS;
  if (JSON.stringify(row.value ?? null).length > max) {
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'is too large' });
    return;
  }
  const schema = Object.hasOwn(SETTING_VALUES, row.key) ? SETTING_VALUES[row.key] : undefined;
  const r = schema?.safeParse(row.value);
  if (r && !r.success) {
    ctx.addIssue({
      code: 'custom',
      path: ['value'],
      message: `is not a valid ${row.key} (${describeZodError(r.error)})`,
    });
  }
});

/**
 * A watch rule (lib/db.ts `RuleRecord`) as lib/rules/store.ts `saveRule` stores one (trimmed, so a
 * name or the term list may be empty): a rule with `terms: 5` stopped every page's cards (the
 * rules compile on each batch), and a hit with `terms: 5` the Highlighted tab.
 */
export const RuleRowSchema = bounded(
  z.looseObject({
    id: str(64).regex(/^[a-zA-Z0-9_-]+$/, 'must be a rule id'),
    name: str(200),
    kind: z.enum(['words', 'author', 'organization', 'topic', 'category']),
    terms: z.array(str(300)).max(100),
    exclude: z.array(str(300)).max(100),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a color like #aa0000'),
    paused: z.boolean(),
    createdAt: time,
    updatedAt: time,
  }),
);

/** A rule's match of a paper (lib/db.ts `HitRecord`): the words as written on the page. */
export const HitRowSchema = bounded(
  z.looseObject({
    paperId: paperKey,
    ruleId: str(64).min(1),
    terms: z.array(str(LIMITS.abstract)).max(10_000),
    at: time,
  }),
);

/** Strict schemas of the tables this version knows. */
export const TABLE_SCHEMAS: Record<string, z.ZodType<Record<string, unknown>>> = {
  papers: PaperRowSchema,
  sightings: SightingRowSchema,
  visits: VisitRowSchema,
  settings: SettingRowSchema,
  rules: RuleRowSchema,
  hits: HitRowSchema,
};

/** Largest row (characters of JSON) of a table checked generically. */
export const GENERIC_ROW_MAX_CHARS = 1_000_000;
const LINK_FIELD = /(^url$|^href$|Url$|Href$|^link$)/;

/** A generic row: a JSON object, not huge, whose link-like fields are http(s) URLs. */
export const GenericRowSchema = z
  .record(z.string().max(256), z.unknown())
  .superRefine((row, ctx) => {
    if (JSON.stringify(row).length > GENERIC_ROW_MAX_CHARS) {
      ctx.addIssue({
        code: 'custom',
        message: `is larger than ${formatCount(GENERIC_ROW_MAX_CHARS)} characters`,
      });
    }
    for (const [k, v] of Object.entries(row)) {
      if (LINK_FIELD.test(k) && v !== undefined && !(typeof v === 'string' && isHttpUrl(v))) {
        ctx.addIssue({ code: 'custom', path: [k], message: 'must be an http(s) URL' });
      }
    }
  });

/** The schema a row of `table` is checked against. */
export function schemaFor(table: string): z.ZodType<Record<string, unknown>> {
  // Own keys only: a backup's table "constructor" or "__proto__" is a table this version does not
  // know (skipped), not Object's constructor (the import failed with "safeParse is not a function").
  return (
    (Object.hasOwn(TABLE_SCHEMAS, table) ? TABLE_SCHEMAS[table] : undefined) ?? GenericRowSchema
  );
}

/** Kinds of JSON value in words, for messages ("must be a number, not text"). */
const KIND_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  nan: 'NaN',
  string: 'text',
  array: 'a list',
  tuple: 'a list',
  record: 'an object',
  object: 'an object',
  map: 'an object',
  boolean: 'true or false',
  null: 'null',
};
const kindWords = (k: string) => (Object.hasOwn(KIND_WORDS, k) ? KIND_WORDS[k]! : k);

/**
 * An issue's message in words a person can act on. zod says "Invalid input: expected number,
 * received undefined" for a missing field: a hand-edited backup's row without `updatedAt` was
 * refused with that ("received undefined" names no fix); it is "is missing (a number is needed)".
 */
function issueWords(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big' || issue.code === 'too_small') return sizeWords(issue);
  if (issue.code !== 'invalid_type') return issue.message;
  const got = /received (\w+)/.exec(issue.message)?.[1];
  const want = kindWords(issue.expected);
  if (got === undefined) return issue.message;
  if (got === 'undefined') return `is missing (${want} is needed)`;
  return `must be ${want}, not ${kindWords(got)}`;
}

/**
 * A value too long, too large or too small, with its bound in the browser's locale: zod's "Too
 * big: expected string to have <=2000 characters" showed "2000" where the page writes "2.000"
 * (German). "is longer than 2,000 characters", "has more than 64 entries", "must be at least 0".
 */
function sizeWords(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  const big = issue.code === 'too_big';
  const bound = Number(big ? issue.maximum : issue.minimum);
  // Inclusive unless zod says otherwise: `.max(n)` allows n, `.lt(n)` does not.
  const inclusive = issue.inclusive !== false;
  if (issue.exact || !Number.isFinite(bound)) return issue.message;
  switch (issue.origin) {
    case 'string': {
      const chars = countOf(bound, 'character');
      if (big) return inclusive ? `is longer than ${chars}` : `must be shorter than ${chars}`;
      if (inclusive && bound === 1) return 'is empty';
      return inclusive ? `is shorter than ${chars}` : `must be longer than ${chars}`;
    }
    case 'array':
    case 'set': {
      const entries = countOf(bound, 'entry', 'entries');
      if (big) return inclusive ? `has more than ${entries}` : `must have fewer than ${entries}`;
      if (inclusive && bound === 1) return 'is an empty list';
      return inclusive ? `has fewer than ${entries}` : `must have more than ${entries}`;
    }
    case 'number':
    case 'int':
    case 'bigint': {
      const n = formatCount(bound);
      if (big) return inclusive ? `must be at most ${n}` : `must be less than ${n}`;
      return inclusive ? `must be at least ${n}` : `must be more than ${n}`;
    }
    default:
      return issue.message;
  }
}

/** "urls.arxiv: must be an http(s) URL" — the first problem of a failed parse, for a person. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'is not valid';
  const path = issue.path.map(String).join('.');
  const message = issueWords(issue);
  return path ? `${path}: ${message}` : message;
}
