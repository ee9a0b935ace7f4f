/**
 * Contrast of the card bar's small text (11–12 px: WCAG AA asks 4.5:1), computed from
 * components/card.css itself. The bar sits on the page's own background, which is white on arXiv,
 * Scholar and ACL whatever the system's color scheme (their pages have no dark theme), and white or
 * Hugging Face's dark gray (#0b0f19) on Hugging Face, which follows its own theme setting. A mark
 * must therefore be readable under either `prefers-color-scheme` on either background.
 */
import { readFileSync } from 'node:fs';
import postcss, { type Rule } from 'postcss';
import { describe, expect, it } from 'vitest';

const css = postcss.parse(readFileSync('components/card.css', 'utf8'));

type RGBA = [number, number, number, number];

function parseColor(v: string): RGBA | null {
  v = v.trim();
  if (v === 'transparent') return [0, 0, 0, 0];
  if (v === '#fff') return [255, 255, 255, 1];
  let m = /^#([0-9a-f]{6})$/i.exec(v);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1]!.slice(i, i + 2), 16)).concat(1) as RGBA;
  m = /^rgba?\(([^)]+)\)$/.exec(v);
  if (m) {
    const [r, g, b, a] = m[1]!.split(',').map((x) => Number(x.trim()));
    return [r!, g!, b!, a ?? 1];
  }
  m = /^var\([^,]+,\s*(.+)\)$/.exec(v); // a custom property's fallback
  if (m) return parseColor(m[1]!);
  return null;
}

/** The last declaration of `prop` for exactly `selector`, in or out of the dark media query. */
function decl(selector: string, prop: string, dark: boolean): string | undefined {
  let found: string | undefined;
  css.walkRules((rule: Rule) => {
    const inDark =
      rule.parent?.type === 'atrule' &&
      /prefers-color-scheme:\s*dark/.test(String((rule.parent as { params?: string }).params));
    if (inDark && !dark) return;
    if (!rule.selectors.includes(selector)) return;
    rule.walkDecls(prop, (d) => {
      found = d.value;
    });
  });
  return found;
}

const over = (fg: RGBA, bg: RGBA): RGBA => {
  const a = fg[3];
  return [0, 1, 2].map((i) => fg[i]! * a + bg[i]! * (1 - a)).concat(1) as RGBA;
};
const lum = (c: RGBA) => {
  const ch = c.slice(0, 3).map((x) => {
    const s = x / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!;
};
const ratio = (a: RGBA, b: RGBA) => {
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
};

/**
 * The text and background colors of an element matched by `selectors` (most specific last, as the
 * cascade applies them), `inherit` or no color meaning the bar's.
 */
function colors(selectors: string[], dark: boolean, page: RGBA): { fg: RGBA; bg: RGBA } {
  let color: string | undefined;
  let background: string | undefined;
  for (const s of selectors) {
    color = decl(s, 'color', dark) ?? color;
    background = decl(s, 'background', dark) ?? background;
  }
  if (!color || color === 'inherit') color = decl('.bar', 'color', dark);
  const bg = over(background ? parseColor(background)! : [0, 0, 0, 0], page);
  return { fg: over(parseColor(color!)!, bg), bg };
}

const PAGES: Record<string, RGBA> = {
  'white page (arXiv, Scholar, ACL, Hugging Face light)': [255, 255, 255, 1],
  'Hugging Face dark page': [11, 15, 25, 1],
};

const MARKS: Record<string, string[]> = {
  'seen mark': ['.mark'],
  'related mark': ['.mark', '.mark.related'],
  'learned topic badge': ['button', '.badge', '.badge.learned'],
  'error text': ['.error'],
  'new mark': ['.mark', '.mark.new'],
  'new version mark': ['.mark', '.mark.version'],
};

describe('card bar marks are readable (4.5:1) on the pages they sit on', () => {
  for (const [mark, selectors] of Object.entries(MARKS))
    for (const [pageName, page] of Object.entries(PAGES))
      for (const dark of [false, true])
        it(`${mark} on a ${pageName}, system scheme ${dark ? 'dark' : 'light'}`, () => {
          const { fg, bg } = colors(selectors, dark, page);
          expect(ratio(fg, bg)).toBeGreaterThanOrEqual(4.5);
        });
});
