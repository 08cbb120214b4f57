// Device time with its offset, a monotonic clock for this page session and the session's id.

// A new id each time the page (the "boot" of the app) starts: monotonic_ms is comparable only
// within one boot.
export const BOOT = crypto.randomUUID();

// Milliseconds since the epoch, on a clock that never moves backwards within this boot:
// the page's time origin plus the monotonic performance.now().
export function monotonicMs() {
  return Math.floor(performance.timeOrigin + performance.now());
}

const pad = (n, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, "0");

// "2026-11-30T07:21:04.120+08:00": the device's local time with its UTC offset.
export function isoWithOffset(date = new Date()) {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}
