/**
 * Hugging Face Papers end to end: the built extension in real Chromium on real saved pages served
 * at their real URLs. What a user sees: one save toggle per card, saving that sticks, the popup.
 */
import { expect, hosts, test, toggleFor } from './fixtures';

const DAILY = 'https://huggingface.co/papers';
const DAILY_FILE = 'pages/huggingface/daily-papers-2026-07.html';
const OLD_DAILY = 'https://huggingface.co/papers?date=2024-08-01';
const OLD_FILE = 'pages/huggingface/daily-papers-2024-08-01.html';
const PAPER = 'https://huggingface.co/papers/2509.24002';
const PAPER_FILE = 'pages/huggingface/paper-page-2509.24002-2025-10-bs4-prettified.html';

test('every card of the daily page gets exactly one save toggle', async ({ context, serve }) => {
  await serve(DAILY, DAILY_FILE);
  const page = await context.newPage();
  await page.goto(DAILY);
  await expect(hosts(page)).toHaveCount(31);
  const ids = await hosts(page).evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-paper-id')),
  );
  expect(new Set(ids).size).toBe(31);
  for (const id of ids) expect(id).toMatch(/^arxiv:\d{4}\.\d{4,5}$/);
  // Each host sits inside an article and has an open shadow root with an accessible toggle.
  const info = await hosts(page).evaluateAll((els) =>
    els.map((e) => ({
      inArticle: !!e.closest('article'),
      pressed: e.shadowRoot
        ?.querySelector('button[data-action="save"]')
        ?.getAttribute('aria-pressed'),
      label: e.shadowRoot?.querySelector('button[data-action="save"]')?.getAttribute('aria-label'),
      buttons: e.shadowRoot?.querySelectorAll('button[data-action="save"]').length,
    })),
  );
  for (const i of info) {
    expect(i).toMatchObject({ inArticle: true, pressed: 'false', buttons: 1 });
    expect(i.label).toMatch(/^Save to Paper Scout: .+/);
  }
});

test('save, reload, second tab, popup, unsave', async ({ context, serve, openPopup }) => {
  await serve(DAILY, DAILY_FILE);
  const page = await context.newPage();
  await page.goto(DAILY);
  const first = hosts(page).first();
  const id = (await first.getAttribute('data-paper-id'))!;
  const title = (await page.locator('article h3 a').first().textContent())!.trim();
  const other = await context.newPage();
  await other.goto(DAILY);
  await expect(toggleFor(other, id)).toHaveAttribute('aria-pressed', 'false');

  await toggleFor(page, id).click();
  await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'true');
  // The other open tab updates without a reload.
  await expect(toggleFor(other, id)).toHaveAttribute('aria-pressed', 'true', { timeout: 1_000 });

  await page.reload();
  await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'true');
  await expect(toggleFor(page, id)).toHaveAttribute('aria-busy', 'false');

  const popup = await openPopup();
  const row = popup.locator(`[data-list="saved"] [data-paper-id="${id}"]`);
  await expect(row).toContainText(title);
  await expect(row.locator('a.title')).toHaveAttribute(
    'href',
    `https://huggingface.co/papers/${id.slice(6)}`,
  );

  await toggleFor(page, id).click();
  await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'false');
  await expect(row).toHaveCount(0);
  await expect(popup.locator('[data-empty="saved"]')).toBeVisible();
});

test('unsaving from the popup updates the card', async ({ context, serve, openPopup }) => {
  await serve(PAPER, PAPER_FILE);
  const page = await context.newPage();
  await page.goto(PAPER);
  await expect(hosts(page)).toHaveCount(1);
  await expect(hosts(page)).toHaveAttribute('data-paper-id', 'arxiv:2509.24002');
  await toggleFor(page, 'arxiv:2509.24002').click();
  const popup = await openPopup();
  await popup.locator('[data-paper-id="arxiv:2509.24002"] button[data-action="unsave"]').click();
  await expect(toggleFor(page, 'arxiv:2509.24002')).toHaveAttribute('aria-pressed', 'false');
});

