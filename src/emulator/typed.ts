import type { ProviderId } from "../openapi/index.js";
import type { CubeConfig } from "./providers/cube/index.js";
import type { ExploConfig } from "./providers/explo/index.js";
import type { ToucanConfig } from "./providers/toucan/index.js";
import { createEmulator as createUntyped, type Emulator, type EmulatorOptions } from "./server/emulator.js";

/** Each provider's full config, by id: what `config` in createEmulator overrides. */
export interface ProviderConfigs {
  cube: CubeConfig;
  explo: ExploConfig;
  toucan: ToucanConfig;
}

/** Overrides merged over the dev defaults: any subset, objects deep, arrays whole (they replace). */
export type ConfigOverrides<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[]
    ? T[K]
    : T[K] extends object
      ? ConfigOverrides<T[K]>
      : T[K];
};

export type TypedEmulatorOptions<P extends ProviderId> = Omit<EmulatorOptions, "provider" | "config"> & {
  provider: P;
  config?: ConfigOverrides<ProviderConfigs[P]>;
};

/**
 * Starts a provider's emulator (no port until `listen`); `fetch(request)` works at once. The
 * config is checked at run time too (a bad value is a ConfigError naming its path).
 */
export function createEmulator<P extends ProviderId>(options: TypedEmulatorOptions<P>): Promise<Emulator> {
  return createUntyped(options as EmulatorOptions);
}
