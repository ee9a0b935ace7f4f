/**
 * Watch rules in the background: cards carry their rule matches, new rules find papers seen
 * before, the toolbar count follows the popup's last opening, a card can make a rule in one step.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { handleMessage, type RouterEnv } from '../../lib/background/router';
import { recordCards } from '../../lib/library';
import type { PageInfo, WireCandidate } from '../../lib/messages';
import { markHighlightsRead, saveRule, unreadHighlights } from '../../lib/rules/store';

let db: PaperScoutDB;
let n = 0;
beforeEach(async () => {
  db = new PaperScoutDB(`rules-${n++}`);
  await db.open();
});

const page: PageInfo = {
  url: 'https://arxiv.org/list/cs.LG/new',
  site: 'arxiv',
  kind: 'list-new',
  listing: true,
  loadId: 'x',
};
const card = (id: string, title: string, over: Partial<WireCandidate> = {}): WireCandidate => ({
  arxivId: id,
  title,
  url: `https://arxiv.org/abs/${id}`,
  ...over,
});
const words = (terms: string[], exclude: string[] = []) => ({
  name: terms[0]!,
  kind: 'words' as const,
  terms,
  exclude,
  color: '#aa3300',
  paused: false,
});

describe('watch rules in the library', () => {
  it('cards carry the rules they match, with the matched words', async () => {
    const rule = await saveRule(db, words(['diffusion'], ['diffusion MRI']), 1);
    const states = await recordCards(db, page, [
      card('2401.00001', 'Diffusion Policies for Robots'),
      card('2401.00002', 'Diffusion MRI at Scale'),
      card('2401.00003', 'Sparse Autoencoders', { authors: ['Sergey Levine'] }),
    ]);
    expect(states.map((s) => s.highlights)).toEqual([
      [
        {
          ruleId: rule.id,
          name: 'diffusion',
          color: '#aa3300',
          terms: ['Diffusion'],
          exclude: ['diffusion MRI'],
        },
      ],
      [],
      [],
    ]);
  });

  it('a new rule finds papers seen before it existed; pausing and deleting clear them', async () => {
    await recordCards(
      db,
      page,
      [card('2401.00003', 'Offline RL', { authors: ['S. Levine', 'A. B'] })],
      10,
    );
    const rule = await saveRule(db, {
      name: 'Levine',
      kind: 'author',
      terms: ['Sergey Levine'],
      exclude: [],
      color: '#123456',
      paused: false,
    });
    expect(await db.hits.toArray()).toEqual([
      { paperId: 'arxiv:2401.00003', ruleId: rule.id, terms: ['S. Levine'], at: 10 },
    ]);
    await saveRule(db, { ...rule, paused: true });
    expect(await db.hits.count()).toBe(0);
  });

  it('counts highlighted papers new since the popup was last opened', async () => {
    await saveRule(db, words(['agents']), 1);
    await recordCards(db, page, [card('2401.00004', 'LLM Agents')], 100);
    expect(await unreadHighlights(db)).toBe(1);
    await markHighlightsRead(db, 200);
    expect(await unreadHighlights(db)).toBe(0);
    await recordCards(db, { ...page, loadId: 'y' }, [card('2401.00005', 'More Agents')], 300);
    // The paper seen again keeps its first match time: only the new one counts.
    await recordCards(db, { ...page, loadId: 'y' }, [card('2401.00004', 'LLM Agents')], 300);
    expect(await unreadHighlights(db)).toBe(1);
  });

  it('a card can create a rule ("watch this"), and tabs are told', async () => {
    const notices: unknown[] = [];
    const env: RouterEnv = {
      db,
      extensionId: 'ext',
      extensionOrigin: 'chrome-extension://ext/',
      notify: (x) => notices.push(x),
    };
    const sender = { id: 'ext', url: 'https://arxiv.org/list/cs.LG/new', tab: { id: 1 } };
    const res = await handleMessage(
      { type: 'rules/save', rule: words(['world models']) },
      sender,
      env,
    );
    expect(res.ok).toBe(true);
    expect(notices).toEqual([{ type: 'rules/changed' }]);
    const bad = await handleMessage(
      { type: 'rules/save', rule: { ...words(['x']), color: 'red;background:url(x)' } },
      sender,
      env,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const del = await handleMessage({ type: 'rules/delete', id: 'r-1' }, sender, env);
    expect(del).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