test('a page script cannot save by clicking our button or faking events', async ({
  context,
  serve,
  openPopup,
}) => {
  await serve(DAILY, DAILY_FILE);
  const page = await context.newPage();
  await page.goto(DAILY);
  await expect(hosts(page)).toHaveCount(31);
  const id = (await hosts(page).first().getAttribute('data-paper-id'))!;
  await expect(toggleFor(page, id)).toHaveAttribute('aria-busy', 'false');
  await page.evaluate(() => {
    for (const host of document.querySelectorAll('paper-scout-card')) {
      const b = host.shadowRoot?.querySelector('button');
      b?.click();
      b?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      b?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    }
    window.postMessage({ type: 'paper/setSaved', saved: true }, '*');
  });
  await page.waitForTimeout(300);
  await expect(page.locator('paper-scout-card button[aria-pressed="true"]')).toHaveCount(0);
  const popup = await openPopup();
  await expect(popup.locator('[data-empty="saved"]')).toBeVisible();
});

test('a card list replaced in place (client navigation) is annotated again', async ({
  context,
  serve,
}) => {
  await serve(DAILY, DAILY_FILE);
  await serve(OLD_DAILY, OLD_FILE);
  const old = await context.newPage();
  await old.goto(OLD_DAILY);
  await expect(hosts(old)).toHaveCount(13);
  // Take the 2024 page's article markup (without our hosts) to play the "next day" grid.
  const nextDay = await old.evaluate(() =>
    [...document.querySelectorAll('article')].map((a) => {
      const c = a.cloneNode(true) as Element;
      c.querySelectorAll('paper-scout-card').forEach((h) => h.remove());
      return c.outerHTML;
    }),
  );
  const page = await context.newPage();
  await page.goto(DAILY);
  await expect(hosts(page)).toHaveCount(31);
  await page.evaluate((html) => {
    const grid = document.querySelector('article')!.parentElement!;
    const tpl = document.createElement('template');
    tpl.innerHTML = html.join('');
    grid.replaceChildren(tpl.content);
    history.pushState({}, '', '/papers/date/2024-08-01');
  }, nextDay);
  await expect(hosts(page)).toHaveCount(13);
  const ids = await hosts(page).evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-paper-id')),
  );
  expect(new Set(ids).size).toBe(13);
  // Re-scans never duplicate the UI.
  await page.evaluate(() => document.body.append(document.createElement('div')));
  await page.waitForTimeout(100);
  await expect(hosts(page)).toHaveCount(13);
  expect(
    await page
      .locator('article')
      .evaluateAll((as) => as.map((a) => a.querySelectorAll('paper-scout-card').length)),
  ).toEqual(Array(13).fill(1));
});

test('saved state survives a browser restart', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { launchWithExtension, installRoutes } = await import('./fixtures');
  const dir = mkdtempSync(join(tmpdir(), 'paper-scout-restart-'));
  const routes = new Map([[DAILY, DAILY_FILE]]);
  try {
    let context = await launchWithExtension(dir);
    await installRoutes(context, routes);
    let page = await context.newPage();
    await page.goto(DAILY);
    const id = (await hosts(page).nth(2).getAttribute('data-paper-id'))!;
    await toggleFor(page, id).click();
    await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'true');
    // The toggle shows the click at once and is busy until the worker has stored it: a browser
    // closed in between may lose the click, as it would for a user.
    await expect(toggleFor(page, id)).toHaveAttribute('aria-busy', 'false');
    await context.close();

    context = await launchWithExtension(dir);
    await installRoutes(context, routes);
    page = await context.newPage();
    await page.goto(DAILY);
    await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('paper-scout-card button[aria-pressed="true"]')).toHaveCount(1);
    await context.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
