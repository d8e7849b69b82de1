// First step of `npm run build`: an empty dist/, so nothing of an earlier build (a removed
// provider, a renamed module) survives into the package or the bin.
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
