/**
 * Small dense linear algebra on plain number arrays, shared by the samplers (NSGA-II's UNDX
 * today). Vectors are `number[]`; nothing here allocates more than its result.
 */

/** The dot product of two vectors of one length. */
export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** The Euclidean norm. */
export function norm(a: readonly number[]): number {
  return Math.sqrt(dot(a, a));
}

/**
 * An orthonormal basis of the subspace orthogonal to `direction` in R^n (n - 1 vectors), by
 * Gram-Schmidt over the standard basis, each vector orthogonalised twice for accuracy. A zero
 * direction gives e_2 ... e_n, as the subspace is then undefined and any basis will do.
 */
export function orthonormalComplement(direction: readonly number[]): number[][] {
  const n = direction.length;
  const length = norm(direction);
  const basis: number[][] = length > 1e-12 ? [direction.map((x) => x / length)] : [];
  const wanted = basis.length === 0 ? n - 1 : n;
  for (let k = 0; k < n && basis.length < wanted; k++) {
    if (basis.length === 0 && k === 0) continue; // zero direction: skip e_1
    const v = new Array<number>(n).fill(0);
    v[k] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        const p = dot(v, b);
        for (let i = 0; i < n; i++) v[i]! -= p * b[i]!;
      }
    }
    const l = norm(v);
    if (l > 1e-8) basis.push(v.map((x) => x / l));
  }
  return length > 1e-12 ? basis.slice(1) : basis;
}

/**
 * Solves the square system A x = b by Gaussian elimination with partial pivoting; null when A is
 * singular (a pivot below `tolerance` times the largest entry). A and b are not modified.
 */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[], tolerance = 1e-12): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  let scale = 0;
  for (const row of a) for (const x of row) scale = Math.max(scale, Math.abs(x));
  if (scale === 0) return null;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) <= tolerance * scale) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * x[c]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}
