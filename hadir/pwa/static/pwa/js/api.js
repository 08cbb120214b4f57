// The JSON API of docs/checkin.md: version header, bearer token, errors as {detail, code}.

import { kv } from "./db.js";
import { getLang, t } from "./i18n.js";

export const VERSION = document.querySelector('meta[name="hadir-version"]').content;
const BASE = document.querySelector('meta[name="hadir-api"]').content;

// "outdated" (426), "unauthorized" (401 with a token), "update" (X-Hadir-Update: a newer app exists).
export const bus = new EventTarget();

export class ApiError extends Error {
  constructor(status, code, detail, data) {
    super(detail);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.data = data;
  }
}

// The request never reached the server (no network, server down): the caller may go offline.
export class NetworkError extends Error {
  constructor(cause) {
    super(t("error.network"));
    this.code = "network";
    this.cause = cause;
  }
}

let token;

export async function getToken() {
  if (token === undefined) token = (await kv.get("token")) || null;
  return token;
}

export async function setToken(value) {
  token = value || null;
  if (value) await kv.set("token", value);
  else await kv.del("token");
}

function detailOf(data, status) {
  if (data && typeof data.detail === "string") return data.detail;
  if (data && Array.isArray(data.detail)) {
    return data.detail.map((e) => [e.loc && e.loc.slice(-1)[0], e.msg].filter(Boolean).join(": ")).join("; ");
  }
  return t("error.http", { status });
}

export async function api(path, { method = "GET", json, form, auth = true, signal } = {}) {
  const headers = {
    "X-Hadir-App-Version": VERSION,
    Accept: "application/json",
    "Accept-Language": getLang(),
  };
  const bearer = auth ? await getToken() : null;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  let response;
  try {
    response = await fetch(`${BASE}${path}`, { method, headers, body, signal, cache: "no-store" });
  } catch (error) {
    throw new NetworkError(error);
  }
  const update = response.headers.get("X-Hadir-Update");
  if (update) bus.dispatchEvent(new CustomEvent("update", { detail: update }));
  let data = null;
  try {
    data = await response.json();
  } catch (_) {
    data = null;
  }
  if (!response.ok) {
    const code = (data && data.code) || `http_${response.status}`;
    const error = new ApiError(response.status, code, detailOf(data, response.status), data);
    if (response.status === 426) bus.dispatchEvent(new CustomEvent("outdated", { detail: error }));
    else if (response.status === 401 && bearer) bus.dispatchEvent(new CustomEvent("unauthorized", { detail: error }));
    throw error;
  }
  return { status: response.status, data };
}
