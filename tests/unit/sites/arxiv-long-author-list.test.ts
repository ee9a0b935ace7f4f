// @vitest-environment node
/**
 * Variants of the real saved arXiv pages, each changing one thing a real page can show
 * (arxiv-browse templates as of 2026): an abs page of a paper with more than 100 authors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { arxiv } from '../../../lib/sites/arxiv';
import type { PageMatch } from '../../../lib/sites/types';
import { FIXTURE_ROOT } from './fixture-harness';

function docFrom(html: string, url: string): Document {
  const window = new Window({
    url,
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
    },
  });
  const doc = window.document as unknown as Document;
  doc.write(html);
  return doc;
}

function pageOf(url: string): PageMatch {
  const page = arxiv.detect(new URL(url));
  if (!page) throw new Error(`not an arXiv page: ${url}`);
  return page;
}

const ABS_2026 = readFileSync(join(FIXTURE_ROOT, 'arxiv/abs-2609.22268-2026-09.html'), 'utf8');

const author = (q: string, name: string) =>
  `<a href="https://arxiv.org/search/cond-mat?searchtype=author&amp;query=${q}" rel="nofollow">${name}</a>`;

describe('abs page with a long author list (arxiv-browse abs/author_links.html)', () => {
  it('reads every author and not the "et al. (N additional authors not shown)" toggle link', () => {
    // More than 100 authors: the first 100 are shown, the rest sit in a hidden
    // div#long-author-list, followed by the javascript: toggle link (display_authors_with_links).
    const front = [
      author('Andrieux,+T', 'Théo Andrieux'),
      author('Ntinos,+A', 'Andreas Ntinos'),
    ].join(', ');
    const back = [author('Upadhyay,+M+V', 'Manas V. Upadhyay'), author('Doe,+J', 'Jane Doe')].join(
      ', ',
    );
    const longList =
      `<div class="authors"><span class="descriptor">Authors:</span>${front}, \n` +
      `<script type="text/javascript">\n<!--\nfunction toggleAuthorList(whichLayer,toggleThis){}\n//-->\n</script>\n` +
      `  <div id="long-author-list" style="display: none;">\n        ${back}\n  </div>\n` +
      `  <a href="javascript:toggleAuthorList('long-author-list','et al. (2 additional authors not shown)');"\n` +
      `     title="Show Entire Author List" id="toggle">\n    et al. (2 additional authors not shown)</a>\n` +
      `  <noscript>&nbsp;You must enable JavaScript to view entire author list.</noscript></div>`;
    const html = ABS_2026.replace(/<div class="authors">[\s\S]*?<\/div>/, longList);
    expect(html).not.toBe(ABS_2026);
    const url = 'https://arxiv.org/abs/2609.22268';
    const doc = docFrom(html, url);
    const page = pageOf(url);
    const [card] = arxiv.findCards(doc, page);
    const c = arxiv.readCard(card!, page, doc);
    expect(c?.authors).toEqual([
      'Théo Andrieux',
      'Andreas Ntinos',
      'Manas V. Upadhyay',
      'Jane Doe',
    ]);
  });
});
