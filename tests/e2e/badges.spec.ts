/** Topic badges on a real page: up to three per card, named, explained on hover/focus. */
import { expect, hosts, test } from './fixtures';

test('cards of a Hugging Face daily page carry topic badges that explain themselves', async ({
  context,
  serve,
}) => {
  await serve('https://huggingface.co/papers', 'pages/huggingface/daily-papers-2026-07.html');
  const page = await context.newPage();
  await page.goto('https://huggingface.co/papers');
  await expect(hosts(page)).toHaveCount(31);
  await expect(page.locator('paper-scout-card [aria-busy="true"]')).toHaveCount(0);
  const badges = await hosts(page).evaluateAll((els) =>
    els.map((e) =>
      [...(e.shadowRoot?.querySelectorAll('[data-topic]') ?? [])].map((b) => ({
        id: b.getAttribute('data-topic'),
        name: b.textContent,
        why: b.getAttribute('title'),
      })),
    ),
  );
  expect(badges.filter((b) => b.length > 0).length).toBeGreaterThanOrEqual(10);
  for (const card of badges) {
    expect(card.length).toBeLessThanOrEqual(3);
    for (const b of card) {
      expect(b.id).toBeTruthy();
      expect(b.name?.trim().length).toBeGreaterThan(0);
      expect(b.why).toMatch(/because of: .+/);
    }
  }
});
