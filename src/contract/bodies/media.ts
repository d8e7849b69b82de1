import type { MediaType, Operation } from "../../openapi/index.js";

/** How a request body of a media type is written on the wire. */
export type BodyKind = "json" | "form" | "multipart" | "text" | "binary" | "xml";

/** `application/json`, `application/merge-patch+json`, `*\/*` (sent as JSON) … → the encoder to use. */
export function bodyKind(contentType: string): BodyKind {
  const t = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (/^application\/([\w.+-]*\+)?json$/.test(t) || t === "*/*" || t === "application/*") return "json";
  if (t === "application/x-www-form-urlencoded") return "form";
  if (t === "multipart/form-data" || t === "multipart/mixed") return "multipart";
  if (/^text\/(plain|csv|html|markdown)$/.test(t) || t === "text/*") return "text";
  if (/[/+]xml$/.test(t)) return "xml";
  return "binary";
}

/** Preference when an operation offers several media types: JSON first, XML last. */
const ORDER: BodyKind[] = ["json", "form", "multipart", "text", "binary", "xml"];

/** The content type a wildcard media range is sent as. */
export function wireContentType(contentType: string): string {
  const t = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (t === "*/*" || t === "application/*") return "application/json";
  if (t === "text/*") return "text/plain";
  return contentType;
}

/** The request media type cases are generated for: the first of the preferred kinds the operation offers. */
export function requestMedia(op: Operation): MediaType | undefined {
  const all = Object.values(op.requestBody?.content ?? {});
  for (const kind of ORDER) {
    const hit = all.find((m) => bodyKind(m.contentType) === kind);
    if (hit) return hit;
  }
  return undefined;
}

/** XML bodies are neither generated nor validated; a run says so once. */
export function isXmlOnly(op: Operation): boolean {
  const media = requestMedia(op);
  return media !== undefined && bodyKind(media.contentType) === "xml";
}

/** A content type the operation does not accept (for the "wrong content type" negative case). */
export function foreignContentType(op: Operation): string | undefined {
  const declared = Object.keys(op.requestBody?.content ?? {}).map((t) => t.toLowerCase());
  if (declared.some((t) => t.startsWith("*/*"))) return undefined;
  const covers = (d: string, t: string) => d === t || (d.endsWith("/*") && t.startsWith(d.slice(0, -1)));
  return ["text/plain", "application/json", "application/xml"].find(
    (t) => !declared.some((d) => covers(d.split(";")[0]?.trim() ?? d, t)),
  );
}
