// The position with its accuracy, errors named so the screens can explain them.

export class DeviceError extends Error {
  constructor(code, cause) {
    super(code);
    this.code = code;
    this.cause = cause;
  }
}

export function locate({ timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject(new DeviceError("location_unsupported"));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) =>
        resolve({
          latitude: pos.coords.latitude,
          longitude: pos.coords.longitude,
          accuracy_m: pos.coords.accuracy,
        }),
      (err) => {
        const code =
          err.code === err.PERMISSION_DENIED
            ? "location_denied"
            : err.code === err.TIMEOUT
              ? "location_timeout"
              : "location_unavailable";
        reject(new DeviceError(code, err));
      },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 0 },
    );
  });
}
