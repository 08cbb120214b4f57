// hadir's employee app: start-up, routing between screens, the network state and the offline queue.

import { ApiError, NetworkError, VERSION, api, bus, getToken, setToken } from "./api.js";
import { kv } from "./db.js";
import { applyLang, t } from "./i18n.js";
import { adoptServerChain, uploadQueue, uploads } from "./offline.js";
import * as blocked from "./screens/blocked.js";
import * as checkin from "./screens/checkin.js";
import * as face from "./screens/face.js";
import * as leave from "./screens/leave.js";
import * as login from "./screens/login.js";
import * as month from "./screens/month.js";
import * as profile from "./screens/profile.js";
import * as today from "./screens/today.js";
import { banner, mount } from "./ui.js";

const SCREENS = { login, today, checkin, month, leave, profile, face };
const PUBLIC = new Set(["login"]);

export const ctx = {
  version: VERSION,
  config: null,
  outdated: null, // the 426 error once the server has refused this version
  go(route) {
    if (location.hash === `#/${route}`) render();
    else location.hash = `#/${route}`;
  },
  render: () => render(),
};

async function loadConfig() {
  try {
    const sent = Date.now();
    const { data } = await api("/app/config", { auth: false });
    const received = Date.now();
    if (data.server_time) {
      // Device minus server, taking the server's clock at the middle of the round trip.
      const offset = Math.round((sent + received) / 2 - Date.parse(data.server_time));
      await kv.set("server_offset_ms", offset);
    }
    await kv.set("config", data);
    ctx.config = data;
  } catch (error) {
    if (!(error instanceof NetworkError || error instanceof ApiError)) throw error;
    ctx.config = (await kv.get("config")) || {};
  }
}

function showNet() {
  const net = document.getElementById("net");
  net.hidden = navigator.onLine;
  net.textContent = t("net.offline");
}

function showTabs(visible) {
  const tabs = document.getElementById("tabs");
  tabs.hidden = !visible;
  const current = (location.hash.slice(2) || "today").split("/")[0];
  for (const link of tabs.querySelectorAll("a")) {
    link.textContent = t(`tab.${link.dataset.tab}`);
    link.classList.toggle("active", link.dataset.tab === current);
  }
}

let rendering = 0;

async function render() {
  const turn = ++rendering;
  showNet();
  // A screen draws only while it is the latest one asked for: a slow answer for a screen the
  // user has already left must not replace the one on display.
  const view = { ...ctx, mount: (...nodes) => (turn === rendering ? mount(...nodes) : null) };
  if (ctx.outdated) {
    showTabs(false);
    blocked.render(view, ctx.outdated);
    return;
  }
  const [name, ...params] = (location.hash.slice(2) || "today").split("/");
  const token = await getToken();
  let screen = SCREENS[name] ? name : "today";
  if (!token && !PUBLIC.has(screen)) screen = "login";
  if (token && screen === "login") screen = "today";
  if (turn !== rendering) return;
  showTabs(Boolean(token) && screen !== "checkin" && screen !== "face");
  document.body.dataset.screen = screen;
  try {
    await SCREENS[screen].render(view, params);
  } catch (error) {
    // A screen that fails to draw says why instead of staying blank.
    if (error instanceof ApiError && error.status === 426) return;
    console.error(error);
    banner(error.detail || error.message || t("error.generic"), "error");
  }
}

bus.addEventListener("outdated", (event) => {
  ctx.outdated = event.detail;
  render();
});
bus.addEventListener("unauthorized", async () => {
  await setToken(null);
  banner(t("error.session"), "error");
  ctx.go("login");
});
bus.addEventListener("update", (event) => banner(t("update.available", { version: event.detail }), "warn"));
uploads.addEventListener("done", (event) => {
  const results = event.detail;
  const flagged = results.filter((r) => r.status !== "accepted").length;
  banner(t("offline.uploaded", { count: results.length, flagged }), flagged ? "warn" : "ok");
  if (document.body.dataset.screen === "today") render();
});

window.addEventListener("hashchange", render);
window.addEventListener("online", async () => {
  showNet();
  await loadConfig();
  await uploadQueue();
});
window.addEventListener("offline", showNet);

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const meta = document.querySelector('meta[name="hadir-sw"]');
  try {
    await navigator.serviceWorker.register(meta.content, { scope: meta.dataset.scope });
  } catch (error) {
    console.warn("service worker", error);
  }
}

async function start() {
  applyLang();
  registerWorker();
  await loadConfig();
  if ((await getToken()) && navigator.onLine) {
    try {
      const { data } = await api("/me");
      await kv.set("me", data);
      if (data.device && data.device.chain) await adoptServerChain(data.device.chain);
    } catch (error) {
      if (!(error instanceof NetworkError || error instanceof ApiError)) throw error;
    }
    uploadQueue();
  }
  await render();
  document.body.dataset.ready = "1";
}

start();
