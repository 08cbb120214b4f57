// Profile and device: who is logged in, this device's binding, language, reminders, logout.

import { ApiError, NetworkError, api, setToken } from "../api.js";
import { thumbprint } from "../crypto.js";
import { kv } from "../db.js";
import { getLang, setLang, t } from "../i18n.js";
import { enablePush, pushSupported } from "../push.js";
import { h } from "../ui.js";

function row(label, value, id) {
  return [h("dt", {}, label), h("dd", { id }, value ?? "–")];
}

export async function render(ctx) {
  let me;
  try {
    me = (await api("/me")).data;
    await kv.set("me", me);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    me = (await kv.get("me")) || {};
  }
  // /me answers the employee's fields at the top level (the login answer nests them).
  const employee = me.employee || me;
  const device = me.device || {};
  const print = await thumbprint();

  const pushState = h("p", { id: "push-state", class: "muted small" }, "Notification" in window ? t(`push.state.${Notification.permission}`) : t("error.push_unsupported"));
  const pushButton = h("button", { class: "primary", id: "push-enable", disabled: !pushSupported() }, t("push.enable"));
  pushButton.addEventListener("click", async () => {
    pushButton.disabled = true;
    try {
      await enablePush(ctx.config && ctx.config.vapid_public_key);
      pushState.textContent = t("push.enabled");
      pushState.dataset.state = "enabled";
    } catch (error) {
      if (error instanceof ApiError && error.status === 426) return;
      pushState.textContent = error.detail || t(`error.${error.code}`, {}, t("error.generic"));
      pushState.dataset.state = error.code || "error";
    } finally {
      pushButton.disabled = false;
    }
  });

  const language = h(
    "select",
    { id: "language", onchange: (e) => { setLang(e.target.value); ctx.render(); } },
    [["id", "Bahasa Indonesia"], ["en", "English"]].map(([v, label]) => h("option", { value: v, selected: v === getLang() }, label)),
  );

  const logout = h("button", { class: "danger", id: "logout" }, t("profile.logout"));
  logout.addEventListener("click", async () => {
    try {
      await api("/auth/logout", { method: "POST" });
    } catch (error) {
      if (!(error instanceof NetworkError || error instanceof ApiError)) throw error;
    }
    await setToken(null);
    await kv.del("me");
    await kv.del("today");
    await kv.del("last_sync");
    // The key pair stays (it is this browser's identity); queued offline records stay with
    // their owner's NIP and go up at that employee's next login.
    await kv.del("nip");
    ctx.go("login");
  });

  ctx.mount(
    h("h1", {}, t("profile.title")),
    h("dl", { class: "card facts", id: "profile" }, row(t("profile.name"), employee.name, "profile-name"), row("NIP", employee.nip, "profile-nip"), row(t("profile.unit"), employee.unit && (employee.unit.name || employee.unit), "profile-unit"), row(t("profile.atasan"), employee.atasan && (employee.atasan.name || employee.atasan), "profile-atasan")),
    h("h2", {}, t("profile.device")),
    h("dl", { class: "card facts", id: "device" }, row(t("profile.device_status"), t(`device.status.${device.status}`, {}, device.status), "device-status"), row(t("profile.device_label"), device.label), row(t("profile.device_key"), `${print.slice(0, 12)}…`, "device-key"), row(t("profile.version"), ctx.version, "profile-version")),
    h("a", { class: "card block-link", href: "#/face", id: "face-link" }, t("profile.face")),
    h("h2", {}, t("profile.settings")),
    h("div", { class: "card" }, h("label", { for: "language" }, t("profile.language")), language, h("p", {}, t("push.intro")), pushButton, pushState),
    logout,
  );
}
