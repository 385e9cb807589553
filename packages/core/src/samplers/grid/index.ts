export { GRID_ID_ATTR, GRID_SEARCH_SPACE_ATTR, GridSampler, type GridSearchSpace } from "./grid-sampler.js";
