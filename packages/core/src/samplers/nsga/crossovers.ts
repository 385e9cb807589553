/**
 * NSGA-II's crossovers, as Optuna offers them: each makes one child from 2 or 3 parents in the
 * numeric parameters' transformed space (log for log ranges; ints and stepped floats widened by
 * half a step), where `bounds` holds each dimension's [low, high]. The sampler redraws a child
 * that falls outside the bounds, as Optuna does, so a crossover may overshoot them.
 */
import { InvalidOptionError } from "../../errors.js";
import { dot, norm, orthonormalComplement } from "../../numerics/linear-algebra.js";
import type { Rng } from "../../rng.js";

/** What a crossover knows of the study beyond the parents. */
export interface CrossoverContext {
  /** Whether the study has more than one objective (SBX's default eta depends on it). */
  readonly multiObjective: boolean;
}

/** A crossover of parent vectors into one child vector. */
export interface Crossover {
  /** Its name, as in logs and errors. */
  readonly name: string;
  /** How many parents it takes. */
  readonly nParents: 2 | 3;
  cross(parents: readonly (readonly number[])[], bounds: readonly (readonly [number, number])[], rng: Rng, context: CrossoverContext): number[];
}

function checkProbability(owner: string, option: string, value: number, lowOpen = false): void {
  const ok = Number.isFinite(value) && (lowOpen ? value > 0 : value >= 0) && value <= 1;
  if (!ok) throw new InvalidOptionError(option, `${owner}'s ${option} must be in ${lowOpen ? "(0, 1]" : "[0, 1]"}, got ${value}`);
}

function checkPositive(owner: string, option: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new InvalidOptionError(option, `${owner}'s ${option} must be a finite number > 0, got ${value}`);
  }
}

/** Each gene from either parent: the second with probability `swappingProb`. */
export class UniformCrossover implements Crossover {
  readonly name = "uniform";
  readonly nParents = 2;
  constructor(readonly swappingProb = 0.5) {
    checkProbability("UniformCrossover", "swappingProb", swappingProb);
  }
  cross(parents: readonly (readonly number[])[], _bounds: readonly (readonly [number, number])[], rng: Rng): number[] {
    const [a, b] = parents as [readonly number[], readonly number[]];
    return a.map((x, i) => (rng.random() < this.swappingProb ? b[i]! : x));
  }
}

/** BLX-alpha: each gene uniform on the parents' interval widened by alpha times its length on each side. */
export class BLXAlphaCrossover implements Crossover {
  readonly name = "blx-alpha";
  readonly nParents = 2;
  constructor(readonly alpha = 0.5) {
    if (!(Number.isFinite(alpha) && alpha >= 0)) throw new InvalidOptionError("alpha", `BLXAlphaCrossover's alpha must be a finite number >= 0, got ${alpha}`);
  }
  cross(parents: readonly (readonly number[])[], _bounds: readonly (readonly [number, number])[], rng: Rng): number[] {
    const [a, b] = parents as [readonly number[], readonly number[]];
    return a.map((x, i) => {
      const lo = Math.min(x, b[i]!);
      const hi = Math.max(x, b[i]!);
      const d = hi - lo;
      return rng.uniform(lo - this.alpha * d, hi + this.alpha * d);
    });
  }
}

/** Options of SBXCrossover. */
export interface SBXOptions {
  /** Distribution index: larger keeps children nearer their parents. Default 20 on multi-objective studies, 2 otherwise (Optuna's). */
  eta?: number;
  /** Probability of swapping the two children's genes, per gene. */
  uniformCrossoverProb?: number;
  /** Probability of a gene coming from the children rather than the parents. */
  useChildGeneProb?: number;
}

/**
 * Simulated binary crossover (Deb and Agrawal), in its bounded form: the spread distribution is
 * cut at the bounds, so children stay inside them. Of the two children, genes are mixed as
 * Optuna does and one child returned.
 */
