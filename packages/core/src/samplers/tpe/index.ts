export {
  defaultGamma,
  defaultWeights,
  hyperoptDefaultGamma,
  linearGamma,
  type GammaFunction,
  type WeightsFunction,
} from "./gamma-and-weights.js";
export { optunaTPEDefaults, tpeDefaults, type TPESamplerOptions } from "./tpe-options.js";
export { TPESampler } from "./tpe-sampler.js";
