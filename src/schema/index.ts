export { type ConvertOptions, convertNode } from "./convert.js";
export {
  type Direction,
  SchemaEngine,
  type SchemaEngineOptions,
  SchemaError,
  type Validator,
} from "./engine.js";
export { isAbsoluteHttpUrl } from "./formats.js";
export { formatProblem, type Problem, readablePath, toProblems } from "./problems.js";
