// The app's words: Indonesian by default, English available (chosen on the profile screen).

import { EN } from "./strings-en.js";
import { ID } from "./strings-id.js";

const STRINGS = { id: ID, en: EN };
const KEY = "hadir.lang";
let lang = STRINGS[localStorage.getItem(KEY)] ? localStorage.getItem(KEY) : "id";

export function getLang() {
  return lang;
}

// The locale for dates and times: the app's language, not the phone's.
export function locale() {
  return lang === "en" ? "en-GB" : "id-ID";
}

export function applyLang() {
  document.documentElement.lang = lang;
}

export function setLang(value) {
  lang = STRINGS[value] ? value : "id";
  localStorage.setItem(KEY, lang);
  applyLang();
}

// `t("today.queue", {count: 2})`; a missing key gives `fallback` (or the key itself).
export function t(key, params = {}, fallback) {
  const text = STRINGS[lang][key] ?? ID[key] ?? fallback ?? key;
  return String(text).replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? `{${name}}`).toString());
}
