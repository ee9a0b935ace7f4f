/**
 * Seeded fuzzing of import: the import fixtures (tests/fixtures/import) and a backup of a library
 * like the user's, mutated many ways (cut off, lines deleted or doubled, NUL/BOM/lone surrogates,
 * huge fields, braces swapped, numbers made strings, deep nesting, duplicate keys, fields of the
 * wrong type), imported the way the options page imports (components/ExportImport.tsx: parse
 * with a Stager, finish staging, preview, commit) into a library holding saved papers with notes,
 * tags and states. Every file must either import or fail with a message a person can read; the
 * library's notes, tags, states and saved times must survive, and every stored record must keep
 * the shape the rest of the extension relies on.
 *
 * FUZZ_SEEDS=5000 npx vitest run tests/unit/exchange-fuzz.test.ts runs more seeds;
 * FUZZ_SEED=123 replays one.
 */
import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PaperRecord, PaperScoutDB } from '../../lib/db';
import { BACKUP_FORMAT, readTables, serializeBackup } from '../../lib/exchange/backup';
import { ExchangeError } from '../../lib/exchange/errors';
import {
  Stager,
  cancelImport,
  commitImport,
  decodeImportBytes,
  finishStaging,
  parseImport,
  previewImport,
} from '../../lib/exchange/import';
import { ARXIV_ID } from '../../lib/limits';
import { dump, envOf, importText, newDb, paper, sender } from './exchange-helpers';
import { rng, type Rng } from './seeded';

const NOW = 1_800_000_000_000;
const DIRS = ['tests/fixtures/import/handwritten', 'tests/fixtures/import/broken'];
/** Largest mutated file tried (the page reads up to 512 MB; these stay fast). */
const MAX_INPUT_CHARS = 3_000_000;
/** One import taking longer than this is a hang. */
const IMPORT_TIMEOUT_MS = 10_000;

/** The user's library before each import. */
const LIBRARY: PaperRecord[] = [
  paper({
    id: 'arxiv:1706.03762',
    arxivId: '1706.03762',
    title: 'Attention Is All You Need',
    titleKey: 'attention is all you need',
    urls: { arxiv: 'https://arxiv.org/abs/1706.03762' },
    savedAt: 1_700_000_100_000,
    savedFrom: 'arxiv',
    state: 'reading',
    stateAt: 1_700_000_200_000,
    note: 'Section 3.2 is the key part.',
    noteAt: 1_700_000_300_000,
    tags: ['thesis', 'transformers'],
    tagsAt: 1_700_000_300_000,
    updatedAt: 1_700_000_300_000,
  }),
  paper({
    id: 'title:highly accurate protein structure prediction with alphafold',
    title: 'Highly accurate protein structure prediction with AlphaFold',
    titleKey: 'highly accurate protein structure prediction with alphafold',
    savedAt: 1_700_000_400_000,
    savedFrom: 'scholar',
    state: 'to-read',
    stateAt: 1_700_000_400_000,
    note: 'Ask Ben about the MSA step.',
    noteAt: 1_700_000_450_000,
    tags: ['biology'],
    tagsAt: 1_700_000_450_000,
    updatedAt: 1_700_000_450_000,
  }),
  paper({
    id: 'doi:10.18653/v1/n19-1423',
    doi: '10.18653/v1/n19-1423',
    aclId: 'N19-1423',
    aliases: ['acl:N19-1423'],
    title: 'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding',
    titleKey: 'bert pre training of deep bidirectional transformers for language understanding',
    savedAt: 1_700_000_500_000,
    state: 'done',
    stateAt: 1_700_000_600_000,
    tags: ['nlp'],
    tagsAt: 1_700_000_600_000,
    updatedAt: 1_700_000_600_000,
  }),
  paper({
    id: 'arxiv:2401.00001',
    arxivId: '2401.00001',
    title: 'A Paper No File Names',
    titleKey: 'a paper no file names',
    savedAt: 1_700_000_700_000,
    state: 'inbox',
    note: 'Only here.',
    noteAt: 1_700_000_700_000,
    updatedAt: 1_700_000_700_000,
  }),
  paper({ id: 'arxiv:2401.00002', arxivId: '2401.00002', title: 'Seen Only Paper Here' }),
];

