// One check-in: challenge, live camera, a burst of frames, location, upload; offline, a signed
// record in the queue. The answer (accepted, pending review, rejected) is shown with its reasons.

import { ApiError, NetworkError, api } from "../api.js";
import { closeCamera, burst, openCamera } from "../camera.js";
import { isoWithOffset } from "../clock.js";
import { kv } from "../db.js";
import { locate } from "../geo.js";
import { locale, t } from "../i18n.js";
import { recordOffline } from "../offline.js";
import { h } from "../ui.js";

const OFFLINE_INSTRUCTIONS = ["blink", "turn_left", "turn_right"];
let stream = null;

window.addEventListener("hashchange", () => {
  closeCamera(stream);
  stream = null;
});

function reasonList(reasons) {
  return h(
    "ul",
    { class: "reasons", id: "reasons" },
    (reasons || []).map((r) =>
      h("li", { dataset: { code: r.code } }, r.detail || t(`reason.${r.code}`), t(`hint.${r.code}`, {}, "") ? h("div", { class: "muted small" }, t(`hint.${r.code}`)) : null),
    ),
  );
}

function resultCard(ctx, data, { offline = false } = {}) {
  const status = offline ? "queued" : data.status;
  const at = data.at ? new Date(data.at).toLocaleTimeString(locale()) : "";
  return h(
    "section",
    { class: `card result-card ${status}`, id: "result", dataset: { status } },
    h("h1", {}, t(`result.${status}`)),
    at ? h("p", { id: "result-at" }, t("result.at", { at })) : null,
    data.site ? h("p", { class: "muted" }, t("result.site", { site: data.site, distance: Math.round(data.distance_m ?? 0) })) : null,
    offline ? h("p", { class: "muted" }, t("result.queued_note")) : null,
    reasonList(data.reasons),
    h("button", { class: "primary", id: "back-today", onclick: () => ctx.go("today") }, t("result.back")),
  );
}

function errorCard(ctx, code, detail, retry) {
  return h(
    "section",
    { class: "card error-card", id: "checkin-error", dataset: { code }, role: "alert" },
    h("h1", {}, t(`error.title.${code}`, {}, t("error.title"))),
    h("p", { id: "checkin-error-detail" }, detail || t(`error.${code}`, {}, t("error.generic"))),
    t(`hint.${code}`, {}, "") ? h("p", { class: "muted" }, t(`hint.${code}`)) : null,
    retry ? h("button", { class: "primary", id: "retry", onclick: retry }, t("checkin.retry")) : null,
    h("button", { class: "link", onclick: () => ctx.go("today") }, t("result.back")),
  );
}

export async function render(ctx, [code]) {
  closeCamera(stream);
  stream = null;
  const day = (await kv.get("today")) || { checkpoints: [] };
  const checkpoint = (day.checkpoints || []).find((c) => c.code === code) || { code, label: code };
  const limits = (ctx.config && ctx.config.limits) || {};
  const maxAccuracy = (ctx.config && ctx.config.max_accuracy_m) || 100;

  const video = h("video", { id: "camera", autoplay: true, muted: true, playsinline: true });
  const instruction = h("p", { class: "instruction", id: "instruction" }, t("checkin.preparing"));
  const where = h("p", { class: "muted", id: "location" }, t("checkin.locating"));
  const capture = h("button", { class: "primary huge", id: "capture", disabled: true }, t("checkin.capture"));
  const body = h("section", { class: "checkin" }, h("h1", {}, t("checkin.title", { label: checkpoint.label })), h("div", { class: "camera" }, video), instruction, where, capture, h("button", { class: "link", onclick: () => ctx.go("today") }, t("checkin.cancel")));
  ctx.mount(body);

  const fail = (errCode, detail) => {
    closeCamera(stream);
    stream = null;
    ctx.mount(errorCard(ctx, errCode, detail, () => render(ctx, [code])));
  };

  let position;
  let challenge = null;
  try {
    const located = locate();
    located.catch(() => undefined); // awaited below; a camera failure first must not leave it unhandled
    stream = await openCamera(video);
    position = await located;
  } catch (error) {
    fail(error.code || "camera_failed");
    return;
  }
  const weak = position.accuracy_m > maxAccuracy;
  where.textContent = t(weak ? "checkin.accuracy_weak" : "checkin.accuracy", { m: Math.round(position.accuracy_m), max: maxAccuracy });
  where.classList.toggle("warn", weak);

  let online = navigator.onLine;
  if (online) {
    try {
      challenge = (await api("/checkins/challenge", { method: "POST", json: { checkpoint: code } })).data;
    } catch (error) {
      if (error instanceof NetworkError) online = false;
      else if (error instanceof ApiError) return error.status === 426 ? undefined : fail(error.code, error.detail);
      else throw error;
    }
  }
  const step = challenge ? challenge.instruction : OFFLINE_INSTRUCTIONS[Math.floor(Math.random() * 3)];
  instruction.textContent = t(`instruction.${step}`);
  instruction.dataset.instruction = step;
  instruction.classList.add("ready");
  capture.disabled = false;

  capture.addEventListener("click", async () => {
    capture.disabled = true;
    capture.textContent = t("checkin.capturing");
    let frames;
    try {
      // One second: the first frame before the action, the others while the employee does it.
      frames = await burst(video, { count: 5, intervalMs: 250, maxBytes: limits.max_frame_bytes || 512 * 1024 });
    } catch (error) {
      fail(error.code || "camera_failed");
      return;
    }
    closeCamera(stream);
    stream = null;
    capture.textContent = t("checkin.sending");
    const idempotencyKey = crypto.randomUUID();
    if (online && challenge) {
      const payload = {
        nonce: challenge.nonce,
        checkpoint: code,
        idempotency_key: idempotencyKey,
        latitude: position.latitude,
        longitude: position.longitude,
        accuracy_m: position.accuracy_m,
        device_time: isoWithOffset(new Date()),
        mock_location: null,
      };
      const form = new FormData();
      form.append("payload", JSON.stringify(payload));
      frames.forEach((blob, i) => form.append("frames", blob, `frame-${i + 1}.jpg`));
      try {
        const { data } = await api("/checkins", { method: "POST", form });
        ctx.mount(resultCard(ctx, data));
        return;
      } catch (error) {
        if (error instanceof ApiError) return error.status === 426 ? undefined : fail(error.code, error.detail);
        if (!(error instanceof NetworkError)) throw error;
        // The network went away mid-upload: keep the check-in as a signed offline record.
      }
    }
    // The same idempotency key: if the lost answer was stored after all, the server keeps one record.
    const entry = await recordOffline({ checkpoint: code, position, frames, idempotencyKey });
    ctx.mount(resultCard(ctx, { reasons: [], at: new Date().toISOString(), seq: entry.seq }, { offline: true }));
  });
}
