"""The employee web app (PWA): an app shell, a service worker, plain ES modules; no build."""
