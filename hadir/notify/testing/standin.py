"""A stand-in for the message providers, for tests: run it in its own process.

    python -m hadir.notify.testing.standin --token SECRET --phone-number-id 1234

It listens on 127.0.0.1 (a free port, printed as the first line of stdout: "PORT 43121") and
answers like the real services after checking each request's format and authentication:

- POST /{phone_number_id}/messages: WhatsApp Business Cloud API (Bearer token; JSON with
  messaging_product "whatsapp", to, type text or template) -> 200 {"messages": [{"id"}]};
- POST /sms: the SMS gateway (Bearer token; JSON to, from, text) -> 200 {"id"};
- POST /sms-form?key=TOKEN: a form-encoded gateway (fields nomor, pengirim, pesan; the key in the
  query string, as many Indonesian gateways do) -> 200 {"messageId"};
- POST /push/{name}: a Web Push service (VAPID Authorization "vapid t=..., k=...", TTL,
  Content-Encoding aes128gcm, an encrypted body) -> 201.
A request that fails a check gets 401 (auth) or 400 (format).

Test control: POST /_fail {"statuses": [429, 500], "retry_after": 2} makes the next provider
requests answer those statuses in turn; GET /_requests lists every provider request seen
(path, status answered, headers in lower case, JSON body); POST /_reset clears both.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_DIGITS = re.compile(r"[0-9]{8,15}")


class State:
    def __init__(self, token: str, phone_number_id: str) -> None:
        self.token = token
        self.phone_number_id = phone_number_id
        self.lock = threading.Lock()
        self.fail: list[int] = []
        self.retry_after: str | None = None
        self.requests: list[dict[str, Any]] = []
        self.counter = 0


def _check_whatsapp(body: Any) -> str | None:
    if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
        return "messaging_product must be 'whatsapp'"
    if not isinstance(body.get("to"), str) or not _DIGITS.fullmatch(body["to"]):
        return "to must be a phone number in international form, digits only"
    if body.get("type") == "text":
        text = body.get("text")
        if not isinstance(text, dict) or not isinstance(text.get("body"), str) or not text["body"]:
            return "text.body must be a non-empty string"
        return None
    if body.get("type") == "template":
        tpl = body.get("template")
        if not isinstance(tpl, dict) or not tpl.get("name"):
            return "template.name is required"
        if not isinstance(tpl.get("language"), dict) or not tpl["language"].get("code"):
            return "template.language.code is required"
        return None
    return "type must be text or template"


def _check_sms(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "JSON object expected"
    if not isinstance(body.get("to"), str) or not _DIGITS.fullmatch(body["to"]):
        return "to must be digits"
    if not body.get("from") or not isinstance(body.get("text"), str) or not body["text"]:
        return "from and text are required"
    return None


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            if self.path == "/_requests":
                with state.lock:
                    self._answer(200, state.requests)
            else:
                self._answer(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path == "/_fail":
                control = json.loads(raw or b"{}")
                with state.lock:
                    state.fail = list(control.get("statuses", []))
                    ra = control.get("retry_after")
                    state.retry_after = None if ra is None else str(ra)
                self._answer(200, {"ok": True})
                return
            if self.path == "/_reset":
                with state.lock:
                    state.fail, state.requests, state.retry_after = [], [], None
                self._answer(200, {"ok": True})
                return
            status, answer, headers = self._provider(raw)
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = None
            with state.lock:
                state.requests.append(
                    {
                        "path": self.path,
                        "status": status,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "json": body,
                        "form": parse_qs(raw.decode("utf-8", "replace")) if body is None else None,
                        "length": len(raw),
                    }
                )
            self._answer(status, answer, headers)

        def _provider(self, raw: bytes) -> tuple[int, Any, dict[str, str]]:
            auth = self.headers.get("Authorization", "")
            is_push = self.path.startswith("/push/")
            if is_push:
                if not re.fullmatch(r"vapid t=[\w.\-]+, ?k=[\w\-]+", auth):
                    return 401, {"error": "VAPID authorization required"}, {}
                if self.headers.get("Content-Encoding") != "aes128gcm" or not raw:
                    return 400, {"error": "aes128gcm encrypted body required"}, {}
                if not self.headers.get("TTL"):
                    return 400, {"error": "TTL header required"}, {}
            elif self.path.startswith("/sms-form"):
                query = parse_qs(urlsplit(self.path).query)
                if query.get("key") != [state.token]:
                    return 401, {"status": "0", "text": "userkey salah"}, {}
                form = parse_qs(raw.decode())
                if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                    return 400, {"status": "0", "text": "form expected"}, {}
                if set(form) != {"nomor", "pengirim", "pesan"} or not _DIGITS.fullmatch(
                    form["nomor"][0]
                ):
                    return 400, {"status": "0", "text": "nomor, pengirim, pesan required"}, {}
            elif auth != f"Bearer {state.token}":
                return 401, {"error": {"message": "Invalid OAuth access token", "code": 190}}, {}
            else:
                try:
                    body = json.loads(raw)
                except ValueError:
                    return 400, {"error": {"message": "body is not JSON"}}, {}
                if self.path == f"/{state.phone_number_id}/messages":
                    problem = _check_whatsapp(body)
                elif self.path == "/sms":
                    problem = _check_sms(body)
                else:
                    return 404, {"error": "unknown path"}, {}
                if problem:
                    return 400, {"error": {"message": problem, "code": 100}}, {}
            with state.lock:
                if state.fail:
                    status = state.fail.pop(0)
                    headers = {"Retry-After": state.retry_after} if state.retry_after else {}
                    return status, {"error": {"message": f"stand-in failure {status}"}}, headers
                state.counter += 1
                number = state.counter
            if is_push:
                return 201, {}, {"Location": f"/push/msg/{number}"}
            if self.path == "/sms":
                return 200, {"id": f"sms-{number}", "status": "queued"}, {}
            if self.path.startswith("/sms-form"):
                return 200, {"messageId": f"f-{number}", "status": "1"}, {}
            to = body["to"]
            return (
                200,
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": to, "wa_id": to}],
                    "messages": [{"id": f"wamid.standin{number}"}],
                },
                {},
            )

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--token", required=True)
    parser.add_argument("--phone-number-id", default="1234567890")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    state = State(args.token, args.phone_number_id)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(state))
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
