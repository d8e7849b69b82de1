export { AdjustableClock, systemClock } from "./clock.js";
export { type CommonSettings, ConfigError, mergeConfig } from "./config.js";
export {
  createEmulator,
  defaultConfig,
  devCredentials,
  type Emulator,
  type EmulatorConfig,
  type EmulatorOptions,
  loadProvider,
} from "./emulator.js";
export type { Fault } from "./faults.js";
export { randomHex, secretMatcher } from "./ids.js";
export type * from "./types.js";
