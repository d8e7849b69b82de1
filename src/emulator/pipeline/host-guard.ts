/**
 * Only the developer's own tools may reach a local provider. A web page can send requests to
 * 127.0.0.1, and a DNS-rebinding page can even read the answers by calling its own name once that
 * name resolves to 127.0.0.1; both are told apart by what the browser cannot forge: the `Host` a
 * request was sent to and the `Origin` of the page that sent it. This is the check Vite
 * (CVE-2025-24010, `server.allowedHosts`) and webpack-dev-server (`allowedHosts`) added.
 */

/** How to allow a name, for the refusal and the log line. */
export const ALLOW_HOST_HINT =
  "--allowed-host <name> (repeatable), allowedHosts in the config file or EMBEDKIT_ALLOWED_HOSTS";

/** The name part of a Host header: no port, no IPv6 brackets, lower case, no trailing dot. */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  const name = value.startsWith("[") ? value.slice(1, value.indexOf("]")) : value.replace(/:\d*$/, "");
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

/** Names that always mean this machine and that no public DNS answer can take over. */
function isLoopbackName(name: string): boolean {
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    /^127(\.\d{1,3}){3}$/.test(name) ||
    name === "::1" ||
    name === "::ffff:127.0.0.1" ||
    name === "0:0:0:0:0:0:0:1"
  );
}

/** How many distinct refused names are logged; the rest are refused silently (a flood stays quiet). */
const LOGGED_NAMES = 64;

export class HostGuard {
  readonly #exact = new Set<string>();
  readonly #suffixes: string[] = [];
  readonly #logged = new Set<string>();

  /** `allowed`: names, or `.example.com` for that name and every name under it. */
  constructor(allowed: readonly string[]) {
    for (const entry of allowed) this.allow(entry);
  }

  /** The address the server is bound to is reachable by that name, so it is allowed too. */
  allow(entry: string): void {
    const name = hostName(entry);
    if (name.startsWith(".")) this.#suffixes.push(name);
    else if (name !== "" && name !== "0.0.0.0" && name !== "::") this.#exact.add(name);
  }

  /**
   * A request without Host is not from a browser (in-process `fetch`, HTTP/1.0 tools) and passes;
   * HTTP/1.1 without Host is refused earlier by the server.
   */
  allows(header: string | undefined): boolean {
    if (header === undefined) return true;
    const name = hostName(header);
    if (isLoopbackName(name) || this.#exact.has(name)) return true;
    return this.#suffixes.some((s) => name.endsWith(s) || name === s.slice(1));
  }

  /** True the first time a name is refused (up to a bound): that refusal deserves a log line. */
  firstRefusal(header: string): boolean {
    const name = hostName(header).slice(0, 253);
    if (this.#logged.has(name) || this.#logged.size >= LOGGED_NAMES) return false;
    this.#logged.add(name);
    return true;
  }
}

/**
 * The control plane answers a browser only on its own origin: a request whose `Origin` names any
 * other page (even another loopback port, such as a second dev server) is refused. Requests
 * without `Origin` come from tools (curl, Node, CI), which a page cannot impersonate.
 */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (host === undefined || origin === "null") return false;
  try {
    return new URL(origin).host === new URL(`http://${host.trim().toLowerCase()}`).host;
  } catch {
    return false;
  }
}
