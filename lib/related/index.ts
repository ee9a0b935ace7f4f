/**
 * The related-papers index: sparse TF-IDF over the stemmed words of title and abstract and the
 * authors' names, in an inverted index, blended with a dense LSA embedding (truncated SVD of the
 * same TF-IDF matrix). Updated incrementally (add, replace, remove a batch of papers) and stored
 * as plain per-paper rows plus one meta row (`RelatedRow`, `RelatedMeta`, `fromRows`).
 *
 * score(q, d) = (1 − α) · cos_tfidf(q, d) + α · cos_lsa(q, d).
 * Measured against arxiv-sanity-lite by bench/related/run.mjs (bench/results/related.md);
 * integration notes in ./README.md.
 */
import { KeyTable } from './hash.ts';
import { runSteps, truncatedSvdSteps, type SparseRow, type SvdResult } from './lsa.ts';
import {
  authorKey,
  DEFAULT_TEXT_OPTIONS,
  isGenericWord,
  normalizeAuthor,
  paperTerms,
  termVector,
  type PaperText,
  type TermVector,
  type TextOptions,
} from './text.ts';
import { TopK } from './topk.ts';

export type { PaperText, TermVector } from './text.ts';

/** The dense (LSA) half of the score. */
export interface DenseOptions {
  /** Embedding size; 0 turns the dense half off. */
  dims: number;
  /** Terms the model covers: the most frequent ones with df ≥ `minDf`. */
  features: number;
  /** A term needs this document frequency to enter the model. */
  minDf: number;
  /** Papers the SVD is fitted on (an even sample of the index when it holds more). */
  sampleDocs: number;
  /** Power iterations of the randomized SVD. */
  powerIters: number;
  /** No model is fitted below this many papers (the sparse score alone is used). */
  minDocs: number;
  /** α: weight of the dense cosine in the blended score. */
  weight: number;
  /** Component j is scaled by σ_j^(−whiten): 0 = LSA's UΣ, 1 = whitened U. */
  whiten: number;
  /** Subtract the corpus mean embedding before comparing (reduces "hub" papers). */
  center: boolean;
}

/** Everything that decides scores. Defaults: `DEFAULT_OPTIONS` (tuned on dev data only). */
export interface IndexOptions {
  text: TextOptions;
  /** Terms in more than this fraction of papers are ignored (like arxiv-sanity-lite's max_df). */
  maxDf: number;
  /** Sparse weights use idf^idfPower (1: classic TF-IDF; lower flattens rare-term emphasis). */
  idfPower: number;
  /** Pseudo-relevance feedback: the query moves toward its top `prfDocs` neighbours. */
  prfDocs: number;
  /** Weight of the neighbours' mean vector in the PRF query (0: off; it did not help). */
  prfWeight: number;
  dense: DenseOptions;
}

export const DEFAULT_OPTIONS: IndexOptions = {
  text: DEFAULT_TEXT_OPTIONS,
  maxDf: 0.5,
  idfPower: 1,
  prfDocs: 0,
  prfWeight: 0,
  dense: {
    dims: 64,
    features: 32_768,
    minDf: 3,
    sampleDocs: 24_000,
    powerIters: 1,
    minDocs: 1_000,
    weight: 0.35,
    whiten: 0,
    center: false,
  },
};

/** Options as given: any part may be left out (defaults fill in). */
export type IndexOptionsInput = Partial<Omit<IndexOptions, 'text' | 'dense'>> & {
  text?: Partial<TextOptions>;
  dense?: Partial<DenseOptions>;
};

/** A new, empty index (defaults: `DEFAULT_OPTIONS`, tuned on dev data). */
export function createIndex(opts: IndexOptionsInput = {}): RelatedIndex {
  return new RelatedIndex(opts);
}

/** One result: a paper id and its blended similarity (cosine-like, at most about 1). */
export interface Related {
  id: string;
  score: number;
}

/** Version of the stored form (term keys, rows, model). Bump when any of it changes meaning. */
export const FORMAT = 1;

/** One paper as stored (e.g. a Dexie table keyed by `id`). */
export interface RelatedRow {
  /** The paper's id. */
  id: string;
  /** Term keys (32-bit hashes of stems, authors), ascending. */
  keys: Uint32Array;
  /** Count of each term (title words count `titleWeight`), capped at 255. */
  tf: Uint8Array;
  /** int8 embedding under dense model `ver` (× `scale`); absent before the first model. */
  emb?: Int8Array;
  scale?: number;
  ver?: number;
}

/** The index-wide stored state (one row). */
export interface RelatedMeta {
  format: number;
  options: IndexOptions;
  model: DenseModel | null;
}

/** The whole index packed into a few arrays: rows concatenated (`offsets` into keys/tf). */
/**
 * The whole index as one object of a few large typed arrays: the index's own arrays, so loading
 * it is a copy, not a re-index (one IndexedDB read instead of a row per paper). Paper i of `ids`
 * has feature ids `feat[off[i] … off[i + 1])` (into `fkeys`) with counts `tf`, its vector divisor
 * `norms[i]` and int8 embedding `emb[i·dims …]` × `embScale[i]` under model `embVer[i]`.
 */
export interface RelatedSnapshot extends RelatedMeta {
  ids: string[];
  off: Int32Array;
  feat: Int32Array;
  tf: Uint8Array;
  fkeys: Uint32Array;
  norms: Float32Array;
  emb: Int8Array;
  embScale: Float32Array;
  embVer: Int32Array;
  /** Papers added or removed since the norms were last computed exactly. */
  changed: number;
}

/**
 * True when stored state is of this code's format and uses its default text options. When false,
 * `fromRows` still loads a same-format index (with its stored options); re-index from text to move
 * to the new defaults.
 */
export function isCurrent(meta: RelatedMeta, text: TextOptions = DEFAULT_TEXT_OPTIONS): boolean {
  return meta.format === FORMAT && JSON.stringify(meta.options.text) === JSON.stringify(text);
}

/** True when a snapshot's arrays are of the right types and sizes and refer only to its own features. */
function validSnapshot(s: RelatedSnapshot): boolean {
  const n = Array.isArray(s.ids) ? s.ids.length : -1;
  const dims = s.model?.dims ?? 0;
  if (
    n < 0 ||
    !s.ids.every((id) => typeof id === 'string') ||
    !(s.off instanceof Int32Array) ||
    !(s.feat instanceof Int32Array) ||
    !(s.tf instanceof Uint8Array) ||
    !(s.fkeys instanceof Uint32Array) ||
    !(s.norms instanceof Float32Array) ||
    !(s.emb instanceof Int8Array) ||
    !(s.embScale instanceof Float32Array) ||
    !(s.embVer instanceof Int32Array) ||
    typeof s.changed !== 'number' ||
    s.off.length !== n + 1 ||
    s.off[0] !== 0 ||
    s.off[n] !== s.feat.length ||
    s.tf.length !== s.feat.length ||
    s.norms.length !== n ||
    s.embScale.length !== n ||
    s.embVer.length !== n ||
    s.emb.length !== n * dims
  )
    return false;
  for (let i = 0; i < n; i++) if (s.off[i + 1]! < s.off[i]!) return false;
  const F = s.fkeys.length;
  for (let i = 0; i < s.feat.length; i++) if (s.feat[i]! < 0 || s.feat[i]! >= F) return false;
  for (let i = 0; i < n; i++) if (!(s.norms[i]! > 0)) return false;
  if (s.model) {
    const m = s.model;
    if (
      !(m.keys instanceof Uint32Array) ||
      !(m.idf instanceof Float32Array) ||
      !(m.matrix instanceof Int8Array) ||
      !(m.rowScale instanceof Float32Array) ||
      m.idf.length !== m.keys.length ||
      m.rowScale.length !== m.keys.length ||
      m.matrix.length !== m.keys.length * dims
    )
      return false;
  }
  return true;
}

/** A term vector to add, with its embedding when one was stored. */
export interface AddVector {
  id: string;
  v: TermVector;
  emb?: Int8Array;
  embScale?: number;
  embVersion?: number;
}

