/**
 * Importing bibliographies: files laid out as Zotero, Google Scholar, arXiv, the ACL Anthology,
 * JabRef and EndNote export them (tests/fixtures/import/handwritten), merging with what the
 * library already has, broken and hostile files of each kind (tests/fixtures/import/broken), and a
 * file of 10,000 entries.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../lib/db';
import { ExchangeError } from '../../lib/exchange/errors';
import { formatBibtex } from '../../lib/exchange/citation';
import {
  Stager,
  commitImport,
  detectFormat,
  finishStaging,
  parseImport,
  readImportFile,
  stageImport,
} from '../../lib/exchange/import';
import { openSessions } from '../../lib/exchange/session';
import { assignCitationKeys } from '../../lib/exchange/keys';
import { recordCards } from '../../lib/library';
import { dump, envOf, importText, newDb, paper, sender } from './exchange-helpers';
import { storedSightings } from './helpers/sightings';

const HW = 'tests/fixtures/import/handwritten';
const BROKEN = 'tests/fixtures/import/broken';
const read = (p: string) => readFileSync(p, 'utf8');
const NOW = 1_800_000_000_000;

async function papersOf(file: string): Promise<PaperRecord[]> {
  const db = await newDb();
  await importText(db, read(`${HW}/${file}`), file, NOW);
  return db.papers.toArray();
}

describe('real-world-like files', () => {
  it('Zotero BibTeX: arXiv preprints by id, DOIs, ACL ids, tags, notes, Zotero escapes', async () => {
    const db = await newDb();
    const { preview, report } = await importText(db, read(`${HW}/zotero.bib`), 'zotero.bib', NOW);
    expect(preview.tables.papers).toEqual({ added: 4, merged: 0, unchanged: 0, skipped: 0 });
    expect(report.tables.papers).toEqual(preview.tables.papers);
    expect(report.issues[0]).toEqual({
      kind: 'dropped',
      where: 'fields',
      message:
        'Not kept, Paper Scout has no place for them: urldate (4), publisher (3), file (2), pages (2), address (1), shorttitle (1), editor (1), volume (1), copyright (1), issn (1), language (1), number (1).',
    });
    const byId = new Map((await db.papers.toArray()).map((p) => [p.id, p]));
    expect([...byId.keys()].sort()).toEqual([
      'arxiv:1706.03762',
      'arxiv:2203.07687',
      'doi:10.1038/s41586-021-03819-2',
      'doi:10.18653/v1/n19-1423',
    ]);
    expect(byId.get('arxiv:1706.03762')).toMatchObject({
      title: 'Attention Is All You Need',
      authors: expect.arrayContaining(['Ashish Vaswani', 'Aidan N. Gomez']),
      date: '2023-08',
      year: 2023,
      arxivId: '1706.03762',
      urls: { arxiv: 'https://arxiv.org/abs/1706.03762' },
      tags: ['Computer Science - Computation and Language', 'Computer Science - Machine Learning'],
      note: 'Read for the reading group. Section 3.2: scaled dot-product attention.',
      citationKey: 'vaswani_attention_2023',
      savedAt: NOW,
      state: 'inbox',
    });
    expect(byId.get('doi:10.18653/v1/n19-1423')).toMatchObject({
      title: 'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding',
      aclId: 'N19-1423',
      aliases: ['acl:N19-1423'],
      venue: expect.stringMatching(
        /^Proceedings of the 2019 Conference of the North American Chapter/,
      ),
      urls: { acl: 'https://aclanthology.org/N19-1423/' },
    });
    expect(byId.get('doi:10.1038/s41586-021-03819-2')).toMatchObject({
      venue: 'Nature',
      authors: expect.arrayContaining(['Augustin Žídek', 'Demis Hassabis']),
      tags: ['protein structure', 'machine learning'],
    });
    // Zotero's \$, {\textbackslash}, \%, \&, {\textless}: the text as written, not TeX.
    expect(byId.get('arxiv:2203.07687')!.abstract).toBe(
      'Our method improves retrieval speed (8.2$\\times$) and memory usage (8.0$\\times$) compared with state-of-the-art large models; 50% of the cost & <1% loss.',
    );
  });

  it('Google Scholar BibTeX and RIS: "arXiv preprint arXiv:…" gives the arXiv id; LaTeX accents', async () => {
    for (const file of ['google-scholar.bib', 'google-scholar.ris']) {
      const papers = await papersOf(file);
      const he = papers.find((p) => p.title.startsWith('Rethinking'));
      expect(he, file).toMatchObject({ id: 'arxiv:2301.00303', arxivId: '2301.00303', year: 2022 });
      expect(he!.venue).toBeUndefined();
      const vaswani = papers.find((p) => p.title === 'Attention is all you need');
      expect(vaswani, file).toMatchObject({
        id: 'title:attention is all you need',
        venue: 'Advances in neural information processing systems',
        authors: expect.arrayContaining(['Łukasz Kaiser']),
      });
    }
    expect(
      (await papersOf('google-scholar.bib')).find((p) => p.title.startsWith('When'))?.authors[0],
    ).toBe('Rafael Müller');
  });

  it('arXiv BibTeX: eprint, primary class, version; TeX math in titles kept as TeX', async () => {
    const papers = await papersOf('arxiv.bib');
    expect(papers.map((p) => p.id).sort()).toEqual([
      'arxiv:1706.03762',
      'arxiv:2105.01601',
      'arxiv:2106.09685',
      'arxiv:2205.14135',
      'arxiv:2401.99999',
    ]);
    expect(papers.find((p) => p.id === 'arxiv:2105.01601')).toMatchObject({
      version: 4,
      categories: ['cs.CV'],
    });
    expect(papers.find((p) => p.id === 'arxiv:2205.14135')!.authors).toContain('Christopher Ré');
    expect(papers.find((p) => p.id === 'arxiv:2401.99999')!.title).toBe(
      // A lone TeX symbol is read as its character (Citation.js writes ϵ as $\epsilon$).
      'Training $O(n^2)$-Free Networks with ϵ-Greedy Sampling on $\\mathbb{R}^d$',
    );
  });

  it('ACL Anthology (quoted values, multi-line authors) and JabRef (@String, @Comment, parentheses)', async () => {
    const acl = await papersOf('acl-anthology.bib');
    expect(acl.find((p) => p.aclId === 'P16-1162')).toMatchObject({
      id: 'doi:10.18653/v1/p16-1162',
      authors: ['Rico Sennrich', 'Barry Haddow', 'Alexandra Birch'],
      date: '2016-08',
      citationKey: 'sennrich-etal-2016-neural',
    });
    const jabref = await papersOf('jabref-strings.bib');
    expect(jabref.map((p) => [p.title, p.venue])).toEqual(
      expect.arrayContaining([
        [
          'Denoising Diffusion Probabilistic Models',
          'Advances in Neural Information Processing Systems',
        ],
        [
          'Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift',
          'Proceedings of the International Conference on Machine Learning',
        ],
      ]),
    );
    expect(jabref.find((p) => p.arxivId === '1412.6980')?.title).toBe(
      'Adam: A Method for Stochastic Optimization',
    );
  });

  it('Zotero RIS and a CRLF RIS file with a BOM and wrapped lines; Zotero CSL-JSON', async () => {
    const ris = await papersOf('zotero.ris');
    expect(ris.find((p) => p.arxivId === '1706.03762')).toMatchObject({
      date: '2023-08-02',
      tags: ['Computer Science - Computation and Language', 'Computer Science - Machine Learning'],
    });
    expect(ris.find((p) => p.venue === 'Nature')?.note).toBe(
      'Read the methods section twice; compare with RoseTTAFold.',
    );
    const crlf = await papersOf('endnote-crlf.ris');
    expect(crlf.find((p) => p.title === 'Denoising Diffusion Probabilistic Models')?.abstract).toBe(
      'We present high quality image synthesis results using diffusion probabilistic models, a class of latent variable models inspired by considerations from nonequilibrium thermodynamics. Our best results are obtained by training on a weighted variational bound.',
    );
    expect(crlf.find((p) => p.arxivId === '1412.6980')).toBeDefined();
    const csl = await papersOf('zotero.csl.json');
    expect(csl.map((p) => p.id).sort()).toEqual([
      'arxiv:1706.03762',
      'doi:10.1038/s41586-021-03819-2',
      'doi:10.18653/v1/n19-1423',
    ]);
    expect(csl.find((p) => p.aclId)).toMatchObject({
      date: '2019-06',
      tags: ['transformers', 'pretraining'],
    });
  });

  it('detects the format by content, whatever the file is called', () => {
    expect(detectFormat(read(`${HW}/zotero.ris`), 'refs.txt')).toBe('ris');
    expect(detectFormat(read(`${HW}/arxiv.bib`), 'refs.txt')).toBe('bibtex');
    expect(detectFormat(read(`${HW}/zotero.csl.json`), 'refs')).toBe('csljson');
    expect(() => detectFormat('%PDF-1.7\n\u0000\u0001', 'paper.pdf')).toThrow(
      'This is a binary file',
    );
  });
});

describe('text encodings of a chosen file', () => {
  const bytes = (p: string) => new Uint8Array(readFileSync(p));
  const LATIN1 = `${HW}/endnote-windows-1252.ris`;

  it('an old EndNote / Web of Science RIS file in Windows-1252 keeps its accents and quotes', async () => {
    const text = await readImportFile(new File([bytes(LATIN1)], 'savedrecs.ris'));
    expect(text).not.toContain('\uFFFD');
    const db = await newDb();
    await importText(db, text, 'savedrecs.ris', NOW);
    const pq = await db.papers.get('doi:10.1109/tpami.2010.57');
    expect(pq).toMatchObject({
      authors: ['Hervé Jégou', 'Matthijs Douze', 'Cordelia Schmid'],
      tags: ['approximate search – “product” quantization'],
      note: 'Compare with Müller’s notes on IVFADC.',
    });
    expect((await db.papers.get('doi:10.1109/5.726791'))?.authors[1]).toBe('Léon Bottou');
  });

  it('UTF-8 with or without a byte-order mark, and UTF-16 with one, read as the same text', async () => {
    const text = 'TY  - JOUR\r\nTI  - Café “Müller” 𝔼\r\nER  - \r\n';
    const utf8 = new TextEncoder().encode(text);
    const utf16 = (le: boolean) => {
      const out = new Uint8Array(2 + text.length * 2);
      out.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
      const view = new DataView(out.buffer);
      for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), le);
      return out;
    };
    const files = [utf8, new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]), utf16(true), utf16(false)];
    for (const b of files) {
      const read = await readImportFile(new File([b], 'x.ris'));
      expect(read.replace(/^\uFEFF/, '')).toBe(text);
    }
  });
});

describe('merging a bibliography into the library', () => {
  it('fills in what the library lacks, keeps what it has, adds tags and a new note, saves', async () => {
    const db = await newDb();
    await db.papers.put(
      paper({
        id: 'arxiv:1706.03762',
        arxivId: '1706.03762',
        title: 'Attention Is All You Need',
        titleKey: 'attention is all you need',
        authors: ['Ashish Vaswani'],
        urls: { huggingface: 'https://huggingface.co/papers/1706.03762' },
        tags: ['mine'],
        note: 'My own note.',
        state: 'done',
      }),
    );
    const { report, env } = await importText(db, read(`${HW}/zotero.bib`), 'zotero.bib', NOW);
    expect(report.tables.papers).toEqual({ added: 3, merged: 1, unchanged: 0, skipped: 0 });
    const rec = await db.papers.get('arxiv:1706.03762');
    expect(rec).toMatchObject({
      authors: ['Ashish Vaswani'],
      abstract: expect.stringMatching(/^The dominant/),
      urls: {
        huggingface: 'https://huggingface.co/papers/1706.03762',
        arxiv: 'https://arxiv.org/abs/1706.03762',
      },
      tags: [
        'mine',
        'Computer Science - Computation and Language',
        'Computer Science - Machine Learning',
      ],
      note: 'My own note.\n\nRead for the reading group. Section 3.2: scaled dot-product attention.',
      state: 'done',
      savedAt: NOW,
      citationKey: 'vaswani_attention_2023',
    });
    expect(env.notices[0]!.changes.map((c) => c.id).sort()).toContain('arxiv:1706.03762');
    // Importing the same file again changes nothing.
    const before = await dump(db);
    const again = await importText(db, read(`${HW}/zotero.bib`), 'zotero.bib', NOW + 1000);
    expect(again.report.tables.papers).toEqual({ added: 0, merged: 0, unchanged: 4, skipped: 0 });
    expect(await dump(db)).toEqual(before);
  });

  it('a paper Scholar showed without an id merges with the entry that names its arXiv id', async () => {
    const db = await newDb();
    await recordCards(
      db,
      {
        url: 'https://scholar.google.com/scholar?q=x',
        site: 'scholar',
        kind: 'results',
        listing: true,
        loadId: 'l',
      },
      [
        {
          title: 'Rethinking with Retrieval: Faithful Large Language Model Inference',
          url: 'https://scholar.google.com/scholar?q=x',
        },
      ],
    );
    expect((await db.papers.toArray()).map((p) => p.id)).toEqual([
      'title:rethinking with retrieval faithful large language model inference',
    ]);
    await importText(db, read(`${HW}/google-scholar.bib`), 'scholar.bib', NOW);
    const rec = await db.papers.get('arxiv:2301.00303');
    expect(rec?.aliases).toEqual([
      'title:rethinking with retrieval faithful large language model inference',
    ]);
    expect((await storedSightings(db)).map((s) => s.paperId)).toEqual(['arxiv:2301.00303']);
  });

  it('rows staged out of order (messages overtaking each other) keep the file order', async () => {
    const papers = Array.from({ length: 2500 }, (_, i) =>
      paper({
        id: `arxiv:2401.${String(i).padStart(5, '0')}`,
        arxivId: `2401.${String(i).padStart(5, '0')}`,
        title: `Paper number ${i}`,
      }),
    );
    // The first and the last entry are one paper; each brings a note.
    const last = { ...papers[0]!, citationKey: 'again', note: 'Second note.' };
    const bibText = formatBibtex(
      [{ ...papers[0]!, note: 'First note.' }, ...papers.slice(1), last] as PaperRecord[],
      new Map([...papers.map((p, i) => [p.id, `k${i}`] as [string, string])]),
    ).replace(/@misc\{k0,([\s\S]*)@misc\{k0,/, '@misc{k0,$1@misc{again,');
    const db = await newDb();
    const env = envOf(db);
    const send = sender(env);
    let first = true;
    const slowFirst = (async (req: { type: string }) => {
      if (req.type === 'import/stage' && first) {
        first = false;
        await new Promise((r) => setTimeout(r, 50));
      }
      return send(req as never);
    }) as typeof send;
    const parsed = await parseImport(bibText, 'x.bib', { now: NOW });
    const id = await stageImport(parsed, slowFirst);
    const report = await commitImport(id, parsed, send);
    expect(report.tables.papers).toMatchObject({ added: 2500, merged: 1 });
    expect(report.issues.find((i) => i.kind === 'kept')?.where).toMatch(/^BibTeX entry 2501 /);
    expect((await db.papers.get('arxiv:2401.00000'))?.note).toBe('First note.\n\nSecond note.');
  });

  it('two entries of one file for the same paper become one record', async () => {
    const db = await newDb();
    const text = `${read(`${HW}/arxiv.bib`)}\n${read(`${HW}/zotero.bib`)}`;
    const { report } = await importText(db, text, 'both.bib', NOW);
    expect(await db.papers.count()).toBe(8);
    expect(report.tables.papers).toEqual({ added: 8, merged: 1, unchanged: 0, skipped: 0 });
    expect(report.issues.find((i) => i.kind === 'kept')?.where).toBe(
      'BibTeX entry 6 (“vaswani_attention_2023”, line 53) (arxiv:1706.03762)',
    );
  });
});

describe('broken and hostile files: a clear message, nothing written', () => {
  it.each([
    [
      'bib-unclosed-entry.bib',
      'Entry 2 (“second2021”, line 7) is not closed: a “}” is missing before line 12, where the next entry starts.',
    ],
    [
      'bib-truncated.bib',
      'Entry 2 (“second2021”, line 7) is not closed before the end of the file (a “}” is missing): the file looks cut off.',
    ],
    [
      'bib-missing-comma.bib',
      'BibTeX entry 2 (“second2021”, line 7): expected "rbrace", got "identifier" at line 9, column 3.',
    ],
    [
      'bib-deep-nesting.bib',
      'Entry 1 (“deep2020”, line 1) nests braces more than 100 deep at line 2; this is not a bibliography.',
    ],
    [
      'bib-not-bibtex.bib',
      'This is a binary file (a PDF, a ZIP …), not a backup or a bibliography.',
    ],
    [
      'ris-truncated.ris',
      'RIS record 2 (line 7) has no “ER  - ” line before the end of the file: the file looks cut off.',
    ],
    [
      'ris-missing-er.ris',
      'RIS record 2 (line 7) has no “ER  - ” line before line 12, where the next record starts.',
    ],
    [
      'ris-text-between-records.ris',
      'Line 7 is outside any RIS record (records start with “TY  - ”): “This line is not RIS at all.”.',
    ],
    [
      'csl-trailing-comma.broken-json',
      /^This CSL-JSON file is not valid JSON: .* at line 4, column 1 \(“]”\)\. It may be cut off or edited by hand\.$/,
    ],
    [
      'csl-not-items.json',
      'This JSON file is neither a Paper Scout backup nor CSL-JSON (a list of items with a title and a type).',
    ],
  ])('%s', async (file, message) => {
    const db = await newDb();
    const before = await dump(db);
    const err = await importText(db, read(`${BROKEN}/${file}`), file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangeError);
    if (typeof message === 'string') expect((err as Error).message).toBe(message);
    else expect((err as Error).message).toMatch(message);
    expect(await dump(db)).toEqual(before);
  });

  it('unusable entries are skipped and reported; the rest imports; links are never scripts', async () => {
    const db = await newDb();
    const { preview, report } = await importText(
      db,
      read(`${BROKEN}/bib-hostile-fields.bib`),
      'h.bib',
      NOW,
    );
    expect(preview.tables.papers).toEqual({ added: 3, merged: 0, unchanged: 0, skipped: 2 });
    expect(
      report.issues.filter((i) => i.kind === 'skipped').map((i) => `${i.where}: ${i.message}`),
    ).toEqual([
      'BibTeX entry 3 (“notitle2022”, line 15): has no title; skipped.',
      'BibTeX entry 5 (“huge2024”, line 26): has a title of 4,799 characters (at most 2,000); skipped.',
    ]);
    const all = await db.papers.toArray();
    expect(all.map((p) => p.title).sort()).toEqual([
      '<img src=x onerror=alert(1)> Angle <b>Brackets</b> Stay Text', // text, never markup
      'A Good Entry Among Bad Ones',
      'An Entry Whose Link Is a Script',
    ]);
    expect(JSON.stringify(all)).not.toContain('javascript:');
    const csl = await importText(
      await newDb(),
      read(`${BROKEN}/csl-wrong-types.json`),
      'w.json',
      NOW,
    );
    expect(csl.report.tables.papers).toEqual({ added: 1, merged: 0, unchanged: 0, skipped: 3 });
    expect(csl.report.issues.map((i) => `${i.where}: ${i.message}`)).toEqual([
      'CSL-JSON item 2 (“num”): has a title that is not text; skipped.',
      'CSL-JSON item 3: is not an object.',
      'CSL-JSON item 4 (“notitle”): has no title; skipped.',
    ]);
  });

  it('a file with nothing importable is refused', async () => {
    await expect(
      parseImport('@misc{a, author={X}}\n@misc{b, year={2020}}', 'x.bib'),
    ).rejects.toThrow(
      'None of the 2 entries can be imported: BibTeX entry 1 (“a”, line 1) has no title; skipped.',
    );
    await expect(parseImport('', 'x.bib')).rejects.toThrow('No BibTeX entries found.');
    await expect(parseImport('just some text', 'notes.txt')).rejects.toThrow(
      'not a Paper Scout backup, BibTeX, RIS or CSL-JSON file',
    );
  });
});

describe('10,000 entries', () => {
  it('parses in slices with progress, yields to the event loop, imports in one transaction', async () => {
    const papers: PaperRecord[] = Array.from({ length: 10_000 }, (_, i) =>
      paper({
        id: `arxiv:2401.${String(i).padStart(5, '0')}`,
        arxivId: `2401.${String(i).padStart(5, '0')}`,
        title: `Paper number ${i}: Scaling {Laws} & $\\alpha$-Nets for Ünïcode`,
        authors: ['Ada Lovelace', 'Jörg Müller'],
        year: 2024,
        abstract: 'We study things. '.repeat(40),
        tags: [`t${i % 7}`],
      }),
    );
    const text = formatBibtex(papers, assignCitationKeys(papers));
    const progress: number[] = [];
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const t0 = performance.now();
    const parsed = await parseImport(text, 'big.bib', { onProgress: (p) => progress.push(p.done) });
    const parseMs = performance.now() - t0;
    clearInterval(ticker);
    expect(parsed.tables.get('papers')).toHaveLength(10_000);
    expect(progress.length).toBeGreaterThan(30);
    expect(ticks).toBeGreaterThan(5); // timers ran while it parsed
    console.log(`10,000 BibTeX entries parsed in ${Math.round(parseMs)} ms (Node)`);
    const db = await newDb();
    const { report } = await importText(db, text, 'big.bib', NOW);
    expect(report.tables.papers?.added).toBe(10_000);
    expect(await db.papers.count()).toBe(10_000);
  }, 300_000);

  it('cancel stops parsing between slices', async () => {
    const papers = Array.from({ length: 3000 }, (_, i) =>
      paper({
        id: `arxiv:2401.${String(i).padStart(5, '0')}`,
        arxivId: `2401.${String(i).padStart(5, '0')}`,
      }),
    );
    const text = formatBibtex(papers, assignCitationKeys(papers));
    const ac = new AbortController();
    const p = parseImport(text, 'x.bib', {
      signal: ac.signal,
      onProgress: (pr) => pr.done >= 500 && ac.abort(),
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('staged while it is read (as the options page does): the same import; a cancel forgets it', async () => {
    const papers = Array.from({ length: 3000 }, (_, i) =>
      paper({
        id: `arxiv:2401.${String(i).padStart(5, '0')}`,
        arxivId: `2401.${String(i).padStart(5, '0')}`,
        title: `Paper number ${i}`,
        note: `Note ${i}`,
      }),
    );
    const text = formatBibtex(papers, assignCitationKeys(papers));
    const db = await newDb();
    const env = envOf(db);
    const send = sender(env);
    const calls: string[] = [];
    const counting = ((req: { type: string }) => (
      calls.push(req.type),
      send(req as never)
    )) as typeof send;
    const stager = new Stager(counting);
    const parsed = await parseImport(text, 'x.bib', { now: NOW, stager });
    // Rows went out while the file was read, not after.
    expect(calls.filter((c) => c === 'import/stage').length).toBeGreaterThanOrEqual(3);
    const before = calls.length;
    const id = await finishStaging(stager, parsed);
    expect(calls.length).toBe(before);
    const report = await commitImport(id, parsed, send);
    expect(report.tables.papers).toMatchObject({ added: 3000, merged: 0 });
    const other = await newDb();
    await importText(other, text, 'x.bib', NOW);
    expect(await dump(db)).toEqual(await dump(other));

    // Cancelled while reading: the session is gone, nothing written.
    const db2 = await newDb();
    const ac = new AbortController();
    const s2 = new Stager(sender(envOf(db2)), { signal: ac.signal });
    const sessions = openSessions();
    let open = 0;
    await expect(
      parseImport(text, 'x.bib', {
        signal: ac.signal,
        stager: s2,
        onProgress: (pr) => {
          if (pr.done < 1500 || ac.signal.aborted) return;
          open = openSessions();
          ac.abort();
        },
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(open).toBe(sessions + 1);
    await s2.cancel();
    expect(openSessions()).toBe(sessions);
    expect(await db2.papers.count()).toBe(0);
  });
});
