import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * Names an objective module by its file name and the hash of its content (`objective.ts@3f2a9c1b7d`):
 * a coordinator stamps its jobs with it and a worker refuses jobs for another objective, so a
 * worker started with an old or different file cannot record wrong results.
 */
export async function objectiveIdOf(modulePath: string): Promise<string> {
  const content = await readFile(modulePath);
  const digest = createHash("sha256").update(content).digest("hex").slice(0, 10);
  return `${path.basename(modulePath)}@${digest}`;
}
