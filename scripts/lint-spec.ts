/** `npm run lint:spec [files...]`: the same as `embedkit lint`, runnable without a build. */
import { main } from "../src/cli/main.js";

main(["lint", ...process.argv.slice(2)]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`lint:spec: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
