/** Keeps the k largest (score, slot) pairs seen: a binary min-heap on typed arrays. */
export class TopK {
  readonly k: number;
  private scores: Float64Array;
  private slots: Int32Array;
  size = 0;

  constructor(k: number) {
    this.k = Math.max(0, k);
    this.scores = new Float64Array(this.k);
    this.slots = new Int32Array(this.k);
  }

  /** The smallest score kept, or -Infinity while fewer than k are kept. */
  get floor(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  push(score: number, slot: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.scores[p]! <= score) break;
        this.scores[i] = this.scores[p]!;
        this.slots[i] = this.slots[p]!;
        i = p;
      }
      this.scores[i] = score;
      this.slots[i] = slot;
      return;
    }
    if (score <= this.scores[0]!) return;
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.scores[r]! < this.scores[l]! ? r : l;
      if (this.scores[c]! >= score) break;
      this.scores[i] = this.scores[c]!;
      this.slots[i] = this.slots[c]!;
      i = c;
    }
    this.scores[i] = score;
    this.slots[i] = slot;
  }

  /** The kept pairs, best first (ties: lower slot first). */
  sorted(): { slot: number; score: number }[] {
    const out: { slot: number; score: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ slot: this.slots[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.slot - b.slot);
  }
}
