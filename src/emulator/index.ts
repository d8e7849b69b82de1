/** The stateful local providers: `createEmulator({provider})`, their configs and dev credentials. */
export {
  AdjustableClock,
  type Clock,
  type CommonSettings,
  ConfigError,
  type DevCredentials,
  type EnvSetting,
  type IntrospectReason,
  type IntrospectResult,
  type Logger,
  type LogLevel,
  mergeConfig,
} from "./kit/index.js";
export {
  connectRedis,
  type Fault,
  maskRedisUrl,
  memoryBackend,
  REDIS_DEFAULTS,
  type RedisOptions,
  type Store,
  type StoreBackend,
  type StoreEvent,
  StoreUnavailableError,
} from "./kit/store/index.js";
export type { CubeApiKey, CubeConfig, CubeDeployment } from "./providers/cube/index.js";
export type { ExploApiToken, ExploConfig, ExploEmbedSecret } from "./providers/explo/index.js";
export type { ToucanApiKey, ToucanConfig } from "./providers/toucan/index.js";
export {
  defaultConfig,
  devCredentials,
  type Emulator,
  type EmulatorConfig,
  type EmulatorOptions,
  loadProvider,
} from "./server/emulator.js";
export {
  type ConfigOverrides,
  createEmulator,
  type ProviderConfigs,
  type TypedEmulatorOptions,
} from "./typed.js";
