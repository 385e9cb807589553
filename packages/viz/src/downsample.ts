/**
 * At most `max` items spread evenly over `items` (every k-th, in order), plus the items `keep`
 * selects (the best trial), so a big study's plot shows its shape without every point.
 */
export function evenSample<T>(items: readonly T[], max: number, keep: (item: T) => boolean = () => false): T[] {
  if (items.length <= max) return [...items];
  const stride = items.length / max;
  const picked = new Set<number>();
  for (let k = 0; k < max; k++) picked.add(Math.floor(k * stride));
  items.forEach((item, i) => {
    if (keep(item)) picked.add(i);
  });
  return [...picked].sort((a, b) => a - b).map((i) => items[i] as T);
}

/** "showing 1,000 of 10,000 trials (evenly spread, the best included)", or null when nothing was dropped. */
export function sampleNote(shown: number, total: number, what = "trials"): string | null {
  if (shown >= total) return null;
  return `showing ${shown.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} ${what} (evenly spread, the best included)`;
}
