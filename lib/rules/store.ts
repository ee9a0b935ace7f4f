/**
 * Watch rules in the database: saving and deleting rules, recording which papers match them, and
 * how many highlighted papers are new since the popup was last opened (the toolbar badge).
 */
import type { HitRecord, PaperRecord, PaperScoutDB, RuleRecord } from '../db';
import type { CardHighlight, RuleInput } from '../messages';
import { compileRules, matchPaper, type CompiledRules, type MatchablePaper } from './match';

/** Settings key: when the popup was last opened (ms). */
export const HIGHLIGHTS_READ_AT = 'highlightsReadAt';

let cache: { stamp: string; compiled: CompiledRules } | undefined;

/**
 * Active rules, compiled once per change. The stamp is every rule's id and `updatedAt`: the newest
 * `updatedAt` and the count alone miss an edit made while another rule carries a later time (a
 * clock set back, a rule imported from a machine whose clock ran ahead) and a swap of rules.
 */
export async function activeRules(db: PaperScoutDB): Promise<CompiledRules> {
  const rules = await db.rules.toArray();
  const stamp = rules.map((r) => `${r.id}\u0000${r.updatedAt}`).join('\u0001');
  if (cache?.stamp !== stamp) cache = { stamp, compiled: compileRules(rules) };
  return cache.compiled;
}

/** The parts of a record a rule looks at. */
export function matchable(p: PaperRecord): MatchablePaper {
  return {
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    organization: p.organization,
    categories: p.categories,
    topics: p.topics,
  };
}

/** Rule matches of papers, as cards show them (and records hits for the Highlighted tab). */
export async function highlightPapers(
  db: PaperScoutDB,
  papers: PaperRecord[],
  now: number,
  record: boolean,
): Promise<Map<string, CardHighlight[]>> {
  const compiled = await activeRules(db);
  const out = new Map<string, CardHighlight[]>();
  if (!compiled.rules.some((r) => !r.paused)) return out;
  const byId = new Map(compiled.rules.map((r) => [r.id, r]));
  const rows: HitRecord[] = [];
  for (const p of papers) {
    const hits = matchPaper(compiled, matchable(p));
    if (!hits.length) continue;
    out.set(
      p.id,
      hits.map((h) => {
        const r = byId.get(h.ruleId)!;
        const exclude = r.kind === 'words' && r.exclude.length ? { exclude: r.exclude } : {};
        return { ruleId: r.id, name: r.name, color: r.color, terms: h.terms, ...exclude };
      }),
    );
    for (const h of hits) rows.push({ paperId: p.id, ruleId: h.ruleId, terms: h.terms, at: now });
  }
  if (record && rows.length) {
    const old = await db.hits.bulkGet(rows.map((r) => [r.paperId, r.ruleId] as [string, string]));
    await db.hits.bulkPut(rows.map((r, i) => ({ ...r, at: old[i]?.at ?? r.at })));
  }
  return out;
}

const RULE_ID = () => `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Creates or updates a rule and re-matches every stored paper against it. */
export async function saveRule(
  db: PaperScoutDB,
  input: RuleInput,
  now = Date.now(),
): Promise<RuleRecord> {
  // One transaction: a worker killed half-way leaves the old rule and its hits, never a rule
  // with part of its matches.
  return db.transaction('rw', [db.rules, db.hits, db.papers], () => saveRuleInTx(db, input, now));
}

async function saveRuleInTx(db: PaperScoutDB, input: RuleInput, now: number): Promise<RuleRecord> {
  const existing = input.id ? await db.rules.get(input.id) : undefined;
  const rule: RuleRecord = {
    id: existing?.id ?? input.id ?? RULE_ID(),
    name: input.name.trim(),
    kind: input.kind,
    terms: [...new Set(input.terms.map((t) => t.trim()).filter(Boolean))],
    exclude: [...new Set(input.exclude.map((t) => t.trim()).filter(Boolean))],
    color: input.color.toLowerCase(),
    paused: input.paused,
    createdAt: existing?.createdAt ?? now,
    updatedAt: Math.max(now, (existing?.updatedAt ?? 0) + 1),
  };
  await db.rules.put(rule);
  await rematchRule(db, rule, now);
  return rule;
}

/** Deletes a rule and its hits. */
export async function deleteRule(db: PaperScoutDB, id: string): Promise<void> {
  await db.transaction('rw', db.rules, db.hits, async () => {
    await db.rules.delete(id);
    await db.hits.where('ruleId').equals(id).delete();
  });
}

const CHUNK = 2_000;

/**
 * Re-matches one rule against every stored paper (a new or edited rule also finds papers seen
 * before it existed). Read in chunks, so 100,000 papers never sit in memory at once.
 */
async function rematchRule(db: PaperScoutDB, rule: RuleRecord, now: number): Promise<void> {
  await db.hits.where('ruleId').equals(rule.id).delete();
  if (rule.paused) return;
  const compiled = compileRules([rule]);
  let offset = 0;
  for (;;) {
    const papers = await db.papers.offset(offset).limit(CHUNK).toArray();
    if (!papers.length) break;
    offset += papers.length;
    const rows: HitRecord[] = [];
    for (const p of papers) {
      for (const h of matchPaper(compiled, matchable(p))) {
        // A paper already known when the rule is made is not "new": it counts from its last sighting.
        rows.push({
          paperId: p.id,
          ruleId: rule.id,
          terms: h.terms,
          at: Math.min(now, p.lastSeenAt),
        });
      }
    }
    if (rows.length) await db.hits.bulkPut(rows);
  }
}

/** Papers matched by rules since the popup was last opened (the toolbar badge's number). */
export async function unreadHighlights(db: PaperScoutDB): Promise<number> {
  const readAt = (await db.settings.get(HIGHLIGHTS_READ_AT))?.value;
  const since = typeof readAt === 'number' ? readAt : 0;
  const active = new Set((await db.rules.toArray()).filter((r) => !r.paused).map((r) => r.id));
  const papers = new Set<string>();
  await db.hits
    .where('at')
    .above(since)
    .each((h) => {
      if (active.has(h.ruleId)) papers.add(h.paperId);
    });
  if (!papers.size) return 0;
  // Only papers that exist, as the Highlighted tab lists them: a database written before hits
  // moved with a merged record (fixture dumps v2–v4) still holds hits under the absorbed id.
  return (
    await db.papers
      .where(':id')
      .anyOf([...papers])
      .primaryKeys()
  ).length;
}

/** Marks highlights as read (the popup was opened). */
export async function markHighlightsRead(db: PaperScoutDB, now = Date.now()): Promise<number> {
  await db.settings.put({ key: HIGHLIGHTS_READ_AT, value: now });
  return now;
}
