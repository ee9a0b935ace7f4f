// @vitest-environment happy-dom
/**
 * The card bar laid out by a real Chromium (/usr/bin/chromium, as the e2e tests use) in a 360 px
 * wide card, Scholar's mobile width: the markup is CardBar's own (rendered here by Preact), in a
 * shadow root with the card's stylesheet exactly as lib/content/controller.ts builds it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardBar, type CardBarProps } from '../../components/CardBar';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CSS = `:host{all:initial !important;}\n${readFileSync('components/card.css', 'utf8')}`;

const base: CardBarProps = {
  title: 'A paper',
  saved: false,
  loading: false,
  busy: false,
  seen: false,
  isNew: true,
  newVersion: false,
  onToggle: () => {},
  onNote: () => {},
  onTopic: () => {},
  onWatch: () => {},
  watch: { authors: ['Ada Lovelace'], categories: ['cs.CL'], topics: [] },
};

function markup(props: Partial<CardBarProps>, openWatch = false): string {
  const el = document.createElement('div');
  document.body.append(el);
  render(<CardBar {...base} {...props} />, el);
  if (openWatch) {
    // The menu opens on a trusted click only (WatchMenu); happy-dom's are not.
    const e = new MouseEvent('click', { bubbles: true });
    Object.defineProperty(e, 'isTrusted', { value: true });
    act(() => {
      el.querySelector('[data-action="watch"]')!.dispatchEvent(e);
    });
  }
  const html = el.innerHTML;
  el.remove();
  render(null, el);
  return html;
}

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM });
}, 30_000);
afterAll(async () => {
  await browser?.close();
});

interface Box {
  cls: string;
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
  scrollHeight: number;
  clientHeight: number;
}

/**
 * Mounts the bar's markup `html` in the page as the content script does: a `paper-scout-card`
 * host after the card's title, with the built stylesheet in its open shadow root.
 */
async function mountBar(page: Page, html: string): Promise<void> {
  await page.evaluate(
    ({ css, html }) => {
      const host = document.createElement('paper-scout-card');
      const shadow = host.attachShadow({ mode: 'open' });
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
      const container = document.createElement('div');
      container.innerHTML = html;
      shadow.append(container);
      document.querySelector('h3')!.after(host);
    },
    { css: CSS, html },
  );
}

/** Lays the bar out under a card's title in a page of `width` px; opens Watch when asked. */
async function layout(
  html: string,
  opts: { width?: number; dir?: 'ltr' | 'rtl' } = {},
): Promise<{ viewport: number; card: { left: number; right: number }; boxes: Box[] }> {
  const page = await browser.newPage({ viewport: { width: opts.width ?? 360, height: 800 } });
  try {
    await page.setContent(
      `<html dir="${opts.dir ?? 'ltr'}"><body style="margin:0"><div id="card" style="padding:8px"><h3><a href="#">A paper</a></h3></div></body></html>`,
    );
    await mountBar(page, html);
    return await page.evaluate(() => {
      const root = document.querySelector('paper-scout-card')!.shadowRoot!;
      const card = document.getElementById('card')!.getBoundingClientRect();
      const boxes = [...root.querySelectorAll<HTMLElement>('.bar > *, .menu')].map((e) => {
        const r = e.getBoundingClientRect();
        return {
          cls: e.className || e.tagName,
          text: e.textContent ?? '',
          left: r.left,
          right: r.right,
          top: r.top,
          bottom: r.bottom,
          scrollHeight: e.scrollHeight,
          clientHeight: e.clientHeight,
        };
      });
      return {
        viewport: document.documentElement.clientWidth,
        card: { left: card.left, right: card.right },
        boxes,
      };
    });
  } finally {
    await page.close();
  }
}

