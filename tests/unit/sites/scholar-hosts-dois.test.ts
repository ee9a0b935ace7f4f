// @vitest-environment node
/**
 * Scholar on hosts and links the saved pages lack: every country domain Scholar redirects to, and
 * DOIs in publisher links that carry a version or view suffix after them (bioRxiv, Emerald).
 */
import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { canonicalKey, type PaperCandidate } from '../../../lib/paper';
import { matchPage, HOST_MATCHES } from '../../../lib/sites/registry';
import { doiFromUrl, scholar } from '../../../lib/sites/scholar';
import type { PageMatch } from '../../../lib/sites/types';

const RESULTS: PageMatch = { site: 'scholar', kind: 'results', listing: true };

function page(html: string, url: string): Document {
  const window = new Window({
    url,
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true },
  });
  const doc = window.document as unknown as Document;
  doc.write(`<!doctype html><html><body>${html}</body></html>`);
  return doc;
}

describe('Scholar country domains outside the hard-coded list', () => {
  // Real Scholar domains (Sri Lanka, Kenya, Estonia, Uruguay, Nepal, Kazakhstan, Ethiopia, Morocco).
  const hosts = [
    'scholar.google.lk',
    'scholar.google.co.ke',
    'scholar.google.ee',
    'scholar.google.com.uy',
    'scholar.google.com.np',
    'scholar.google.kz',
    'scholar.google.com.et',
    'scholar.google.co.ma',
  ];
  it.each(hosts)('%s/scholar?q=… is a Scholar result page', (host) => {
    const url = `https://${host}/scholar?hl=en&q=transformers`;
    expect(matchPage(url)?.page).toEqual(RESULTS);
    expect(HOST_MATCHES).toContain(`https://${host}/scholar*`);
  });
});

describe('bioRxiv/medRxiv links carry the version and a view suffix after the DOI', () => {
  it.each([
    [
      'https://www.biorxiv.org/content/10.1101/2020.03.22.002386v1.abstract',
      '10.1101/2020.03.22.002386',
    ],
    [
      'https://www.biorxiv.org/content/10.1101/2020.03.22.002386v3.full',
      '10.1101/2020.03.22.002386',
    ],
    [
      'https://www.biorxiv.org/content/10.1101/2020.03.22.002386v2.full.pdf',
      '10.1101/2020.03.22.002386',
    ],
    [
      'https://www.medrxiv.org/content/10.1101/2020.02.18.20024364v1.full-text',
      '10.1101/2020.02.18.20024364',
    ],
    ['https://www.biorxiv.org/content/10.1101/770271v1.abstract', '10.1101/770271'],
  ])('%s → %s', (url, doi) => {
    expect(doiFromUrl(url)).toBe(doi);
  });

  it('two Scholar cards for two versions of one preprint get one key', () => {
    const card = (cid: string, href: string) =>
      `<div class="gs_r gs_or gs_scl" data-cid="${cid}"><div class="gs_ri"><h3 class="gs_rt"><a href="${href}">A preprint</a></h3>` +
      `<div class="gs_a">A Author - bioRxiv, 2020 - biorxiv.org</div></div></div>`;
    const doc = page(
      card('a', 'https://www.biorxiv.org/content/10.1101/2020.03.22.002386v1.abstract') +
        card('b', 'https://www.biorxiv.org/content/10.1101/2020.03.22.002386v3.full'),
      'https://scholar.google.com/scholar?q=x',
    );
    const keys = scholar
      .findCards(doc, RESULTS)
      .map((c) => canonicalKey(scholar.readCard(c, RESULTS, doc) as PaperCandidate));
    expect(keys).toEqual(['doi:10.1101/2020.03.22.002386', 'doi:10.1101/2020.03.22.002386']);
  });
});

describe('Emerald Insight links end in two view segments (/full/html, /full/pdf)', () => {
  it.each([
    [
      'https://www.emerald.com/insight/content/doi/10.1108/JD-10-2018-0164/full/html',
      '10.1108/JD-10-2018-0164',
    ],
    [
      'https://www.emerald.com/insight/content/doi/10.1108/JD-10-2018-0164/full/pdf?title=x',
      '10.1108/JD-10-2018-0164',
    ],
  ])('%s → %s', (url, doi) => {
    expect(doiFromUrl(url)).toBe(doi);
  });
});
