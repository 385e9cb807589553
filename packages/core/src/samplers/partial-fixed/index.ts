export { PartialFixedSampler } from "./partial-fixed-sampler.js";
