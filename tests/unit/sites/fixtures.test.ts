// @vitest-environment node
/**
 * Every adapter against every real saved page: the exact list of cards (key, title and the fields
 * each expected file names) must come out, every card must get a mount point, every card's head
 * (what its UI is first mounted from) must name the same paper and title as its full read, and
 * every adapter must have at least one real fixture.
 */
import { describe, expect, it } from 'vitest';
import { canonicalKey } from '../../../lib/paper';
import { ADAPTERS } from '../../../lib/sites/registry';
import { listFixtures, loadDocument, readPage } from './fixture-harness';

const fixtures = listFixtures();

describe('every adapter has a real saved page', () => {
  for (const adapter of ADAPTERS) {
    it(adapter.id, () => {
      expect(fixtures.filter((f) => f.site === adapter.id).length).toBeGreaterThan(0);
    });
  }
});

describe.each(fixtures.map((f) => [`${f.site}/${f.name}`, f] as const))('%s', (_label, f) => {
  const doc = loadDocument(f.htmlPath, f.expected.url);
  const result = readPage(doc, f.expected.url);

  it('is detected as the right site and page kind', () => {
    expect(result.adapter.id).toBe(f.site);
    expect(result.page.kind).toBe(f.expected.kind);
  });

  it('finds exactly the expected cards, in order', () => {
    expect(result.keys).toEqual(f.expected.cards.map((c) => c.key));
  });

  it('reads each card as expected', () => {
    f.expected.cards.forEach((exp, i) => {
      const got = result.candidates[i];
      expect(got, `card ${i}`).toBeTruthy();
      for (const [field, value] of Object.entries(exp)) {
        if (field === 'key') continue;
        expect((got as unknown as Record<string, unknown>)[field], `card ${i} ${field}`).toEqual(
          value,
        );
      }
    });
  });

  it('gives every card a mount point inside or next to the card', () => {
    for (const card of result.cards) {
      expect(result.adapter.mountPoint(card, result.page)).toBeTruthy();
      expect(result.adapter.cardIdentity(card)).toBeTruthy();
    }
  });

  it('reads each card head as the same paper and title as the full read', () => {
    const { adapter, page } = result;
    if (!adapter.readHead) return;
    result.cards.forEach((card, i) => {
      const head = adapter.readHead!(card, page, doc);
      const full = result.candidates[i];
      expect(head === null, `card ${i} null`).toBe(full === null);
      if (!head || !full) return;
      expect(canonicalKey(head), `card ${i} key`).toBe(canonicalKey(full));
      expect(head.title, `card ${i} title`).toBe(full.title);
      expect(head.url, `card ${i} url`).toBe(full.url);
    });
  });
});
