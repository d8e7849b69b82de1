/** The stateful local providers: `createEmulator({provider})`, their configs and dev credentials. */
export {
  AdjustableClock,
  type Clock,
  type CommonSettings,
  ConfigError,
  createEmulator,
  type DevCredentials,
  defaultConfig,
  devCredentials,
  type Emulator,
  type EmulatorConfig,
  type EmulatorOptions,
  type Fault,
  type IntrospectReason,
  type IntrospectResult,
  type Logger,
  type LogLevel,
  mergeConfig,
} from "./core/index.js";
export type { CubeApiKey, CubeConfig, CubeDeployment } from "./providers/cube/index.js";
export type { ExploApiToken, ExploConfig, ExploEmbedSecret } from "./providers/explo/index.js";
export type { ToucanApiKey, ToucanConfig } from "./providers/toucan/index.js";
