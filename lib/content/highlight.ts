/**
 * Highlights the words that matched a watch rule in the page's own title and abstract text without
 * touching the page's DOM: the CSS Custom Highlight API paints Ranges, and the colors come from a
 * constructed stylesheet adopted by the document (no element is added).
 * @see https://developer.mozilla.org/en-US/docs/Web/API/CSS_Custom_Highlight_API
 * Where the API is missing (Firefox before 140), the rule chip inside our shadow UI still names
 * the matched words in its tooltip: that is the fallback.
 */
import type { CardHighlight } from '../messages';
import { fold } from '../rules/match';

const PREFIX = 'paper-scout-';
const MAX_RANGES_PER_RULE = 5_000;

/** True where the browser can paint highlights. */
export function highlightsSupported(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight !== 'undefined';
}

const cssName = (ruleId: string) => PREFIX + ruleId.replace(/[^a-zA-Z0-9_-]/g, '');

/** The text nodes under roots, skipping our own UI hosts. */
function textNodes(roots: Element[], hostTag: string): Text[] {
  const out: Text[] = [];
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, {
      acceptNode: (n) =>
        n.nodeType === Node.ELEMENT_NODE
          ? (n as Element).localName === hostTag || (n as Element).localName === 'script'
            ? NodeFilter.FILTER_REJECT
            : NodeFilter.FILTER_SKIP
          : NodeFilter.FILTER_ACCEPT,
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n as Text);
  }
  return out;
}

const isWordChar = (c: string | undefined) => !!c && /[\p{L}\p{N}]/u.test(c);

/** Ranges of each matched term (as written on the page) inside the roots' text, whole words only. */
function rangesFor(roots: Element[], terms: string[], hostTag: string): Range[] {
  const wanted = [...new Set(terms.map((t) => fold(t)).filter(Boolean))];
  if (!wanted.length) return [];
  const ranges: Range[] = [];
  for (const node of textNodes(roots, hostTag)) {
    const raw = node.data;
    const text = fold(raw);
    // Folding keeps offsets only when it keeps length (true for Latin with accents).
    if (text.length !== raw.length) continue;
    for (const w of wanted) {
      for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + w.length)) {
        if (isWordChar(text[i - 1]) || isWordChar(text[i + w.length])) continue;
        const r = new Range();
        r.setStart(node, i);
        r.setEnd(node, i + w.length);
        ranges.push(r);
      }
    }
  }
  return ranges;
}

let sheet: CSSStyleSheet | undefined;

/** Paints every card's matched words, replacing what was painted before. */
export function paintHighlights(
  cards: Array<{ roots: Element[]; highlights: CardHighlight[] }>,
  hostTag: string,
): void {
  if (!highlightsSupported()) return;
  const byRule = new Map<string, { color: string; ranges: Range[] }>();
  for (const c of cards) {
    for (const h of c.highlights) {
      let entry = byRule.get(h.ruleId);
      if (!entry) byRule.set(h.ruleId, (entry = { color: h.color, ranges: [] }));
      if (entry.ranges.length < MAX_RANGES_PER_RULE)
        entry.ranges.push(...rangesFor(c.roots, h.terms, hostTag));
    }
  }
  clearHighlights();
  const rules: string[] = [];
  for (const [id, { color, ranges }] of byRule) {
    if (!ranges.length) continue;
    CSS.highlights.set(cssName(id), new Highlight(...ranges));
    // Colors are validated `#rrggbb` (lib/messages.ts); 40 = 25% alpha keeps text readable.
    if (/^#[0-9a-f]{6}$/i.test(color))
      rules.push(`::highlight(${cssName(id)}){background-color:${color}40;}`);
  }
  if (!rules.length) return;
  sheet ??= new CSSStyleSheet();
  sheet.replaceSync(rules.join('\n'));
  if (!document.adoptedStyleSheets.includes(sheet)) {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
}

/** Removes every highlight Paper Scout painted (and its stylesheet). */
export function clearHighlights(): void {
  if (!highlightsSupported()) return;
  for (const name of [...CSS.highlights.keys()])
    if (name.startsWith(PREFIX)) CSS.highlights.delete(name);
}

/** Removes highlights and the adopted stylesheet (the extension context went away). */
export function removeHighlightStyles(): void {
  clearHighlights();
  if (sheet) document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
}
