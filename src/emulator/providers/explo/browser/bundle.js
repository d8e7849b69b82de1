// embedkit's stand-in for Explo's web component bundle (https://embed.explo.co/bundle.js):
// `<explo-dashboard dash-jwt="…" environment="…">` shows the dashboard in an iframe served by the
// same origin as this script, at the iframe URL Explo documents (/iframe/<jwt>/<environment>).
// Decryption, expiry and the origin check happen there, as the iframe embed does them.
// https://docs.explo.co/embedding-documentation/dashboard/option-1-web-component
(() => {
  const origin = new URL(document.currentScript.src).origin;

  class ExploDashboard extends HTMLElement {
    static get observedAttributes() {
      return ["dash-jwt", "environment", "dash-customer-token"];
    }

    connectedCallback() {
      this.schedule();
    }

    attributeChangedCallback() {
      if (this.isConnected) this.schedule();
    }

    /** One render per burst of changes: an upgrade reports every attribute, then the connection. */
    schedule() {
      if (this.pending) return;
      this.pending = true;
      queueMicrotask(() => {
        this.pending = false;
        this.render();
      });
    }

    render() {
      const jwt = this.getAttribute("dash-jwt");
      const environment = this.getAttribute("environment") || "production";
      if (!jwt) {
        const legacy = this.hasAttribute("dash-customer-token");
        const message = legacy
          ? "dash-customer-token embeds are not emulated; pass dash-jwt (the jwt from generate_jwt)."
          : "Missing dash-jwt: pass the jwt from generate_jwt.";
        const alert = document.createElement("div");
        alert.setAttribute("role", "alert");
        alert.setAttribute("data-embedkit-error", legacy ? "legacy" : "missing-jwt");
        alert.textContent = message;
        this.replaceChildren(alert);
        return;
      }
      const frame = document.createElement("iframe");
      frame.title = "Explo dashboard";
      frame.style.cssText = "width:100%;height:100%;min-height:360px;border:0";
      frame.src = `${origin}/iframe/${encodeURIComponent(jwt)}/${encodeURIComponent(environment)}`;
      this.replaceChildren(frame);
    }
  }

  if (!customElements.get("explo-dashboard")) customElements.define("explo-dashboard", ExploDashboard);
})();
