// @vitest-environment happy-dom
/**
 * The options page's "Export and import" section as a person meets it, rendered with Preact in
 * happy-dom, its messages answered by the real router over fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { handleMessage } from '../../lib/background/router';
import { getDb } from '../../lib/db';
import { exportPapers } from '../../lib/exchange/export';
import { envOf, OPTIONS_PAGE, paper } from './exchange-helpers';
import { useRenderHost } from './helpers/host';

vi.mock('../../lib/rpc', () => ({
  send: async (req: unknown) =>
    structuredClone(await handleMessage(structuredClone(req), OPTIONS_PAGE, envOf(getDb()))),
}));

const { ExportImport } = await import('../../components/ExportImport');

let host!: HTMLElement;
useRenderHost(getDb, (h) => (host = h));

const settle = async (ms = 100) => {
  for (let i = 0; i < 10; i++) await act(() => new Promise((r) => setTimeout(r, ms / 10)));
};
const $ = <T extends Element = HTMLElement>(sel: string) => host.querySelector<T>(sel);

async function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  await act(() => {
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

const BIB = (key: string, title: string) =>
  `@article{${key},\n  title = {${title}},\n  author = {Lovelace, Ada},\n  year = {2020}\n}\n`;

/** A file the test decides when its text is read. */
function slowFile(text: string, name: string): { file: File; release: () => void } {
  const file = new File([text], name);
  let release!: () => void;
  const ready = new Promise<void>((r) => (release = r));
  const bytes = new TextEncoder().encode(text);
  Object.defineProperty(file, 'text', { value: () => ready.then(() => text) });
  Object.defineProperty(file, 'arrayBuffer', { value: () => ready.then(() => bytes.buffer) });
  return { file, release };
}

