/**
 * The content script's engine: finds paper cards with the page's site adapter, mounts one UI host
 * per card (an open shadow root), reports the cards to the background worker in one batched
 * message, and keeps every card's saved state current.
 *
 * Cheap by design (house style 6): one MutationObserver, re-scans batched per animation frame,
 * processed cards remembered in a WeakMap, everything stopped when the extension context goes away.
 *
 * A scan mounts in two steps, so a page's toggles appear at once however many cards it has
 * (issues 2 and 3): first, in one synchronous pass, every card gets its host and a working save
 * toggle made from the card's head (id and title, `SiteAdapter.readHead`, a few DOM look-ups) with
 * plain DOM calls (`mountToggle`); then, after the browser had a chance to paint them, the cards
 * are read in full (authors, abstract, counts…) and reported, and the full bar (marks, badges,
 * Watch, Note) is rendered by Preact when the worker's states arrive. A click on a toggle before
 * that reads its card in full first, so it saves the paper with everything the page says.
 */
import { h, render } from 'preact';
import { browser } from 'wxt/browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { CardBar, mountToggle } from '../../components/CardBar';
import { cardNotePanel } from '../../components/NotePanel';
import cardCss from '../../components/card.css?inline';
import type { RuleKind } from '../db';
import type { CardBadge, CardHighlight, CardState, PageInfo } from '../messages';
import { setAdoptedSheets } from './adopt';
import { paintHighlights, removeHighlightStyles } from './highlight';
import { send } from '../rpc';
import { canonicalKey, type PaperCandidate } from '../paper';
import { pageUrl, sanitizeCandidate } from '../sanitize';
import { detectPage } from '../sites/detect';
import type { MountPoint, PageMatch, SiteAdapter } from '../sites/types';

/** Tag name of the element hosting a card's shadow root (carries `data-paper-id`). */
export const HOST_TAG = 'paper-scout-card';

/** Performance mark names (bench/ reads them). */
export const MARK_START = 'paper-scout:start';
/** Set after a scan has mounted every card it found (detail: number of cards). */
export const MARK_MOUNTED = 'paper-scout:mounted';
/** Set after the background's answer (saved/seen/new) is shown on the cards of a scan. */
export const MARK_STATES = 'paper-scout:states';

let sheet: CSSStyleSheet | undefined;

/** Keys typed into our UI stop at its shadow root: they must not reach the page's shortcuts. */
const stopKey = (e: Event) => e.stopPropagation();
const ISOLATED_EVENTS = ['keydown', 'keyup', 'keypress'] as const;

/**
 * A card's UI host: a `HOST_TAG` element with an open shadow root holding one container.
 *
 * Made directly rather than with WXT's `createShadowRootUi`, for speed: that helper is async (one
 * Promise and await per card, for CSS loading we do not use), adds an empty `<style>` to each root
 * and registers one invalidation listener per card (on the 500-card Hugging Face bench page, host
 * creation and mount took ~30 ms of a ~100 ms mount; made directly, with no await per card, the
 * whole synchronous pass takes ~30 ms). Its behaviours are kept here: `all: initial` reset and the card styles (one shared
 * constructed stylesheet, `cardSheet`), key events isolated from the page (as its
 * `isolateEvents`), and removal when the context is invalidated (`stop` disposes every view).
 * Throws when the page made our tag name refuse shadow roots (the caller skips that card); the
 * shadow root is attached before the host is placed, so such a page never sees a host.
 */
function createHost(): { host: HTMLElement; container: HTMLElement } {
  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  // Not a plain assignment: Firefox before 153 refuses it from a content script (./adopt.ts).
  // Where no way of adopting works, a <style> of the same rules does (one per card, dearer).
  try {
    setAdoptedSheets(shadow, [cardSheet()]);
  } catch {
    const style = document.createElement('style');
    style.textContent = CARD_CSS_TEXT;
    shadow.append(style);
  }
  for (const type of ISOLATED_EVENTS) shadow.addEventListener(type, stopKey);
  const container = document.createElement('div');
  shadow.append(container);
  return { host, container };
}

/** Resolves in a later task, after the browser could paint what this one mounted. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Main-thread time one slice of card work (reading cards in full, painting their states) may take
 * before the page gets a turn (its input, scrolling, rendering). Done in one task each, reading
 * and painting a 1,000-card arXiv listing froze the page twice (~100–170 ms reading, ~200–300 ms
 * painting and laying out the bars), well over the ~50 ms a task may take before users feel it.
 */
