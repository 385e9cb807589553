import { terminal } from "./logging.js";
import { pyFloat } from "./python-repr.js";

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * A tqdm-style bar under the log lines on a terminal:
 * `Best trial: 7. Best value: 0.93: 45%|████▌     | 45/100 [00:04<00:05, 10.20it/s]`.
 * Counts trials, or seconds when only a timeout bounds the study. Does nothing off a terminal.
 * `describe` gives the text before the bar (the study's best, see `progressDescription`); it is
 * called only when the bar is drawn, at most ten times a second, since it may cost a Pareto front.
 */
export class ProgressBar {
  private done = 0;
  private readonly startedAt = Date.now();
  private lastDraw = 0;
  private readonly active: boolean;

  constructor(
    private readonly total: number | null,
    private readonly timeoutSeconds: number | null,
    private readonly describe: () => string = () => "",
  ) {
    this.active = terminal.isTTY && (total !== null || timeoutSeconds !== null);
    if (this.active) terminal.setFooter(() => this.render());
  }

  /** One more trial finished. */
  tick(): void {
    this.done += 1;
    const now = Date.now();
    if (this.active && (now - this.lastDraw > 100 || this.done === this.total)) {
      this.lastDraw = now;
      terminal.redrawFooter();
    }
  }

  /** Leaves the final state of the bar on screen. */
  close(): void {
    if (!this.active) return;
    const line = this.render();
    terminal.setFooter(null);
    terminal.write(`${line}\n`);
  }

  render(now = Date.now()): string {
    const elapsed = (now - this.startedAt) / 1000;
    const width = 20;
    let fraction: number;
    let counter: string;
    let remaining: number;
    if (this.total !== null) {
      fraction = this.total === 0 ? 1 : this.done / this.total;
      counter = `${this.done}/${this.total}`;
      remaining = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : 0;
    } else {
      const limit = this.timeoutSeconds as number;
      fraction = Math.min(1, elapsed / limit);
      counter = `${clock(elapsed)}/${clock(limit)}`;
      remaining = limit - elapsed;
    }
    const cells = fraction * width;
    const full = Math.floor(cells);
    const partials = " ▏▎▍▌▋▊▉";
    const bar =
      "█".repeat(full) + (full < width ? (partials[Math.floor((cells - full) * 8)] ?? " ") : "") + " ".repeat(Math.max(0, width - full - 1));
    const rate = elapsed > 0 ? this.done / elapsed : 0;
    const description = this.describe();
    return `${description === "" ? "" : `${description}: `}${String(Math.floor(fraction * 100)).padStart(3)}%|${bar}| ${counter} [${clock(elapsed)}<${clock(remaining)}, ${rate.toFixed(2)}it/s]`;
  }
}

/**
 * What the bar shows of a study: Optuna's `Best trial: 7. Best value: 0.93` with one objective,
 * the Pareto front's size with several (Optuna shows nothing there; the front is what grows).
 */
export function progressDescription(best: { number: number; value: number } | null, frontSize: number | null): string {
  if (frontSize !== null) return frontSize === 0 ? "" : `Pareto front: ${frontSize} trial${frontSize === 1 ? "" : "s"}`;
  return best === null ? "" : `Best trial: ${best.number}. Best value: ${pyFloat(best.value)}`;
}
