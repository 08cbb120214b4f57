// The live camera in the page (getUserMedia; there is no file picker and no gallery) and a
// burst of JPEG frames drawn from the <video> onto a <canvas>.

import { DeviceError } from "./geo.js";
import { sleep } from "./ui.js";

export async function openCamera(video) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    throw new DeviceError("camera_unsupported");
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } },
      audio: false,
    });
  } catch (error) {
    const denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
    const missing = error && (error.name === "NotFoundError" || error.name === "OverconstrainedError");
    throw new DeviceError(denied ? "camera_denied" : missing ? "camera_missing" : "camera_failed", error);
  }
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  for (let i = 0; i < 50 && !video.videoWidth; i++) await sleep(100);
  if (!video.videoWidth) {
    closeCamera(stream);
    throw new DeviceError("camera_failed");
  }
  return stream;
}

export function closeCamera(stream) {
  if (stream) for (const track of stream.getTracks()) track.stop();
}

function toJpeg(canvas, quality) {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new DeviceError("camera_failed"))), "image/jpeg", quality),
  );
}

// `count` frames `intervalMs` apart, each at most `maxBytes` (lower quality until it fits).
export async function burst(video, { count = 5, intervalMs = 200, maxBytes = 512 * 1024, width = 640 } = {}) {
  const scale = Math.min(1, width / video.videoWidth);
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  const context = canvas.getContext("2d");
  const frames = [];
  for (let i = 0; i < count; i++) {
    if (i) await sleep(intervalMs);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    let quality = 0.85;
    let blob = await toJpeg(canvas, quality);
    while (blob.size > maxBytes && quality > 0.3) {
      quality -= 0.15;
      blob = await toJpeg(canvas, quality);
    }
    frames.push(blob);
  }
  return frames;
}
