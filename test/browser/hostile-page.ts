/**
 * A page that tries, from another origin, everything a web page can do to a local server without
 * the user noticing: CORS-simple requests (no preflight) to the control plane, form posts of every
 * encoding, and reads. It records what each attempt saw in `window.results` and sets `window.done`.
 */
export function hostilePage(target: string): string {
  const script = `
const T = ${JSON.stringify(target)};
const results = {};
window.results = results;
const attempt = async (name, run) => {
  try { results[name] = await run(); } catch (e) { results[name] = "blocked: " + e.name; }
};
const simple = (path, body, type) => fetch(T + path, {
  method: "POST", mode: "no-cors", ...(type ? { headers: { "content-type": type } } : {}), ...(body ? { body } : {}),
}).then((r) => r.type);
const readText = (path, mode) => fetch(T + path, { mode }).then(async (r) => r.type + ":" + (await r.text()));
const fault = JSON.stringify({ operationId: "generateSession", status: 503 });
const clock = JSON.stringify({ advanceSeconds: 400 * 86400 });
function postForm(name, path, enctype, fields) {
  return new Promise((resolve) => {
    const frame = document.createElement("iframe");
    frame.name = name;
    document.body.append(frame);
    const form = document.createElement("form");
    Object.assign(form, { method: "POST", action: T + path, target: name, enctype });
    for (const [k, v] of Object.entries(fields)) {
      const input = document.createElement("input");
      Object.assign(input, { type: "hidden", name: k, value: v });
      form.append(input);
    }
    document.body.append(form);
    frame.addEventListener("load", () => resolve("submitted"), { once: true });
    form.submit();
  });
}
(async () => {
  await attempt("no-cors empty POST reset", () => simple("/__embedkit/reset"));
  await attempt("text/plain POST faults", () => simple("/__embedkit/faults", fault, "text/plain"));
  await attempt("text/plain POST clock", () => simple("/__embedkit/clock", clock, "text/plain"));
  await attempt("text/plain POST reset", () => simple("/__embedkit/reset", "{}", "text/plain"));
  await attempt("urlencoded POST clock", () => simple("/__embedkit/clock", clock, "application/x-www-form-urlencoded"));
  await attempt("cors JSON POST faults", () => fetch(T + "/__embedkit/faults", {
    method: "POST", headers: { "content-type": "application/json" }, body: fault,
  }).then((r) => r.status));
  await attempt("form text/plain clock", () => postForm("f1", "/__embedkit/clock", "text/plain", { '{"advanceSeconds":86400,"x":"': '"}' }));
  await attempt("form urlencoded reset", () => postForm("f2", "/__embedkit/reset", "application/x-www-form-urlencoded", { a: "1" }));
  await attempt("form multipart faults", () => postForm("f3", "/__embedkit/faults", "multipart/form-data", { operationId: "generateSession", status: "503" }));
  await attempt("read state", () => readText("/__embedkit/state", "cors"));
  await attempt("read requests", () => readText("/__embedkit/requests", "cors"));
  await attempt("read state no-cors", () => readText("/__embedkit/state", "no-cors"));
  window.done = true;
})();`;
  return `<!doctype html><html><head><title>hostile</title></head><body><script>${script}</script></body></html>`;
}
