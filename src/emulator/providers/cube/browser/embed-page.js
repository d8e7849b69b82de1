// The script of embedkit's Cube embed iframe. It does what Cube's iframe does in front of the host
// page: read the session from the URL, exchange it once for an embed token, load what the surface
// needs with `Authorization: Embed-Token <token>`, then post `cube:event:ready` or
// `cube:event:error` to the parent in Cube's message envelope
// (https://github.com/cube-js/cube/blob/1435d0a2cb2628f6309e37b8788990032c4adc3b/docs-mintlify/embedding/iframe/events.mdx).
// The placeholder shows who is signed in and what the token carries; the real surface is not emulated.
(() => {
  const page = JSON.parse(document.getElementById("embedkit-page").textContent);
  const root = document.getElementById("embedkit-root");
  const api = "/api/v1";

  function post(type, payload) {
    const message = { source: "cube-embed", direction: "event", type, payload, timestamp: Date.now() };
    window.parent.postMessage({ ...message, surface: page.surface }, "*");
  }

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    return node;
  }

  function fail(message, name, context) {
    root.replaceChildren(el("div", undefined, { role: "alert", "data-embedkit-error": name }));
    root.firstChild.append(el("strong", `${name}: `), el("span", message));
    post("cube:event:error", { message, name, context, fatal: true });
  }

  function claimsOf(token) {
    const part = (token.split(".")[1] || "").replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  async function call(method, path, token, body) {
    const headers = { "content-type": "application/json" };
    if (token) headers.authorization = `Embed-Token ${token}`;
    const init = { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) };
    const res = await fetch(api + path, init);
    const data = await res.json().catch(() => ({}));
    const message = Array.isArray(data.message) ? data.message.join("; ") : data.message;
    return { ok: res.ok, status: res.status, data, message: message || `HTTP ${res.status}` };
  }

  const show = (value) =>
    value === undefined || value === null ? "—" : typeof value === "string" ? value : JSON.stringify(value);

  function placeholder(claims, deployment, dashboard) {
    const theme = claims.embedTheme || {};
    if (theme.primaryColor) document.body.style.setProperty("--primary", theme.primaryColor);
    if (theme.font) document.body.style.fontFamily = `${theme.font}, system-ui, sans-serif`;
    const title = dashboard ? dashboard.name || dashboard.publicId : page.surface;
    const attributes = (claims.userAttributes || []).map((a) => `${a.name}=${show(a.value)}`).join(", ");
    const rows = [
      ["surface", page.surface],
      ["dashboard", dashboard ? dashboard.publicId : undefined],
      ["deployment", `${deployment.id} (${deployment.name})`],
      ["embed tenant", claims.embedTenantName],
      ["external id", claims.externalId],
      ["internal id", claims.internalId],
      ["email", claims.email],
      ["display name", claims.userProfile ? claims.userProfile.displayName : undefined],
      ["groups", (claims.groups || []).join(", ") || undefined],
      ["tenant groups", (claims.tenantGroups || []).join(", ") || undefined],
      ["roles", (claims.roles || []).join(", ") || undefined],
      ["attributes", attributes || undefined],
      ["settings", claims.settings],
      ["theme", claims.embedTheme],
      ["creator mode", claims.creatorMode],
    ];
    const list = el("dl");
    for (const [name, value] of rows) {
      if (value === undefined) continue;
      list.append(el("dt", name), el("dd", show(value), { "data-field": name }));
    }
    root.replaceChildren(el("h1", `${title} `, { "data-embedkit-ready": page.surface }), list);
    root.firstChild.append(el("span", "signed in", { class: "badge" }));
  }

  async function start() {
    const params = new URLSearchParams(location.search);
    const sessionId = params.get(page.param);
    if (!sessionId) {
      const other = page.param === "session" ? "sessionId" : "session";
      const hint = params.has(other) ? ` (this URL form does not read ?${other}=)` : "";
      return fail(`Missing ?${page.param}= in the embed URL${hint}`, "MissingSessionError", "embed-auth");
    }
    const exchange = await call("POST", "/embed/session/token", undefined, { sessionId });
    if (!exchange.ok) return fail(exchange.message, "SessionExchangeError", "embed-auth");
    const token = exchange.data.token;
    const claims = claimsOf(token);
    const deploymentId = page.deploymentId ?? claims.deploymentId;
    if (deploymentId !== claims.deploymentId) {
      const why = `The session was minted for deployment ${claims.deploymentId}, not ${deploymentId}`;
      return fail(why, "DeploymentMismatchError", "embed-auth");
    }
    let dashboard;
    if (page.publicId !== undefined) {
      const found = await call("GET", `/embed/dashboard/${encodeURIComponent(page.publicId)}`, token);
      const name = found.status === 403 ? "EmbedNotAllowedError" : "DashboardNotFoundError";
      if (!found.ok) return fail(found.message, name, "embed-dashboard");
      dashboard = found.data;
    }
    const deployment = await call("GET", `/deployments/${deploymentId}`, token);
    if (!deployment.ok) return fail(deployment.message, "DeploymentError", "embed-auth");
    placeholder(claims, deployment.data, dashboard);
    post("cube:event:ready", {
      embedTenant: claims.embedTenantName ?? null,
      deploymentId,
      mode: "signed",
      surface: page.surface,
      ...(dashboard ? { publicId: dashboard.publicId } : {}),
    });
  }

  start().catch((error) => fail(String(error?.message ?? error), "EmbedError", "embed-render"));
})();
