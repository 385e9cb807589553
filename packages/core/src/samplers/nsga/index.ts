export {
  BLXAlphaCrossover,
  SBXCrossover,
  SPXCrossover,
  UNDXCrossover,
  UniformCrossover,
  type Crossover,
  type CrossoverContext,
  type SBXOptions,
} from "./crossovers.js";
export { dasDennisPoints } from "./reference-points.js";
export { GENERATION_ATTR, NSGAIISampler, type NSGAIISamplerOptions } from "./nsga2-sampler.js";
export { NSGAIIISampler, type NSGAIIISamplerOptions } from "./nsga3-sampler.js";
