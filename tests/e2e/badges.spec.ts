/** Topic badges on a real page: up to three per card, named, explained on hover/focus. */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, hosts, test } from './fixtures';

/** The real 2026-07 Hugging Face daily page (31 cards), every card's state painted. */
async function openDaily(
  context: BrowserContext,
  serve: (url: string, file: string) => Promise<void>,
): Promise<Page> {
  await serve('https://huggingface.co/papers', 'pages/huggingface/daily-papers-2026-07.html');
  const page = await context.newPage();
  await page.goto('https://huggingface.co/papers');
  await expect(hosts(page)).toHaveCount(31);
  await expect(page.locator('paper-scout-card [aria-busy="true"]')).toHaveCount(0);
  return page;
}

test('cards of a Hugging Face daily page carry topic badges that explain themselves', async ({
  context,
  serve,
}) => {
  const page = await openDaily(context, serve);
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

test('a badge is a button; the reading list it opens shows the saved papers on its topic', async ({
  context,
  serve,
  extensionId,
}) => {
  const page = await openDaily(context, serve);
  // The first card with a badge: save it; its badge is a keyboard-reachable button.
  const card = hosts(page)
    .filter({ has: page.locator('[data-topic]') })
    .first();
  const id = await card.getAttribute('data-paper-id');
  const badge = card.locator('[data-topic]').first();
  const topic = await badge.getAttribute('data-topic');
  await card.locator('button[data-action="save"]').click();
  await expect(card.locator('button[data-action="save"]')).toHaveAttribute('aria-pressed', 'true');
  expect(await badge.evaluate((b) => b.tagName)).toBe('BUTTON');
  await expect(badge).toHaveAttribute('aria-label', /Show saved papers on this topic/);
  // Clicking asks the worker to open the popup at popup.html?topic=<id> (headless Chromium opens
  // it where no test can see it), so the test opens that page itself.
  await badge.click();
  await expect(card.locator('[role="alert"]')).toHaveCount(0);
  const popup = await context.newPage();
  await popup.goto(
    `chrome-extension://${extensionId}/popup.html?topic=${encodeURIComponent(topic!)}`,
  );
  await expect(popup.locator('select[data-filter="topic"]')).toHaveValue(topic!);
  const rows = popup.locator('[data-list="saved"] [data-paper-id]');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-paper-id', id!);
  // Another topic: the saved paper is not on it, so the list is empty.
  await popup.goto(`chrome-extension://${extensionId}/popup.html?topic=robotics-zz`);
  await expect(popup.locator('[data-list="saved"] [data-paper-id]')).toHaveCount(0);
});

test('a topic of your own, added in the options page, badges the cards that use its phrases', async ({
  context,
  serve,
  extensionId,
}) => {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  const editor = options.locator('[data-editor="topics"]');
  await editor.getByRole('button', { name: 'Add a topic' }).click();
  await editor.locator('input[name="topic-name"]').fill('Perception & reasoning');
  await editor
    .locator('textarea[name="topic-phrases"]')
    .fill('decoupling perception\nperception rubrics');
  await editor.locator('[data-action="save-topics"]').click();
  await expect(editor.getByRole('status')).toContainText('Saved 1 topic');
  // A topic that cannot match anything is refused with the reason, and nothing is replaced.
  await editor.getByRole('button', { name: 'Add a topic' }).click();
  await editor.locator('input[name="topic-name"]').nth(1).fill('Broken');
  await editor.locator('textarea[name="topic-phrases"]').nth(1).fill('*');
  await editor.locator('[data-action="save-topics"]').click();
  await expect(editor.getByRole('alert')).toContainText('Broken');

  const page = await openDaily(context, serve);
  const mine = page.locator('paper-scout-card [data-topic="user:perception-reasoning"]');
  // "Perceive-to-Reason: Decoupling Perception …" and "PixelEyes: Decoupling Perception …"; not
  // "PerceptionRubrics" (one word, not the phrase), and no other card.
  await expect(mine).toHaveCount(2);
  await expect(mine.first()).toHaveText('Perception & reasoning');
  const ids = await mine.evaluateAll((els) =>
    els.map((e) => (e.getRootNode() as ShadowRoot).host.getAttribute('data-paper-id')),
  );
  expect(ids.sort()).toEqual(['arxiv:2607.00115', 'arxiv:2607.01191']);
});
