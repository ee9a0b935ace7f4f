/**
 * Feature keys: a feature string hashed to 32 bits (FNV-1a over UTF-16 code units, then a
 * murmur3 finalizer to spread the bits). Keys are what is persisted, so the function must never
 * change without a format version bump. At a few million distinct features, about a thousand pairs
 * collide: two rare terms then count as one, which changes nothing measurable.
 */
export function featureKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A growable map from uint32 key to a dense int id (open addressing, linear probing). */
export class KeyTable {
  private keys: Uint32Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Uint32Array(cap);
    this.vals = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  /** The id of `key`, or -1. */
  get(key: number): number {
    let i = Math.imul(key, 0x9e3779b1) & this.mask;
    for (;;) {
      const v = this.vals[i]!;
      if (v === -1) return -1;
      if (this.keys[i] === key) return v;
      i = (i + 1) & this.mask;
    }
  }

  /** Maps `key` to `id` (the key must be absent). */
  set(key: number, id: number): void {
    if ((this.size + 1) * 2 > this.vals.length) this.grow();
    let i = Math.imul(key, 0x9e3779b1) & this.mask;
    while (this.vals[i] !== -1) i = (i + 1) & this.mask;
    this.keys[i] = key;
    this.vals[i] = id;
    this.size++;
  }

  private grow(): void {
    const oldK = this.keys;
    const oldV = this.vals;
    this.keys = new Uint32Array(oldK.length * 2);
    this.vals = new Int32Array(oldV.length * 2).fill(-1);
    this.mask = this.vals.length - 1;
    this.size = 0;
    for (let j = 0; j < oldV.length; j++) if (oldV[j] !== -1) this.set(oldK[j]!, oldV[j]!);
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.keys.byteLength + this.vals.byteLength;
  }
}
