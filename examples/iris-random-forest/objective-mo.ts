/**
 * The tutorial's forest as a two-objective study: validation accuracy to maximise and the model's
 * size (its trees' nodes, all together) to minimise, the trade-off of a model that must be small.
 * `shoal optimize ./objective-mo.ts --directions maximize,minimize` runs it (`npm run demo:mo`).
 */
import type { BaseTrial } from "@shoal/core";
import { xVal, yVal } from "./data.js";
import { accuracy, trainForest } from "./objective.js";

/** A node of ml-cart's trees: a leaf has neither child. */
interface TreeNode {
  left?: TreeNode | undefined;
  right?: TreeNode | undefined;
}

export function objective(trial: BaseTrial): [number, number] {
  const model = trainForest(trial);
  const size = (model.estimators as Array<{ root: TreeNode }>).reduce((sum, tree) => sum + countNodes(tree.root), 0);
  return [accuracy(yVal, model.predict(xVal)), size];
}

/** The nodes of a tree, leaves included (iteratively: a deep tree must not grow the stack). */
export function countNodes(root: TreeNode): number {
  let count = 0;
  const stack: TreeNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    count++;
    if (node.left) stack.push(node.left);
    if (node.right) stack.push(node.right);
  }
  return count;
}
