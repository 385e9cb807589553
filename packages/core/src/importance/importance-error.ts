import { ShoalError } from "../errors.js";

/**
 * Thrown when importances cannot be evaluated: fewer than two completed trials, a requested
 * parameter that no completed trial has, or a requested parameter whose distribution changed.
 */
export class ImportanceError extends ShoalError {}
