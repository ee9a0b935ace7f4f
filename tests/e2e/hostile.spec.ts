/**
 * Hostile pages, end to end: the built extension in Chromium on pages written to attack it
 * (tests/fixtures/hostile/, each says so at its top), served at real supported URLs.
 *
 * What a user would notice if we failed: a script of the page's text running (a dialog opens,
 * `window.__pwned` is set), markup from page text turning into elements, a paper other than the
 * one saved changing, the page's own scripts breaking, errors of ours in the console, a page
 * script saving papers or reading the library through us.
 */
import type { Page } from '@playwright/test';
import { expect, hosts, settled, test, toggleFor } from './fixtures';
import {
  ask,
  papersById,
  readDb,
  sightingsOf,
  watchPage,
  type DbDump,
  type PageWatch,
} from '../fixtures/hostile/extension';

const HF_URL = 'https://huggingface.co/papers?q=x';
const HF_FILE = 'hostile/huggingface-search.html';
const AX_URL = 'https://arxiv.org/list/cs.LG/new';
const AX_FILE = 'hostile/arxiv-list-new.html';

// The payloads the pages carry (tests/fixtures/hostile/*.html): each sets window.__pwned if run.
const IMG = (t: string) => `<img src=x onerror="window.__pwned='${t}';alert('${t}')">`;
const SCRIPT = (t: string) => `<script>window.__pwned='${t}';alert('${t}')</script>`;
const STYLE = (t: string) => `</style><img src=x onerror="window.__pwned='${t}'"><style>`;
const SVG = (t: string) => `"><svg onload="window.__pwned='${t}';alert('${t}')">`;
const ATTR = (t: string) => `' onmouseover='window.__pwned="${t}"' x='`;
const RTL =
  'Benign Looking Title \u202egnp.exe\u202c with \u2067isolates\u2069 and zero\u200bwidth';

/** Titles of the Hugging Face page's cards, as the page shows them (text). */
const HF_TITLES: Record<string, string> = {
  'arxiv:2501.00001': `Image payload ${IMG('hf-title-img')}`,
  'arxiv:2501.00002': `Script payload ${SCRIPT('hf-title-script')} then ${STYLE('hf-title-style')}`,
  'arxiv:2501.00003': `Attribute payload ${SVG('hf-title-svg')}${ATTR('hf-title-attr')}`,
  'arxiv:2501.00004': RTL,
  'arxiv:2501.00005': `Ten thousand characters ${IMG('hf-long-title')}`, // …then filler to 10,000
  'arxiv:2501.00006': 'Lying JSON with wrong types',
  'arxiv:2501.00007': 'Duplicate JSON entries for this id',
  'arxiv:2501.00008': 'JSON authors and organization carry payloads',
  'arxiv:2501.00009': 'Card whose JSON entry sits at another card\u2019s position',
  'arxiv:2501.00010': 'Card with a query string in its link',
};

/** Elements page text must never become, and attributes it must never set. */
const FORBIDDEN = 'img, svg, script, iframe, object, embed, link, meta, base, form, frame, math';

/** Every element in our shadow roots that should not exist, as "tag attr…" strings. */
async function injectedInOurUi(page: Page): Promise<string[]> {
  return page.evaluate((forbidden) => {
    const bad: string[] = [];
    for (const host of document.querySelectorAll('paper-scout-card')) {
      const root = host.shadowRoot;
      if (!root) continue;
      for (const el of root.querySelectorAll('*')) {
        const attrs = [...el.attributes].map((a) => a.name);
        if (el.matches(forbidden) || attrs.some((a) => a.startsWith('on')))
          bad.push(`${el.localName} ${attrs.join(' ')}`);
        const href = el.getAttribute('href');
        if (href && !/^https?:/i.test(href)) bad.push(`${el.localName} href=${href}`);
      }
    }
    return bad;
  }, FORBIDDEN);
}

/** aria-label of each of our save toggles, by paper id (several cards may show one paper). */
async function labels(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => {
    const out: Record<string, string[]> = {};
    for (const host of document.querySelectorAll('paper-scout-card')) {
      const id = host.getAttribute('data-paper-id') ?? '?';
      const b = host.shadowRoot?.querySelector('button[data-action="save"]');
      (out[id] ??= []).push(b?.getAttribute('aria-label') ?? '');
    }
    return out;
  });
}