async function fillLibrary(db: PaperScoutDB): Promise<void> {
  await db.papers.bulkPut(structuredClone(LIBRARY));
  await db.rules.put({
    id: 'r1',
    name: 'Diffusion',
    kind: 'words',
    terms: ['diffusion'],
    exclude: [],
    color: '#aa0000',
    paused: false,
    createdAt: 1,
    updatedAt: 1,
  });
}

/**
 * A backup of another browser's library: some of the same papers (other notes, older and newer
 * stamps), others, sightings, a rule, settings.
 */
async function otherBrowserBackup(): Promise<string> {
  const db = await newDb();
  await db.papers.bulkPut([
    paper({
      id: 'arxiv:1706.03762',
      arxivId: '1706.03762',
      title: 'Attention Is All You Need',
      titleKey: 'attention is all you need',
      urls: { arxiv: 'https://arxiv.org/abs/1706.03762' },
      savedAt: 1_690_000_000_000,
      note: 'older note from the laptop',
      noteAt: 1_690_000_000_000,
      tags: ['laptop'],
      tagsAt: 1_690_000_000_000,
      updatedAt: 1_690_000_000_000,
    }),
    paper({
      id: 'arxiv:2301.00303',
      arxivId: '2301.00303',
      title: 'Some Other Paper Entirely',
      titleKey: 'some other paper entirely',
      savedAt: 1_695_000_000_000,
      state: 'to-read',
      stateAt: 1_695_000_000_000,
      note: 'laptop note',
      noteAt: 1_695_000_000_000,
      tags: ['x', 'y'],
      tagsAt: 1_695_000_000_000,
    }),
    paper({
      id: 'title:a seen paper with a long title',
      titleKey: 'a seen paper with a long title',
    }),
  ]);
  await db.sightings.put({
    paperId: 'arxiv:2301.00303',
    url: 'https://arxiv.org/list/cs.LG/new',
    site: 'arxiv',
    firstAt: 1,
    lastAt: 2,
    count: 3,
  });
  await db.rules.put({
    id: 'r2',
    name: 'Graphs',
    kind: 'words',
    terms: ['graph'],
    exclude: ['chart'],
    color: '#00aa00',
    paused: false,
    createdAt: 1,
    updatedAt: 1,
  });
  await db.settings.bulkPut([
    { key: 'historyEnabled', value: true },
    { key: 'historyCap', value: 5000 },
  ]);
  const text = serializeBackup(db, await readTables(db), { scope: 'all', now: new Date(NOW) });
  db.close();
  return text;
}

interface Source {
  name: string;
  text: string;
}

function fixtures(): Source[] {
  return DIRS.flatMap((d) =>
    readdirSync(d)
      .sort()
      .map((f) => ({
        name: f,
        text: decodeImportBytes(new Uint8Array(readFileSync(`${d}/${f}`))),
      })),
  );
}

// ---------------------------------------------------------------------------------------------
// Mutations

const FIELDS = [
  'id',
  'aliases',
  'title',
  'titleKey',
  'authors',
  'note',
  'noteAt',
  'tags',
  'tagsAt',
  'state',
  'stateAt',
  'savedAt',
  'firstSeenAt',
  'lastSeenAt',
  'updatedAt',
  'urls',
  'year',
  'arxivId',
  'doi',
  'paperId',
  'key',
  'value',
  'terms',
  'count',
  'type',
  'author',
  'issued',
  'DOI',
  'URL',
  'keyword',
  'citation-key',
  'version',
  'tables',
  'format',
  'database',
  '__proto__',
  'constructor',
];
const VALUES = [
  '5',
  '-1',
  '1e400',
  '0.5',
  'null',
  'true',
  '""',
  '"x"',
  '"NaN"',
  '[]',
  '[1,2]',
  '["a",5]',
  '{}',
  '{"a":1}',
  '{"date-parts":[["x"]]}',
  '[{"family":5}]',
  '"\\u0000"',
  '"\\ud800"',
  '"arxiv:"',
  '"arxiv:not an id"',
  '"doi:"',
  '"javascript:alert(1)"',
  '9007199254740993',
];
const ODD = ['\u0000', '\uFEFF', '\uD800', '\uDC00', '\uDBFF\uDFFF', '\r', '\u2028', '}', '{'];

