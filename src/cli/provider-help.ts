import {
  loadSpec,
  PROVIDERS,
  type ProviderId,
  type ProviderInfo,
  type SecurityScheme,
  specPath,
} from "../openapi/index.js";

/**
 * The provider-specific parts of the CLI's help and of the README, derived from the registry and
 * from what each provider folder declares, so that adding a provider edits neither.
 */

/** `cube|explo|toucan`, for usage lines. */
export const providerChoices = () => PROVIDERS.map((p) => p.id).join("|");

const localUrl = (p: ProviderInfo) => `http://127.0.0.1:${p.defaultPort}${p.basePath}`;

/** One line per provider: `  cube     Cube Cloud on 4010, base URL http://127.0.0.1:4010/api`. */
export function providerPorts(): string {
  const width = Math.max(...PROVIDERS.map((p) => p.id.length)) + 2;
  return PROVIDERS.map(
    (p) =>
      `  ${p.id.padEnd(width)}${p.name} on ${p.defaultPort}${p.basePath ? `, base URL ${localUrl(p)}` : ""}`,
  ).join("\n");
}

/** The environment variables and help lines each provider declares, for `embedkit mock --help`. */
export async function providerHelpLines(): Promise<{ env: string[]; notes: string[] }> {
  const env: string[] = [];
  const notes: string[] = [];
  const { loadProvider } = await import("../emulator/index.js");
  for (const p of PROVIDERS) {
    const definition = await loadProvider(p.id);
    const id = p.id.toUpperCase().replace(/[^A-Z0-9]/g, "_");
    for (const e of definition.env ?? []) env.push(`EMBEDKIT_${id}_${e.suffix} (${e.description})`);
    notes.push(...(definition.help ?? []));
  }
  return { env, notes };
}

/** The header a security scheme's credential travels in. */
function headerOf(scheme: SecurityScheme | undefined): string {
  return scheme?.type === "apiKey" && scheme.in === "header" && scheme.paramName
    ? scheme.paramName
    : "Authorization";
}

/** A provider's first dev credential: its security scheme, the header it travels in, its value. */
async function devCredential(p: ProviderInfo) {
  const { devCredentials } = await import("../emulator/index.js");
  const id = p.id as ProviderId;
  const [credentials, spec] = await Promise.all([devCredentials(id), loadSpec(specPath(id))]);
  const [scheme, value] = Object.entries(credentials.auth)[0] ?? ["", ""];
  return { scheme, header: headerOf(spec.securitySchemes[scheme]), value };
}

/** `embedkit test <first provider> --target <its local URL> --auth <scheme>="<dev credential>"` */
export async function exampleTestCommand(): Promise<string> {
  const [first] = PROVIDERS;
  if (!first) return "embedkit test <provider> --target <url>";
  const { scheme, value } = await devCredential(first);
  return `embedkit test ${first.id} --target ${localUrl(first)} --auth ${scheme}="${value}"`;
}

/** The README's table of providers: name, local base URL, the first dev credential as a header. */
export async function providerTable(): Promise<string[]> {
  const rows = [
    ["provider", "base URL", "dev credential"],
    ...(await Promise.all(
      PROVIDERS.map(async (p) => {
        const { header, value } = await devCredential(p);
        return [p.name, `\`${localUrl(p)}\``, `\`${header}: ${value}\``];
      }),
    )),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), line(widths.map((w) => "-".repeat(w))), ...body.map(line)];
}
