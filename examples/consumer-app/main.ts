// Run with: npx tsx examples/consumer-app/main.ts — then open the printed URL in a browser.
import { startBackend } from "./backend.js";
import { startLocalVendors } from "./local.js";

const { options, vendors } = await startLocalVendors();
const backend = await startBackend(options, 3000);
console.log(`consumer app: ${backend.origin}/  (Ctrl-C to stop)`);
process.once("SIGINT", async () => {
  await Promise.all([backend.close(), ...vendors.map((v) => v.close())]);
  process.exit(0);
});
