// Login with NIP and password; the first login on this browser creates the device key pair and
// registers its public half (docs/checkin.md, "Login and device binding").

import { ApiError, NetworkError, api, setToken } from "../api.js";
import { publicJwk, thumbprint } from "../crypto.js";
import { kv } from "../db.js";
import { t } from "../i18n.js";
import { adoptServerChain, uploadQueue } from "../offline.js";
import { banner, h } from "../ui.js";

function deviceLabel() {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom/.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "Browser";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows" : /Mac OS/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : "";
  return os ? `${browser} on ${os}` : browser;
}

export async function render(ctx) {
  const error = h("p", { class: "error", id: "login-error", role: "alert", hidden: true });
  const nip = h("input", { id: "nip", name: "nip", inputmode: "numeric", autocomplete: "username", required: true, maxlength: 18 });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit", class: "primary big", id: "login-submit" }, t("login.submit"));

  async function onSubmit(event) {
    event.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    submit.textContent = t("login.busy");
    try {
      const device = { public_key: await publicJwk(), label: deviceLabel(), platform: "web" };
      const { data } = await api("/auth/login", {
        method: "POST",
        auth: false,
        json: { nip: nip.value.trim(), password: password.value, device },
      });
      const who = nip.value.trim();
      if ((await kv.get("nip")) !== who) {
        // Another employee on this browser: nothing of the previous one's is shown.
        await kv.del("today");
        await kv.del("last_sync");
      }
      await kv.set("nip", who);
      await setToken(data.token);
      await kv.set("me", { employee: data.employee, device: data.device });
      await kv.set("device", { ...data.device, thumbprint: await thumbprint() });
      if (data.device && data.device.chain) await adoptServerChain(data.device.chain);
      banner(""); // a pending device is explained on Today itself
      uploadQueue(); // this employee's records kept offline before the login, if any
      ctx.go("today");
    } catch (err) {
      if (err instanceof ApiError && err.status === 426) return;
      error.textContent = err instanceof NetworkError ? t("login.offline") : err.detail || err.message;
      error.hidden = false;
    } finally {
      submit.disabled = false;
      submit.textContent = t("login.submit");
    }
  }

  ctx.mount(
    h(
      "section",
      { class: "card login" },
      h("h1", {}, t("login.title")),
      h("p", { class: "muted" }, t("login.intro")),
      h(
        "form",
        { id: "login-form", onsubmit: onSubmit },
        h("label", { for: "nip" }, t("login.nip")),
        nip,
        h("label", { for: "password" }, t("login.password")),
        password,
        error,
        submit,
      ),
      h("p", { class: "muted small" }, t("login.device_note")),
      h("p", { class: "muted small", id: "app-version" }, t("app.version", { version: ctx.version })),
    ),
  );
}