/** Nothing ran, nothing failed: no payload executed, no dialog, no uncaught error, no console error. */
async function expectClean(page: Page, w: PageWatch): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBe(
    undefined,
  );
  expect(w.dialogs).toEqual([]);
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors.filter((m) => !/Failed to load resource/.test(m))).toEqual([]);
  expect(
    await page.evaluate(
      () => (window as unknown as { __page: { errors: string[] } }).__page.errors,
    ),
  ).toEqual([]);
}

/** The page's own script still runs: its click handler and timer work after our UI mounted. */
async function expectPageScriptsWork(page: Page, ourUiShown = true): Promise<void> {
  const state = () =>
    page.evaluate(
      () =>
        (window as unknown as { __page: { sawOurUi: boolean; clicks: number; ticks: number } })
          .__page,
    );
  const before = await state();
  expect(before.sawOurUi).toBe(ourUiShown);
  await page.locator('#page-button').click();
  await expect.poll(async () => (await state()).clicks).toBe(before.clicks + 1);
  await expect.poll(async () => (await state()).ticks).toBeGreaterThan(before.ticks);
}

/** Stored rows other than `id`'s are exactly as before; `id`'s changed only in the saved fields. */
function expectOnlyRecordChanged(before: DbDump, after: DbDump, id: string): void {
  const b = papersById(before);
  const a = papersById(after);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [key, rec] of b) if (key !== id) expect(a.get(key), key).toEqual(rec);
  const changed = Object.keys({ ...b.get(id), ...a.get(id) }).filter(
    (k) => JSON.stringify(b.get(id)?.[k]) !== JSON.stringify(a.get(id)?.[k]),
  );
  // Saving counts as seeing the paper (lastSeenAt) and stamps the record (updatedAt).
  const allowed = [
    'savedAt',
    'savedFrom',
    'savedVersion',
    'state',
    'stateAt',
    'updatedAt',
    'lastSeenAt',
  ];
  expect(allowed).toEqual(expect.arrayContaining(changed));
  for (const table of Object.keys(before).filter((t) => t !== 'papers'))
    expect(after[table], table).toEqual(before[table]);
}

