// Web Push: permission, a subscription with the server's VAPID key, registered with the API.

import { api } from "./api.js";
import { DeviceError } from "./geo.js";

function keyBytes(base64url) {
  const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function withTimeout(promise, ms, code) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new DeviceError(code)), ms))]);
}

export function pushSupported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

export async function enablePush(vapidPublicKey) {
  if (!pushSupported()) throw new DeviceError("push_unsupported");
  if (!vapidPublicKey) throw new DeviceError("push_unconfigured");
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new DeviceError("push_denied");
  const registration = await withTimeout(navigator.serviceWorker.ready, 10000, "push_failed");
  let subscription = await registration.pushManager.getSubscription();
  if (!subscription) {
    try {
      // The browser's push service may be out of reach (an intranet): give up after 15 s.
      const subscribing = registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(vapidPublicKey) });
      subscribing.catch(() => undefined); // a late failure after the timeout is not an error
      subscription = await withTimeout(subscribing, 15000, "push_failed");
    } catch (error) {
      throw new DeviceError("push_failed", error);
    }
  }
  const json = subscription.toJSON();
  await api("/me/push-subscriptions", { method: "POST", json: { endpoint: json.endpoint, keys: json.keys } });
  return subscription;
}
