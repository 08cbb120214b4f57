// Small DOM helpers: every text goes in as a text node, never as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function mount(...nodes) {
  const view = document.getElementById("view");
  view.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
  return view;
}

export function banner(text, kind = "info") {
  const el = document.getElementById("banner");
  if (!text) {
    el.hidden = true;
    el.textContent = "";
    return;
  }
  el.hidden = false;
  el.className = `banner ${kind}`;
  el.textContent = text;
}

export function rupiah(value) {
  return `Rp ${Number(value || 0).toLocaleString("id-ID")}`;
}

export function hhmm(value) {
  if (!value) return "";
  return String(value).slice(0, 5);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