test.describe('a hostile Hugging Face search page', () => {
  test('payloads stay text in our UI, nothing runs, the page keeps working', async ({
    context,
    serve,
  }) => {
    await serve(HF_URL, HF_FILE);
    const page = await context.newPage();
    const w = watchPage(page);
    await page.goto(HF_URL);
    await settled(page, 10);

    // Every title shows as literal text in the toggle's label; none became an element.
    const byId = await labels(page);
    expect(Object.keys(byId).sort()).toEqual(Object.keys(HF_TITLES).sort());
    for (const [id, title] of Object.entries(HF_TITLES))
      expect(byId[id]?.[0], id).toContain(title.slice(0, 60));
    expect(byId['arxiv:2501.00004']?.[0]).toContain(RTL);
    expect(await injectedInOurUi(page)).toEqual([]);
    // The page itself: no element was made from its text (it has one script and no images).
    expect(await page.locator(`body :is(${FORBIDDEN})`).count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    // Links that are not papers (submit, javascript:) get no UI.
    await expect(page.locator('article.not-a-paper paper-scout-card')).toHaveCount(0);

    // The Watch menu lists the JSON's hostile author names and organization as text.
    await page
      .locator('paper-scout-card[data-paper-id="arxiv:2501.00008"] button[data-action="watch"]')
      .click();
    const menu = page.locator('paper-scout-card[data-paper-id="arxiv:2501.00008"] [role="menu"]');
    await expect(menu).toContainText(`Author: ${IMG('hf-json-a0')}`);
    await expect(menu).toContainText(`Organization: ${IMG('hf-json-org')}`);
    expect(await injectedInOurUi(page)).toEqual([]);
    await page.keyboard.press('Escape');

    await expectPageScriptsWork(page);
    await expectClean(page, w);
  });

  test('saving a hostile card changes only its record; lying JSON reaches no other paper', async ({
    context,
    serve,
    openPopup,
  }) => {
    await serve(HF_URL, HF_FILE);
    const page = await context.newPage();
    const w = watchPage(page);
    await page.goto(HF_URL);
    await settled(page, 10);
    const ext = await openPopup();
    const pw = watchPage(ext);

    // What the page recorded: each card got only the JSON entry with its own id.
    const seen = papersById(await readDb(ext));
    expect(seen.get('arxiv:2501.00001')?.abstract).toBe(
      `Abstract payload ${SCRIPT('hf-abstract-script')} and ${IMG('hf-abstract-img')}`,
    );
    expect(seen.get('arxiv:2501.00007')?.abstract).toMatch(/^The first JSON entry for paper seven/);
    expect(seen.get('arxiv:2501.00009')?.abstract).toMatch(/^The abstract of paper nine/);
    expect(seen.get('arxiv:2501.00008')?.abstract).toMatch(/^Card eight/);
    const liar = seen.get('arxiv:2501.00006')!;
    // Wrong types are ignored: no count from "999", no date from "yesterday", no javascript: link.
    for (const k of ['upvotes', 'date', 'github', 'keywords', 'organization', 'comments'])
      expect(liar[k], k).toBeUndefined();
    expect(liar.authors).toEqual([]);
    for (const rec of seen.values()) expect(JSON.stringify(rec)).not.toContain('IMPOSTOR');
    expect(seen.has('arxiv:2412.99990')).toBe(false); // a JSON entry for a paper not on the page
    // Huge strings are cut to the protocol's limits, not refused.
    expect((seen.get('arxiv:2501.00005')?.title as string).length).toBe(2_000);
    expect((seen.get('arxiv:2501.00006')?.abstract as string).length).toBe(10_000);

    const before = await readDb(ext);
    await toggleFor(page, 'arxiv:2501.00001').click();
    await expect(toggleFor(page, 'arxiv:2501.00001')).toHaveAttribute('aria-pressed', 'true');
    await expect
      .poll(async () => papersById(await readDb(ext)).get('arxiv:2501.00001')?.savedAt)
      .toBeDefined();
    expectOnlyRecordChanged(before, await readDb(ext), 'arxiv:2501.00001');
    for (const id of Object.keys(HF_TITLES).filter((i) => i !== 'arxiv:2501.00001'))
      await expect(toggleFor(page, id)).toHaveAttribute('aria-pressed', 'false');

    // The popup shows the saved payloads as text.
    await toggleFor(page, 'arxiv:2501.00008').click();
    await toggleFor(page, 'arxiv:2501.00005').click();
    await ext.reload();
    const row = (id: string) => ext.locator(`[data-list="saved"] [data-paper-id="${id}"]`);
    await expect(row('arxiv:2501.00001')).toContainText(HF_TITLES['arxiv:2501.00001']!);
    // Its byline (authors or organization, both payloads from the JSON) shows markup as text.
    await expect(row('arxiv:2501.00008')).toContainText(
      /<img src=x onerror="window.__pwned='hf-json-/,
    );
    await expect(row('arxiv:2501.00005')).toContainText(HF_TITLES['arxiv:2501.00005']!);
    expect(await ext.locator(`[data-list="saved"] :is(${FORBIDDEN})`).count()).toBe(0);
    expect(pw.consoleErrors).toEqual([]); // a CSP violation (an injected handler) would show here
    expect(pw.dialogs).toEqual([]);
    await expectClean(page, w);
  });
});

test.describe('hostile Hugging Face page JSON and markup', () => {
  test('broken JSON (and a lying second island): cards work from the DOM alone', async ({
    context,
    serve,
    openPopup,
  }) => {
    const url = 'https://huggingface.co/papers/date/2025-01-07';
    await serve(url, 'hostile/huggingface-broken-json.html');
    const page = await context.newPage();
    const w = watchPage(page);
    await page.goto(url);
    await settled(page, 3);
    await toggleFor(page, 'arxiv:2501.30002').click();
    await expect(toggleFor(page, 'arxiv:2501.30002')).toHaveAttribute('aria-pressed', 'true');
    const ext = await openPopup();
    const papers = papersById(await readDb(ext));
    expect([...papers.keys()].sort()).toEqual([
      'arxiv:2501.30001',
      'arxiv:2501.30002',
      'arxiv:2501.30003',
    ]);
    for (const p of papers.values()) {
      expect(JSON.stringify(p)).not.toContain('IMPOSTOR');
      expect(p.abstract).toBeUndefined();
    }
    expect(papers.get('arxiv:2501.30001')?.upvotes).toBe(5); // from the card itself
    await expectPageScriptsWork(page);
    await expectClean(page, w);
  });

  test('a page that took our UI’s tag name: no UI, no error of ours, the page unharmed', async ({
    context,
    serve,
  }) => {
    const url = 'https://huggingface.co/papers?date=2025-01-06';
    await serve(url, 'hostile/huggingface-custom-element.html');
    const page = await context.newPage();
    const w = watchPage(page);
    await page.goto(url);
    // Our content script ran: it made one host per card (the page's class constructed each) …
    await expect
      .poll(() =>
        page.evaluate(
          () => (window as unknown as { __page: { constructed: number } }).__page.constructed,
        ),
      )
      .toBe(3);
    // … and could not attach its shadow roots, so no UI: quietly, card by card.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    await expect(hosts(page)).toHaveCount(0);
    await expectPageScriptsWork(page, false);
    await expectClean(page, w);
  });
});

test.describe('a hostile arXiv /new listing', () => {
  test('payloads, TeX holding markup, huge strings: text only, one record per paper', async ({
    context,
    serve,
    openPopup,
  }) => {
    await serve(AX_URL, AX_FILE);
    const page = await context.newPage();
    const w = watchPage(page);
    await page.goto(AX_URL);
    await settled(page, 6);

    const byId = await labels(page);
    expect(Object.keys(byId).sort()).toEqual(
      ['2501.10001', '2501.10002', '2501.10003', '2501.10004', '2501.10005'].map(
        (i) => `arxiv:${i}`,
      ),
    );
    // Two cards claim 2501.10001: both get a toggle, for the same paper.
    expect(byId['arxiv:2501.10001']).toHaveLength(2);
    expect(byId['arxiv:2501.10001']![0]).toContain(`Image payload ${IMG('ax-title-img')}`);
    // TeX kept as text between dollars, with the markup it holds; style and noscript skipped.
    expect(byId['arxiv:2501.10002']![0]).toContain(
      `TeX $\\alpha<img src=x onerror="window.__pwned='ax-tex';alert(1)">$ and style in a title`,
    );
    expect(byId['arxiv:2501.10003']![0]).toContain(RTL);
    expect(await injectedInOurUi(page)).toEqual([]);
    const tex = 'script[type="math/tex"]';
    expect(await page.locator(`body :is(${FORBIDDEN}):not(${tex})`).count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2); // the page's own, and its TeX

    const ext = await openPopup();
    const seen = papersById(await readDb(ext));
    expect([...seen.keys()].sort()).toEqual(Object.keys(byId).sort());
    const first = seen.get('arxiv:2501.10001')!;
    expect(first.title).toBe(`Image payload ${IMG('ax-title-img')}`); // not the impostor's
    expect(first.authors).toEqual([`Author ${SCRIPT('ax-author-script')}`, IMG('ax-author-img')]);
    const long = seen.get('arxiv:2501.10003')!;
    expect((long.title as string).length).toBe(2_000);
    expect((long.abstract as string).length).toBe(20_000);
    expect((long.authors as string[])[1]!.length).toBe(512);
    expect(seen.get('arxiv:2501.10004')?.version).toBeUndefined(); // v99999 is not a version
    expect(seen.get('arxiv:2501.10005')?.urls).toEqual({
      arxiv: 'https://arxiv.org/abs/2501.10005',
    });

    const before = await readDb(ext);
    await toggleFor(page, 'arxiv:2501.10003').first().click();
    await expect(toggleFor(page, 'arxiv:2501.10003')).toHaveAttribute('aria-pressed', 'true');
    await expect
      .poll(async () => papersById(await readDb(ext)).get('arxiv:2501.10003')?.savedAt)
      .toBeDefined();
    expectOnlyRecordChanged(before, await readDb(ext), 'arxiv:2501.10003');

    await expectPageScriptsWork(page);
    await expectClean(page, w);
  });
});

test.describe('a page script attacking our UI', () => {
  test('clicks, fake events, forged messages and DOM tampering save nothing', async ({
    context,
    serve,
    extensionId,
    openPopup,
  }) => {
    await serve(HF_URL, HF_FILE);
    const page = await context.newPage();
    const w = watchPage(page);
    await page.goto(HF_URL);
    await settled(page, 10);

    const attempts = await page.evaluate((extId) => {
      const out: Record<string, unknown> = {};
      const buttons = [...document.querySelectorAll('paper-scout-card')].flatMap((h) => [
        ...(h.shadowRoot?.querySelectorAll('button') ?? []),
      ]);
      for (const b of buttons) {
        b.click();
        b.focus();
        for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'])
          b.dispatchEvent(
            new MouseEvent(type, { bubbles: true, composed: true, cancelable: true }),
          );
        for (const key of ['Enter', ' '])
          b.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
      }
      // The watch menu items, too (a rule made by the page would watch what the page wants).
      for (const item of document.querySelectorAll('paper-scout-card'))
        item.shadowRoot
          ?.querySelectorAll<HTMLElement>('[role="menuitem"]')
          .forEach((m) => m.click());
      // Messages pretending to be the extension.
      const ids = [...document.querySelectorAll('paper-scout-card')].map((h) =>
        h.getAttribute('data-paper-id'),
      );
      const forged = [
        { type: 'papers/changed', changes: ids.map((id) => ({ id, saved: true, aliases: [] })) },
        {
          type: 'paper/setSaved',
          site: 'huggingface',
          saved: true,
          paper: {
            arxivId: '2501.00002',
            title: 'x',
            url: 'https://huggingface.co/papers/2501.00002',
          },
        },
        { type: 'history/clear' },
        { type: 'settings/set', settings: { historyEnabled: false } },
      ];
      for (const m of forged) {
        window.postMessage(m, '*');
        document.dispatchEvent(new CustomEvent('paper-scout', { detail: m }));
        for (const h of document.querySelectorAll('paper-scout-card'))
          h.dispatchEvent(new CustomEvent('message', { detail: m }));
      }
      // The extension messaging API does not exist for the page (no externally_connectable).
      const c = (
        window as unknown as { chrome?: { runtime?: { sendMessage?: unknown; connect?: unknown } } }
      ).chrome;
      out.runtime = typeof c?.runtime;
      out.sendMessage = typeof c?.runtime?.sendMessage;
      out.browser = typeof (window as unknown as { browser?: unknown }).browser;
      try {
        (c?.runtime?.sendMessage as (id: string, m: unknown) => void)(extId, forged[1]);
        out.sent = 'sent';
      } catch (e) {
        out.sent = String(e).slice(0, 80);
      }
      // Tampering: point a host at another paper, move one into another card, fake a host.
      const [a, b] = document.querySelectorAll('paper-scout-card');
      a?.setAttribute('data-paper-id', 'arxiv:2501.00009');
      if (b) document.querySelectorAll('article')[2]?.append(b);
      const fake = document.createElement('paper-scout-card');
      fake.setAttribute('data-paper-id', 'arxiv:2501.00003');
      fake.attachShadow({ mode: 'open' }).innerHTML =
        '<button data-action="save" aria-pressed="true">Saved</button>';
      document.querySelector('article')?.append(fake);
      fake.shadowRoot?.querySelector('button')?.click();
      return out;
    }, extensionId);
    expect(attempts).toMatchObject({
      runtime: 'undefined',
      sendMessage: 'undefined',
      browser: 'undefined',
    });
    // WXT announced our content script's start to the window; replaying that announcement (as
    // "a newer copy of the script started") must not make our UI tear itself down.
    const replayed = await page.evaluate(() => {
      const page = (window as unknown as { __page: { messages: string[] } }).__page;
      const started = page.messages
        .map((m) => JSON.parse(m) as { type?: string; contentScriptName?: string })
        .filter((m) => m.type?.endsWith(':wxt:content-script-started'));
      for (const m of started) {
        const detail = { contentScriptName: m.contentScriptName, messageId: 'forged' };
        document.dispatchEvent(new CustomEvent(m.type!, { detail }));
        window.postMessage({ ...m, messageId: 'forged' }, '*');
      }
      return started.length;
    });
    expect(replayed).toBeGreaterThan(0);
    // Our UI is still there and still live (the hosts the page did not remove or fake).
    await expect(
      page.locator('paper-scout-card[data-paper-id] button[data-action="save"]'),
    ).toHaveCount(11);

    // A real user's click, after all that: the one save that happens. By the time it is stored and
    // shown, anything the attacks had set going would have been handled too.
    await toggleFor(page, 'arxiv:2501.00004').click();
    const ext = await openPopup();
    await expect(ext.locator('[data-list="saved"] [data-paper-id]')).toHaveCount(1);
    await expect(ext.locator('[data-list="saved"] [data-paper-id="arxiv:2501.00004"]')).toHaveCount(
      1,
    );
    const db = await readDb(ext);
    expect((db.papers ?? []).filter((p) => p.savedAt !== undefined).map((p) => p.id)).toEqual([
      'arxiv:2501.00004',
    ]);
    expect(db.rules ?? []).toEqual([]);
    // (The popup itself records when it was opened: highlightsReadAt.)
    expect((db.settings ?? []).filter((r) => r.key !== 'highlightsReadAt')).toEqual([]);
    expect(sightingsOf(db).length).toBeGreaterThan(0); // history not cleared
    await expect(
      page.locator('paper-scout-card button[data-action="save"][aria-pressed="true"]'),
    ).toHaveCount(
      // our toggle for 2501.00004, plus the page's own fake host (which says what it likes)
      2,
    );
    await expectClean(page, w);
  });

  test('the page cannot read the library beyond what our UI shows on its own cards', async ({
    context,
    serve,
    openPopup,
  }) => {
    const SECRET = 'zebraquokka7f3a';
    const ext = await openPopup();
    // A library with a saved paper that is not on the page, a note, tags and a watch rule.
    const secretPaper = {
      arxivId: '2412.99999',
      title: `The ${SECRET} paper nobody may know I saved`,
      url: 'https://huggingface.co/papers/2412.99999',
      authors: [`Dr ${SECRET}`],
    };
    expect(
      await ask(ext, {
        type: 'paper/setSaved',
        site: 'huggingface',
        saved: true,
        paper: secretPaper,
      }),
    ).toMatchObject({ ok: true });
    expect(
      await ask(ext, {
        type: 'paper/annotate',
        id: 'arxiv:2412.99999',
        note: `note ${SECRET}`,
        tags: [`tag-${SECRET}`],
      }),
    ).toMatchObject({ ok: true });
    // A rule matching the page's cards by one of its words: its name and that word show on those
    // cards (what the UI is for); its other words never do.
    expect(
      await ask(ext, {
        type: 'rules/save',
        rule: {
          name: 'Payload watch',
          kind: 'words',
          terms: [SECRET, 'payload'],
          exclude: [],
          color: '#123456',
          paused: false,
        },
      }),
    ).toMatchObject({ ok: true });

    await serve(HF_URL, HF_FILE);
    const page = await context.newPage();
    const w = watchPage(page);
    await page.goto(HF_URL);
    await settled(page, 10);
    // Things happen while the page is open: a save on it, and the secret paper unsaved and saved
    // again from the popup (change notices go to every tab of the site).
    await toggleFor(page, 'arxiv:2501.00004').click();
    await expect(toggleFor(page, 'arxiv:2501.00004')).toHaveAttribute('aria-pressed', 'true');
    for (const saved of [false, true])
      expect(
        await ask(ext, { type: 'paper/setSavedById', id: 'arxiv:2412.99999', saved }),
      ).toMatchObject({ ok: true });
    await page
      .locator('paper-scout-card[data-paper-id="arxiv:2501.00008"] button[data-action="watch"]')
      .click();

    // Everything a page script can read: the DOM with open shadow roots, highlights, adopted
    // style sheets, the performance timeline, storage, globals, messages it received.
    const readable = await page.evaluate(() => {
      const parts: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          parts.push(el.localName);
          for (const a of el.attributes) parts.push(`${a.name}=${a.value}`);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
        const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = texts.nextNode(); n; n = texts.nextNode()) parts.push(n.nodeValue ?? '');
      };
      walk(document);
      const css = CSS as unknown as { highlights?: Map<string, Set<Range>> };
      for (const [name, hl] of css.highlights ?? []) {
        parts.push(name);
        for (const r of hl) parts.push(r.toString());
      }
      for (const sheet of [...document.adoptedStyleSheets, ...document.styleSheets])
        for (const rule of sheet.cssRules) parts.push(rule.cssText);
      for (const e of performance.getEntries()) parts.push(JSON.stringify(e.toJSON()));
      for (const s of [localStorage, sessionStorage])
        for (let i = 0; i < s.length; i++) parts.push(`${s.key(i)}=${s.getItem(s.key(i)!)}`);
      parts.push(document.cookie, window.name, document.title);
      const page = (window as unknown as { __page: { baseline: string[]; messages: string[] } })
        .__page;
      const added = Object.getOwnPropertyNames(window).filter((k) => !page.baseline.includes(k));
      parts.push(...added, ...page.messages);
      return { text: parts.join('\n'), added, highlights: [...(css.highlights?.keys() ?? [])] };
    });
    expect(readable.text).not.toContain(SECRET);
    expect(readable.text).not.toContain('2412.99999');
    // The check can see our UI: the page does learn what its own cards show.
    expect(readable.text).toContain('aria-pressed=true');
    expect(readable.text).toContain('Payload watch');
    expect(readable.added).toEqual(['__page']);
    await expectClean(page, w);
  });
});
