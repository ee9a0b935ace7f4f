/**
 * Latent semantic analysis: a truncated SVD of the (documents × terms) TF-IDF matrix by the
 * randomized range finder of Halko, Martinsson & Tropp (2011), with power iterations and
 * Cholesky-QR orthonormalization. Returns the top right singular vectors (one `dims`-vector per
 * term), which project any document, old or new, by "folding in": emb(d) = x_d · V.
 *
 * Plain typed-array JavaScript: at 25,000 sampled documents × 32,000 terms × 128 dims it takes a
 * few seconds on one core.
 */

/** A sparse row: column indices and values. */
export interface SparseRow {
  cols: Int32Array;
  vals: Float32Array;
}

/** Seeded PRNG (mulberry32) → standard normal by Box–Muller. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uni = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = uni() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uni());
  };
}

/** out (rows × l) = X · D, D is (nCols × l), row-major. */
function mulXD(rows: SparseRow[], d: Float64Array, l: number): Float64Array {
  const out = new Float64Array(rows.length * l);
  for (let i = 0; i < rows.length; i++) {
    const { cols, vals } = rows[i]!;
    const o = i * l;
    for (let p = 0; p < cols.length; p++) {
      const v = vals[p]!;
      const r = cols[p]! * l;
      for (let j = 0; j < l; j++) out[o + j]! += v * d[r + j]!;
    }
  }
  return out;
}

/** out (nCols × l) = Xᵀ · D, D is (rows × l). */
function mulXtD(rows: SparseRow[], nCols: number, d: Float64Array, l: number): Float64Array {
  const out = new Float64Array(nCols * l);
  for (let i = 0; i < rows.length; i++) {
    const { cols, vals } = rows[i]!;
    const o = i * l;
    for (let p = 0; p < cols.length; p++) {
      const v = vals[p]!;
      const r = cols[p]! * l;
      for (let j = 0; j < l; j++) out[r + j]! += v * d[o + j]!;
    }
  }
  return out;
}

/** G (l × l) = Aᵀ A for A (n × l) row-major. */
function gram(a: Float64Array, n: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let j = 0; j < l; j++) {
      const v = a[o + j]!;
      if (v === 0) continue;
      const gj = j * l;
      for (let k = j; k < l; k++) g[gj + k]! += v * a[o + k]!;
    }
  }
  for (let j = 0; j < l; j++) for (let k = 0; k < j; k++) g[j * l + k] = g[k * l + j]!;
  return g;
}

/**
 * Orthonormalizes the columns of A (n × l) in place by Cholesky-QR (`passes` times; two give
 * full accuracy). A column that is numerically dependent becomes zero.
 */
function orthonormalize(a: Float64Array, n: number, l: number, passes = 1): void {
  for (let pass = 0; pass < passes; pass++) {
    const g = gram(a, n, l);
    // Cholesky G = Rᵀ R (R upper triangular, row-major in r).
    const r = new Float64Array(l * l);
    let maxDiag = 0;
    for (let j = 0; j < l; j++) maxDiag = Math.max(maxDiag, g[j * l + j]!);
    const eps = maxDiag * 1e-13 + 1e-300;
    for (let j = 0; j < l; j++) {
      let d = g[j * l + j]!;
      for (let k = 0; k < j; k++) d -= r[k * l + j]! ** 2;
      const rjj = d > eps ? Math.sqrt(d) : 0;
      r[j * l + j] = rjj;
      if (!rjj) continue;
      for (let c = j + 1; c < l; c++) {
        let s = g[j * l + c]!;
        for (let k = 0; k < j; k++) s -= r[k * l + j]! * r[k * l + c]!;
        r[j * l + c] = s / rjj;
      }
    }
    // inv = R⁻¹ (upper triangular; a zero pivot gives a zero row and column).
    const inv = new Float64Array(l * l);
    for (let j = l - 1; j >= 0; j--) {
      const rjj = r[j * l + j]!;
      if (!rjj) continue;
      inv[j * l + j] = 1 / rjj;
      for (let c = j + 1; c < l; c++) {
        let s = 0;
        for (let k = j + 1; k <= c; k++) s += r[j * l + k]! * inv[k * l + c]!;
        inv[j * l + c] = -s / rjj;
      }
    }
    // A ← A · R⁻¹, row by row (contiguous inner loops).
    const row = new Float64Array(l);
    for (let i = 0; i < n; i++) {
      const o = i * l;
      row.fill(0);
      for (let k = 0; k < l; k++) {
        const v = a[o + k]!;
        if (v === 0) continue;
        const ik = k * l;
        for (let j = k; j < l; j++) row[j]! += v * inv[ik + j]!;
      }
      a.set(row, o);
    }
  }
}