/** How a set of papers scores a candidate (see `similarToSet`). */
export type SetAggregate = 'centroid' | 'max' | 'top2';
export const DEFAULT_AGGREGATE: SetAggregate = 'top2';

/** A "For you" suggestion and its reason. */
export interface Recommendation {
  id: string;
  score: number;
  /** The saved papers it is closest to (up to 3, closest first). */
  nearest: Related[];
  /** Tags of those saved papers, most frequent first ("close to 3 papers you saved in #x"). */
  tags: string[];
}

/** `recommend`'s answer: over the whole library, and per tag. */
export interface Recommendations {
  overall: Recommendation[];
  byTag: Record<string, Recommendation[]>;
}

/** A shared term of two papers: a word as written, or an author's name. */
export interface ExplainTerm {
  term: string;
  kind: 'word' | 'author';
  /** Its share of the (sparse, cosine) similarity. */
  weight: number;
}

function aggregateSims(sims: Float32Array, how: SetAggregate): number {
  if (!sims.length) return 0;
  let a = -Infinity;
  let b = -Infinity;
  let sum = 0;
  for (const x of sims) {
    sum += x;
    if (x > a) {
      b = a;
      a = x;
    } else if (x > b) b = x;
  }
  if (how === 'max') return a;
  if (how === 'top2') return sims.length > 1 ? (a + b) / 2 : a;
  return sum / sims.length;
}

/** Which papers may appear in results. */
export interface RelatedFilter {
  /** Only these ids. */
  only?: Iterable<string>;
  /** Never these ids. */
  exclude?: Iterable<string>;
  /** Called for each remaining candidate (keep it cheap: it runs for every paper). */
  test?: (id: string) => boolean;
}

/** The dense model as plain data (persisted in the meta row). */
export interface DenseModel {
  /** Increases with every fit; embeddings carry the version they were computed with. */
  version: number;
  dims: number;
  /** Feature keys the model covers (row r of `matrix` is `keys[r]`). */
  keys: Uint32Array;
  /** The idf each key had when the model was fitted (fold-in uses it, so it never drifts). */
  idf: Float32Array;
  /** Row r of V is `matrix[r·dims … (r+1)·dims) · rowScale[r]` (int8-quantized). */
  matrix: Int8Array;
  rowScale: Float32Array;
  /** How many papers the index held when the model was fitted. */
  fittedAt: number;
  /** Mean normalized embedding of the fitting sample, subtracted from every embedding (or absent). */
  mean?: Float32Array;
}

/** sublinear tf: 1 + ln(tf), tabulated for tf = 0 … 255. */
const TFW = new Float32Array(256);
for (let t = 1; t < 256; t++) TFW[t] = 1 + Math.log(t);

function growF32(a: Float32Array, n: number): Float32Array {
  if (a.length >= n) return a;
  const b = new Float32Array(Math.max(n, a.length * 2, 64));
  b.set(a);
  return b;
}
function growI32(a: Int32Array, n: number): Int32Array {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, a.length * 2, 64));
  b.set(a);
  return b;
}
function growU32(a: Uint32Array, n: number): Uint32Array {
  if (a.length >= n) return a;
  const b = new Uint32Array(Math.max(n, a.length * 2, 64));
  b.set(a);
  return b;
}
function growU8(a: Uint8Array, n: number): Uint8Array {
  if (a.length >= n) return a;
  const b = new Uint8Array(Math.max(n, a.length * 2, 64));
  b.set(a);
  return b;
}
function growI8(a: Int8Array, n: number): Int8Array {
  if (a.length >= n) return a;
  const b = new Int8Array(Math.max(n, a.length * 2, 64));
  b.set(a);
  return b;
}

/** A query: sparse weights per feature id plus a dense embedding (or null). */
interface Query {
  fids: Int32Array;
  /** Weight per fid, already multiplied by idf and divided by the query's norm. */
  w: Float32Array;
  emb: Float32Array | null;
}

/**
 * The index. Papers live in slots; a removed paper's slot is dead until `compact()` (which
 * `maintain()` runs). Postings are a CSR array over older slots plus a small tail of recent
 * slots scored from their forward vectors, merged into the CSR every `tailMax` papers.
 */
export class RelatedIndex {
  readonly opts: IndexOptions;
  /** Papers added since the CSR was built are scored from forward vectors; merged beyond this. */
  tailMax = 4_096;

  // Slots.
  private ids: string[] = [];
  private slotOf = new Map<string, number>();
  private alive: Uint8Array = new Uint8Array(0);
  /** Forward vectors, pooled: slot s has feature ids fFeat[fOff[s] … fOff[s + 1]) and counts fTf. */
  private fFeat: Int32Array = new Int32Array(0);
  private fTf: Uint8Array = new Uint8Array(0);
  private fOff: Int32Array = new Int32Array(1);
  private norms: Float32Array = new Float32Array(0);
  private live = 0;

  // Features.
  private table = new KeyTable(1 << 16);
  private fkeys: Uint32Array = new Uint32Array(0);
  private df: Int32Array = new Int32Array(0);
  private nFeat = 0;

  // Postings (CSR) for slots < baseEnd, features < baseFeat.
  private pOff: Int32Array = new Int32Array(1);
  private pDoc: Int32Array = new Int32Array(0);
  private pTf: Uint8Array = new Uint8Array(0);
  private baseEnd = 0;
  private baseFeat = 0;

  // Norms are exact for the stats as they were `changed` papers (added or removed) ago.
  private changed = 0;

  // Dense.
  private model: DenseModel | null = null;
  private modelRow: KeyTable | null = null;
  /** Model row of each feature id (−1: not in the model), so fold-in needs no hash lookups. */
  private fidRow: Int32Array = new Int32Array(0);
  /** Fold-in accumulator (dims). */
  private foldAcc: Float64Array = new Float64Array(0);
  private emb: Int8Array = new Int8Array(0);
  private embScale: Float32Array = new Float32Array(0);
  /** Model version each slot's embedding was computed with (0: none). */
  private embVer: Int32Array = new Int32Array(0);

  // Scratch.
  private acc: Float32Array = new Float32Array(0);
  private qScatter: Float32Array = new Float32Array(0);

  constructor(opts: IndexOptionsInput = {}) {
    this.opts = {
      ...DEFAULT_OPTIONS,
      ...opts,
      text: { ...DEFAULT_OPTIONS.text, ...opts.text },
      dense: { ...DEFAULT_OPTIONS.dense, ...opts.dense },
    };
  }

