#!/usr/bin/env python3
"""A tiny local OMS for trying ordergate out: answers 200 to every POST and appends each
CloudEvent it receives (one JSON object per line) to --out. Not for production."""
import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=9000)
    ap.add_argument("--out", default="oms-events.jsonl")
    args = ap.parse_args()
    out = open(args.out, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, status, body=b"{}"):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self._answer(200, b'{"status":"ok"}')

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                event = json.loads(body)
                out.write(json.dumps({"path": self.path, "event": event}) + "\n")
                print(f"{self.path} {event.get('type')} {event.get('subject')} {event.get('id')}",
                      file=sys.stderr)
            except ValueError:
                pass
            self._answer(200)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
