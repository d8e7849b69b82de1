// tsc does not copy .d.ts inputs to its output, but dist/src/clients imports ../../generated/*.js
// types: copy generated/ beside dist/src so the published declarations resolve.
import { cpSync } from "node:fs";

cpSync("generated", "dist/generated", { recursive: true });
