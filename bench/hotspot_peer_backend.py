#!/usr/bin/env python3
"""A small rlm_rest backend in Python: the peer the hotspot benchmark compares Switchyard with,
and the backend of the shipped FreeRADIUS configuration's test (adapters/radius/README.md).

Same paths as Switchyard's /radius surface (the URIs of adapters/radius/raddb/mods-enabled/rest):
  POST /radius/user/<User-Name>/mac/<Called-Station-Id>?action=authorize|authenticate|post-auth
  POST /radius/user/<User-Name>/sessions/<Acct-Unique-Session-Id>?action=accounting
Bodies are rlm_rest JSON ({"Attr": {"type": ..., "value": [...]}}); answers are what rlm_rest
reads: 200 {"control:Cleartext-Password": ..., "reply:Attr": ...}, 401 {"reply:Reply-Message"},
204 for accounting. Users come from a JSON file:
  {"bob": {"password": "s3cret", "reply": {"Session-Timeout": 3600}},
   "eve": {"password": "x", "reject": "Your time has expired."},
   "carol": {"password": "pw", "answer": {"status": 200, "body": {"reply:...": ...}}}}
Accounting is kept in memory, duplicates (same Acct-Unique-Session-Id and counters) ignored;
GET /radius/sessions lists it. Usage: hotspot_peer_backend.py --port N --users FILE
"""
import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit, parse_qs

USERS = {}
SESSIONS = {}
LOCK = threading.Lock()


def first(body, name, default=""):
    attr = body.get(name)
    if not isinstance(attr, dict) or not attr.get("value"):
        return default
    return attr["value"][0]


def rlm_rest(reply, control=None):
    out = {}
    for name, value in (control or {}).items():
        out["control:" + name] = {"op": ":=", "do_xlat": False, "value": value}
    for name, value in reply.items():
        out["reply:" + name] = {"op": ":=", "do_xlat": False, "value": value}
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if urlsplit(self.path).path == "/radius/sessions":
            with LOCK:
                return self.answer(200, SESSIONS)
        self.answer(404, {"error": "not found"})

    def do_POST(self):
        url = urlsplit(self.path)
        action = parse_qs(url.query).get("action", [""])[0]
        parts = [unquote(p) for p in url.path.split("/")]
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self.answer(400, {"error": "body is not JSON"})
        if len(parts) < 6 or parts[1] != "radius" or parts[2] != "user":
            return self.answer(404, {"error": "unknown path"})
        username = parts[3]
        if action == "authorize":
            user = USERS.get(username)
            if user is None:
                return self.answer(401, rlm_rest({"Reply-Message": "Unknown username or voucher."}))
            if "answer" in user:  # a verbatim answer {"status": ..., "body": {...}}
                return self.answer(user["answer"]["status"], user["answer"].get("body"))
            if user.get("reject"):
                return self.answer(401, rlm_rest({"Reply-Message": user["reject"]}))
            if user.get("auth_type") == "rest":  # the password is checked by authenticate
                return self.answer(200, rlm_rest(user.get("reply", {}), {"Auth-Type": "rest"}))
            return self.answer(200, rlm_rest(user.get("reply", {}),
                                             {"Cleartext-Password": user["password"]}))
        if action == "authenticate":
            user = USERS.get(username, {})
            if first(body, "User-Password") == user.get("password"):
                return self.answer(204)
            return self.answer(401, rlm_rest({"Reply-Message": "Wrong password."}))
        if action == "post-auth":
            return self.answer(204)
        if action == "accounting" and parts[4] == "sessions":
            unique_id = parts[5]
            counters = [int(first(body, a, 0)) for a in (
                "Acct-Input-Octets", "Acct-Input-Gigawords",
                "Acct-Output-Octets", "Acct-Output-Gigawords", "Acct-Session-Time")]
            status = str(first(body, "Acct-Status-Type"))
            with LOCK:
                seen = SESSIONS.setdefault(unique_id, {"username": username, "updates": []})
                entry = [status] + counters
                if entry not in seen["updates"]:
                    seen["updates"].append(entry)
            return self.answer(204)
        return self.answer(404, {"error": "unknown action " + action})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--users", required=True)
    args = parser.parse_args()
    with open(args.users) as f:
        USERS.update(json.load(f))
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("listening on", args.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
