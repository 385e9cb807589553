export { HaltonSequence } from "./halton.js";
export { QMCSampler, type QMCSamplerOptions } from "./qmc-sampler.js";
export { SobolSequence } from "./sobol.js";
export { MAX_SOBOL_DIMENSIONS } from "./sobol-direction-numbers.js";
