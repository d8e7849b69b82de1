import { createEmulator, type Emulator } from "embedkit";
import type { BackendOptions } from "./backend.js";

/** The three vendors, emulated on free loopback ports, and the backend options that point at them. */
export async function startLocalVendors(): Promise<{ options: BackendOptions; vendors: Emulator[] }> {
  const vendors = await Promise.all(
    (["cube", "explo", "toucan"] as const).map((provider) => createEmulator({ provider })),
  );
  await Promise.all(vendors.map((v) => v.listen(0)));
  const [cube, explo, toucan] = vendors as [Emulator, Emulator, Emulator];
  const origin = (v: Emulator) => v.origin ?? "";
  return {
    vendors,
    options: {
      // Cube's API base includes /api; its iframes are served from the tenant's origin.
      cube: {
        api: cube.url ?? "",
        embed: origin(cube),
        apiKey: "ek_cube_admin_dev",
        deploymentId: 32,
        dashboard: "sales-overview",
      },
      explo: { api: origin(explo), embed: origin(explo), token: "ek_explo_dev_token", embedId: "abcde" },
      toucan: { api: origin(toucan), embed: origin(toucan), apiKey: "ek_toucan_dev_key", dashboard: "sales" },
    },
  };
}
