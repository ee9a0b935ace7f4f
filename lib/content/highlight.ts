/**
 * Highlights the words that matched a watch rule in the page's own title and abstract text without
 * touching the page's DOM: the CSS Custom Highlight API paints Ranges, and the colors come from a
 * constructed stylesheet adopted by the document (no element is added).
 * @see https://developer.mozilla.org/en-US/docs/Web/API/CSS_Custom_Highlight_API
 * Where the API is missing (Firefox before 140), the rule chip inside our shadow UI still names
 * the matched words in its tooltip: that is the fallback.
 */
import type { CardHighlight } from '../messages';
import { fold, words } from '../rules/match';
import { adoptedSheets, setAdoptedSheets } from './adopt';

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

/** A word of a card's text: its text node, where it stands there, and its folded form. */
interface NodeWord {
  node: Text;
  w: string;
  start: number;
  end: number;
}

/**
 * The words of the roots' text nodes in document order (folded per word, so offsets stay those of
 * the text as written whatever folding does to its length: "…", "ﬁ", "𝔼" …). A phrase may run
 * over whitespace the page wraps and over element boundaries, as the matcher reads it.
 */
function nodeWords(roots: Element[], hostTag: string): NodeWord[] {
  const out: NodeWord[] = [];
  for (const node of textNodes(roots, hostTag))
    for (const w of words(node.data)) out.push({ node, w: w.w, start: w.start, end: w.end });
  return out;
}

/** Where the folded words `pw` follow one another in `ws` (the last maybe plural, as matched). */
function occurrences(ws: NodeWord[], pw: string[], plural: boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!pw.length) return out;
  const lastK = pw.length - 1;
  for (let i = 0; i + pw.length <= ws.length; i++) {
    let ok = true;
    for (let k = 0; k < pw.length && ok; k++) {
      const w = ws[i + k]!.w;
      const want = pw[k]!;
      ok =
        w === want ||
        (plural &&
          k === lastK &&
          ((w.length > 3 && w === `${want}s`) || (w.length > 4 && w === `${want}es`)));
    }
    if (ok) out.push([i, i + pw.length]);
  }
  return out;
}

/**
 * Ranges of each matched term (as written on the page) in the card's words, whole words only,
 * leaving out the occurrences the rule's exclusions cover ("diffusion" in "diffusion MRI").
 */
function rangesFor(ws: NodeWord[], terms: string[], exclude: string[]): Range[] {
  const seen = new Set<string>();
  const wanted: string[][] = [];
  for (const t of terms) {
    const pw = words(t).map((w) => w.w);
    const key = pw.join(' ');
    if (!pw.length || seen.has(key)) continue;
    seen.add(key);
    wanted.push(pw);
  }
  if (!wanted.length) return [];
  const ex = exclude.flatMap((e) =>
    occurrences(
      ws,
      words(fold(e)).map((w) => w.w),
      true,
    ),
  );
  const ranges: Range[] = [];
  for (const pw of wanted) {
    for (const [from, to] of occurrences(ws, pw, false)) {
      if (ex.some(([a, b]) => a <= from && b >= to)) continue;
      const first = ws[from]!;
      const last = ws[to - 1]!;
      const r = new Range();
      r.setStart(first.node, first.start);
      r.setEnd(last.node, last.end);
      ranges.push(r);
    }
  }
  return ranges;
}

let sheet: CSSStyleSheet | undefined;
/**
 * The names this script registered. The registry is never iterated: in a Firefox content script
 * the iterator `CSS.highlights.keys()` returns comes through an Xray that is not iterable
 * (bug 1023984), so `[...CSS.highlights.keys()]` throws there.
 */
const registered = new Set<string>();

/** Paints every card's matched words, replacing what was painted before. */
export function paintHighlights(
  cards: Array<{ roots: Element[]; highlights: CardHighlight[] }>,
  hostTag: string,
): void {
  if (!highlightsSupported()) return;
  const byRule = new Map<string, { color: string; ranges: Range[] }>();
  for (const c of cards) {
    let ws: NodeWord[] | undefined;
    for (const h of c.highlights) {
      let entry = byRule.get(h.ruleId);
      if (!entry) byRule.set(h.ruleId, (entry = { color: h.color, ranges: [] }));
      if (entry.ranges.length < MAX_RANGES_PER_RULE)
        entry.ranges.push(
          ...rangesFor((ws ??= nodeWords(c.roots, hostTag)), h.terms, h.exclude ?? []),
        );
    }
  }
  clearHighlights();
  const rules: string[] = [];
  for (const [id, { color, ranges }] of byRule) {
    if (!ranges.length) continue;
    CSS.highlights.set(cssName(id), new Highlight(...ranges));
    registered.add(cssName(id));
    // Colors are validated `#rrggbb` (lib/messages.ts); 40 = 25% alpha keeps text readable.
    if (/^#[0-9a-f]{6}$/i.test(color))
      rules.push(`::highlight(${cssName(id)}){background-color:${color}40;}`);
  }
  if (!rules.length) return;
  sheet ??= new CSSStyleSheet();
  sheet.replaceSync(rules.join('\n'));
  const adopted = adoptedSheets(document);
  try {
    if (!adopted.includes(sheet)) setAdoptedSheets(document, [...adopted, sheet]);
  } catch {
    // No way to adopt a sheet here: the words stay unpainted; each card's rule chip still names
    // them (the fallback described at the top of this file).
  }
}

/** Removes every highlight Paper Scout painted (and its stylesheet). */
export function clearHighlights(): void {
  if (!highlightsSupported()) return;
  for (const name of registered) CSS.highlights.delete(name);
  registered.clear();
}

/** Removes highlights and the adopted stylesheet (the extension context went away). */
export function removeHighlightStyles(): void {
  clearHighlights();
  if (!sheet) return;
  const adopted = adoptedSheets(document);
  try {
    if (adopted.includes(sheet))
      setAdoptedSheets(
        document,
        adopted.filter((s) => s !== sheet),
      );
  } catch {
    // Never adopted (see paintHighlights).
  }
}
