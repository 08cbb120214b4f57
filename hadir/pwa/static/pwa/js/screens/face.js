// Face (biometrics): explicit consent (UU PDP 27/2022), enrollment from the live camera, and
// withdrawal, which erases the template (docs/biometrics.md). Without consent the atasan
// verifies the selfies instead; the app works either way.

import { ApiError, NetworkError, api } from "../api.js";
import { burst, closeCamera, openCamera } from "../camera.js";
import { t } from "../i18n.js";
import { h } from "../ui.js";

let stream = null;
window.addEventListener("hashchange", () => {
  closeCamera(stream);
  stream = null;
});

function problems(error) {
  const lines = String(error.detail || error.message || t("error.generic")).split("\n");
  return h("ul", { class: "reasons error", id: "face-error", dataset: { code: error.code || "" } }, lines.map((l) => h("li", {}, l)));
}

function consentForm(ctx, state) {
  const agree = h("input", { type: "checkbox", id: "consent-agree" });
  const give = h("button", { class: "primary", id: "consent-give", disabled: true }, t("face.consent_give"));
  const message = h("div", { id: "face-message" });
  agree.addEventListener("change", () => (give.disabled = !agree.checked));
  give.addEventListener("click", async () => {
    give.disabled = true;
    try {
      await api("/me/biometrics/consent", { method: "POST", json: { agree: true } });
      ctx.render();
    } catch (error) {
      if (error instanceof ApiError && error.status === 426) return;
      message.replaceChildren(problems(error));
      give.disabled = false;
    }
  });
  return h(
    "section",
    { class: "card", id: "face-consent" },
    h("h2", {}, t("face.consent_title")),
    ["face.consent_1", "face.consent_2", "face.consent_3"].map((k) => h("p", { class: "small" }, t(k))),
    h("label", { class: "check" }, agree, ` ${t("face.consent_agree")}`),
    message,
    give,
  );
}

function enrollForm(ctx, state) {
  const video = h("video", { id: "face-camera", autoplay: true, muted: true, playsinline: true });
  const message = h("div", { id: "face-message" });
  const start = h("button", { class: "primary", id: "enroll-start" }, state.enrolled ? t("face.reenroll") : t("face.enroll"));
  const capture = h("button", { class: "primary huge", id: "enroll-capture", hidden: true }, t("face.capture"));
  const camera = h("div", { class: "camera", hidden: true }, video);
  start.addEventListener("click", async () => {
    start.hidden = true;
    message.replaceChildren();
    try {
      stream = await openCamera(video);
    } catch (error) {
      message.replaceChildren(h("p", { class: "error", dataset: { code: error.code } }, t(`error.${error.code}`, {}, t("error.generic"))));
      start.hidden = false;
      return;
    }
    camera.hidden = false;
    capture.hidden = false;
  });
  capture.addEventListener("click", async () => {
    capture.disabled = true;
    capture.textContent = t("checkin.capturing");
    try {
      const frames = await burst(video, { count: 5, intervalMs: 300 });
      const form = new FormData();
      frames.forEach((blob, i) => form.append("frames", blob, `enroll-${i + 1}.jpg`));
      capture.textContent = t("checkin.sending");
      await api("/me/biometrics/enroll", { method: "POST", form });
      closeCamera(stream);
      stream = null;
      ctx.render();
    } catch (error) {
      if (error instanceof ApiError && error.status === 426) return;
      message.replaceChildren(error instanceof NetworkError ? h("p", { class: "error" }, t("error.network")) : problems(error));
      capture.disabled = false;
      capture.textContent = t("face.capture");
    }
  });
  return h(
    "section",
    { class: "card", id: "face-enroll" },
    h("h2", {}, state.enrolled ? t("face.enrolled", { vectors: state.vectors }) : t("face.enroll_title")),
    state.enrolled ? null : h("p", { class: "small" }, t("face.enroll_howto")),
    camera,
    message,
    start,
    capture,
  );
}

function withdrawForm(ctx) {
  const confirm = h("button", { class: "danger", id: "consent-withdraw-confirm", hidden: true }, t("face.withdraw_confirm"));
  const ask = h("button", { class: "link", id: "consent-withdraw" }, t("face.withdraw"));
  ask.addEventListener("click", () => {
    ask.hidden = true;
    confirm.hidden = false;
  });
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    try {
      await api("/me/biometrics/consent", { method: "DELETE" });
    } finally {
      ctx.render();
    }
  });
  return h("div", {}, h("p", { class: "muted small" }, t("face.withdraw_note")), ask, confirm);
}

export async function render(ctx) {
  closeCamera(stream);
  stream = null;
  const { data: state } = await api("/me/biometrics");
  const status = h("p", { id: "face-state", class: "notice", dataset: { consent: String(state.biometric), enrolled: String(state.enrolled) } },
    t(state.biometric ? (state.enrolled ? "face.state_enrolled" : "face.state_consent") : "face.state_none"));
  ctx.mount(
    h("h1", {}, t("face.title")),
    status,
    state.biometric ? [enrollForm(ctx, state), withdrawForm(ctx)] : consentForm(ctx, state),
    h("button", { class: "link", onclick: () => ctx.go("profile") }, t("face.back")),
  );
}