/** Eigen-decomposition of a symmetric l × l matrix by cyclic Jacobi. Values descending. */
function symmetricEigen(
  m: Float64Array,
  l: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++)
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * l + p]!;
        const aqq = a[q * l + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = [...Array(l).keys()].sort((x, y) => a[y * l + y]! - a[x * l + x]!);
  const values = new Float64Array(l);
  const vectors = new Float64Array(l * l);
  order.forEach((src, dst) => {
    values[dst] = a[src * l + src]!;
    for (let k = 0; k < l; k++) vectors[k * l + dst] = v[k * l + src]!;
  });
  return { values, vectors };
}

/** What `truncatedSvd` returns: V (nCols × dims, row-major) and the singular values. */
export interface SvdResult {
  v: Float64Array;
  sigma: Float64Array;
  dims: number;
}

/**
 * Top-`dims` right singular vectors of the sparse matrix with rows `rows` and `nCols` columns.
 * `oversample` extra dimensions and `powerIters` power iterations sharpen the subspace. A
 * generator: it yields between its heavy phases (each well under a second at 12k × 30k) so a
 * caller can keep an event loop responsive; `truncatedSvd` runs it through.
 */
export function* truncatedSvdSteps(
  rows: SparseRow[],
  nCols: number,
  dims: number,
  { oversample = 16, powerIters = 1, seed = 42 } = {},
): Generator<void, SvdResult> {
  const l = Math.min(dims + oversample, nCols, rows.length);
  const n = rows.length;
  const rnd = gaussian(seed);
  const omega = new Float64Array(nCols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rnd();
  let y = mulXD(rows, omega, l); // n × l
  yield;
  orthonormalize(y, n, l);
  yield;
  for (let it = 0; it < powerIters; it++) {
    const z = mulXtD(rows, nCols, y, l); // nCols × l
    yield;
    orthonormalize(z, nCols, l);
    yield;
    y = mulXD(rows, z, l);
    yield;
    orthonormalize(y, n, l, it === powerIters - 1 ? 2 : 1);
    yield;
  }
  // B = Qᵀ X (l × nCols), kept transposed: Bt = Xᵀ Q (nCols × l).
  const bt = mulXtD(rows, nCols, y, l);
  yield;
  const c = gram(bt, nCols, l); // B Bᵀ (l × l)
  const { values, vectors } = symmetricEigen(c, l);
  yield;
  const k = Math.min(dims, l);
  const sigma = new Float64Array(k);
  for (let j = 0; j < k; j++) sigma[j] = Math.sqrt(Math.max(values[j]!, 0));
  // V = Bᵀ U Σ⁻¹ (nCols × k).
  const v = new Float64Array(nCols * k);
  for (let r = 0; r < nCols; r++) {
    const o = r * l;
    for (let j = 0; j < k; j++) {
      if (!sigma[j]) continue;
      let s = 0;
      for (let t = 0; t < l; t++) s += bt[o + t]! * vectors[t * l + j]!;
      v[r * k + j] = s / sigma[j]!;
    }
  }
  return { v, sigma, dims: k };
}

/** Runs a step generator to its end, synchronously. */
export function runSteps<T>(g: Generator<void, T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** `truncatedSvdSteps`, run through synchronously. */
export function truncatedSvd(
  rows: SparseRow[],
  nCols: number,
  dims: number,
  opts: { oversample?: number; powerIters?: number; seed?: number } = {},
): SvdResult {
  return runSteps(truncatedSvdSteps(rows, nCols, dims, opts));
}