async function pick(file: File) {
  const input = $<HTMLInputElement>('input[name="import-file"]')!;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await act(() => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

describe('export filters', () => {
  it('a topic chosen for every seen paper does not stay hidden on the reading list', async () => {
    const db = getDb();
    await db.papers.bulkPut([
      paper({ id: 'arxiv:2001.00001', title: 'Saved One', titleKey: 'saved one', savedAt: 5 }),
      paper({ id: 'arxiv:2001.00002', title: 'Seen Two', titleKey: 'seen two', topics: ['rlhf'] }),
    ]);
    await act(() => render(<ExportImport />, host));
    await settle();
    await choose($<HTMLSelectElement>('select[name="scope"]')!, 'all');
    await choose($<HTMLSelectElement>('select[name="topic"]')!, 'rlhf');
    expect($('[data-action="export"]')!.textContent).toContain('1 paper');
    await choose($<HTMLSelectElement>('select[name="scope"]')!, 'saved');
    // One saved paper and no visible filter that excludes it: it is exported, or the topic
    // filter that excludes it is still shown (and can be set back to Any).
    const topic = $<HTMLSelectElement>('select[name="topic"]');
    const count = $('[data-action="export"]')!.textContent;
    expect(count === 'Export 1 paper' || (topic !== null && topic.value === 'rlhf')).toBe(true);
  });

  it('a tag chosen for every seen paper stays visible on the reading list', async () => {
    const db = getDb();
    await db.papers.bulkPut([
      paper({ id: 'arxiv:2001.00001', title: 'Saved One', titleKey: 'saved one', savedAt: 5 }),
      paper({ id: 'arxiv:2001.00002', title: 'Tagged Two', titleKey: 'tagged two', tags: ['x'] }),
    ]);
    await act(() => render(<ExportImport />, host));
    await settle();
    await choose($<HTMLSelectElement>('select[name="scope"]')!, 'all');
    await choose($<HTMLSelectElement>('select[name="tag"]')!, 'x');
    await choose($<HTMLSelectElement>('select[name="scope"]')!, 'saved');
    const tag = $<HTMLSelectElement>('select[name="tag"]')!;
    const count = $('[data-action="export"]')!.textContent;
    // The select shows what filters the export (not a blank choice while a tag still applies).
    expect(count === 'Export 1 paper' || tag.value === 'x').toBe(true);
  });
});

describe('export file name', () => {
  it('carries the day of the person exporting, west of UTC too', async () => {
    const tz = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      // 21:30 on 23 November in New York is already 24 November in UTC.
      const now = new Date('2026-11-24T02:30:00Z');
      const f = await exportPapers(getDb(), 'bibtex', { scope: 'saved' }, { now, inScope: [] });
      expect(f.filename).toBe('paper-scout-reading-list-2026-11-23.bib');
    } finally {
      process.env.TZ = tz;
    }
  });
});

describe('import', () => {
  it('cancelling a slow read and picking another file keeps the second file’s preview', async () => {
    await act(() => render(<ExportImport />, host));
    await settle();
    const first = slowFile(BIB('a', 'The First Wrong File Here'), 'wrong.bib');
    await pick(first.file);
    await settle();
    expect($('.x-import')!.dataset.step).toBe('busy');
    await act(() => $<HTMLButtonElement>('.x-import [data-action="cancel"]')!.click());
    await settle();
    expect($('.x-import')!.dataset.step).toBe('idle');
    await pick(new File([BIB('b', 'The Second Right File Here')], 'right.bib'));
    await settle(300);
    expect($('.x-import')!.dataset.step).toBe('preview');
    // The first file's read ends only now.
    first.release();
    await settle(300);
    expect($('.x-import')!.dataset.step).toBe('preview');
    await act(() => $<HTMLButtonElement>('[data-action="import"]')!.click());
    await settle(300);
    expect($('.x-import')!.dataset.step).toBe('done');
    const titles = (await getDb().papers.toArray()).map((p) => p.title);
    expect(titles).toEqual(['The Second Right File Here']);
  });

  it('Cancel of a preview leaves focus in the import section, nothing written', async () => {
    await act(() => render(<ExportImport />, host));
    await settle();
    await pick(new File([BIB('b', 'A Paper To Cancel')], 'c.bib'));
    await settle(300);
    const cancel = $<HTMLButtonElement>('.x-preview [data-action="cancel"]')!;
    cancel.focus();
    await act(() => cancel.click());
    await settle();
    expect($('.x-import')!.dataset.step).toBe('idle');
    expect(await getDb().papers.count()).toBe(0);
    expect($('.x-import')!.contains(document.activeElement)).toBe(true);
  });

  it('Import leaves focus in the import section', async () => {
    await act(() => render(<ExportImport />, host));
    await settle();
    await pick(new File([BIB('b', 'A Paper To Import')], 'i.bib'));
    await settle(300);
    const go = $<HTMLButtonElement>('[data-action="import"]')!;
    go.focus();
    await act(() => go.click());
    await settle(300);
    expect($('.x-import')!.dataset.step).toBe('done');
    expect($('.x-import')!.contains(document.activeElement)).toBe(true);
  });
});

describe('import text encodings', () => {
  it('an old EndNote RIS file in Windows-1252 is imported with its accents', async () => {
    const bytes = readFileSync('tests/fixtures/import/handwritten/endnote-windows-1252.ris');
    await act(() => render(<ExportImport />, host));
    await settle();
    await pick(new File([new Uint8Array(bytes)], 'savedrecs.ris'));
    await settle(300);
    await act(() => $<HTMLButtonElement>('[data-action="import"]')!.click());
    await settle(300);
    expect($('.x-import')!.dataset.step).toBe('done');
    const authors = (await getDb().papers.toArray()).flatMap((p) => p.authors);
    expect(authors).toContain('Hervé Jégou');
    expect(authors).toContain('Léon Bottou');
  });
});

describe('import focus on load', () => {
  it('opening the page does not move focus to the file field', async () => {
    await act(() => render(<ExportImport />, host));
    await settle();
    expect(document.activeElement === document.body || document.activeElement === null).toBe(true);
  });
});

describe('import errors', () => {
  it('a refused backup row says "Nothing was written" once', async () => {
    const db = getDb();
    await db.papers.put(paper({ id: 'arxiv:2001.00001', savedAt: 5 }));
    const backup = await exportPapers(db, 'backup', { scope: 'all' });
    await db.papers.clear();
    const broken = backup.text.replace(/"title":\s*"A Paper About Things"/, '"title": 5');
    expect(broken).not.toBe(backup.text);
    await act(() => render(<ExportImport />, host));
    await settle();
    await pick(new File([broken], 'broken.backup.json'));
    await settle(300);
    const alert = $('[data-error="import"]')!.textContent!;
    expect(alert).toMatch(/papers row 1/);
    expect(alert.match(/nothing was written/gi)).toHaveLength(1);
    expect(await db.papers.count()).toBe(0);
  });
});
