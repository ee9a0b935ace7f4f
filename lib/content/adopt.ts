/**
 * Reading and setting `adoptedStyleSheets` from a content script, in every browser we ship for.
 *
 * Firefox before 153 shows a content script the page's `adoptedStyleSheets` through an Xray that
 * is opaque (no `length`, no array methods) and refuses an assigned array (it throws); only the
 * page's own view of the object (`wrappedJSObject`) works, given an array made in the page's
 * scope (`cloneInto`). Firefox 153 lifted that (bug 1751346,
 * https://developer.mozilla.org/en-US/docs/Mozilla/Firefox/Releases/153 "Changes for add-on
 * developers"); Chrome never had it. tests/unit/content-firefox-xray.test.ts.
 */

type Adopting = DocumentOrShadowRoot & { wrappedJSObject?: DocumentOrShadowRoot };

/** Firefox content-script global (Components.utils.cloneInto). */
declare const cloneInto:
  (<T>(obj: T, targetScope: object, options?: { wrapReflectors?: boolean }) => T) | undefined;

function copy(list: unknown): CSSStyleSheet[] | null {
  const l = list as { length?: unknown } | null | undefined;
  if (!l || typeof l.length !== 'number') return null;
  const out: CSSStyleSheet[] = [];
  for (let i = 0; i < l.length; i++) out.push((l as unknown as CSSStyleSheet[])[i]!);
  return out;
}

/** The target's adopted sheets, as a plain array of this script's realm. */
export function adoptedSheets(target: Adopting): CSSStyleSheet[] {
  let direct: CSSStyleSheet[] | null = null;
  try {
    direct = copy(target.adoptedStyleSheets);
  } catch {
    // Opaque wrapper (Firefox < 153): read the page's own view below.
  }
  if (direct) return direct;
  try {
    return copy(target.wrappedJSObject?.adoptedStyleSheets) ?? [];
  } catch {
    return [];
  }
}

/** Replaces the target's adopted sheets. Throws only where neither way works. */
export function setAdoptedSheets(target: Adopting, sheets: CSSStyleSheet[]): void {
  try {
    target.adoptedStyleSheets = sheets;
    return;
  } catch (e) {
    const waived = target.wrappedJSObject;
    if (!waived || typeof cloneInto !== 'function') throw e;
    // An array of the page's realm holding our sheets by reference (DOM objects are not cloned).
    waived.adoptedStyleSheets = cloneInto(sheets, window, { wrapReflectors: true });
  }
}