const SLICE_MS = 8;
/** Most cards painted in one slice, whatever the clock says (a coarse or slow `performance.now`). */
const SLICE_CARDS = 100;
/**
 * Cards painted between two frames. Each painted bar costs the browser style, layout and
 * pre-paint work in its next frame (traced on the 1,000-entry listing, busy machine: ~0.5 ms a
 * card, plus ~15 ms a frame whatever the count). 200 cards a frame gave ~100 ms frames; a frame
 * after every slice made the whole ~2× slower; no frame let through (`scheduler.yield` alone)
 * left ~400 cards to one frame of ~130–190 ms. Since the bars out of view are skipped by the
 * browser (`content-visibility: auto`, components/card.css) a frame costs far less, yet 300 cards a
 * frame measured no faster to the last state (~970 vs ~860 ms, 8 visits each, busy machine).
 */
const FRAME_CARDS = 100;

/**
 * Gives the page a turn, then resumes: `scheduler.yield` where the browser has it (Chrome 129+:
 * input is handled in between, and the continuation goes ahead of other queued tasks, so slicing
 * does not make the whole slower), else a new task.
 */
const yieldToPage = (): Promise<void> => {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof s?.yield === 'function') return s.yield();
  return nextTask();
};

/**
 * Resolves in a task after the browser's next frame, so what was painted so far reaches the
 * screen (a `scheduler.yield` continuation may run before the frame). A hidden tab runs no
 * animation frames: there, and when the tab is hidden while waiting, it goes on without one.
 */
const nextFrame = (): Promise<void> => {
  if (document.visibilityState === 'hidden') return yieldToPage();
  return new Promise<void>((resolve) => {
    const go = () => {
      document.removeEventListener('visibilitychange', go);
      setTimeout(resolve, 0);
    };
    document.addEventListener('visibilitychange', go);
    requestAnimationFrame(go);
  });
};

/** The card UI's rules: a reset of the host, then components/card.css. */
const CARD_CSS_TEXT = `:host{all:initial !important;}\n${cardCss}`;

/** The card UI's stylesheet, constructed once and shared by every card's shadow root. */
function cardSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CARD_CSS_TEXT);
  }
  return sheet;
}

/** Colors for rules made from a card (readable with white text; picked by the term's hash). */
const RULE_COLORS = ['#b45309', '#7c3aed', '#0f766e', '#be185d', '#1d4ed8', '#4d7c0f', '#b91c1c'];

function ruleColor(term: string): string {
  let h = 0;
  for (const ch of term) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return RULE_COLORS[Math.abs(h) % RULE_COLORS.length]!;
}

/** Cards per `cards/seen` message. */
const BATCH = 1_000;

/** One card's UI and what it shows. */
interface CardView {
  card: Element;
  identity: string;
  adapter: SiteAdapter;
  page: PageMatch;
  /** What the card's head says (id and title): enough to mount its toggle. */
  head: PaperCandidate;
  /** The card read in full (`candidateOf`), once something needed it. */
  candidate?: PaperCandidate;
  site: PageMatch['site'];
  /** Current record id (starts as the card's own key; the background may resolve another). */
  id: string;
  host?: HTMLElement;
  container?: HTMLElement;
  /** Detaches the first toggle's click handler (until Preact renders the full bar). */
  detachToggle?: () => void;
  /** The user toggled this card: a later `cards/seen` answer must not undo what they did. */
  touched: boolean;
  /** The page URL the card was last reported for (client navigation may keep the element). */
  url?: string;
  /** The last `cards/seen` sent for this card: only its answer is shown. */
  seq: number;
  /** The note panel (components/NotePanel.tsx) is open. */
  noteOpen?: boolean;
  state: {
    saved: boolean;
    /** The background's answer for this card has not arrived yet. */
    loading: boolean;
    /** A save or unsave is in flight. */
    busy: boolean;
    seen: boolean;
    isNew: boolean;
    newVersion: boolean;
    highlights: CardHighlight[];
    badges: CardBadge[];
    /** The saved paper this one is close to (the background's `related/marks` notice). */
    related?: { id: string; title: string };
    error?: string;
  };
  /** Elements holding the card's title and abstract (for painting watch-rule matches). */
  roots: Element[];
}

