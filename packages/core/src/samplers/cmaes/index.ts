export { CmaEsSampler, defaultPopsize, DRAW_ATTR as CMA_DRAW_ATTR, GENERATION_ATTR as CMA_GENERATION_ATTR, RESTART_ATTR as CMA_RESTART_ATTR, type CmaEsSamplerOptions } from "./cmaes-sampler.js";
