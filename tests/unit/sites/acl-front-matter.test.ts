// @vitest-environment node
/**
 * ACL Anthology front matter of two-digit volumes outside W (the EMNLP-IJCNLP 2019 workshops,
 * D19-5xxx/6xxx): no card, as for W19-4200 or 2022.acl-long.0.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { matchPage } from '../../../lib/sites/registry';
import { acl, isFrontMatter } from '../../../lib/sites/acl';
import { FIXTURE_ROOT, loadDocument } from './fixture-harness';

function page(html: string, url: string): Document {
  const window = new Window({
    url,
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true },
  });
  const doc = window.document as unknown as Document;
  doc.write(`<!doctype html><html><body>${html}</body></html>`);
  return doc;
}

describe('ACL front matter of EMNLP-IJCNLP 2019 workshop volumes (D19-5xxx/6xxx)', () => {
  it('D19-5500 (W-NUT 2019 front matter, two-digit volume 55) is front matter', () => {
    expect(isFrontMatter('D19-5500')).toBe(true);
    expect(isFrontMatter('D19-6100')).toBe(true);
    expect(isFrontMatter('D19-5501')).toBe(false);
    expect(isFrontMatter('D19-1000')).toBe(true);
    expect(isFrontMatter('D19-1100')).toBe(false);
  });

  it('the volume page /volumes/D19-55/ shows no card for its front matter', () => {
    const url = 'https://aclanthology.org/volumes/D19-55/';
    const entry = (id: string, title: string) =>
      `<p class="d-sm-flex align-items-stretch"><span class="d-block mr-2 text-nowrap list-button-row">` +
      `<a class="badge badge-primary align-middle mr-1" href="https://aclanthology.org/${id}.pdf">pdf</a></span>` +
      `<span class="d-block"><strong><a class="align-middle" href="/${id}/">${title}</a></strong><br></span></p>`;
    const doc = page(
      `<section id="main"><h2 id="title"><a href="https://aclanthology.org/D19-55.pdf">Proceedings of the 5th Workshop on Noisy User-generated Text (W-NUT 2019)</a></h2><hr><div>` +
        entry(
          'D19-5500',
          'Proceedings of the 5th Workshop on Noisy User-generated Text (W-NUT 2019)',
        ) +
        entry(
          'D19-5501',
          'Weakly Supervised Attention Networks for Fine-Grained Opinion Mining and Public Health',
        ) +
        `</div></section>`,
      url,
    );
    const m = matchPage(url)!;
    const ids = acl.findCards(doc, m.page).map((c) => acl.readCard(c, m.page, doc)?.aclId);
    expect(ids).toEqual(['D19-5501']);
  });

  it('the paper page /D19-5500/ is no paper', () => {
    const url = 'https://aclanthology.org/D19-5500/';
    const doc = loadDocument(join(FIXTURE_ROOT, '../handwritten/acl/paper-handmade.html'), url);
    for (const dd of doc.querySelectorAll('dd')) {
      if (dd.textContent?.trim() === '2022.inv-long.1') dd.textContent = 'D19-5500';
    }
    expect(acl.findCards(doc, matchPage(url)!.page)).toEqual([]);
  });
});
