// `npm start` runs this first: it builds only when a source is newer than the last build's final
// output (dist/bundle/main.js), so a built checkout starts in well under two seconds instead of
// paying ~15 s for tsc, the assets and the bundle every time.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const INPUTS = [
  "src",
  "spec",
  "generated",
  "scripts",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
];
const OUTPUT = join("dist", "bundle", "main.js");

/** The newest modification time under a file or folder. */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = statSync(OUTPUT, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changed = Math.max(...INPUTS.map(newest));
if (changed > built) {
  console.error(built ? "embedkit: sources changed since the last build; building" : "embedkit: building");
  const result = spawnSync("npm", ["run", "-s", "build"], {
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  process.exit(result.status ?? 1);
}
