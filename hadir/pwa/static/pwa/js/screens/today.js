// Today: the checkpoints of the day with their windows and status, a big button for the current one.

import { ApiError, NetworkError, api } from "../api.js";
import { kv } from "../db.js";
import { locale, t } from "../i18n.js";
import { waitingCount } from "../offline.js";
import { h, hhmm } from "../ui.js";

function localHHMM(date = new Date()) {
  return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
}

// Offline the server cannot say which checkpoint is open: read the cached windows on the device clock.
function currentOffline(day) {
  const now = localHHMM();
  const open = (day.checkpoints || []).find((c) => c.status !== "done" && hhmm(c.opens) <= now && now <= hhmm(c.closes));
  return open ? open.code : null;
}

function windowText(cp) {
  const span = `${hhmm(cp.opens)}–${hhmm(cp.closes)}`;
  return cp.due ? t("today.window_due", { span, due: hhmm(cp.due) }) : span;
}

function checkinText(checkin) {
  if (!checkin) return null;
  const at = checkin.at ? new Date(checkin.at) : null;
  const time = at ? localHHMM(at) : "";
  return h("span", { class: `result ${checkin.status}` }, `${time} · ${t(`status.${checkin.status}`)}`);
}

export async function render(ctx) {
  let day;
  let offline = false;
  try {
    day = (await api("/me/today")).data;
    await kv.set("today", day);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    offline = true;
    day = await kv.get("today");
    if (day) day = { ...day, current: currentOffline(day) };
  }
  const me = (await kv.get("me")) || {};
  const waiting = await waitingCount();
  const lastSync = await kv.get("last_sync");
  const parts = [];

  if (me.device && me.device.status === "pending") parts.push(h("p", { class: "notice warn", id: "device-pending" }, t("device.pending")));
  if (offline) parts.push(h("p", { class: "notice warn", id: "offline-note" }, t("today.offline")));
  if (waiting) parts.push(h("p", { class: "notice", id: "queue-count" }, t("today.queue", { count: waiting })));
  if (lastSync && lastSync.results && lastSync.results.length) {
    parts.push(
      h(
        "details",
        { class: "card", id: "last-sync" },
        h("summary", {}, t("today.last_sync", { count: lastSync.results.length })),
        h(
          "ul",
          { class: "reasons" },
          lastSync.results.map((r) =>
            h(
              "li",
              { dataset: { seq: r.seq, status: r.status } },
              `#${r.seq} ${r.checkpoint}: ${t(`status.${r.status}`)}`,
              (r.reasons || []).map((x) => h("div", { class: "small", dataset: { code: x.code } }, x.detail)),
              r.detail ? h("div", { class: "small", dataset: { code: r.code } }, r.detail) : null,
            ),
          ),
        ),
      ),
    );
  }

  if (!day) {
    ctx.mount(h("h1", {}, t("today.title")), ...parts, h("p", { class: "muted" }, t("today.no_data")));
    return;
  }

  const current = (day.checkpoints || []).find((c) => c.code === day.current);
  const header = h(
    "div",
    { class: "day" },
    h("h1", {}, t("today.title")),
    h("p", { class: "muted", id: "today-date" }, new Date(`${day.date}T12:00:00`).toLocaleDateString(locale(), { weekday: "long", day: "numeric", month: "long", year: "numeric" })),
  );
  if (!day.working_day) parts.push(h("p", { class: "notice" }, t("today.not_working")));
  if (day.absence) parts.push(h("p", { class: "notice" }, t("today.absence", { type: t(`absence.${day.absence.type || day.absence}`) })));

  const action = current
    ? h("button", { class: "primary huge", id: "checkin-now", dataset: { code: current.code }, onclick: () => ctx.go(`checkin/${current.code}`) }, t("today.checkin_now", { label: current.label }))
    : h("p", { class: "muted", id: "no-current" }, t("today.none_open"));

  const list = h(
    "ul",
    { class: "checkpoints", id: "checkpoints" },
    (day.checkpoints || []).map((cp) =>
      h(
        "li",
        { class: `cp ${cp.status}`, dataset: { code: cp.code, status: cp.status } },
        h("div", { class: "cp-main" }, h("strong", {}, cp.label), h("span", { class: "muted small" }, windowText(cp))),
        h("span", { class: `chip ${cp.status}` }, t(`cp.${cp.status}`)),
        checkinText(cp.checkin),
      ),
    ),
  );
  ctx.mount(header, ...parts, action, list);
}
