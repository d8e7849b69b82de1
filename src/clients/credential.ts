import type { Middleware } from "openapi-fetch";

/**
 * Puts one vendor credential into its own header on every request, except on the spec paths
 * listed in `anonymousPaths`. Middleware (not a default header) so the rule can depend on the
 * operation: openapi-fetch hands us the spec path the call was made with.
 */
export function credentialMiddleware(
  header: string,
  value: string,
  anonymousPaths: readonly string[] = [],
): Middleware {
  const anonymous = new Set(anonymousPaths);
  return {
    onRequest({ request, schemaPath }) {
      if (anonymous.has(schemaPath)) return undefined;
      request.headers.set(header, value);
      return request;
    },
  };
}

/**
 * Checks a secret before it can reach a header. Whitespace is refused because it almost always
 * means a pasted scheme prefix ("Token abc"), which the client adds itself.
 */
export function requireSecret(client: string, option: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`${client}: option "${option}" is required and must be a non-empty string`);
  }
  if (/\s/.test(value)) {
    throw new TypeError(
      `${client}: option "${option}" must be the bare credential, without a scheme prefix or whitespace`,
    );
  }
  return value;
}

/** An absolute http(s) URL without query or fragment, returned without its trailing slash. */
export function checkBaseUrl(client: string, value: unknown): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError(`${client}: option "baseUrl" must be an absolute URL, got "${String(value)}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`${client}: option "baseUrl" must use http or https, got "${url.protocol}"`);
  }
  if (url.search || url.hash) {
    throw new TypeError(`${client}: option "baseUrl" must not have a query or fragment`);
  }
  return String(value).replace(/\/+$/, "");
}
