/**
 * Search finds what people type: letters Unicode does not decompose (Łukasz as lukasz, Søgaard,
 * Kıraç, Straße), hyphenated words closed up (pretraining finds Pre-training, fine-tuning finds
 * Finetuning), and an arXiv id or DOI typed or pasted (with its link, prefix or version).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { ListStore, type FromStore } from '../../lib/liststore';
import { createIndex, highlight, search } from '../../lib/search';

const ids = (docs: Parameters<ReturnType<typeof createIndex>['addAll']>[0], q: string) => {
  const index = createIndex();
  index.addAll(docs);
  return search(index, q).map((h) => h.id);
};

describe('letters without a Unicode decomposition are folded like accents', () => {
  const docs = [
    {
      id: 'vaswani',
      title: 'Attention Is All You Need',
      authors: ['Ashish Vaswani', 'Noam Shazeer', 'Łukasz Kaiser', 'Illia Polosukhin'],
    },
    {
      id: 'sogaard',
      title: 'We Need to Talk About Significance Tests',
      authors: ['Anders Søgaard'],
    },
    { id: 'kirac', title: 'Tracking', authors: ['Furkan Kıraç'] },
    { id: 'strasse', title: 'Die Straße', authors: [] },
  ];
  it('finds Łukasz, Søgaard, Kıraç and Straße as typed on an English keyboard', () => {
    expect(ids(docs, 'lukasz')).toEqual(['vaswani']);
    expect(ids(docs, 'lukasz kaiser')).toEqual(['vaswani']);
    expect(ids(docs, 'sogaard')).toEqual(['sogaard']);
    expect(ids(docs, 'kirac')).toEqual(['kirac']);
    expect(ids(docs, 'strasse')).toEqual(['strasse']);
    // As written, too.
    expect(ids(docs, 'Łukasz')).toEqual(['vaswani']);
    expect(ids(docs, 'Søgaard')).toEqual(['sogaard']);
  });
  it('marks the name in the row', () => {
    expect(highlight('Łukasz Kaiser', new Set(['lukasz']))[0]).toEqual({
      text: 'Łukasz',
      mark: true,
    });
  });
});

describe('hyphenated words match their closed and open spellings', () => {
  const docs = [
    { id: 'bert', title: 'BERT: Pre-training of Deep Bidirectional Transformers', authors: [] },
    { id: 'closed', title: 'Finetuning Large Language Models Efficiently', authors: [] },
    { id: 'hyphen', title: 'Fine-Tuning Language Models from Human Preferences', authors: [] },
    { id: 'open', title: 'Parameter-efficient fine tuning of vision models', authors: [] },
    { id: 'other', title: 'Pre-computed training sets', authors: [] },
    { id: 'tuning', title: 'Hyperparameter Tuning at Scale', authors: [] },
  ];
  it('finds "Pre-training" by "pretraining" and "Finetuning" by "fine-tuning"', () => {
    expect(ids(docs, 'pretraining')).toEqual(['bert']);
    expect(ids(docs, 'pretrain')).toEqual(['bert']); // while typing
    expect(ids(docs, 'finetuning').sort()).toEqual(['closed', 'hyphen']);
    expect(ids(docs, 'fine-tuning').sort()).toEqual(['closed', 'hyphen', 'open']);
    expect(ids(docs, 'fine-tuning language').sort()).toEqual(['closed', 'hyphen']);
    // Both words of the open spelling, not either ("Hyperparameter Tuning" has no "fine").
    expect(ids(docs, 'fine-tuning ').sort()).toEqual(['closed', 'hyphen', 'open']);
    // What matched before still does.
    expect(ids(docs, 'pre-training')[0]).toBe('bert'); // "Pre-computed training" matches too
    expect(ids(docs, 'fine tuning').sort()).toEqual(['hyphen', 'open']);
    expect(ids(docs, 'training').sort()).toEqual(['bert', 'other']);
  });
  it('marks the hyphenated word a closed spelling matched', () => {
    const index = createIndex();
    index.addAll(docs);
    const [hit] = search(index, 'pretraining');
    const segs = highlight(docs[0]!.title, new Set(hit!.terms));
    expect(segs.filter((s) => s.mark).map((s) => s.text)).toEqual(['Pre-training']);
    expect(segs.map((s) => s.text).join('')).toBe(docs[0]!.title);
  });
});

describe('an arXiv id or DOI typed or pasted into the box', () => {
  it('finds the saved paper it names', () => {
    const index = createIndex();
    index.addAll([
      { id: 'a', title: 'Attention Is All You Need', authors: [], ids: '1706.03762' },
      {
        id: 'b',
        title: 'BERT: Pre-training of Deep Bidirectional Transformers',
        authors: [],
        ids: '10.18653/v1/N19-1423',
      },
      { id: 'c', title: 'LoRA', authors: [], ids: '2106.09685' },
    ]);
    const q = (s: string) => search(index, s).map((h) => h.id);
    expect(q('1706.03762')).toEqual(['a']);
    expect(q('1706.037')).toEqual(['a']); // while typing
    expect(q('arXiv:1706.03762')).toEqual(['a']);
    expect(q('1706.03762v5')).toEqual(['a']);
    expect(q('https://arxiv.org/abs/1706.03762v7')).toEqual(['a']);
    expect(q('10.18653/v1/N19-1423')).toEqual(['b']);
    expect(q('https://doi.org/10.18653/v1/N19-1423')).toEqual(['b']);
  });

  it('the list store indexes each saved paper by its ids, and follows a DOI found later', async () => {
    const db = new PaperScoutDB('review-ids');
    await db.open();
    const rec = {
      id: 'arxiv:1810.04805',
      aliases: [],
      titleKey: 'bert',
      title: 'BERT',
      authors: [],
      urls: {},
      arxivId: '1810.04805',
      savedAt: 1,
      firstSeenAt: 1,
      lastSeenAt: 1,
      updatedAt: 1,
    };
    await db.papers.put(rec);
    const got: FromStore[] = [];
    const store = new ListStore(db, (m) => got.push(m));
    store.start();
    const results = async (seq: number, text: string) => {
      store.handle({ type: 'query', seq, text });
      await expect.poll(() => got.some((m) => m.type === 'results' && m.seq === seq)).toBe(true);
      const m = got.findLast((m) => m.type === 'results' && m.seq === seq);
      return m?.type === 'results' ? m.ids : [];
    };
    await expect.poll(() => got.some((m) => m.type === 'progress' && m.indexed === 1)).toBe(true);
    expect(await results(1, '1810.04805')).toEqual([rec.id]);
    // A card later names the paper's DOI (its words unchanged).
    await db.papers.put({ ...rec, doi: '10.18653/v1/N19-1423', updatedAt: 2 });
    await expect.poll(() => got.some((m) => m.type === 'delta')).toBe(true);
    await expect.poll(() => results(2, '10.18653/v1/N19-1423')).toEqual([rec.id]);
    store.stop();
  });
});