describe.skipIf(!existsSync(CHROMIUM))('card bar in a 360 px card', () => {
  it('keeps a long watch rule name inside its chip (RulesEditor allows 200 characters)', async () => {
    // A rule saved without a name is named after its terms (RulesEditor: terms joined, ≤ 200).
    const name = 'retrieval augmented generation, multilingual question answering, long documents';
    const { boxes } = await layout(
      markup({ highlights: [{ ruleId: 'r1', name, color: '#7c3aed', terms: ['x'] }] }),
    );
    const chip = boxes.find((b) => b.cls.includes('rule'))!;
    expect(chip.text).toBe(name);
    // The chip's text must not spill out of its box (over the next row of the bar).
    expect(chip.scrollHeight).toBeLessThanOrEqual(chip.clientHeight);
  });

  it('keeps a long topic badge inside the card (a learned topic is named by a tag, ≤ 64 chars)', async () => {
    const name = 'reading group: multimodal large language models and their evaluation';
    const { boxes, card } = await layout(
      markup({ badges: [{ id: 'tag:x', name: name.slice(0, 64), kind: 'learned', why: ['x'] }] }),
    );
    const badge = boxes.find((b) => b.cls.includes('badge'))!;
    expect(badge.right).toBeLessThanOrEqual(card.right);
  });

  it('opens the Watch menu inside the viewport when Watch sits at the right of the bar', async () => {
    const { boxes, viewport } = await layout(
      markup(
        {
          badges: [{ id: 'robotics', name: 'Robotics', kind: 'builtin', why: ['robot'] }],
        },
        true,
      ),
    );
    const menu = boxes.find((b) => b.cls === 'menu')!;
    expect(menu).toBeDefined();
    expect(menu.left).toBeGreaterThanOrEqual(0);
    expect(menu.right).toBeLessThanOrEqual(viewport);
    // …and still opens under its button.
    const watch = boxes.find((b) => b.cls === 'watch')!;
    expect(menu.top).toBeGreaterThanOrEqual(watch.top + 22);
    expect(menu.top).toBeLessThan(watch.top + 40);
  });

  it('opens the Watch menu inside the viewport on a right-to-left page (Scholar in Arabic)', async () => {
    const { boxes, viewport } = await layout(markup({ isNew: false }, true), { dir: 'rtl' });
    const menu = boxes.find((b) => b.cls === 'menu')!;
    expect(menu).toBeDefined();
    expect(menu.left).toBeGreaterThanOrEqual(0);
    expect(menu.right).toBeLessThanOrEqual(viewport);
    // …and still opens under its button.
    const watch = boxes.find((b) => b.cls === 'watch')!;
    expect(menu.top).toBeGreaterThanOrEqual(watch.top + 22);
    expect(menu.top).toBeLessThan(watch.top + 40);
  });
});

describe.skipIf(!existsSync(CHROMIUM))('card bar skipped by the browser while out of view', () => {
  it('draws the whole focus ring of a focused toggle at the edge of its card', async () => {
    // The host clips what it paints outside its box (content-visibility: auto); the toggle sits at
    // its top left corner, and its ring (2 px, 2 px off) is drawn out of that box.
    const page = await browser.newPage({ viewport: { width: 360, height: 200 } });
    try {
      await page.setContent(
        '<html><body style="margin:0;background:#fff"><div id="card" style="padding:16px"><h3 style="margin:0">A paper</h3></div></body></html>',
      );
      const html = markup({ isNew: false });
      await mountBar(page, html);
      const ring = await page.evaluate(() => {
        const r = document.querySelector('paper-scout-card')!.getBoundingClientRect();
        return { left: r.left, top: r.top, bottom: r.bottom };
      });
      // Keyboard focus, as a user tabbing in (the ring shows on :focus-visible).
      await page.keyboard.press('Tab');
      const shot = await page.screenshot({
        clip: { x: ring.left - 4, y: ring.top - 4, width: 4, height: ring.bottom - ring.top + 8 },
      });
      // Blue pixels (#2563eb) in the 4 px strip left of the host: the ring is not cut off.
      const blue = await page.evaluate(
        async (src) => {
          const img = new Image();
          img.src = src;
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.width;
          c.height = img.height;
          const g = c.getContext('2d')!;
          g.drawImage(img, 0, 0);
          const d = g.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i + 2]! > 180 && d[i]! < 120) n++;
          return n;
        },
        `data:image/png;base64,${shot.toString('base64')}`,
      );
      expect(blue).toBeGreaterThan(10);
    } finally {
      await page.close();
    }
  });
});
