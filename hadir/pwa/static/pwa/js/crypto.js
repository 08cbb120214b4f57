// The device key (ECDSA P-256, private part non-extractable, kept in IndexedDB), its RFC 7638
// thumbprint, canonical JSON and SHA-256: the pieces of a signed offline record (docs/checkin.md).

import { kv } from "./db.js";

const KEY_ALG = { name: "ECDSA", namedCurve: "P-256" };
const SIGN_ALG = { name: "ECDSA", hash: "SHA-256" };

export function base64url(bytes) {
  let text = "";
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

export async function sha256hex(bytes) {
  return Array.from(await sha256(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Keys sorted, no spaces, UTF-8: the same bytes as Python's
// json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).
export function canonical(value) {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("not a finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
}

export function canonicalBytes(value) {
  return new TextEncoder().encode(canonical(value));
}

// The device's key pair, created once; the private key can sign but never leave the browser.
export async function deviceKeyPair() {
  let pair = await kv.get("keypair");
  if (!pair) {
    pair = await crypto.subtle.generateKey(KEY_ALG, false, ["sign", "verify"]);
    await kv.set("keypair", pair);
  }
  return pair;
}

export async function publicJwk() {
  const pair = await deviceKeyPair();
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return { kty, crv, x, y };
}

// RFC 7638: SHA-256 of the required members in lexicographic order, base64url.
export async function thumbprint() {
  const jwk = await publicJwk();
  return base64url(await sha256(canonicalBytes({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })));
}

export async function sign(bytes) {
  const pair = await deviceKeyPair();
  return base64url(await crypto.subtle.sign(SIGN_ALG, pair.privateKey, bytes));
}
