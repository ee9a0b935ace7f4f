/**
 * The pages the benchmark loads: real saved pages as they are, and big pages made at bench time
 * from real cards (cloned, each clone given its own made-up arXiv id). Pure string work: the
 * markup of every card stays byte for byte what the site served, except the id.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PAGES = resolve('tests/fixtures/pages');

/** @param {string} file path under tests/fixtures/pages */
export const readPage = (file) => readFileSync(join(PAGES, file), 'utf8');

/** Number of cards the unit tests expect on a real saved page (its `.expected.json`). */
export const expectedCards = (file) =>
  JSON.parse(readPage(file.replace(/\.html$/, '.expected.json'))).cards.length;

/** Replaces every occurrence of `from` (an arXiv id) in `text`. */
const swap = (text, from, to) => text.split(from).join(to);

/**
 * Clones get distinct titles too (`… [3003.00017]`): the worker matches papers by title as well
 * as by id, and a library holding many papers of one title is not what real pages make.
 */
const retitle = (markup, titleRe, id) =>
  markup.replace(titleRe, (_m, open, t, close) => `${open}${t.trimEnd()} [${id}]${close}`);

/**
 * A made-up new-style arXiv id: `<prefix>.<5 digits>`, e.g. madeUpId('3003', 1) = '3003.00001'.
 * The prefixes are months of 2030 (`3001`…`3003`): valid ids (the adapters reject a month 99),
 * not issued yet, so they never collide with a real paper.
 */
export const madeUpId = (prefix, n) => `${prefix}.${String(n).padStart(5, '0')}`;

// ---------------------------------------------------------------------------------------------
// Hugging Face: `<article>` cards, one arXiv id per card, plus the page's `DailyPapers` JSON.
// ---------------------------------------------------------------------------------------------

const ARTICLE = /<article[\s\S]*?<\/article>/g;
const HF_CARD_ID = /\/papers\/(\d{4}\.\d{4,5})/;
const HF_TITLE = /(<h3[^>]*><a [^>]*>)([^<]*)(<\/a>)/;
/** The listing island's JSON, HTML-escaped in an attribute (only `&quot;` and `&amp;` occur). */
const HF_PROPS = /(<div[^>]*data-target="DailyPapers"[^>]*data-props=")([^"]*)(")/;
const unescapeAttr = (s) => s.replaceAll('&quot;', '"').replaceAll('&amp;', '&');
const escapeAttr = (s) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

/** The cards of a saved HF listing, each with its id and its item of the page JSON. */
function hfCards(file) {
  const html = readPage(file);
  const props = JSON.parse(unescapeAttr(HF_PROPS.exec(html)[2]));
  const items = new Map(props.dailyPapers.map((item) => [item.paper.id, item]));
  return [...html.matchAll(ARTICLE)].map(([markup]) => {
    const id = HF_CARD_ID.exec(markup)[1];
    return { id, markup, item: items.get(id) };
  });
}

/**
 * A Hugging Face daily page with `n` cards: the 2026-07 page (31 cards) with its grid refilled by
 * clones of the real cards of the 2026-07 and 2026-09 (hydrated) pages, ids `<prefix>.00001`…
 * The page JSON gets the cloned papers too (same rewrites), as a real page of that size would.
 * @returns {{ html: string, ids: string[] }}
 */
export function hfPage(n, prefix) {
  const base = readPage('huggingface/daily-papers-2026-07.html');
  const sources = [
    ...hfCards('huggingface/daily-papers-2026-07.html'),
    ...hfCards('huggingface/daily-papers-hydrated-2026-09.html'),
  ];
  const ids = [];
  const cards = [];
  const items = [];
  for (let i = 0; i < n; i++) {
    const src = sources[i % sources.length];
    const id = madeUpId(prefix, i + 1);
    ids.push(id);
    cards.push(retitle(swap(src.markup, src.id, id), HF_TITLE, id));
    if (src.item) {
      const item = JSON.parse(swap(JSON.stringify(src.item), src.id, id));
      item.title = item.paper.title = `${item.paper.title} [${id}]`;
      items.push(item);
    }
  }
  const first = base.indexOf('<article');
  const last = base.lastIndexOf('</article>') + '</article>'.length;
  // Cards are separated by the same Svelte comments as on the real page.
  let html = base.slice(0, first) + cards.join('<!--]--><!--[-1-->') + base.slice(last);
  html = html.replace(HF_PROPS, (_m, open, raw, close) => {
    const props = JSON.parse(unescapeAttr(raw));
    return open + escapeAttr(JSON.stringify({ ...props, dailyPapers: items })) + close;
  });
  return { html, ids };
}

// ---------------------------------------------------------------------------------------------
// arXiv listings: `dt`/`dd` pairs in one `<dl id='articles'>` per section.
// ---------------------------------------------------------------------------------------------

const DL = /<dl id='articles'>[\s\S]*?<\/dl>/g;
const PAIR = /<dt>[\s\S]*?<\/dd>/g;
const ARXIV_CARD_ID = /\/abs\/(\d{4}\.\d{4,5})/;
const ARXIV_TITLE =
  /(<div class='list-title mathjax'><span class='descriptor'>Title:<\/span>)([\s\S]*?)(\s*<\/div>)/;

/**
 * An arXiv `/new` listing with `n` entries, cloned from the real cond-mat.mtrl-sci page (101
 * entries in three sections: new, cross-lists, replacements; each section keeps its share).
 * Each clone gets id `<prefix>.<first + i>` in its abs/pdf/html links, `id` attributes and text,
 * its own `[item]` number, and a distinct title.
 * @returns {{ html: string, ids: string[] }}
 */
export function arxivListing(n, prefix, first = 1) {
  const base = readPage('arxiv/list-cond-mat.mtrl-sci-new-2026-09.html');
  const total = [...base.matchAll(PAIR)].length;
  const sections = [...base.matchAll(DL)].length;
  const ids = [];
  let made = 0;
  let section = 0;
  const html = base.replace(DL, (dl) => {
    const pairs = [...dl.matchAll(PAIR)].map(([p]) => p);
    const last = ++section === sections;
    const share = last ? n - made : Math.round((n * pairs.length) / total);
    const clones = [];
    for (let i = 0; i < share; i++) {
      const src = pairs[i % pairs.length];
      const from = ARXIV_CARD_ID.exec(src)[1];
      const id = madeUpId(prefix, first + ids.length);
      ids.push(id);
      const item = made + i + 1;
      clones.push(
        retitle(swap(src, from, id), ARXIV_TITLE, id).replace(
          /name='item\d+'>\[\d+\]/,
          `name='item${item}'>[${item}]`,
        ),
      );
    }
    made += share;
    const start = dl.indexOf('<dt>');
    const end = dl.lastIndexOf('</dd>') + '</dd>'.length;
    return (dl.slice(0, start) + clones.join('\n    ') + dl.slice(end)).replace(
      /\(showing \d+ of \d+ entries\)/,
      `(showing ${share} of ${share} entries)`,
    );
  });
  return { html: html.replace(/Total of \d+ entries/, `Total of ${n} entries`), ids };
}
