import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/emulator/index.js";
import type { ProviderId } from "../../src/openapi/index.js";
import { allSecrets, providerCase } from "../provider-cases.js";
import { call, control, emulator, PATHS } from "./helpers.js";

/**
 * What every provider's emulator must do, whatever the provider: bad input is a 4xx in its envelope,
 * steering, faults, no secret in the journal, state or logs, the control plane. Run over the
 * registry by core.test.ts, and over a fixture provider by test/recipe/fourth-provider.test.ts.
 */
export function emulatorSuite(ids: readonly ProviderId[]): void {
  describe.each(ids)("%s: bad input is a 4xx in the provider's envelope", (provider) => {
    const c = providerCase(provider);
    const { path, auth } = c;
    it.each([
      ["malformed JSON", 400, path, "{nope", {}, "POST"],
      [
        "wrong content type",
        400,
        path,
        JSON.stringify(c.validBody),
        { "content-type": "text/plain" },
        "POST",
      ],
      ["JSON that is not an object", 400, path, "[1,2]", {}, "POST"],
      ["empty body", 400, path, "", {}, "POST"],
      ["invalid UTF-8", 400, path, Buffer.from([0x7b, 0xff, 0x7d]), {}, "POST"],
      ["unknown path", 404, "/nope/../etc", "{}", {}, "POST"],
      ["encoded slash", 404, path.replace(/\/([^/]+)\/?$/, "%2F$1"), "{}", {}, "POST"],
      ["wrong method", 405, path, undefined, {}, "GET"],
      ["body over the limit", 413, path, JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }), {}, "POST"],
    ])("%s → %i", async (_name, status, p, body, headers, method) => {
      const { emu } = await emulator(provider);
      const init: RequestInit = {
        method,
        headers: { "content-type": "application/json", ...auth, ...headers },
      };
      if (body !== undefined) init.body = body as string;
      const res = await emu.fetch(new Request(`http://emulator.test${p}`, init));
      expect(res.status).toBe(status);
      expect(c.isEnvelope((await res.json()) as Record<string, unknown>, status)).toBe(true);
    });

    it("does not pollute prototypes with __proto__ keys", async () => {
      const { emu } = await emulator(provider);
      const body = `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`;
      const res = await call(emu, path, body, auth);
      expect(res.status).toBe(400);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it("steers with Prefer: code= to a declared status with a valid body, and refuses undeclared ones", async () => {
      const { emu } = await emulator(provider);
      const limited = await call(emu, path, c.validBody, { ...auth, prefer: "code=429" });
      expect(limited.status).toBe(429);
      expect(c.isEnvelope(limited.body, 429)).toBe(true);
      expect(limited.headers.get("retry-after")).toBe("1");
      expect((await call(emu, path, c.validBody, { ...auth, prefer: "code=418" })).status).toBe(400);
      const delayed = await call(emu, path, c.validBody, { ...auth, prefer: "delay=30" });
      expect(delayed.status).toBe(200);
    });

    it("injects count-limited faults and clears them", async () => {
      const { emu } = await emulator(provider);
      const { operationId } = c;
      expect((await control(emu, "faults", { operationId, status: 503, count: 2 })).status).toBe(200);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(emu, path, c.validBody, auth)).status);
      expect(statuses).toEqual([503, 503, 200]);
      await control(emu, "faults", { operationId, status: 401 });
      expect((await call(emu, path, c.validBody, auth)).status).toBe(401);
      await control(emu, "faults", undefined, "DELETE");
      expect((await call(emu, path, c.validBody, auth)).status).toBe(200);
      expect((await control(emu, "faults", { operationId: "nope", status: 500 })).status).toBe(400);
      expect((await control(emu, "faults", { operationId, status: 418 })).status).toBe(400);
    });

    it("never shows a credential, secret or token in the journal, state or logs", async () => {
      const lines: string[] = [];
      const emu = await createEmulator({
        provider,
        logger: { log: (l, m, f) => lines.push(`${l} ${m} ${JSON.stringify(f)}`) },
      });
      const minted = await call(emu, path, c.validBody, auth);
      expect(minted.status).toBe(200);
      const leaks = [
        ...allSecrets(),
        ...Object.values(minted.body).filter((v): v is string => typeof v === "string" && v.length > 20),
      ];
      if (provider === "cube") {
        const token = await call(emu, PATHS.cube.exchange, { sessionId: minted.body.sessionId });
        leaks.push(token.body.token as string);
      }
      // The provider's own credential, planted where no redaction rule by name would find it.
      const own = Object.values(auth)[0]?.split(" ").pop() as string;
      await call(emu, path, { ...c.validBody, note: own }, { ...auth, "x-debug": own });
      const seen = [
        (await control(emu, "requests")).text,
        (await control(emu, "state")).text,
        lines.join("\n"),
      ].join("\n");
      expect(seen).toContain(path);
      for (const secret of leaks) expect(seen).not.toContain(secret);
    });

    it("answers health, moves its clock, and resets to the start-up state", async () => {
      const { emu, clock } = await emulator(provider);
      expect((await control(emu, "health")).body).toMatchObject({ status: "ok", provider });
      const moved = await control(emu, "clock", { advanceSeconds: 90 });
      expect(moved.body.now).toBe(clock.now() + 90_000);
      await control(emu, "clock", { set: "2030-01-01T00:00:00Z" });
      expect((await control(emu, "clock")).body.iso).toBe("2030-01-01T00:00:00.000Z");
      await call(emu, path, c.validBody, auth);
      expect(((await control(emu, "requests")).body.requests as unknown[]).length).toBe(1);
      expect((await control(emu, "reset", {})).status).toBe(200);
      expect(((await control(emu, "requests")).body.requests as unknown[]).length).toBe(0);
      expect((await control(emu, "clock")).body.now).toBe(clock.now());
      expect((await control(emu, "nope")).status).toBe(404);
    });
  });
}
