// embedkit's stand-in for Toucan AI's web components (https://toucanai.cloud/embed/embed.js):
// `<tc-dashboard dashboard-id|chart-id auth-token server-url>` and `<tc-ai-assistant auth-token
// server-url>` call `server-url` with the token as `Authorization: Bearer <token>` and show who is
// signed in and what the token allows; a refusal (expired token, origin not authorized, missing
// permission) is shown in the page with its code.
// https://docs.toucanai.cloud/embed/embedding-methods/web-component-embedding
const ownOrigin = new URL(import.meta.url).origin;

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  return node;
}

const show = (value) => (typeof value === "string" ? value : JSON.stringify(value));

class ToucanElement extends HTMLElement {
  static get observedAttributes() {
    return ["auth-token", "server-url", "dashboard-id", "chart-id"];
  }

  connectedCallback() {
    this.schedule();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.schedule();
  }

  /** One load per burst of changes: an upgrade reports every attribute, then the connection. */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.load();
    });
  }

  /** The resource path under server-url and the title; undefined when an attribute is missing. */
  target() {
    return undefined;
  }

  fail(code, message) {
    const alert = el("div", undefined, { role: "alert", "data-embedkit-error": code });
    alert.append(el("strong", `${code}: `), el("span", message));
    this.replaceChildren(alert);
    this.dispatchEvent(new CustomEvent("tc:error", { detail: { code, message }, bubbles: true }));
  }

  async load() {
    const token = this.getAttribute("auth-token");
    const server = (this.getAttribute("server-url") || `${ownOrigin}/api`).replace(/\/+$/, "");
    const target = this.target();
    if (!token) return this.fail("MISSING_TOKEN", "Set auth-token to the token from /embed/generate-token.");
    if (!target) return this.fail("MISSING_ATTRIBUTE", "Set dashboard-id or chart-id.");
    this.replaceChildren(el("p", "Loading…"));
    try {
      const res = await fetch(`${server}/embed/${target.path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) return this.fail(data.code || `HTTP_${res.status}`, data.message || res.statusText);
      this.render(target.title, data);
    } catch (error) {
      this.fail("NETWORK_ERROR", String(error?.message ?? error));
    }
  }

  render(title, data) {
    const rows = [
      ["user", data.user?.distinctId],
      ["role", data.user?.role],
      ["attributes", data.user?.attributes],
      ["permissions", data.permissions],
      ["organization", data.org],
      ["expires", typeof data.exp === "number" ? new Date(data.exp * 1000).toISOString() : undefined],
    ];
    const list = el("dl");
    for (const [name, value] of rows) {
      if (value !== undefined) list.append(el("dt", name), el("dd", show(value), { "data-field": name }));
    }
    this.replaceChildren(el("h3", title, { "data-embedkit-ready": this.localName }), list);
    this.dispatchEvent(new CustomEvent("tc:ready", { detail: data, bubbles: true }));
  }
}

class TcDashboard extends ToucanElement {
  target() {
    const dashboard = this.getAttribute("dashboard-id");
    const chart = this.getAttribute("chart-id");
    if (dashboard)
      return { path: `dashboards/${encodeURIComponent(dashboard)}`, title: `Dashboard ${dashboard}` };
    if (chart) return { path: `charts/${encodeURIComponent(chart)}`, title: `Chart ${chart}` };
    return undefined;
  }
}

class TcAiAssistant extends ToucanElement {
  target() {
    return { path: "ai/assistant", title: "AI assistant" };
  }
}

if (!customElements.get("tc-dashboard")) customElements.define("tc-dashboard", TcDashboard);
if (!customElements.get("tc-ai-assistant")) customElements.define("tc-ai-assistant", TcAiAssistant);
