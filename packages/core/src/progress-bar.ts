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
 */
export class ProgressBar {
  private done = 0;
  private best: { number: number; value: number } | null = null;
  private readonly startedAt = Date.now();
  private lastDraw = 0;
  private readonly active: boolean;

  constructor(
    private readonly total: number | null,
    private readonly timeoutSeconds: number | null,
  ) {
    this.active = terminal.isTTY && (total !== null || timeoutSeconds !== null);
    if (this.active) terminal.setFooter(() => this.render());
  }

  /** One more trial finished; `best` is the study's best so far, if any. */
  tick(best: { number: number; value: number } | null): void {
    this.done += 1;
    this.best = best;
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

  render(): string {
    const elapsed = (Date.now() - this.startedAt) / 1000;
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
    const best = this.best ? `Best trial: ${this.best.number}. Best value: ${pyFloat(this.best.value)}: ` : "";
    return `${best}${String(Math.floor(fraction * 100)).padStart(3)}%|${bar}| ${counter} [${clock(elapsed)}<${clock(remaining)}, ${rate.toFixed(2)}it/s]`;
  }
}
