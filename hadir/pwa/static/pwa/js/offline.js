// Offline check-ins (docs/checkin.md, "Offline check-ins"): each record is hashed (SHA-256 of
// its canonical JSON), signed with the device key and chained to the previous one; the queue is
// uploaded in chain order when the network returns.

import { ApiError, api, NetworkError } from "./api.js";
import { BOOT, isoWithOffset, monotonicMs } from "./clock.js";
import { canonicalBytes, sha256hex, sign, thumbprint } from "./crypto.js";
import { failed, kv, queue, transact } from "./db.js";

export const uploads = new EventTarget();

// One writer at a time: two records must never take the same seq.
let lock = Promise.resolve();
function exclusive(work) {
  const run = lock.then(work, work);
  lock = run.catch(() => undefined);
  return run;
}

// Whose records these are: the NIP of the login on this browser (the server keeps one chain
// per employee and device, and uploads go with that employee's token).
export async function owner() {
  return (await kv.get("nip")) || null;
}

// The last link: {seq, head}; the server's head at login (or after an upload), then ours.
export async function chainState(nip) {
  return (await kv.get(`chain:${nip}`)) || { seq: 0, head: "" };
}

// Take the server's view of the chain, unless records of ours are still waiting to go up.
export async function adoptServerChain(chain) {
  if (!chain || typeof chain.seq !== "number") return;
  const nip = await owner();
  if (!nip) return;
  await exclusive(async () => {
    if ((await queue.count(nip)) === 0) await kv.set(`chain:${nip}`, { seq: chain.seq, head: chain.head || "" });
  });
}

export async function waitingCount() {
  const nip = await owner();
  return nip ? queue.count(nip) : 0;
}

export function recordOffline({ checkpoint, position, frames, idempotencyKey = null }) {
  return exclusive(async () => {
    const nip = await owner();
    if (!nip) throw new Error("no employee is logged in on this browser");
    const chain = await chainState(nip);
    const buffers = await Promise.all(frames.map((blob) => blob.arrayBuffer()));
    const record = {
      device: await thumbprint(),
      seq: chain.seq + 1,
      prev: chain.head,
      checkpoint,
      latitude: position.latitude,
      longitude: position.longitude,
      accuracy_m: position.accuracy_m,
      device_time: isoWithOffset(new Date()),
      monotonic_ms: monotonicMs(),
      boot: BOOT,
      server_offset_ms: (await kv.get("server_offset_ms")) ?? 0,
      frames: await Promise.all(buffers.map((b) => sha256hex(b))),
      idempotency_key: idempotencyKey || crypto.randomUUID(),
    };
    const bytes = canonicalBytes(record);
    const entry = { nip, seq: record.seq, record, hash: await sha256hex(bytes), signature: await sign(bytes), frames: buffers };
    // The record and the new head are written together or not at all.
    await transact(["kv", "queue"], "readwrite", (s) => {
      s.queue.add(entry);
      s.kv.put({ seq: record.seq, head: entry.hash }, `chain:${nip}`);
    });
    return entry;
  });
}

function envelopeForm(entry) {
  const form = new FormData();
  form.append("envelope", JSON.stringify({ record: entry.record, hash: entry.hash, signature: entry.signature }));
  entry.frames.forEach((buffer, i) => form.append("frames", new Blob([buffer], { type: "image/jpeg" }), `frame-${i + 1}.jpg`));
  return form;
}

let uploading = null;

// Upload the queue in seq order. Stops at the first network failure (the rest waits for the
// next "online"); a record the server refuses is kept aside in "failed" with the reason.
export function uploadQueue() {
  uploading ??= (async () => {
    const results = [];
    try {
      const nip = await owner();
      // Only the logged-in employee's records go up, with their token; others' wait for them.
      const entries = nip ? (await queue.of(nip)).sort((a, b) => a.seq - b.seq) : [];
      for (const entry of entries) {
        try {
          const { data } = await api("/checkins/offline", { method: "POST", form: envelopeForm(entry) });
          await queue.remove(nip, entry.seq);
          results.push({ seq: entry.seq, checkpoint: entry.record.checkpoint, ...data });
        } catch (error) {
          if (error instanceof NetworkError) break;
          if (error instanceof ApiError && [401, 426, 429].includes(error.status)) break;
          if (!(error instanceof ApiError) || error.status >= 500) break;
          await failed.add({ ...entry, error: { status: error.status, code: error.code, detail: error.detail } });
          await queue.remove(nip, entry.seq);
          results.push({ seq: entry.seq, checkpoint: entry.record.checkpoint, status: "refused", code: error.code, detail: error.detail });
        }
      }
      const last = results.at(-1);
      if (last && last.chain) await adoptServerChain(last.chain);
    } finally {
      uploading = null;
    }
    if (results.length) {
      await kv.set("last_sync", { at: new Date().toISOString(), results });
      uploads.dispatchEvent(new CustomEvent("done", { detail: results }));
    }
    return results;
  })();
  return uploading;
}
