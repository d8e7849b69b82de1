import type { Operation } from "../openapi/index.js";

/** Which operations a run takes: by operationId, tag, path pattern, and without deprecated ones. */
export interface OperationFilter {
  operations?: string[];
  tags?: string[];
  /** Globs on the path template: `*` is any run of characters (`/notes/*`, `*attachments*`). */
  paths?: string[];
  excludeDeprecated?: boolean;
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`);

/** The operations every given filter keeps (filters of one kind are alternatives). */
export function filterOperations(all: readonly Operation[], f: OperationFilter): Operation[] {
  const paths = f.paths?.map(glob);
  return all.filter(
    (op) =>
      (!f.operations || f.operations.includes(op.id)) &&
      (!f.tags || op.tags.some((t) => f.tags?.includes(t))) &&
      (!paths || paths.some((re) => re.test(op.path))) &&
      !(f.excludeDeprecated && op.deprecated),
  );
}
