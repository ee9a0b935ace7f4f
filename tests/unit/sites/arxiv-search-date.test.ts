// @vitest-environment node
/**
 * arXiv search results date a paper by its first version ("Submitted <latest>; v1 submitted
 * <first>; …"), as its abs page (citation_date) and Hugging Face (publishedAt) do.
 */
import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { arxiv } from '../../../lib/sites/arxiv';

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

describe('arXiv search: date of a revised paper', () => {
  it('is the first-submission date, as the abs page gives (citation_date), not the latest revision', () => {
    // arxiv-search search-macros.html: "Submitted <latest version date>; v1 submitted <v1 date>; …"
    // (the real saved search page has 15 such results). The abs page of 0906.2112 gives
    // citation_date 2009/06/11 (tests/fixtures/pages/arxiv/abs-0906.2112v3-…expected.json).
    const url = 'https://arxiv.org/search/?query=admissible+pairing&searchtype=all';
    const doc = docFrom(
      `<html><body><ol class="breathe-horizontal" start="1"><li class="arxiv-result">
        <div class="is-marginless"><p class="list-title is-inline-block">
          <a href="https://arxiv.org/abs/0906.2112">arXiv:0906.2112</a></p></div>
        <p class="title is-5 mathjax">Symmetric roots and admissible pairing</p>
        <p class="is-size-7"><span class="has-text-black-bis has-text-weight-semibold">Submitted</span> 28 March, 2012; <span class="has-text-black-bis has-text-weight-semibold">v1</span> submitted 11 June, 2009;
          <span class="has-text-black-bis has-text-weight-semibold">originally announced</span> June 2009.</p>
      </li></ol></body></html>`,
      url,
    );
    const page = arxiv.detect(new URL(url))!;
    const [card] = arxiv.findCards(doc, page);
    expect(arxiv.readCard(card!, page, doc)?.date).toBe('2009-06-11');
  });
});