/** A random position of `text`, or one just after an occurrence of `what`. */
function at(r: Rng, text: string, what?: RegExp): number {
  if (what) {
    const hits = [...text.matchAll(what)].map((m) => m.index + m[0].length);
    if (hits.length) return r.pick(hits);
  }
  return r.int(text.length + 1);
}
const insert = (text: string, i: number, s: string) => text.slice(0, i) + s + text.slice(i);

type Mutation = (r: Rng, text: string) => string;
const MUTATIONS: Record<string, Mutation> = {
  truncate: (r, t) => t.slice(0, r.int(t.length)),
  deleteLines: (r, t) => {
    const lines = t.split('\n');
    const i = r.int(lines.length);
    lines.splice(i, 1 + r.int(3));
    return lines.join('\n');
  },
  duplicateLines: (r, t) => {
    const lines = t.split('\n');
    const i = r.int(lines.length);
    lines.splice(i, 0, ...lines.slice(i, i + 1 + r.int(4)));
    return lines.join('\n');
  },
  oddCharacter: (r, t) => insert(t, r.chance(0.2) ? 0 : at(r, t), r.pick(ODD)),
  hugeField: (r, t) => {
    const s = r
      .pick(['x', 'é ', '{', '\\', ' and ', '"', '\uD800', 'a,'])
      .repeat(1 + r.int(300_000));
    return insert(t, at(r, t, r.chance(0.7) ? /[{"=]|- /g : undefined), s);
  },
  swapBraces: (r, t) => {
    const i = at(r, t, /[{}[\]()]/g) - 1;
    const c = t[i];
    const to: Record<string, string> = {
      '{': '}',
      '}': '{',
      '[': ']',
      ']': '[',
      '(': ')',
      ')': '(',
    };
    return c && to[c] ? t.slice(0, i) + to[c] + t.slice(i + 1) : t;
  },
  numberToString: (r, t) => {
    const hits = [...t.matchAll(/-?\d+(\.\d+)?/g)];
    if (!hits.length) return t;
    const m = r.pick(hits);
    const q = r.pick(['"', '{', '']);
    const close = q === '{' ? '}' : q;
    const v = r.pick([
      `${q}${m[0]}${close}`,
      '1e309',
      '-5',
      '0',
      '99999999999999999999',
      m[0] + m[0],
    ]);
    return t.slice(0, m.index) + v + t.slice(m.index + m[0].length);
  },
  deepNesting: (r, t) => {
    const n = r.pick([50, 1_000, 20_000, 200_000]);
    const [o, c] = r.pick([
      ['[', ']'],
      ['{"a":', '}'],
      ['{', '}'],
    ]);
    const nest = o.repeat(n) + '1' + c.repeat(n);
    // In JSON a new field holding the nest (the file stays valid); elsewhere anywhere.
    if (r.chance(0.6) && /^\s*[[{]/.test(t))
      return insert(t, at(r, t, /\{(?=\s*")/g), `"deep": ${nest}, `);
    return insert(t, at(r, t, /:\s*|=\s*/g), nest);
  },
  duplicateKey: (r, t) => {
    const hits = [...t.matchAll(/"([^"\\]{1,40})"\s*:/g)];
    if (!hits.length) return t;
    const m = r.pick(hits);
    return insert(t, m.index, `"${m[1]}": ${r.pick(VALUES)}, `);
  },
  wrongType: (r, t) => {
    // Last one wins in JSON: the field is set again just before an object's end.
    const i = at(r, t, /(?=\})/g);
    const f = r.pick(FIELDS);
    if (t.trimStart().startsWith('{') || t.trimStart().startsWith('['))
      return insert(t, i, `, "${f}": ${r.pick(VALUES)}`);
    if (/^TY {2}-/m.test(t)) {
      const tag = r.pick(['TI', 'AU', 'PY', 'DO', 'UR', 'KW', 'N1', 'ID', 'T1', 'Y1', 'ER', 'TY']);
      return insert(t, at(r, t, /\n/g), `${tag}  - ${r.pick(VALUES)}\n`);
    }
    return insert(
      t,
      at(r, t, /,\s*\n/g),
      `  ${f} = ${r.pick(['{', '"', ''])}${r.pick(VALUES)}},\n`,
    );
  },
  randomBytes: (r, t) => {
    let out = t;
    for (let k = 0; k < 1 + r.int(8); k++) {
      const i = r.int(out.length + 1);
      out = out.slice(0, i) + String.fromCharCode(r.int(0x3000)) + out.slice(i + 1);
    }
    return out;
  },
  spliceOther: (r, t) => t, // replaced below (needs the other sources)
};

/** JSON values of the wrong type, odd strings and deep nests (as parsed values). */
function oddValue(r: Rng): unknown {
  switch (r.int(8)) {
    case 0:
      return JSON.parse(r.pick(VALUES)) as unknown;
    case 1: {
      let v: unknown = 1;
      for (let k = r.pick([10, 500, 2_000]); k > 0; k--) v = r.chance(0.5) ? [v] : { a: v };
      return v;
    }
    case 2:
      return r.pick(['x', '\uD800', '\u0000', 'é', '{']).repeat(r.pick([1, 300, 5_000, 300_000]));
    case 3:
      return Array.from({ length: r.pick([2, 1_001, 20_000]) }, (_, i) => `t${i}`);
    case 4:
      return r.pick([-1, 0, 1e15, 1.5, Number.MAX_SAFE_INTEGER, -0]);
    case 5:
      return r.pick(['arxiv:2401.00001', 'arxiv:1706.03762', 'doi:10.1000/X', 'title:a b c', 'x:']);
    case 6:
      return Object.fromEntries(Array.from({ length: r.pick([3, 2_000]) }, (_, i) => [`k${i}`, i]));
    default:
      return r.pick([null, true, false, {}, [], '']);
  }
}

/** Every object and array inside `v` (a parsed file), with `v` itself. */
function containers(v: unknown, out: (Record<string, unknown> | unknown[])[] = [], depth = 0) {
  if (typeof v !== 'object' || v === null || depth > 20) return out;
  out.push(v as Record<string, unknown>);
  for (const x of Object.values(v)) containers(x, out, depth + 1);
  return out;
}

/** Changes a parsed JSON file: a field's value of the wrong type, a key dropped or added, a row doubled. */
function mutateJson(r: Rng, data: unknown): unknown {
  const all = containers(data);
  const steps = 1 + r.int(3);
  for (let s = 0; s < steps && all.length; s++) {
    const c = r.pick(all);
    if (Array.isArray(c)) {
      if (!c.length || r.chance(0.3)) c.push(oddValue(r));
      else if (r.chance(0.5)) c.splice(r.int(c.length + 1), 0, structuredClone(c[r.int(c.length)]));
      else c[r.int(c.length)] = oddValue(r);
      continue;
    }
    const keys = Object.keys(c);
    const k = keys.length && r.chance(0.7) ? r.pick(keys) : r.pick(FIELDS);
    if (r.chance(0.15)) delete c[k];
    else if (k === '__proto__')
      Object.defineProperty(c, k, { value: oddValue(r), enumerable: true });
    else c[k] = oddValue(r);
  }
  return data;
}

function mutate(r: Rng, sources: Source[]): Source {
  const base = r.pick(sources);
  let text = base.text;
  const names = Object.keys(MUTATIONS);
  const steps = 1 + r.int(3);
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  if (json !== undefined && r.chance(0.6)) {
    text = JSON.stringify(mutateJson(r, json), null, r.chance(0.5) ? 2 : undefined);
    if (text.length > MAX_INPUT_CHARS) text = text.slice(0, MAX_INPUT_CHARS);
    if (r.chance(0.7)) return { name: base.name, text };
  }
  for (let s = 0; s < steps; s++) {
    const name = r.pick(names);
    if (name === 'spliceOther') {
      const other = r.pick(sources).text;
      text = insert(text, r.int(text.length + 1), other.slice(r.int(other.length)));
    } else text = MUTATIONS[name]!(r, text);
    if (text.length > MAX_INPUT_CHARS) text = text.slice(0, MAX_INPUT_CHARS);
  }
  // The file name says the kind sometimes, sometimes not (detection is by content).
  const name = r.chance(0.8) ? base.name : r.pick(['file.txt', 'x.json', 'y.bib', 'z.ris', '']);
  return { name, text };
}

// ---------------------------------------------------------------------------------------------
// The import as the options page runs it, and the checks

/** Engine error texts a person must never see in place of a message. */
const ENGINE_ERROR =
  /TypeError|RangeError|ReferenceError|SyntaxError: (?!.*line)|is not a function|is not iterable|Cannot read propert|Cannot convert|undefined|\[object |Maximum call stack|Invalid message|DataCloneError|could not be cloned|DataError|ConstraintError|Unexpected end of JSON input$/;

type Outcome = { ok: true } | { ok: false; error: unknown };

async function importAsThePageDoes(db: PaperScoutDB, text: string, name: string): Promise<Outcome> {
  const send = sender(envOf(db));
  const stager = new Stager(send);
  let importId: string | undefined;
  try {
    const parsed = await parseImport(text, name, { stager, now: NOW });
    importId = await finishStaging(stager, parsed);
    await previewImport(importId, parsed, send);
    await commitImport(importId, parsed, send);
    return { ok: true };
  } catch (error) {
    if (importId) await cancelImport(importId, send);
    else await stager.cancel();
    return { ok: false, error };
  }
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms (a hang)`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e as Error)),
    );
  });

const PAPER_KEY = /^[a-z][a-z0-9-]*:\S/;
const TIME_FIELDS = ['firstSeenAt', 'lastSeenAt', 'updatedAt'] as const;
const OPTIONAL_TIMES = ['savedAt', 'noteAt', 'tagsAt', 'stateAt'] as const;
const STATES = new Set(['inbox', 'to-read', 'reading', 'done']);

/** What is wrong with a stored paper (empty when nothing). */
function recordProblems(p: Record<string, unknown>): string[] {
  const bad: string[] = [];
  const id = p.id;
  if (typeof id !== 'string' || !PAPER_KEY.test(id)) bad.push(`id ${JSON.stringify(id)}`);
  else if (id.startsWith('arxiv:') && !ARXIV_ID.test(id.slice(6))) bad.push(`arXiv id ${id}`);
  if (
    !Array.isArray(p.aliases) ||
    !p.aliases.every((a) => typeof a === 'string' && PAPER_KEY.test(a))
  )
    bad.push(`aliases ${JSON.stringify(p.aliases)}`);
  if (typeof p.titleKey !== 'string') bad.push(`titleKey ${JSON.stringify(p.titleKey)}`);
  if (typeof p.title !== 'string') bad.push('title');
  if (!Array.isArray(p.authors) || !p.authors.every((a) => typeof a === 'string'))
    bad.push('authors');
  if (typeof p.urls !== 'object' || p.urls === null || Array.isArray(p.urls)) bad.push('urls');
  for (const f of TIME_FIELDS) if (!Number.isFinite(p[f])) bad.push(`${f} ${String(p[f])}`);
  for (const f of OPTIONAL_TIMES)
    if (p[f] !== undefined && !Number.isFinite(p[f])) bad.push(`${f} ${String(p[f])}`);
  if (p.note !== undefined && typeof p.note !== 'string') bad.push('note');
  if (
    p.tags !== undefined &&
    !(Array.isArray(p.tags) && p.tags.every((t) => typeof t === 'string'))
  )
    bad.push('tags');
  if (p.state !== undefined && !STATES.has(p.state as string)) bad.push(`state ${String(p.state)}`);
  return bad;
}

/**
 * What the library lost: each paper it had is found (by id or alias) with its note, tags, state
 * and saved time — unless a newer change of that field came with the file (a backup's newer
 * note wins, as it does between two browsers).
 */
function lostProblems(after: PaperRecord[]): string[] {
  const bad: string[] = [];
  for (const before of LIBRARY) {
    const now = after.find((p) => p.id === before.id || p.aliases.includes(before.id));
    if (!now) {
      bad.push(`${before.id} is gone`);
      continue;
    }
    const w = `${before.id} (now ${now.id})`;
    if (before.note && !(now.note?.includes(before.note) || (now.noteAt ?? 0) > before.noteAt!))
      bad.push(`${w}: note ${JSON.stringify(now.note)}`);
    if (
      before.tags &&
      !(
        before.tags.every((t) => now.tags?.some((x) => x.toLowerCase() === t.toLowerCase())) ||
        (now.tagsAt ?? 0) > before.tagsAt!
      )
    )
      bad.push(`${w}: tags ${JSON.stringify(now.tags)}`);
    if (before.state && now.state !== before.state && !((now.stateAt ?? 0) > (before.stateAt ?? 0)))
      bad.push(`${w}: state ${String(now.state)}`);
    if (
      before.savedAt !== undefined &&
      !(typeof now.savedAt === 'number' && now.savedAt <= before.savedAt)
    )
      bad.push(`${w}: savedAt ${String(now.savedAt)}`);
  }
  return bad;
}

/** Everything wrong after importing case `seed` (empty when nothing). */
async function runCase(seed: number, sources: Source[]): Promise<string[]> {
  const r = rng(seed);
  const input = mutate(r, sources);
  const db = await newDb();
  try {
    await fillLibrary(db);
    const problems: string[] = [];
    const outcome = await withTimeout(
      importAsThePageDoes(db, input.text, input.name),
      IMPORT_TIMEOUT_MS,
      'import',
    ).catch((error: unknown): Outcome => ({ ok: false, error }));
    if (process.env.FUZZ_LOG)
      appendFileSync(
        process.env.FUZZ_LOG,
        `${seed}\t${input.name}\t${
          outcome.ok
            ? 'OK'
            : String((outcome.error as Error)?.message)
                .slice(0, 200)
                .replace(/\s+/g, ' ')
        }\n`,
      );
    if (!outcome.ok) {
      const e = outcome.error;
      const message = e instanceof Error ? e.message : String(e);
      if (!(e instanceof ExchangeError))
        problems.push(`threw ${(e as Error)?.name ?? typeof e}: ${message.slice(0, 300)}`);
      else if (!message.trim() || ENGINE_ERROR.test(message))
        problems.push(`unclear message: ${message.slice(0, 300)}`);
    }
    const after = await db.papers.toArray();
    for (const p of after) {
      const bad = recordProblems(p as unknown as Record<string, unknown>);
      if (bad.length) problems.push(`stored ${String(p.id).slice(0, 80)}: ${bad.join(', ')}`);
    }
    problems.push(...lostProblems(after));
    if (!(await db.rules.get('r1'))) problems.push('rule r1 is gone');
    return problems.map((p) => `seed ${seed} (${input.name}, ${input.text.length} chars): ${p}`);
  } finally {
    db.close();
  }
}

const SEEDS = Number(process.env.FUZZ_SEEDS ?? 300);
const ONE = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

describe('fuzzed import files', () => {
  it(
    `${ONE === undefined ? SEEDS : 1} mutated files each import or fail with a clear message, and the library keeps what it had`,
    async () => {
      const sources = [
        ...fixtures(),
        { name: 'laptop.backup.json', text: await otherBrowserBackup() },
      ];
      const problems: string[] = [];
      const seeds = ONE === undefined ? Array.from({ length: SEEDS }, (_, i) => i + 1) : [ONE];
      for (const seed of seeds) problems.push(...(await runCase(seed, sources)));
      expect(problems.slice(0, 30)).toEqual([]);
    },
    Math.max(60_000, SEEDS * 2_000),
  );
});

/** Each case the fuzzer found, as the smallest file that shows it. */
describe('files the fuzzer found', () => {
  const backup = (tables: Record<string, unknown[]>) =>
    JSON.stringify({ format: BACKUP_FORMAT, version: 1, tables });
  const deep = (n: number) => '['.repeat(n) + '1' + ']'.repeat(n);

  it('a backup row nested 5,000 levels deep is refused by name, not with “Maximum call stack size exceeded”', async () => {
    const db = await newDb();
    await fillLibrary(db);
    const before = await dump(db);
    const row = JSON.stringify(paper({ id: 'arxiv:2401.00009', arxivId: '2401.00009' }));
    const text = backup({ papers: [] }).replace(
      '"papers":[]',
      `"papers":[${row.replace(/}$/, `,"extra":${deep(5_000)}}`)}]`,
    );
    const e = await importText(db, text, 'deep.backup.json').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExchangeError);
    expect((e as Error).message).toBe(
      'Row 1 of table "papers" nests values more than 64 levels deep, which no row of Paper Scout does; this file was not written by Paper Scout. Nothing was written.',
    );
    expect(await dump(db)).toEqual(before);
  });

  it('a setting nested 64 levels deep (as deep as a row may be) still imports', async () => {
    const db = await newDb();
    let v: unknown = 1;
    for (let i = 0; i < 63; i++) v = [v];
    await importText(db, backup({ settings: [{ key: 'someone-elses', value: v }] }), 'b.json');
    expect((await db.settings.get('someone-elses'))?.value).toEqual(v);
  });

  it.each([
    ['arxiv:99999999999999999999', 'must be an arXiv id after “arxiv:” (like arxiv:2401.00001)'],
    ['doi:[[[', 'must be a DOI after “doi:” (like doi:10.1000/xyz)'],
  ])(
    'a backup paper whose id is %s (not an arXiv id or DOI) is refused; the same-titled paper keeps its id',
    async (id, why) => {
      const db = await newDb();
      await fillLibrary(db);
      const before = await dump(db);
      const title = 'Highly accurate protein structure prediction with AlphaFold';
      const row = paper({ id, title, titleKey: title.toLowerCase(), updatedAt: 1_800_000_000_000 });
      const e = await importText(db, backup({ papers: [row] }), 'b.backup.json').catch(
        (x: unknown) => x,
      );
      expect((e as Error).message).toBe(`papers row 1 (${id}): id: ${why}. Nothing was written.`);
      expect(await dump(db)).toEqual(before);
    },
  );

  it('an alias that is not an arXiv id is refused too', async () => {
    const db = await newDb();
    const row = paper({ id: 'arxiv:2401.00009', aliases: ['arxiv:2401.00009v2'] });
    const e = await importText(db, backup({ papers: [row] }), 'b.backup.json').catch(
      (x: unknown) => x,
    );
    expect((e as Error).message).toBe(
      'papers row 1 (arxiv:2401.00009): aliases.0: must be an arXiv id after “arxiv:” (like arxiv:2401.00001). Nothing was written.',
    );
    expect(await db.papers.count()).toBe(0);
  });

  it('a backup row without a field it needs says the field is missing, not “received undefined”', async () => {
    const db = await newDb();
    await fillLibrary(db);
    const before = await dump(db);
    const row: Partial<PaperRecord> = paper({ id: 'arxiv:2401.00009', arxivId: '2401.00009' });
    delete row.updatedAt;
    const rule = { ...(await db.rules.get('r1'))!, id: 'r9', paused: 1 };
    const missing = await importText(db, backup({ papers: [row] }), 'b.backup.json').catch(
      (x: unknown) => x,
    );
    expect((missing as Error).message).toBe(
      'papers row 1 (arxiv:2401.00009): updatedAt: is missing (a number is needed). Nothing was written.',
    );
    const wrong = await importText(db, backup({ rules: [rule] }), 'b.backup.json').catch(
      (x: unknown) => x,
    );
    expect((wrong as Error).message).toBe(
      'rules row 1 (r9): paused: must be true or false, not a number. Nothing was written.',
    );
    expect(await dump(db)).toEqual(before);
  });
});
