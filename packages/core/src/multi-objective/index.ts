export {
  constrainedDominates,
  constraintViolation,
  dominates,
  nonDominatedRanks,
  paretoFrontIndices,
  toLosses,
  type Losses,
} from "./dominance.js";
export { crowdingDistances } from "./crowding-distance.js";
export { hypervolume, hypervolumeContributions, hypervolumeGain, selectHypervolumeSubset } from "./hypervolume.js";
