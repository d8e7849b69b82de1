/** Typed clients for the three embed-auth APIs: openapi-fetch over the generated types. */
export {
  type CubeAuthScheme,
  type CubeClient,
  type CubeClientOptions,
  type CubePaths,
  createCubeClient,
} from "./cube.js";
export { createExploClient, type ExploClient, type ExploClientOptions, type ExploPaths } from "./explo.js";
export {
  createToucanClient,
  type ToucanClient,
  type ToucanClientOptions,
  type ToucanPaths,
} from "./toucan.js";
