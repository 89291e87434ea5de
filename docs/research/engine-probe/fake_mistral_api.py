"""A probe-only fake of the Mistral endpoints the mistralai-workflows worker calls.

Not the product: the TypeScript sandbox will serve these routes. This exists to find out, on the
real SDK, exactly which requests a worker makes and which answers it needs. Every request is
appended to a JSON-lines log (method, path, query, headers, body, our status and answer).

    python fake_mistral_api.py --port 0 --temporal 127.0.0.1:7233 --namespace default \
        --log requests.jsonl [--events-api v1|v2|none] [--port-file F]

Unknown routes answer 404 {"detail": "Not Found"} (no "code": the SDK reads an untagged 404 as
"route absent" and falls back, see workers/README.md).
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LOCK = threading.Lock()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--temporal", required=True, help="host:port of the Temporal frontend (gRPC)")
    ap.add_argument("--namespace", default="default")
    ap.add_argument("--log", required=True)
    ap.add_argument(
        "--events-api",
        default="v1",
        choices=["v1", "v2", "none"],
        help="features.events_api_version sent in whoami ('none' leaves it out: SDK default v2)",
    )
    args = ap.parse_args()

    registrations: dict[str, str] = {}  # workflow name -> workflow_id (stable across re-registration)
    executions: dict[tuple[str, str], str] = {}

    def whoami(_body: object) -> tuple[int, object]:
        features: dict[str, object] = {"upload_graph": False}
        if args.events_api != "none":
            features["events_api_version"] = args.events_api
        return 200, {"scheduler_url": args.temporal, "namespace": args.namespace, "tls": False, "features": features}

    def register(body: dict) -> tuple[int, object]:
        refs = []
        for d in body.get("definitions", []):
            wid = registrations.setdefault(d["name"], str(uuid.uuid4()))
            refs.append({"workflow_id": wid, "workflow_registration_id": str(uuid.uuid4()), "workflow_version_id": str(uuid.uuid4())})
        return 200, {
            "has_conflicts": False,
            "workflow_registration_ids": [r["workflow_registration_id"] for r in refs],
            "workflow_registration_refs": refs,
            "warnings": [],
        }

    def heartbeat(_body: object) -> tuple[int, object]:
        return 200, {"all_active": True}

    def register_execution(body: dict) -> tuple[int, object]:
        key = (body["temporal_workflow_id"], body["temporal_run_id"])
        created = key not in executions
        executions.setdefault(key, str(uuid.uuid4()))
        return 200, {"execution_id": body["temporal_workflow_id"], "created": created, "metadata_status": "ok"}

    def events(_body: object) -> tuple[int, object]:
        return 200, {"status": "success", "message": None}

    def route_token(body: dict) -> tuple[int, object]:
        return 200, {"route_token": "probe-" + body.get("workflow_run_id", ""), "expires_in_seconds": 3600}

    def events_v2(_body: object) -> tuple[int, object]:
        return 200, {"status": "success"}

    routes = {
        ("GET", "/v1/workflows/workers/whoami"): whoami,
        ("POST", "/v1/workflows/register"): register,
        ("POST", "/v1/workflows/workers/heartbeat"): heartbeat,
        ("POST", "/v1/workflows/executions/register"): register_execution,
        ("POST", "/v1/workflows/events"): events,
    }
    if args.events_api == "v2":
        routes[("POST", "/v2/workflows/workers/event-route-token")] = route_token
        routes[("POST", "/v2/workflows/events")] = events_v2
        routes[("POST", "/v2/workflows/events/batch")] = events_v2

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_a: object) -> None:  # quiet: everything goes to the JSON log
            pass

        def _handle(self) -> None:
            url = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            fn = routes.get((self.command, url.path))
            if fn is None:
                status, answer = 404, {"detail": "Not Found"}
            else:
                status, answer = fn(body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            entry = {
                "t": round(time.time(), 3),
                "method": self.command,
                "path": url.path,
                "query": parse_qs(url.query),
                "headers": dict(self.headers.items()),
                "body": body,
                "status": status,
                "answer": answer,
            }
            with LOCK, open(args.log, "a") as f:
                f.write(json.dumps(entry) + "\n")

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    server = ThreadingHTTPServer((args.host, args.port), Handler)
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(str(port))
    print(f"fake mistral api on http://{args.host}:{port} -> temporal {args.temporal} ns={args.namespace}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