function placeHost(host: Element, mp: MountPoint): void {
  if (mp.position === 'after') mp.anchor.after(host);
  else if (mp.position === 'prepend') mp.anchor.prepend(host);
  else mp.anchor.append(host);
}

/**
 * Starts annotating the page with the given site adapters (a content script passes its own site's).
 * Returns a stop function (also run when the context is invalidated).
 */
export function startContent(
  ctx: ContentScriptContext,
  adapters: readonly SiteAdapter[],
): () => void {
  // User-timing marks (shared with the page's performance timeline) let `npm run bench` measure
  // start → all toggles mounted → states shown, without any test-only code path.
  performance.mark(MARK_START);
  // WXT announces each content script start to the window, and a script that hears a later start
  // of itself tears its UI down. A page script can replay that announcement (it receives it too)
  // to remove our UI from its cards. A built extension never injects a second copy into a live
  // page, so in a build such an event is always forged: it is stopped before WXT's listener
  // (tests/e2e/hostile.spec.ts). Dev mode keeps WXT's reload behaviour.
  const forgedRestart = (e: Event) => e.stopImmediatePropagation();
  const restartEvent = (ContentScriptContext as unknown as { SCRIPT_STARTED_MESSAGE_TYPE: string })
    .SCRIPT_STARTED_MESSAGE_TYPE;
  if (import.meta.env.PROD) window.addEventListener(restartEvent, forgedRestart, true);
  const loadId = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const views = new WeakMap<Element, CardView>();
  /** Live views by record id and alias, for change notices. */
  const byId = new Map<string, Set<CardView>>();
  let frame = 0;
  let stopped = false;
  /** `cards/seen` messages sent so far (numbers each one). */
  let reports = 0;

  const index = (v: CardView, id: string) => {
    let set = byId.get(id);
    if (!set) byId.set(id, (set = new Set()));
    set.add(v);
  };
  const unindex = (v: CardView) => {
    for (const set of byId.values()) set.delete(v);
  };

  /**
   * The card read in full, sanitized; read on first need (the report, a click, a paint). Falls
   * back to the head when the full read fails or names another paper (the card changed since).
   */
  const candidateOf = (v: CardView): PaperCandidate => {
    if (v.candidate) return v.candidate;
    let full: PaperCandidate | null = null;
    try {
      const read = v.adapter.readCard(v.card, v.page, document);
      full = read ? sanitizeCandidate(read) : null;
    } catch {
      // A card that breaks the reader keeps what its head said.
    }
    v.candidate = full && canonicalKey(full) === canonicalKey(v.head) ? full : v.head;
    return v.candidate;
  };

  const paint = (v: CardView) => {
    if (!v.container || !v.host) return;
    v.host.setAttribute('data-paper-id', v.id);
    // From here on Preact owns the container (and re-uses the first toggle's elements).
    v.detachToggle?.();
    v.detachToggle = undefined;
    const candidate = candidateOf(v);
    render(
      h(CardBar, {
        title: candidate.title,
        ...v.state,
        onToggle: (e: MouseEvent) => toggle(v, e),
        onTopic: (e: MouseEvent, topic: string) => {
          // Only the user's own click: a page script cannot open our popup.
          if (e.isTrusted) void send({ type: 'topics/show', topic });
        },
        watch: {
          authors: candidate.authors ?? [],
          organization: candidate.organization,
          categories: candidate.categories ?? [],
          topics: v.state.badges.map((b) => ({ id: b.id, name: b.name })),
        },
        onWatch: (e: Event, kind: RuleKind, term: string) => void watch(e, kind, term),
        noteOpen: v.noteOpen,
        onNote: (e: MouseEvent) => toggleNote(v, e),
        notePanel: v.noteOpen
          ? cardNotePanel({
              id: v.id,
              candidate,
              site: v.site,
              onClose: () => closeNote(v),
              onSaved: (p) => {
                setId(v, p.id);
                // A note saves the paper: an older `cards/seen` answer must not undo that.
                if (p.saved) v.touched = true;
                if (p.saved === v.state.saved) return;
                v.state = { ...v.state, saved: p.saved };
                paint(v);
              },
            })
          : undefined,
      }),
      v.container,
    );
  };

  /** The note panel opens and closes on the user's click only (as the save toggle saves). */
  const toggleNote = (v: CardView, e: MouseEvent) => {
    if (!e.isTrusted) return;
    v.noteOpen = !v.noteOpen;
    paint(v);
  };

  /** Closes the note panel and gives focus back to its button. */
  const closeNote = (v: CardView) => {
    v.noteOpen = false;
    paint(v);
    v.container?.querySelector<HTMLElement>('button[data-action="note"]')?.focus();
  };

  /** "Watch this": one step from a card's author, organization, topic or category to a rule. */
  const watch = async (e: Event, kind: RuleKind, term: string) => {
    if (!e.isTrusted) return;
    const res = await send({
      type: 'rules/save',
      rule: { name: term, kind, terms: [term], exclude: [], color: ruleColor(term), paused: false },
    });
    if (!res.ok) console.warn('Paper Scout: could not create the rule:', res.error.message);
    // The background tells every tab (this one too) that rules changed; cards then refresh.
  };

  const toggle = async (v: CardView, e: MouseEvent) => {
    // Only a real user's click saves: a page script's synthetic click has isTrusted === false.
    if (!e.isTrusted || v.state.busy) return;
    const want = !v.state.saved;
    v.touched = true;
    v.state = { ...v.state, saved: want, busy: true, error: undefined };
    paint(v);
    const res = await send({
      type: 'paper/setSaved',
      paper: candidateOf(v),
      site: v.site,
      saved: want,
    });
    if (res.ok) {
      setId(v, res.value.id);
      v.state = { ...v.state, saved: res.value.saved, busy: false };
    } else {
      v.state = { ...v.state, saved: !want, busy: false, error: res.error.message };
    }
    paint(v);
  };

  const setId = (v: CardView, id: string) => {
    if (v.id === id) return;
    v.id = id;
    index(v, id);
  };

  const dispose = (v: CardView) => {
    unindex(v);
    v.detachToggle?.();
    if (v.container) render(null, v.container);
    v.host?.remove();
    // A slice still to run, or an answer still to come, must not render into a removed host.
    v.container = undefined;
  };

  /** Mounts a card's host and first toggle, synchronously; null when it cannot be read or placed. */
  const mount = (
    adapter: SiteAdapter,
    page: PageMatch,
    card: Element,
    identity: string,
    url: string | undefined,
  ): CardView | null => {
    const read = adapter.readHead
      ? adapter.readHead(card, page, document)
      : adapter.readCard(card, page, document);
    const head = read ? sanitizeCandidate(read) : null;
    const key = head ? canonicalKey(head) : null;
    const mp = adapter.mountPoint(card, page);
    if (!head || !key || !mp) return null;
    const { host, container } = createHost();
    const v: CardView = {
      card,
      identity,
      adapter,
      page,
      head,
      // Without a head reader the card was just read in full.
      candidate: adapter.readHead ? undefined : head,
      site: adapter.id,
      id: key,
      touched: false,
      url,
      seq: 0,
      roots: adapter.textRoots?.(card, page) ?? [card],
      state: {
        highlights: [],
        badges: [],
        saved: false,
        loading: true,
        busy: false,
        seen: false,
        isNew: false,
        newVersion: false,
      },
    };
    host.setAttribute('data-paper-id', key);
    v.detachToggle = mountToggle(container, head.title, (e) => void toggle(v, e));
    placeHost(host, mp);
    v.host = host;
    v.container = container;
    views.set(card, v);
    index(v, key);
    return v;
  };

  /**
   * Where painting starts: the first card not above the viewport (cards are in document order),
   * so the cards the user looks at get their states first. At the top of the page that is the
   * first card, found without asking for any geometry; scrolled down, a binary search reads ~10
   * card boxes (one layout at most, the toggles just painted left little to lay out).
   */
  const firstInView = (list: CardView[]): number => {
    if (!(window.scrollY > 0)) return 0;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.card.getBoundingClientRect().bottom <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length ? lo : 0;
  };

  /**
   * Paints the cards in slices of `SLICE_MS` (a later task for each next slice), the cards in and
   * below the viewport first, then those above it. Resolves once every card of the list is
   * painted, or when the content script stopped. Each card is painted with its state at that
   * moment, so an answer (or a click) that came in the meantime is what it shows.
   */
  const paintSliced = async (list: CardView[]) => {
    const k = firstInView(list);
    const order = [...list.slice(k), ...list.slice(0, k).reverse()];
    let start = performance.now();
    let inSlice = 0;
    /** Cards painted since the last frame; null before the first slice was shown. */
    let sinceFrame: number | null = null;
    for (const v of order) {
      if (inSlice >= SLICE_CARDS || (inSlice > 0 && performance.now() - start >= SLICE_MS)) {
        // The first slice (the cards in view) is shown at once, then a frame per FRAME_CARDS.
        sinceFrame = sinceFrame === null ? FRAME_CARDS : sinceFrame + inSlice;
        if (sinceFrame >= FRAME_CARDS) {
          sinceFrame = 0;
          await nextFrame();
        } else await yieldToPage();
        if (stopped) return;
        start = performance.now();
        inSlice = 0;
      }
      paint(v);
      inSlice++;
    }
  };

  /**
   * Shows a `cards/seen` answer. Every card's state is taken at once (a click or a change notice
   * in between sees the answer); the painting is sliced (`paintSliced`), and the rules' words are
   * highlighted once every card is painted.
   */
  const applyStates = async (list: CardView[], states: CardState[], seq: number) => {
    const shown: CardView[] = [];
    list.forEach((v, i) => {
      const s = states[i];
      // A later report of this card (another page, after client navigation) has the last word.
      if (!s || v.seq !== seq) return;
      setId(v, s.id);
      v.state = {
        ...v.state,
        saved: v.touched ? v.state.saved : s.saved,
        loading: false,
        seen: s.seen,
        isNew: s.isNew,
        newVersion: s.newVersion,
        highlights: s.highlights,
        badges: s.badges ?? [],
      };
      shown.push(v);
    });
    await paintSliced(shown);
    if (stopped) return;
    repaintHighlights();
  };

  /** Reads the cards in full (`candidateOf`), a slice of `SLICE_MS` per task; null once stopped. */
  const readSliced = async (list: CardView[]): Promise<PaperCandidate[] | null> => {
    const out: PaperCandidate[] = [];
    let start = performance.now();
    for (const v of list) {
      if (performance.now() - start >= SLICE_MS) {
        await yieldToPage();
        if (stopped) return null;
        start = performance.now();
      }
      out.push(candidateOf(v));
    }
    return out;
  };

  /** Paints the words every live card's rules matched (CSS Custom Highlight API). */
  const repaintHighlights = () => {
    const list = [...new Set([...byId.values()].flatMap((set) => [...set]))]
      .filter((v) => v.state.highlights.length && v.host?.isConnected)
      .map((v) => ({ roots: v.roots, highlights: v.state.highlights }));
    paintHighlights(list, HOST_TAG);
  };

  /** Sends cards to the background (recording sightings) and shows the states it answers. */
  const report = async (list: CardView[], info: PageInfo) => {
    // Batches stay well under the protocol's card limit, whatever the page's size.
    for (let i = 0; i < list.length; i += BATCH) {
      const chunk = list.slice(i, i + BATCH);
      const seq = ++reports;
      for (const v of chunk) {
        v.seq = seq;
        v.url = info.url;
      }
      const cards = await readSliced(chunk);
      if (!cards) return;
      const res = await send({ type: 'cards/seen', page: info, cards });
      if (stopped) return;
      if (res.ok) await applyStates(chunk, res.value.cards, seq);
      else {
        const failed = chunk.filter((v) => v.seq === seq);
        for (const v of failed) v.state = { ...v.state, loading: false, error: res.error.message };
        await paintSliced(failed);
      }
      if (stopped) return;
    }
  };

  const pageInfo = (): PageInfo | null => {
    const m = detectPage(location.href, adapters);
    if (!m) return null;
    return {
      url: pageUrl(location.href),
      site: m.adapter.id,
      kind: m.page.kind,
      listing: m.page.listing,
      loadId,
    };
  };

  /** Asks again for every live card's state (watch rules changed). */
  const refresh = async () => {
    const info = pageInfo();
    const live = [...new Set([...byId.values()].flatMap((set) => [...set]))].filter(
      (v) => v.host?.isConnected,
    );
    if (info && live.length) await report(live, info);
  };

  const scan = async () => {
    frame = 0;
    if (stopped) return;
    const m = detectPage(location.href, adapters);
    if (!m) return;
    const { adapter, page } = m;
    const info = pageInfo();
    const mounted: CardView[] = [];
    /** Cards kept by the framework across a client navigation: on a new page, reported again. */
    const moved: CardView[] = [];
    for (const card of adapter.findCards(document, page)) {
      const identity = adapter.cardIdentity(card);
      if (!identity) continue;
      const old = views.get(card);
      if (old) {
        // Same paper, UI still in place: nothing to do. A framework that re-used the element for
        // another paper, or removed our host, gets a fresh UI.
        if (old.identity === identity && old.host?.isConnected) {
          if (info && old.url !== info.url) moved.push(old);
          continue;
        }
        dispose(old);
        views.delete(card);
      }
      // A card that cannot be read or given a UI (e.g. the page defined our host's tag as a custom
      // element refusing shadow roots) is skipped; it never fails the page's other cards, and never
      // throws into the page (tests/e2e/hostile.spec.ts).
      try {
        const v = mount(adapter, page, card, identity, info?.url);
        if (v) mounted.push(v);
      } catch {
        // skipped, see above
      }
    }
    if (!info || (!mounted.length && !moved.length)) return;
    if (mounted.length) performance.mark(MARK_MOUNTED, { detail: mounted.length });
    for (const v of moved) v.url = info.url;
    // Let the toggles reach the screen before the cards are read in full and reported.
    await nextTask();
    if (stopped) return;
    await report([...mounted, ...moved], info);
    if (stopped) return;
    if (mounted.length) performance.mark(MARK_STATES, { detail: mounted.length });
  };

  const schedule = () => {
    if (!frame && !stopped) frame = ctx.requestAnimationFrame(() => void scan());
  };

  const observer = new MutationObserver((records) => {
    // Our own hosts being inserted are not news; anything else might be (client navigation).
    for (const r of records) {
      for (const n of r.addedNodes)
        if (!(n instanceof Element) || n.localName !== HOST_TAG) return schedule();
      if (r.removedNodes.length || r.type === 'attributes') return schedule();
    }
  });
  // hrefs too: a framework may re-use a card element for another paper by changing its links.
  observer.observe(document.body ?? document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['href'],
  });

  const onMessage = (msg: unknown) => {
    const notice = msg as { type?: unknown; changes?: unknown; marks?: unknown };
    if (notice?.type === 'rules/changed') {
      void refresh();
      return;
    }
    if (notice?.type === 'related/marks' && Array.isArray(notice.marks)) {
      for (const m of notice.marks as {
        id?: unknown;
        nearest?: { id?: unknown; title?: unknown };
      }[]) {
        const near = m?.nearest;
        if (
          typeof m?.id !== 'string' ||
          typeof near?.id !== 'string' ||
          typeof near.title !== 'string'
        )
          continue;
        for (const v of byId.get(m.id) ?? []) {
          if (v.state.saved) continue;
          v.state = { ...v.state, related: { id: near.id, title: near.title.slice(0, 500) } };
          paint(v);
        }
      }
      return;
    }
    if (notice?.type !== 'papers/changed' || !Array.isArray(notice.changes)) return;
    for (const c of notice.changes as { id?: unknown; saved?: unknown; aliases?: unknown }[]) {
      if (typeof c?.id !== 'string' || typeof c.saved !== 'boolean') continue;
      const ids = [
        c.id,
        ...(Array.isArray(c.aliases) ? c.aliases.filter((a) => typeof a === 'string') : []),
      ];
      for (const id of ids) {
        for (const v of byId.get(id) ?? []) {
          setId(v, c.id);
          if (v.state.busy) continue;
          v.state = { ...v.state, saved: c.saved };
          paint(v);
        }
      }
    }
  };
  browser.runtime.onMessage.addListener(onMessage);

  const stop = () => {
    if (stopped) return;
    stopped = true;
    observer.disconnect();
    if (frame) cancelAnimationFrame(frame);
    browser.runtime.onMessage.removeListener(onMessage);
    for (const set of byId.values()) for (const v of set) dispose(v);
    byId.clear();
    removeHighlightStyles();
    window.removeEventListener(restartEvent, forgedRestart, true);
  };
  ctx.onInvalidated(stop);
  void scan();
  return stop;
}