  /** Number of papers in the index. */
  get size(): number {
    return this.live;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Every id in the index. */
  allIds(): string[] {
    return [...this.slotOf.keys()];
  }

  /** The dense model, or null while the index is too small for one. */
  get denseModel(): DenseModel | null {
    return this.model;
  }

  // ---------------------------------------------------------------------------------------------
  // Updates

  /** Adds papers (a paper already present is replaced). Returns the ids added or replaced. */
  addPapers(papers: Iterable<PaperText>): string[] {
    const vecs: { id: string; v: TermVector }[] = [];
    for (const p of papers) {
      if (!p.id) continue;
      vecs.push({ id: p.id, v: termVector(p, this.opts.text) });
    }
    return this.addVectors(vecs);
  }

  /** Adds pre-computed term vectors (persisted rows); optional embeddings of the current model. */
  addVectors(vecs: AddVector[]): string[] {
    const replaced = vecs.filter((x) => this.slotOf.has(x.id)).map((x) => x.id);
    if (replaced.length) this.removePapers(replaced);
    const dims = this.model?.dims ?? 0;
    for (const { id, v, emb, embScale, embVersion } of vecs) {
      if (this.slotOf.has(id)) this.removePapers([id]); // duplicate id inside the batch
      const slot = this.ids.length;
      this.ids.push(id);
      this.slotOf.set(id, slot);
      this.alive = growU8(this.alive, slot + 1);
      this.alive[slot] = 1;
      const start = this.fOff[slot]!;
      const end = start + v.keys.length;
      this.fOff = growI32(this.fOff, slot + 2);
      this.fOff[slot + 1] = end;
      this.fFeat = growI32(this.fFeat, end);
      this.fTf = growU8(this.fTf, end);
      this.fTf.set(v.tf, start);
      const fids = this.fFeat;
      for (let i = 0; i < v.keys.length; i++) {
        const key = v.keys[i]!;
        let fid = this.table.get(key);
        if (fid < 0) {
          fid = this.nFeat++;
          this.table.set(key, fid);
          this.fkeys = growU32(this.fkeys, this.nFeat);
          this.df = growI32(this.df, this.nFeat);
          this.fkeys[fid] = key;
          this.newFeatureRow(fid);
        }
        this.df[fid]!++;
        fids[start + i] = fid;
      }
      this.live++;
      this.changed++;
      this.norms = growF32(this.norms, slot + 1);
      this.embScale = growF32(this.embScale, slot + 1);
      this.embVer = growI32(this.embVer, slot + 1);
      if (dims) {
        this.emb = growI8(this.emb, (slot + 1) * dims);
        if (emb && embVersion === this.model!.version && emb.length === dims) {
          this.emb.set(emb, slot * dims);
          this.embScale[slot] = embScale ?? 0;
          this.embVer[slot] = embVersion;
        } else this.embed(slot);
      }
    }
    // A bulk load (a quarter of the index or more) finishes like a build: exact norms, postings.
    if (vecs.length >= 256 && vecs.length * 4 >= this.live) {
      this.refreshNorms();
      this.rebuildPostings();
    } else {
      // New papers get norms under the current stats; older norms are refreshed by maintain()
      // (at 2 % drift of the paper count) or, without it, here at 10 %.
      if (this.staleNorms(0.1)) this.refreshNorms();
      else for (const { id } of vecs) this.computeNorm(this.slotOf.get(id)!);
      if (this.ids.length - this.baseEnd > 4 * this.tailMax) this.rebuildPostings();
    }
    return vecs.map((x) => x.id);
  }

  /** Removes papers by id (unknown ids are ignored). Returns the ids removed. */
  removePapers(ids: Iterable<string>): string[] {
    const out: string[] = [];
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      this.slotOf.delete(id);
      this.alive[slot] = 0;
      for (let i = this.fOff[slot]!; i < this.fOff[slot + 1]!; i++) this.df[this.fFeat[i]!]!--;
      this.live--;
      this.changed++;
      out.push(id);
    }
    if (this.ids.length > 1024 && this.live < this.ids.length / 4) this.compact();
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Weights

  /**
   * Smoothed idf, as sklearn: ln((1 + N) / (1 + df)) + 1. 0 for features in more than `maxDf` of
   * the papers (from 100 papers on: in a tiny index every shared word is "common").
   */
  private idfRaw(fid: number): number {
    const d = this.df[fid]!;
    if (d < 1 || (d > this.opts.maxDf * this.live && this.live >= 100)) return 0;
    return Math.log((1 + this.live) / (1 + d)) + 1;
  }

  /** The sparse term weight's idf factor: idf^idfPower. */
  private idf(fid: number): number {
    const p = this.opts.idfPower;
    const x = this.idfRaw(fid);
    return p === 1 ? x : Math.pow(x, p);
  }

  private staleNorms(tolerance = 0.1): boolean {
    return this.changed > 0 && (this.live < 2_000 || this.changed > tolerance * this.live);
  }

  /**
   * Cheap upkeep, for when the worker is idle after ingesting pages (tens to a few hundred ms at
   * 75k papers, nothing when there is nothing to do): merges recent papers into the postings,
   * refreshes norms once the paper count moved 2 %, drops removed papers' slots when they are a
   * quarter of all. The dense model is refitted separately (`needsRefit`, `refit`).
   */
  maintain(): { postings: boolean; norms: boolean; compacted: boolean } {
    const done = { postings: false, norms: false, compacted: false };
    if (this.ids.length > 64 && this.live < this.ids.length * 0.75) {
      this.compact();
      done.compacted = done.postings = true;
    }
    if (this.staleNorms(0.02) || done.compacted) {
      this.refreshNorms();
      done.norms = true;
    }
    if (!done.postings && this.ids.length - this.baseEnd > this.tailMax) {
      this.rebuildPostings();
      done.postings = true;
    }
    return done;
  }

  /** Slot s's feature ids (a view into the pool). */
  private fv(s: number): Int32Array {
    return this.fFeat.subarray(this.fOff[s]!, this.fOff[s + 1]!);
  }

  /** Slot s's counts (a view into the pool). */
  private tv(s: number): Uint8Array {
    return this.fTf.subarray(this.fOff[s]!, this.fOff[s + 1]!);
  }

  private computeNorm(slot: number): void {
    let s = 0;
    for (let i = this.fOff[slot]!; i < this.fOff[slot + 1]!; i++) {
      const w = TFW[this.fTf[i]!]! * this.idf(this.fFeat[i]!);
      s += w * w;
    }
    this.norms[slot] = s > 0 ? Math.sqrt(s) : 1;
  }

  /** Recomputes every norm with the current document frequencies (done when they drifted 2 %). */
  refreshNorms(): void {
    const idf = new Float32Array(this.nFeat);
    for (let f = 0; f < this.nFeat; f++) idf[f] = this.idf(f);
    const { fOff, fFeat, fTf } = this;
    for (let slot = 0; slot < this.ids.length; slot++) {
      if (!this.alive[slot]) continue;
      let s = 0;
      for (let i = fOff[slot]!; i < fOff[slot + 1]!; i++) {
        const w = TFW[fTf[i]!]! * idf[fFeat[i]!]!;
        s += w * w;
      }
      this.norms[slot] = s > 0 ? Math.sqrt(s) : 1;
    }
    this.changed = 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Postings

  /** Rebuilds the CSR postings over every slot (the tail becomes empty). */
  rebuildPostings(): void {
    const nSlots = this.ids.length;
    const F = this.nFeat;
    const off = new Int32Array(F + 1);
    const { fOff, fFeat, fTf } = this;
    for (let s = 0; s < nSlots; s++) {
      if (!this.alive[s]) continue;
      for (let i = fOff[s]!; i < fOff[s + 1]!; i++) off[fFeat[i]! + 1]!++;
    }
    for (let f = 0; f < F; f++) off[f + 1]! += off[f]!;
    const doc = new Int32Array(off[F]!);
    const tf = new Uint8Array(off[F]!);
    const pos = off.slice(0, F);
    for (let s = 0; s < nSlots; s++) {
      if (!this.alive[s]) continue;
      for (let i = fOff[s]!; i < fOff[s + 1]!; i++) {
        const p = pos[fFeat[i]!]!++;
        doc[p] = s;
        tf[p] = fTf[i]!;
      }
    }
    this.pOff = off;
    this.pDoc = doc;
    this.pTf = tf;
    this.baseEnd = nSlots;
    this.baseFeat = F;
  }

  /** Drops dead slots (renumbers slots; rebuilds postings). */
  compact(): void {
    const keep: number[] = [];
    for (let s = 0; s < this.ids.length; s++) if (this.alive[s]) keep.push(s);
    const dims = this.model?.dims ?? 0;
    const emb = new Int8Array(keep.length * dims);
    keep.forEach((s, i) => emb.set(this.emb.subarray(s * dims, (s + 1) * dims), i * dims));
    this.ids = keep.map((s) => this.ids[s]!);
    const off = new Int32Array(keep.length + 1);
    keep.forEach((s, i) => (off[i + 1] = off[i]! + this.fOff[s + 1]! - this.fOff[s]!));
    const feat = new Int32Array(off[keep.length]!);
    const tf = new Uint8Array(off[keep.length]!);
    keep.forEach((s, i) => {
      feat.set(this.fFeat.subarray(this.fOff[s]!, this.fOff[s + 1]!), off[i]!);
      tf.set(this.fTf.subarray(this.fOff[s]!, this.fOff[s + 1]!), off[i]!);
    });
    this.fOff = off;
    this.fFeat = feat;
    this.fTf = tf;
    this.norms = Float32Array.from(keep, (s) => this.norms[s]!);
    this.embScale = Float32Array.from(keep, (s) => this.embScale[s]!);
    this.embVer = Int32Array.from(keep, (s) => this.embVer[s]!);
    this.emb = emb;
    this.alive = new Uint8Array(keep.length).fill(1);
    this.slotOf = new Map(this.ids.map((id, i) => [id, i]));
    this.rebuildPostings();
  }

  // ---------------------------------------------------------------------------------------------
  // Dense model

  /** True when a (re)fit is due: no model yet and enough papers, or the index doubled since. */
  needsRefit(): boolean {
    const d = this.opts.dense;
    if (!d.dims || this.live < d.minDocs) return false;
    return !this.model || this.live >= 2 * this.model.fittedAt;
  }

  /**
   * Fits the LSA model on (a sample of) the index and re-embeds every paper: seconds at 75k
   * papers, blocking. Returns false when there is too little text for a model. Afterwards every
   * row's embedding changed: store `meta()` and `allRows()`.
   */
  refit(): boolean {
    return runSteps(this.refitSteps());
  }

  /** `refit()` in slices of well under a second, yielding to the event loop between them. */
  async refitAsync(): Promise<boolean> {
    const g = this.refitSteps();
    for (;;) {
      const r = g.next();
      if (r.done) return r.value;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  private *refitSteps(): Generator<void, boolean> {
    const d = this.opts.dense;
    if (!d.dims || this.live < 2) return false;
    const live: number[] = [];
    for (let s = 0; s < this.ids.length; s++) if (this.alive[s]) live.push(s);
    // The model's terms: highest df first among df ≥ minDf (and not above maxDf).
    const cand: number[] = [];
    for (let f = 0; f < this.nFeat; f++) {
      const df = this.df[f]!;
      if (df >= d.minDf && df <= this.opts.maxDf * this.live) cand.push(f);
    }
    cand.sort((a, b) => this.df[b]! - this.df[a]! || this.fkeys[a]! - this.fkeys[b]!);
    const terms = cand.slice(0, d.features);
    if (terms.length < d.dims) return false;
    const col = new Int32Array(this.nFeat).fill(-1);
    terms.forEach((f, c) => (col[f] = c));
    const idf = Float32Array.from(terms, (f) => this.idfRaw(f));
    // An even sample of papers.
    const step = Math.max(1, live.length / d.sampleDocs);
    const rows: SparseRow[] = [];
    for (let x = 0; x < live.length && rows.length < d.sampleDocs; x += step) {
      const r = this.modelRow0(live[Math.floor(x)]!, col, idf);
      if (r.cols.length) rows.push(r);
    }
    yield;
    const svd: SvdResult = yield* truncatedSvdSteps(rows, terms.length, d.dims, {
      powerIters: d.powerIters,
    });
    const dims = svd.dims;
    const matrix = new Int8Array(terms.length * dims);
    const rowScale = new Float32Array(terms.length);
    const colScale = Float64Array.from(svd.sigma, (s) => (s > 0 ? Math.pow(s, -d.whiten) : 0));
    for (let r = 0; r < terms.length; r++) {
      let max = 0;
      for (let j = 0; j < dims; j++)
        max = Math.max(max, Math.abs(svd.v[r * dims + j]! * colScale[j]!));
      const sc = max > 0 ? max / 127 : 0;
      rowScale[r] = sc;
      for (let j = 0; j < dims; j++)
        matrix[r * dims + j] = sc ? Math.round((svd.v[r * dims + j]! * colScale[j]!) / sc) : 0;
    }
    const model: DenseModel = {
      version: (this.model?.version ?? 0) + 1,
      dims,
      keys: Uint32Array.from(terms, (f) => this.fkeys[f]!),
      idf,
      matrix,
      rowScale,
      fittedAt: this.live,
    };
    yield;
    if (d.center) {
      this.installModel(model);
      const mean = new Float64Array(dims);
      let n = 0;
      for (let x = 0; x < live.length; x += step) {
        const s = live[Math.floor(x)]!;
        const e = this.foldIn(this.fv(s), this.tv(s));
        if (!e) continue;
        for (let j = 0; j < dims; j++) mean[j]! += e[j]!;
        n++;
      }
      model.mean = Float32Array.from(mean, (x) => x / Math.max(1, n));
    }
    this.installModel(model);
    for (let s = 0; s < this.ids.length; s++) {
      if (this.alive[s]) this.embed(s);
      if (s % 8192 === 8191) yield;
    }
    return true;
  }

  /** A paper's TF-IDF row over the model's columns, L2-normalized. */
  private modelRow0(slot: number, col: Int32Array, idf: Float32Array): SparseRow {
    const f = this.fv(slot);
    const t = this.tv(slot);
    const cols: number[] = [];
    const vals: number[] = [];
    let n = 0;
    for (let i = 0; i < f.length; i++) {
      const c = col[f[i]!]!;
      if (c < 0) continue;
      const w = TFW[t[i]!]! * idf[c]!;
      cols.push(c);
      vals.push(w);
      n += w * w;
    }
    n = Math.sqrt(n) || 1;
    return { cols: Int32Array.from(cols), vals: Float32Array.from(vals, (v) => v / n) };
  }

  /** Installs a model (fitted here or loaded) and embeds every paper with it. */
  setModel(model: DenseModel | null): void {
    this.installModel(model);
    if (model) for (let s = 0; s < this.ids.length; s++) if (this.alive[s]) this.embed(s);
  }

  private installModel(model: DenseModel | null): void {
    this.model = model;
    this.modelRow = null;
    if (!model) return;
    const table = new KeyTable(model.keys.length);
    model.keys.forEach((k, r) => table.set(k, r));
    this.modelRow = table;
    this.fidRow = new Int32Array(Math.max(this.fkeys.length, 64));
    for (let f = 0; f < this.nFeat; f++) this.fidRow[f] = table.get(this.fkeys[f]!);
    this.foldAcc = new Float64Array(model.dims);
    // Room for a quarter more papers: the pages after a fit never wait for this array to grow.
    const n = this.ids.length;
    this.emb = new Int8Array((n + Math.max(1024, n >> 2)) * model.dims);
    this.embVer.fill(0);
    this.embScale.fill(0);
  }

  /** Notes a new feature id's model row (−1 when the model lacks it or there is no model). */
  private newFeatureRow(fid: number): void {
    if (this.fidRow.length <= fid) this.fidRow = growI32(this.fidRow, fid + 1);
    this.fidRow[fid] = this.modelRow ? this.modelRow.get(this.fkeys[fid]!) : -1;
  }

  /** Folds a term vector into the model: normalized x·V as a float vector (null: no terms). */
  private foldIn(fids: ArrayLike<number>, tfs: ArrayLike<number>): Float32Array | null {
    const out = this.foldInto(fids, tfs);
    return out && Float32Array.from(out);
  }

  /**
   * Normalized x·V of a term vector (its feature ids and counts) into the shared accumulator
   * `foldAcc` (valid until the next call); null when no term is in the model.
   */
  private foldInto(fids: ArrayLike<number>, tfs: ArrayLike<number>): Float64Array | null {
    const m = this.model!;
    const dims = m.dims;
    const out = this.foldAcc;
    out.fill(0);
    const { matrix, idf, rowScale } = m;
    const fidRow = this.fidRow;
    let any = false;
    for (let i = 0; i < fids.length; i++) {
      const r = fidRow[fids[i]!]!;
      if (r < 0) continue;
      const w = TFW[tfs[i]!]! * idf[r]! * rowScale[r]!;
      if (!w) continue;
      any = true;
      const o = r * dims;
      for (let j = 0; j < dims; j++) out[j]! += w * matrix[o + j]!;
    }
    if (!any) return null;
    let n = 0;
    for (let j = 0; j < dims; j++) n += out[j]! * out[j]!;
    n = Math.sqrt(n);
    if (!n) return null;
    if (m.mean) {
      const mean = m.mean;
      let n2 = 0;
      for (let j = 0; j < dims; j++) {
        out[j] = out[j]! / n - mean[j]!;
        n2 += out[j]! * out[j]!;
      }
      n = Math.sqrt(n2) || 1;
    }
    for (let j = 0; j < dims; j++) out[j] = out[j]! / n;
    return out;
  }

  private embed(slot: number): void {
    const m = this.model!;
    const dims = m.dims;
    const e = this.foldInto(this.fv(slot), this.tv(slot));
    const o = slot * dims;
    this.embVer[slot] = m.version;
    if (!e) {
      this.emb.fill(0, o, o + dims);
      this.embScale[slot] = 0;
      return;
    }
    // Quantized from the float32 values, as a stored Float32 embedding would be.
    let max = 0;
    for (let j = 0; j < dims; j++) {
      const x = Math.abs(Math.fround(e[j]!));
      if (x > max) max = x;
    }
    const sc = max / 127;
    const emb = this.emb;
    for (let j = 0; j < dims; j++) emb[o + j] = Math.round(Math.fround(e[j]!) / sc);
    this.embScale[slot] = sc;
  }

  /** A slot's embedding as floats (null when it has none). */
  private embOf(slot: number): Float32Array | null {
    const m = this.model;
    if (!m || !this.embScale[slot]) return null;
    const o = slot * m.dims;
    const sc = this.embScale[slot]!;
    return Float32Array.from(this.emb.subarray(o, o + m.dims), (x) => x * sc);
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  private slotQuery(slot: number): Query {
    const f = this.fv(slot);
    const t = this.tv(slot);
    const w = new Float32Array(f.length);
    const n = this.norms[slot]!;
    for (let i = 0; i < f.length; i++) {
      const idf = this.idf(f[i]!);
      w[i] = (TFW[t[i]!]! * idf * idf) / n;
    }
    return { fids: f, w, emb: this.embOf(slot) };
  }

  /** A query for a paper given by text (need not be in the index). */
  private textQuery(p: PaperText): Query {
    const v = termVector(p, this.opts.text);
    const fids: number[] = [];
    const tfs: number[] = [];
    for (let i = 0; i < v.keys.length; i++) {
      const fid = this.table.get(v.keys[i]!);
      if (fid >= 0) {
        fids.push(fid);
        tfs.push(v.tf[i]!);
      }
    }
    let n = 0;
    const w = new Float32Array(fids.length);
    fids.forEach((fid, i) => {
      const idf = this.idf(fid);
      w[i] = TFW[tfs[i]!]! * idf;
      n += w[i]! * w[i]!;
    });
    n = Math.sqrt(n) || 1;
    fids.forEach((fid, i) => (w[i] = (w[i]! * this.idf(fid)) / n));
    return {
      fids: Int32Array.from(fids),
      w,
      emb: this.model ? this.foldIn(fids, tfs) : null,
    };
  }

  /** Mean of several papers' queries (the centroid of their normalized vectors). */
  private centroidQuery(slots: number[], maxTerms = 400): Query {
    const acc = new Map<number, number>();
    let emb: Float64Array | null = null;
    for (const s of slots) {
      const q = this.slotQuery(s);
      for (let i = 0; i < q.fids.length; i++)
        acc.set(q.fids[i]!, (acc.get(q.fids[i]!) ?? 0) + q.w[i]! / slots.length);
      if (q.emb) {
        emb ??= new Float64Array(q.emb.length);
        for (let j = 0; j < q.emb.length; j++) emb[j]! += q.emb[j]!;
      }
    }
    const top = [...acc].filter(([, w]) => w > 0);
    top.sort((a, b) => b[1] - a[1]);
    top.length = Math.min(top.length, maxTerms);
    let e: Float32Array | null = null;
    if (emb) {
      let n = 0;
      for (const x of emb) n += x * x;
      n = Math.sqrt(n) || 1;
      e = Float32Array.from(emb, (x) => x / n);
    }
    return {
      fids: Int32Array.from(top, (x) => x[0]),
      w: Float32Array.from(top, (x) => x[1]),
      emb: e,
    };
  }

  /** Sparse cosine of the query against every slot, into `this.acc` (dead/absent slots: 0). */
  private sparseScores(q: Query): Float32Array {
    const nSlots = this.ids.length;
    if (this.acc.length < nSlots) this.acc = new Float32Array(Math.max(nSlots, 1024));
    const acc = this.acc;
    acc.fill(0, 0, nSlots);
    const { pOff, pDoc, pTf } = this;
    for (let i = 0; i < q.fids.length; i++) {
      const fid = q.fids[i]!;
      const w = q.w[i]!;
      if (!w || fid >= this.baseFeat) continue;
      const end = pOff[fid + 1]!;
      for (let p = pOff[fid]!; p < end; p++) acc[pDoc[p]!]! += w * TFW[pTf[p]!]!;
    }
    // Tail slots from forward vectors.
    if (this.baseEnd < nSlots) {
      if (this.qScatter.length < this.nFeat) this.qScatter = new Float32Array(this.nFeat * 2);
      const qs = this.qScatter;
      for (let i = 0; i < q.fids.length; i++) qs[q.fids[i]!] = q.w[i]!;
      const { fOff, fFeat, fTf } = this;
      for (let s = this.baseEnd; s < nSlots; s++) {
        if (!this.alive[s]) continue;
        let sum = 0;
        for (let i = fOff[s]!; i < fOff[s + 1]!; i++) sum += qs[fFeat[i]!]! * TFW[fTf[i]!]!;
        acc[s] = sum;
      }
      for (let i = 0; i < q.fids.length; i++) qs[q.fids[i]!] = 0;
    }
    const norms = this.norms;
    for (let s = 0; s < nSlots; s++) if (acc[s]) acc[s] = acc[s]! / norms[s]!;
    return acc;
  }

  /** Dense cosine of `e` with slot s (0 when either has no embedding). */
  private denseScore(e: Float32Array, s: number): number {
    const dims = e.length;
    const o = s * dims;
    const emb = this.emb;
    let sum = 0;
    for (let j = 0; j < dims; j++) sum += e[j]! * emb[o + j]!;
    return sum * this.embScale[s]!;
  }

  /** Slots allowed by a filter (null: all alive slots). */
  private allowed(filter: RelatedFilter | undefined, skip: Set<number>): Uint8Array | null {
    if (!filter && !skip.size) return null;
    const n = this.ids.length;
    let ok: Uint8Array;
    if (filter?.only) {
      ok = new Uint8Array(n);
      for (const id of filter.only) {
        const s = this.slotOf.get(id);
        if (s !== undefined) ok[s] = 1;
      }
    } else ok = this.alive.slice(0, n);
    for (const id of filter?.exclude ?? []) {
      const s = this.slotOf.get(id);
      if (s !== undefined) ok[s] = 0;
    }
    for (const s of skip) ok[s] = 0;
    if (filter?.test)
      for (let s = 0; s < n; s++) if (ok[s] && !filter.test(this.ids[s]!)) ok[s] = 0;
    return ok;
  }

  /** Blended scores of a query over allowed slots, best k. */
  private rank(q: Query, k: number, ok: Uint8Array | null, skip: Set<number>): Related[] {
    if (this.staleNorms()) this.refreshNorms();
    q = this.feedback(q, skip);
    const sparse = this.sparseScores(q);
    const alpha = q.emb ? this.opts.dense.weight : 0;
    const emb = q.emb;
    const top = new TopK(k);
    const n = this.ids.length;
    const alive = this.alive;
    for (let s = 0; s < n; s++) {
      if (ok ? !ok[s] : !alive[s]) continue;
      let sc = (1 - alpha) * sparse[s]!;
      if (alpha && emb) sc += alpha * this.denseScore(emb, s);
      if (sc > top.floor) top.push(sc, s);
    }
    return top.sorted().map(({ slot, score }) => ({ id: this.ids[slot]!, score }));
  }

  /**
   * Pseudo-relevance feedback (Rocchio): the query plus `prfWeight` × the mean of its first-round
   * top `prfDocs` neighbours (sparse and dense parts), renormalized. Unchanged when off.
   */
  private feedback(q: Query, skip: Set<number>): Query {
    const m = this.opts.prfDocs;
    const beta = this.opts.prfWeight;
    if (!m || !beta) return q;
    const sparse = this.sparseScores(q);
    const alpha = q.emb ? this.opts.dense.weight : 0;
    const top = new TopK(m);
    for (let s = 0; s < this.ids.length; s++) {
      if (!this.alive[s] || skip.has(s)) continue;
      let sc = (1 - alpha) * sparse[s]!;
      if (alpha && q.emb) sc += alpha * this.denseScore(q.emb, s);
      if (sc > top.floor) top.push(sc, s);
    }
    const slots = top.sorted().map((x) => x.slot);
    if (!slots.length) return q;
    const w = new Map<number, number>();
    for (let i = 0; i < q.fids.length; i++) w.set(q.fids[i]!, q.w[i]!);
    const emb: Float64Array | null = q.emb ? Float64Array.from(q.emb) : null;
    const b = beta / slots.length;
    for (const s of slots) {
      const d = this.slotQuery(s);
      for (let i = 0; i < d.fids.length; i++)
        w.set(d.fids[i]!, (w.get(d.fids[i]!) ?? 0) + b * d.w[i]!);
      if (emb && d.emb) for (let j = 0; j < emb.length; j++) emb[j]! += b * d.emb[j]!;
    }
    // Keep the strongest terms; renormalize (weights carry an extra idf factor).
    const terms = [...w]
      .map(([fid, x]) => [fid, x, x / (this.idf(fid) || 1)] as const)
      .sort((x, y) => y[2] - x[2])
      .slice(0, 400);
    let n = 0;
    for (const t of terms) n += t[2] * t[2];
    n = Math.sqrt(n) || 1;
    let e: Float32Array | null = null;
    if (emb) {
      let en = 0;
      for (const x of emb) en += x * x;
      en = Math.sqrt(en) || 1;
      e = Float32Array.from(emb, (x) => x / en);
    }
    return {
      fids: Int32Array.from(terms, (t) => t[0]),
      w: Float32Array.from(terms, (t) => t[1] / n),
      emb: e,
    };
  }

  /** The k papers most similar to paper `id` (never itself). Empty when `id` is unknown. */
  similarTo(id: string, k = 10, filter?: RelatedFilter): Related[] {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return [];
    const skip = new Set([slot]);
    return this.rank(this.slotQuery(slot), k, this.allowed(filter, skip), skip);
  }

  /** The k indexed papers most similar to a paper given by its text (e.g. a card not indexed). */
  similarToText(p: PaperText, k = 10, filter?: RelatedFilter): Related[] {
    const skip = new Set<number>();
    const s = this.slotOf.get(p.id);
    if (s !== undefined) skip.add(s);
    return this.rank(this.textQuery(p), k, this.allowed(filter, skip), skip);
  }

  /** Blended similarity of paper `id` with each of `others` (NaN for unknown ids). */
  scores(id: string, others: string[]): number[] {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return others.map(() => NaN);
    if (this.staleNorms()) this.refreshNorms();
    const q = this.feedback(this.slotQuery(slot), new Set([slot]));
    return this.scoreSlots(q, others);
  }

  private scoreSlots(q: Query, others: string[]): number[] {
    const qs = new Map<number, number>();
    for (let i = 0; i < q.fids.length; i++) qs.set(q.fids[i]!, q.w[i]!);
    const alpha = q.emb ? this.opts.dense.weight : 0;
    return others.map((o) => {
      const s = this.slotOf.get(o);
      if (s === undefined) return NaN;
      const f = this.fv(s);
      const t = this.tv(s);
      let sum = 0;
      for (let i = 0; i < f.length; i++) {
        const w = qs.get(f[i]!);
        if (w) sum += w * TFW[t[i]!]!;
      }
      let sc = ((1 - alpha) * sum) / this.norms[s]!;
      if (alpha && q.emb) sc += alpha * this.denseScore(q.emb, s);
      return sc;
    });
  }

  /**
   * Papers close to a set of papers (a tag, or the whole library), never the set's own papers.
   * `aggregate`: `'centroid'` ranks by similarity to the mean of the set's vectors; `'max'` takes
   * the centroid's top `pool` candidates and re-ranks them by their similarity to the closest
   * paper of the set (kNN), which keeps a multi-topic set from blurring into one average;
   * `'top2'` (the default: best on both tag benchmarks, bench/results/related.md) uses the mean
   * of the two closest.
   */
  similarToSet(
    ids: string[],
    k = 10,
    filter?: RelatedFilter,
    aggregate: SetAggregate = DEFAULT_AGGREGATE,
    pool = 300,
  ): Related[] {
    const slots = [...new Set(ids)].map((id) => this.slotOf.get(id)).filter((s) => s !== undefined);
    if (!slots.length) return [];
    const skip = new Set(slots);
    const ok = this.allowed(filter, skip);
    if (aggregate === 'centroid' || slots.length === 1)
      return this.rank(this.centroidQuery(slots), k, ok, skip);
    const cands = this.rank(this.centroidQuery(slots), Math.max(pool, k), ok, skip);
    const sets = this.setScorer(slots);
    const out = cands.map(({ id }) => {
      const sims = sets(this.slotOf.get(id)!);
      return { id, score: aggregateSims(sims, aggregate) };
    });
    return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, k);
  }

  /**
   * A function giving the blended similarity of any slot to each of `slots` (their queries are
   * computed once). Cost per call: the slots' term counts plus dims per slot.
   */
  private setScorer(slots: number[]): (slot: number) => Float32Array {
    if (this.staleNorms()) this.refreshNorms();
    const qs = slots.map((s) => this.slotQuery(s));
    const alpha = this.model ? this.opts.dense.weight : 0;
    if (this.qScatter.length < this.nFeat) this.qScatter = new Float32Array(this.nFeat * 2);
    const scatter = this.qScatter;
    return (c) => {
      const f = this.fv(c);
      const t = this.tv(c);
      const n = this.norms[c]!;
      for (let i = 0; i < f.length; i++) scatter[f[i]!] = TFW[t[i]!]! / n;
      const out = new Float32Array(qs.length);
      const cEmb = alpha ? this.embOf(c) : null;
      qs.forEach((q, j) => {
        let sum = 0;
        for (let i = 0; i < q.fids.length; i++) sum += scatter[q.fids[i]!]! * q.w[i]!;
        let sc = (1 - (cEmb && q.emb ? alpha : 0)) * sum;
        if (cEmb && q.emb) {
          let d = 0;
          for (let x = 0; x < cEmb.length; x++) d += cEmb[x]! * q.emb[x]!;
          sc += alpha * d;
        }
        out[j] = sc;
      });
      for (let i = 0; i < f.length; i++) scatter[f[i]!] = 0;
      return out;
    };
  }

  /**
   * "For you": papers close to the saved library, overall and per tag, each with its reason (the
   * saved papers it is closest to and their tags). Candidates are every indexed paper that is not
   * saved, not in `exclude` and passes `filter` (e.g. only papers seen but not saved).
   *
   * Candidates come from the centroid of each tag and of each cluster of the library (so a
   * minority topic still gets its own candidates); each candidate is then scored by its
   * similarity to the closest saved papers (`aggregate`, default `'top2'`: the mean of the two
   * closest).
   */
  recommend(
    savedIds: string[],
    opts: {
      perTag?: Record<string, string[]>;
      k?: number;
      exclude?: Iterable<string>;
      filter?: RelatedFilter;
      aggregate?: SetAggregate;
      /** Papers marked "not interested": candidates close to them are pushed down. */
      disliked?: string[];
      /** How hard: score − penalty × (similarity to the closest disliked paper). */
      penalty?: number;
    } = {},
  ): Recommendations {
    const k = opts.k ?? 20;
    const aggregate = opts.aggregate ?? DEFAULT_AGGREGATE;
    const perTag = opts.perTag ?? {};
    const known = (ids: string[]): number[] =>
      [...new Set(ids)].map((id) => this.slotOf.get(id)).filter((s) => s !== undefined);
    const saved = known(savedIds);
    const tagSlots = Object.entries(perTag).map(([tag, ids]) => [tag, known(ids)] as const);
    const allSaved = [...new Set([...saved, ...tagSlots.flatMap(([, s]) => s)])];
    const empty: Recommendations = { overall: [], byTag: {} };
    for (const [tag] of tagSlots) empty.byTag[tag] = [];
    if (!allSaved.length) return empty;
    const disliked = known(opts.disliked ?? []);
    const penalty = opts.penalty ?? 0.5;
    const dislikeScorer = disliked.length ? this.setScorer(disliked) : null;
    const skip = new Set([...allSaved, ...disliked]);
    const filter: RelatedFilter = {
      ...opts.filter,
      exclude: [...(opts.filter?.exclude ?? []), ...(opts.exclude ?? [])],
    };
    const ok = this.allowed(filter, skip)!;
    const tagsOf = new Map<number, string[]>();
    for (const [tag, slots] of tagSlots)
      for (const s of slots) tagsOf.set(s, [...(tagsOf.get(s) ?? []), tag]);
    const pool = Math.max(3 * k, 100);
    const rankGroup = (slots: number[]): Map<number, number> => {
      const m = new Map<number, number>();
      for (const r of this.rank(this.centroidQuery(slots), pool, ok, skip))
        m.set(this.slotOf.get(r.id)!, r.score);
      return m;
    };
    const scoreAgainst = (slots: number[], cands: Iterable<number>): Recommendation[] => {
      const scorer = this.setScorer(slots);
      const out: Recommendation[] = [];
      for (const c of cands) {
        const sims = scorer(c);
        const order = [...sims.keys()].sort((a, b) => sims[b]! - sims[a]!);
        const nearest = order
          .slice(0, 3)
          .map((j) => ({ id: this.ids[slots[j]!]!, score: sims[j]! }));
        const tags = new Map<string, number>();
        for (const j of order.slice(0, 3))
          for (const t of tagsOf.get(slots[j]!) ?? []) tags.set(t, (tags.get(t) ?? 0) + 1);
        const down = dislikeScorer
          ? penalty * Math.max(0, aggregateSims(dislikeScorer(c), 'max'))
          : 0;
        out.push({
          id: this.ids[c]!,
          score: aggregateSims(sims, aggregate) - down,
          nearest,
          tags: [...tags].sort((a, b) => b[1] - a[1]).map((x) => x[0]),
        });
      }
      return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, k);
    };
    const byTag: Record<string, Recommendation[]> = {};
    const candidates = new Set<number>();
    for (const [tag, slots] of tagSlots) {
      if (!slots.length) {
        byTag[tag] = [];
        continue;
      }
      const cands = rankGroup(slots);
      for (const c of cands.keys()) candidates.add(c);
      byTag[tag] =
        aggregate === 'centroid' || slots.length === 1
          ? scoreAgainst(slots, cands.keys())
              .map((r) => ({
                ...r,
                score:
                  cands.get(this.slotOf.get(r.id)!)! -
                  (dislikeScorer
                    ? penalty *
                      Math.max(0, aggregateSims(dislikeScorer(this.slotOf.get(r.id)!), 'max'))
                    : 0),
              }))
              .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
          : scoreAgainst(slots, cands.keys());
    }
    for (const group of this.clusters(allSaved))
      for (const c of rankGroup(group).keys()) candidates.add(c);
    return { overall: scoreAgainst(allSaved, candidates), byTag };
  }

  /**
   * For each of `ids` (e.g. the cards of a listing page, once indexed), the closest of `among`
   * (e.g. the saved papers) and its similarity; null when `among` has no indexed paper or the
   * paper is unknown. Cost: about (terms + dims) × |among| per id.
   */
  closest(ids: string[], among: string[]): (Related | null)[] {
    const slots = [...new Set(among)]
      .map((id) => this.slotOf.get(id))
      .filter((s) => s !== undefined);
    if (!slots.length) return ids.map(() => null);
    const scorer = this.setScorer(slots);
    return ids.map((id) => {
      const c = this.slotOf.get(id);
      if (c === undefined) return null;
      const sims = scorer(c);
      let best = -1;
      for (let j = 0; j < sims.length; j++) {
        if (slots[j] === c) continue;
        if (best < 0 || sims[j]! > sims[best]!) best = j;
      }
      return best < 0 ? null : { id: this.ids[slots[best]!]!, score: sims[best]! };
    });
  }

  /**
   * Groups papers by topic: spherical k-means on their embeddings (k ≈ √(n/2), at most 12), or a
   * single group without a dense model. Deterministic (farthest-point initialization).
   */
  private clusters(slots: number[]): number[][] {
    const embs = slots.map((s) => this.embOf(s));
    const k = Math.min(12, Math.max(1, Math.round(Math.sqrt(slots.length / 2))));
    if (k === 1 || embs.some((e) => !e)) return [slots];
    const dims = embs[0]!.length;
    const dot = (a: Float32Array, b: Float32Array): number => {
      let s = 0;
      for (let j = 0; j < dims; j++) s += a[j]! * b[j]!;
      return s;
    };
    const centers: Float32Array[] = [embs[0]!];
    while (centers.length < k) {
      let best = -1;
      let bestSim = Infinity;
      embs.forEach((e, i) => {
        const sim = Math.max(...centers.map((c) => dot(c, e!)));
        if (sim < bestSim) {
          bestSim = sim;
          best = i;
        }
      });
      centers.push(embs[best]!);
    }
    let assign = new Int32Array(slots.length);
    for (let it = 0; it < 8; it++) {
      assign = Int32Array.from(embs, (e) => {
        let bi = 0;
        centers.forEach((c, i) => {
          if (dot(c, e!) > dot(centers[bi]!, e!)) bi = i;
        });
        return bi;
      });
      centers.forEach((_, i) => {
        const sum = new Float32Array(dims);
        embs.forEach((e, x) => {
          if (assign[x] === i) for (let j = 0; j < dims; j++) sum[j]! += e![j]!;
        });
        const n = Math.sqrt(dot(sum, sum));
        if (n) centers[i] = sum.map((v) => v / n);
      });
    }
    const groups: number[][] = centers.map(() => []);
    slots.forEach((s, i) => groups[assign[i]!]!.push(s));
    return groups.filter((g) => g.length);
  }

  /**
   * Why two papers are related: the words (and authors) both use, by their share of the sparse
   * similarity, as the first paper writes them. `b` may be several papers (a tag): their terms
   * are pooled.
   */
  explain(a: PaperText, b: PaperText | PaperText[], n = 6): ExplainTerm[] {
    const others = Array.isArray(b) ? b : [b];
    const opts = this.opts.text;
    const vecOf = (p: PaperText): Map<number, number> => {
      const v = termVector(p, opts);
      const m = new Map<number, number>();
      let norm = 0;
      v.keys.forEach((key, i) => {
        const w = TFW[v.tf[i]!]! * this.idfOfKey(key);
        m.set(key, w);
        norm += w * w;
      });
      norm = Math.sqrt(norm) || 1;
      for (const [key, w] of m) m.set(key, w / norm);
      return m;
    };
    const va = vecOf(a);
    const vb = new Map<number, number>();
    for (const p of others)
      for (const [key, w] of vecOf(p)) vb.set(key, (vb.get(key) ?? 0) + w / others.length);
    // Names for keys: surface words of a (most frequent form, then shortest), authors by name.
    const names = new Map<number, { term: string; kind: 'word' | 'author' }>();
    const forms = new Map<number, Map<string, number>>();
    paperTerms(
      a,
      opts,
      () => {},
      (key, surface) => {
        const f = forms.get(key) ?? new Map<string, number>();
        f.set(surface, (f.get(surface) ?? 0) + 1);
        forms.set(key, f);
      },
    );
    for (const [key, f] of forms) {
      const best = [...f].sort((x, y) => y[1] - x[1] || x[0].length - y[0].length)[0]!;
      names.set(key, { term: best[0], kind: 'word' });
    }
    for (const name of a.authors ?? []) {
      const norm = normalizeAuthor(name);
      if (norm) names.set(authorKey(norm), { term: name, kind: 'author' });
    }
    const out: ExplainTerm[] = [];
    for (const [key, w] of va) {
      const wb = vb.get(key);
      const name = names.get(key);
      if (!wb || !name || (name.kind === 'word' && isGenericWord(name.term))) continue;
      out.push({ ...name, weight: w * wb });
    }
    return out.sort((x, y) => y.weight - x.weight || (x.term < y.term ? -1 : 1)).slice(0, n);
  }

  // ---------------------------------------------------------------------------------------------
  // Introspection

  /** Memory held by the index's arrays (bytes, approximate; excludes id strings). */
  get bytes(): number {
    let b = 0;
    b += this.fFeat.byteLength + this.fTf.byteLength + this.fOff.byteLength;
    b += this.pOff.byteLength + this.pDoc.byteLength + this.pTf.byteLength;
    b += this.fkeys.byteLength + this.df.byteLength + this.table.bytes;
    b += this.emb.byteLength + this.embScale.byteLength + this.norms.byteLength;
    if (this.model) b += this.model.matrix.byteLength + this.model.keys.byteLength * 3;
    return b;
  }

  /** A paper's stored term vector and embedding (for persistence), or null. */
  vectorOf(
    id: string,
  ): { v: TermVector; emb?: Int8Array; embScale?: number; embVersion?: number } | null {
    const s = this.slotOf.get(id);
    if (s === undefined) return null;
    const f = this.fv(s);
    const t = this.tv(s);
    const pairs = [...f].map((fid, i) => [this.fkeys[fid]!, t[i]!] as const);
    pairs.sort((a, b) => a[0] - b[0]);
    const v = {
      keys: Uint32Array.from(pairs, (p) => p[0]),
      tf: Uint8Array.from(pairs, (p) => p[1]),
    };
    const m = this.model;
    if (!m || this.embVer[s] !== m.version) return { v };
    return {
      v,
      emb: this.emb.slice(s * m.dims, (s + 1) * m.dims),
      embScale: this.embScale[s]!,
      embVersion: m.version,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Persistence

  /** The index-wide state to store next to the rows (options and dense model). */
  meta(): RelatedMeta {
    return { format: FORMAT, options: structuredClone(this.opts), model: this.model };
  }

  /** The stored form of some papers (unknown ids are skipped). */
  rowsFor(ids: Iterable<string>): RelatedRow[] {
    const out: RelatedRow[] = [];
    for (const id of ids) {
      const x = this.vectorOf(id);
      if (!x) continue;
      const row: RelatedRow = { id, keys: x.v.keys, tf: x.v.tf };
      if (x.emb) {
        row.emb = x.emb;
        row.scale = x.embScale;
        row.ver = x.embVersion;
      }
      out.push(row);
    }
    return out;
  }

  /** Every paper's stored form. */
  allRows(): RelatedRow[] {
    return this.rowsFor(this.ids.filter((_, s) => this.alive[s]));
  }

  /**
   * Rebuilds an index from stored rows and meta without reading any text. Returns null when the
   * meta is of another format (the rows' keys may mean something else: re-index from text).
   */
  static fromRows(meta: RelatedMeta, rows: Iterable<RelatedRow>): RelatedIndex | null {
    if (meta.format !== FORMAT) return null;
    const ix = new RelatedIndex(meta.options);
    ix.model = null;
    if (meta.model) ix.setModel(meta.model);
    const vecs: AddVector[] = [];
    for (const r of rows)
      vecs.push({
        id: r.id,
        v: { keys: r.keys, tf: r.tf },
        emb: r.emb,
        embScale: r.scale,
        embVersion: r.ver,
      });
    ix.addVectors(vecs);
    ix.rebuildPostings();
    return ix;
  }

  /**
   * The whole index as a few large typed arrays (one object to store or transfer; removed papers'
   * slots left out). `fromSnapshot` gives back an index with the same answers.
   */
  snapshot(): RelatedSnapshot {
    const keep: number[] = [];
    for (let s = 0; s < this.ids.length; s++) if (this.alive[s]) keep.push(s);
    const n = keep.length;
    const off = new Int32Array(n + 1);
    keep.forEach((s, i) => (off[i + 1] = off[i]! + this.fOff[s + 1]! - this.fOff[s]!));
    const feat = new Int32Array(off[n]!);
    const tf = new Uint8Array(off[n]!);
    const dims = this.model?.dims ?? 0;
    const emb = new Int8Array(n * dims);
    keep.forEach((s, i) => {
      feat.set(this.fFeat.subarray(this.fOff[s]!, this.fOff[s + 1]!), off[i]!);
      tf.set(this.fTf.subarray(this.fOff[s]!, this.fOff[s + 1]!), off[i]!);
      if (dims) emb.set(this.emb.subarray(s * dims, (s + 1) * dims), i * dims);
    });
    return {
      ...this.meta(),
      ids: keep.map((s) => this.ids[s]!),
      off,
      feat,
      tf,
      fkeys: this.fkeys.slice(0, this.nFeat),
      norms: Float32Array.from(keep, (s) => this.norms[s]!),
      emb,
      embScale: Float32Array.from(keep, (s) => this.embScale[s]!),
      embVer: Int32Array.from(keep, (s) => this.embVer[s]!),
      changed: this.changed,
    };
  }

  /**
   * The inverse of `snapshot()`: the arrays are checked and copied (with room to grow), the
   * feature table, document frequencies and postings rebuilt from them. Null when the snapshot is of another
   * format or does not hold together (a damaged or forged value): re-index from rows or text.
   */
  static fromSnapshot(s: RelatedSnapshot): RelatedIndex | null {
    if (!s || s.format !== FORMAT || !validSnapshot(s)) return null;
    const ix = new RelatedIndex(s.options);
    const n = s.ids.length;
    const dims = s.model?.dims ?? 0;
    ix.model = null;
    if (s.model) {
      // Installs the model without embedding anything (the snapshot's embeddings are used).
      ix.fkeys = s.fkeys;
      ix.nFeat = s.fkeys.length;
      ix.installModel(s.model);
    }
    ix.ids = s.ids.slice();
    ix.slotOf = new Map(ix.ids.map((id, i) => [id, i]));
    if (ix.slotOf.size !== n) return null; // duplicate ids
    ix.alive = new Uint8Array(n).fill(1);
    ix.live = n;
    // Room for a quarter more terms: the first pages after a wake never copy these arrays.
    const room = (len: number): number => len + Math.max(4096, len >> 2);
    ix.fOff = new Int32Array(room(s.off.length));
    ix.fOff.set(s.off);
    ix.fFeat = new Int32Array(room(s.feat.length));
    ix.fFeat.set(s.feat);
    ix.fTf = new Uint8Array(room(s.tf.length));
    ix.fTf.set(s.tf);
    ix.fkeys = s.fkeys;
    ix.nFeat = s.fkeys.length;
    ix.table = new KeyTable(Math.max(1 << 16, ix.nFeat));
    for (let f = 0; f < ix.nFeat; f++) {
      if (ix.table.get(s.fkeys[f]!) >= 0) return null; // a key twice
      ix.table.set(s.fkeys[f]!, f);
    }
    ix.df = new Int32Array(Math.max(64, ix.nFeat));
    for (let i = 0; i < s.feat.length; i++) ix.df[s.feat[i]!]!++;
    ix.norms = s.norms;
    ix.embScale = s.embScale;
    ix.embVer = s.embVer;
    if (dims) {
      ix.emb = new Int8Array((n + Math.max(1024, n >> 2)) * dims);
      ix.emb.set(s.emb);
      ix.fidRow = new Int32Array(Math.max(ix.nFeat, 64));
      for (let f = 0; f < ix.nFeat; f++) ix.fidRow[f] = ix.modelRow!.get(ix.fkeys[f]!);
      // Embeddings of an older model (none should be) are recomputed.
      for (let i = 0; i < n; i++) if (ix.embVer[i] !== s.model!.version) ix.embed(i);
    }
    ix.changed = s.changed;
    ix.rebuildPostings();
    return ix;
  }

  /** The idf of a term key (0 when too common; a term the index lacks counts as rare). */
  idfOfKey(key: number): number {
    const fid = this.table.get(key);
    if (fid >= 0) return this.idf(fid);
    const x = Math.log((1 + this.live) / 2) + 1;
    return this.opts.idfPower === 1 ? x : Math.pow(x, this.opts.idfPower);
  }
}
