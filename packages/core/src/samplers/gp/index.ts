export { GPMultiObjectiveError, GPSampler } from "./gp-sampler.js";
export type { GPSamplerOptions } from "./gp-options.js";
