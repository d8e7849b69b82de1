import type { Summary } from "../contract/index.js";

/**
 * The only exit codes embedkit uses, in one place: CI scripts branch on them.
 * 0 every check passed; 1 the checks found failures; 2 bad usage, an unusable spec, an unreachable
 * or credential-refusing target (and our own bugs: never a stack and 70); 130 interrupted (Ctrl-C).
 */
export const EXIT = { ok: 0, failures: 1, usage: 2, interrupted: 130 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A finished (or stopped) contract run's exit code. */
export function exitCodeOfRun(summary: Summary): ExitCode {
  switch (summary.stopped?.kind) {
    case "interrupted":
      return EXIT.interrupted;
    case "credential-refused":
    case "target-down":
      return EXIT.usage;
    default:
      return summary.failures.length > 0 ? EXIT.failures : EXIT.ok;
  }
}
