/** Token formats done by hand where the library path is too slow for a hot path (see compact-jwe.ts). */
export { type DecryptOutcome, decryptCompactJwe, encryptCompactJwe, type JweHeader } from "./compact-jwe.js";