export class SBXCrossover implements Crossover {
  readonly name = "sbx";
  readonly nParents = 2;
  private readonly uniformCrossoverProb: number;
  private readonly useChildGeneProb: number;
  constructor(private readonly options: SBXOptions = {}) {
    checkPositive("SBXCrossover", "eta", options.eta);
    this.uniformCrossoverProb = options.uniformCrossoverProb ?? 0.5;
    this.useChildGeneProb = options.useChildGeneProb ?? 0.5;
    checkProbability("SBXCrossover", "uniformCrossoverProb", this.uniformCrossoverProb);
    checkProbability("SBXCrossover", "useChildGeneProb", this.useChildGeneProb, true);
  }
  cross(parents: readonly (readonly number[])[], bounds: readonly (readonly [number, number])[], rng: Rng, context: CrossoverContext): number[] {
    const [a, b] = parents as [readonly number[], readonly number[]];
    const eta = this.options.eta ?? (context.multiObjective ? 20 : 2);
    const first: number[] = [];
    const second: number[] = [];
    for (let i = 0; i < a.length; i++) {
      const [xl, xu] = bounds[i]!;
      const lo = Math.min(a[i]!, b[i]!);
      const hi = Math.max(a[i]!, b[i]!);
      const diff = Math.max(hi - lo, 1e-10);
      const u = rng.random();
      const spread = (beta: number) => {
        const alpha = 2 - beta ** -(eta + 1);
        return u <= 1 / alpha ? (u * alpha) ** (1 / (eta + 1)) : (1 / (2 - u * alpha)) ** (1 / (eta + 1));
      };
      const c1 = 0.5 * (lo + hi - spread(1 + (2 * (lo - xl)) / diff) * diff);
      const c2 = 0.5 * (lo + hi + spread(1 + (2 * (xu - hi)) / diff) * diff);
      const [g1, g2] = rng.random() < this.useChildGeneProb ? [c1, c2] : [a[i]!, b[i]!];
      if (rng.random() >= this.uniformCrossoverProb) {
        first.push(g1);
        second.push(g2);
      } else {
        first.push(g2);
        second.push(g1);
      }
    }
    return rng.random() < 0.5 ? first : second;
  }
}

/**
 * Simplex crossover (Tsutsui et al.): uniform in the parents' simplex expanded by `epsilon`
 * around its centroid (default sqrt(n + 2) for n parameters).
 */
export class SPXCrossover implements Crossover {
  readonly name = "spx";
  readonly nParents = 3;
  constructor(readonly epsilon?: number) {
    checkPositive("SPXCrossover", "epsilon", epsilon);
  }
  cross(parents: readonly (readonly number[])[], bounds: readonly (readonly [number, number])[], rng: Rng): number[] {
    const n = bounds.length;
    const k = parents.length;
    const epsilon = this.epsilon ?? Math.sqrt(n + 2);
    const centroid = new Array<number>(n).fill(0);
    for (const p of parents) for (let i = 0; i < n; i++) centroid[i]! += p[i]! / k;
    const expanded = parents.map((p) => p.map((x, i) => centroid[i]! + epsilon * (x - centroid[i]!)));
    let c = new Array<number>(n).fill(0);
    for (let j = 1; j < k; j++) {
      const r = rng.random() ** (1 / j);
      c = c.map((cj, i) => r * (expanded[j - 1]![i]! - expanded[j]![i]! + cj));
    }
    return expanded[k - 1]!.map((x, i) => x + c[i]!);
  }
}

/**
 * Unimodal normal distribution crossover (Kita, Ono, Kobayashi): normal around the first two
 * parents' midpoint, spread `sigmaXi` along the line through them and `sigmaEta` (default
 * 0.35 / sqrt(n)) across it, scaled by the third parent's distance from that line. Both sigmas
 * are standard deviations, as in the paper.
 */
export class UNDXCrossover implements Crossover {
  readonly name = "undx";
  readonly nParents = 3;
  constructor(readonly sigmaXi = 0.5, readonly sigmaEta?: number) {
    checkPositive("UNDXCrossover", "sigmaXi", sigmaXi);
    checkPositive("UNDXCrossover", "sigmaEta", sigmaEta);
  }
  cross(parents: readonly (readonly number[])[], bounds: readonly (readonly [number, number])[], rng: Rng): number[] {
    const n = bounds.length;
    const [p1, p2, p3] = parents as [readonly number[], readonly number[], readonly number[]];
    const sigmaEta = this.sigmaEta ?? 0.35 / Math.sqrt(n);
    const d = p1.map((x, i) => x - p2[i]!);
    const child = p1.map((x, i) => (x + p2[i]!) / 2);
    const xi = rng.normal() * this.sigmaXi;
    for (let i = 0; i < n; i++) child[i]! += xi * d[i]!;
    if (n > 1) {
      const line = p2.map((x, i) => x - p1[i]!);
      const length = norm(line);
      const unit = line.map((x) => x / Math.max(length, 1e-10));
      const toThird = p3.map((x, i) => x - p1[i]!);
      const along = dot(toThird, unit);
      const distance = norm(toThird.map((x, i) => x - along * unit[i]!));
      for (const e of orthonormalComplement(unit)) {
        const eta = rng.normal() * sigmaEta * distance;
        for (let i = 0; i < n; i++) child[i]! += eta * e[i]!;
      }
    }
    return child;
  }
}
