"""End-to-end probe: the real Temporal dev server + the real mistralai-workflows worker.

    .venv-engine/bin/python docs/research/engine-probe/run_probe.py [--out workers/samples] [--update-flags]

Starts, each in its own process group on 127.0.0.1 with free ports: `temporal server start-dev`
(from .venv-engine/bin), the probe fake of the Mistral worker endpoints (fake_mistral_api.py) and
workers/worker.py over a temporary copy of docs/research/engine-probe/workflows. Then, only through Temporal's
HTTP API: start / update / query / signal a workflow, resets (re-applying and excluding signals
and updates, the same requestId twice, invalid targets), a failing activity, and the
fix-and-reset story (fix the file, restart the worker, reset before the failed activity).
Writes the histories, the request log of the worker and a summary to --out. Every process it
started is stopped by process group at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
ENGINE = ROOT / "engine"
VENV = Path(os.environ.get("ENGINE_VENV", ROOT / ".venv-engine"))
TASK_QUEUE = "probe"

summary: dict = {"steps": []}


def free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def http(method: str, url: str, body: object | None = None) -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


class Procs:
    def __init__(self) -> None:
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], log: Path, env: dict | None = None, cwd: Path | None = None) -> subprocess.Popen:
        f = open(log, "ab")
        p = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)
        self.procs[name] = p
        return p

    def stop(self, name: str, timeout: float = 10) -> float:
        """SIGTERM to the process group, SIGKILL after timeout; returns the seconds it took."""
        p = self.procs.pop(name)
        t0 = time.monotonic()
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            return 0.0
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        return round(time.monotonic() - t0, 2)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name, 5)


def wait_for(pred, timeout: float, what: str):  # type: ignore[no-untyped-def]
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    raise TimeoutError(what)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ENGINE / "samples"))
    ap.add_argument("--update-flags", action="store_true", help="pass the frontend.enableUpdate* dynamic config")
    ap.add_argument("--events-api", default="v1", choices=["v1", "v2", "none"],
                    help="what whoami says in features.events_api_version (none: left out, SDK default v2)")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="engine-probe-"))
    procs = Procs()
    try:
        return run(procs, work, out, args.update_flags, args.events_api)
    finally:
        procs.stop_all()
        print(f"logs kept in {work}", file=sys.stderr)


def run(procs: Procs, work: Path, out: Path, update_flags: bool, events_api: str) -> int:
    grpc_port, http_port, api_port = free_ports(3)
    temporal = [
        str(VENV / "bin/temporal"), "server", "start-dev", "--headless", "--ip", "127.0.0.1",
        "--port", str(grpc_port), "--http-port", str(http_port), "--namespace", "default",
        "--log-level", "warn",
        # The SDK upserts this search attribute in every workflow (see README).
        "--search-attribute", "OtelTraceId=Keyword",
    ]
    if update_flags:
        temporal += [
            "--dynamic-config-value", "frontend.enableUpdateWorkflowExecution=true",
            "--dynamic-config-value", "frontend.enableUpdateWorkflowExecutionAsyncAccepted=true",
        ]
    summary["temporal_argv"] = temporal[1:]
    base = f"http://127.0.0.1:{http_port}/api/v1/namespaces/default"
    t0 = time.monotonic()
    procs.start("temporal", temporal, work / "temporal.log")
    def answers() -> bool:
        try:
            return http("GET", base)[0] == 200
        except OSError:  # not listening yet
            return False

    wait_for(answers, 30, "temporal HTTP API")
    summary["temporal_ready_s"] = round(time.monotonic() - t0, 2)

    requests_log = work / "requests.jsonl"
    procs.start("api", [str(VENV / "bin/python"), str(HERE / "fake_mistral_api.py"), "--port", str(api_port),
                        "--temporal", f"127.0.0.1:{grpc_port}", "--namespace", "default", "--log", str(requests_log),
                        "--events-api", events_api],
                work / "api.log")
    wait_for(lambda: (work / "api.log").read_text().startswith("fake"), 10, "fake api")

    wf_dir = work / "workflows"
    shutil.copytree(HERE / "workflows", wf_dir)
    order_py = wf_dir / "order.py"
    good_source = order_py.read_text()
    # The bug of the fix-and-reset story: a limit that is far too low.
    buggy_source = good_source.replace("if amount <= 0:", "if amount <= 0 or amount > 100:  # BUG: limit too low")
    assert buggy_source != good_source
    order_py.write_text(buggy_source)

    worker_env = {
        **os.environ,
        "SERVER_URL": f"http://127.0.0.1:{api_port}",
        "MISTRAL_API_KEY": "local-probe-key",
        "DEPLOYMENT_NAME": TASK_QUEUE,
    }
    worker_log = work / "worker.log"

    def start_worker(n: int) -> float:
        mark = f"Starting Temporal worker"
        before = worker_log.read_text().count(mark) if worker_log.exists() else 0
        t = time.monotonic()
        procs.start(f"worker{n}", [str(VENV / "bin/python"), str(ENGINE / "worker.py"), str(wf_dir)], worker_log,
                    env=worker_env, cwd=work)
        wait_for(lambda: worker_log.read_text().count(mark) > before, 60, "worker start")
        return round(time.monotonic() - t, 2)

    summary["worker_start_s"] = start_worker(1)

    def start_wf(wid: str, inp: dict) -> dict:
        body = {"workflowType": {"name": "order"}, "taskQueue": {"name": TASK_QUEUE}, "input": [inp],
                "requestId": str(uuid.uuid4())}
        st, ans = http("POST", f"{base}/workflows/{wid}", body)
        step("start", "POST", f"/workflows/{wid}", body, st, ans)
        return ans  # type: ignore[return-value]

    def describe(wid: str, run_id: str | None = None) -> dict:
        q = f"?execution.runId={run_id}" if run_id else ""
        return http("GET", f"{base}/workflows/{wid}{q}")[1]  # type: ignore[return-value]

    def status(wid: str, run_id: str | None = None) -> str:
        return describe(wid, run_id)["workflowExecutionInfo"]["status"]

    def history(wid: str, run_id: str) -> dict:
        events: list = []
        token = ""
        while True:
            url = f"{base}/workflows/{wid}/history?execution.runId={run_id}&maximumPageSize=100"
            if token:
                url += "&nextPageToken=" + urllib.parse.quote(token)
            st, ans = http("GET", url)
            assert st == 200, ans
            events += ans["history"]["events"]  # type: ignore[index]
            token = ans.get("nextPageToken") or ""  # type: ignore[union-attr]
            if not token:
                return {"history": {"events": events}}

    def save(name: str, wid: str, run_id: str) -> list:
        h = history(wid, run_id)
        (out / name).write_text(json.dumps(h, indent=1) + "\n")
        return h["history"]["events"]

    def wait_status(wid: str, want: str, run_id: str | None = None) -> None:
        wait_for(lambda: status(wid, run_id) == want, 30, f"{wid} {want}")

    def step(name: str, method: str, path: str, body: object, st: int, ans: object) -> None:
        summary["steps"].append({"name": name, "request": {"method": method, "path": path, "body": body},
                                 "response": {"status": st, "body": ans}})
        print(f"{name}: {method} {path} -> {st}", file=sys.stderr)

    def reset(wid: str, name: str, body: dict) -> tuple[int, object]:
        st, ans = http("POST", f"{base}/workflows/{wid}/reset", body)
        step(name, "POST", f"/workflows/{wid}/reset", body, st, ans)
        return st, ans

    def wft_completed_before(events: list, event_type: str) -> str:
        idx = next(i for i, e in enumerate(events) if e["eventType"] == event_type)
        return next(e["eventId"] for e in reversed(events[:idx]) if e["eventType"] == "EVENT_TYPE_WORKFLOW_TASK_COMPLETED")

    # --- A: start, update, query, signal, activity, completion --------------------------------
    run1 = start_wf("order-1", {"order_id": "o-1", "amount": 42})["runId"]
    wait_for(lambda: int(describe("order-1")["workflowExecutionInfo"]["historyLength"]) >= 7, 20, "first task")
    upd = {"workflowExecution": {}, "request": {"meta": {"updateId": "upd-1"},
           "input": {"name": "set_note", "args": [{"note": "leave at door"}]}},
           "waitPolicy": {"lifecycleStage": "UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED"}}
    step("update", "POST", "/workflows/order-1/update/set_note", upd, *http("POST", f"{base}/workflows/order-1/update/set_note", upd))
    qry = {"query": {"queryType": "status", "queryArgs": [{}]}}
    step("query", "POST", "/workflows/order-1/query/status", qry, *http("POST", f"{base}/workflows/order-1/query/status", qry))
    sig = {"input": [{"by": "alice"}], "requestId": str(uuid.uuid4())}
    step("signal", "POST", "/workflows/order-1/signal/approve", sig, *http("POST", f"{base}/workflows/order-1/signal/approve", sig))
    wait_status("order-1", "WORKFLOW_EXECUTION_STATUS_COMPLETED")
    ev1 = save("order-completed.json", "order-1", run1)

    # --- B: reset before the update, re-applying the update and the signal ----------------------
    point = wft_completed_before(ev1, "EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED")
    st, ans = reset("order-1", "reset-reapply", {"workflowExecution": {"runId": run1}, "reason": "probe: reset, re-apply",
                                                   "workflowTaskFinishEventId": point, "requestId": str(uuid.uuid4())})
    run2 = ans["runId"]  # type: ignore[index]
    wait_status("order-1", "WORKFLOW_EXECUTION_STATUS_COMPLETED", run2)
    save("order-reset-reapplied.json", "order-1", run2)

    # --- C: the same point, signals and updates excluded: the new run waits for approval --------
    st, ans = reset("order-1", "reset-exclude", {
        "workflowExecution": {"runId": run1}, "reason": "probe: reset, drop signals and updates",
        "workflowTaskFinishEventId": point, "requestId": str(uuid.uuid4()),
        "resetReapplyExcludeTypes": ["RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL", "RESET_REAPPLY_EXCLUDE_TYPE_UPDATE"]})
    run3 = ans["runId"]  # type: ignore[index]
    time.sleep(1)
    summary["reset_exclude_status_after_1s"] = status("order-1", run3)

    # --- D: the same requestId twice: does the engine de-duplicate? ----------------------------
    same = {"reason": "probe: same requestId twice", "workflowTaskFinishEventId": point, "requestId": str(uuid.uuid4()),
            "resetReapplyExcludeTypes": ["RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL", "RESET_REAPPLY_EXCLUDE_TYPE_UPDATE"]}
    _, a1 = reset("order-1", "reset-same-request-id-1", same)
    _, a2 = reset("order-1", "reset-same-request-id-2", same)
    summary["same_request_id_deduplicated"] = a1 == a2
    save("order-reset-terminated-by-reset.json", "order-1", run3)
    save("order-reset-run-of-first-duplicate.json", "order-1", a1["runId"])  # type: ignore[index]

    # --- E: invalid targets ----------------------------------------------------------------------
    last = a2["runId"]  # type: ignore[index]
    for ev in ["2", "3", "9999"]:
        reset("order-1", f"reset-invalid-{ev}", {"workflowExecution": {"runId": last}, "reason": "probe: invalid",
                                                  "workflowTaskFinishEventId": ev, "requestId": str(uuid.uuid4())})
    reset("order-1", "reset-no-request-id", {"reason": "probe", "workflowTaskFinishEventId": point})
    term = {"reason": "probe: done"}
    step("terminate", "POST", "/workflows/order-1/terminate", term, *http("POST", f"{base}/workflows/order-1/terminate", term))

    # --- F+G: the bug, the fix, the worker restart, reset before the failed activity ------------
    run_bad = start_wf("order-2", {"order_id": "o-2", "amount": 500})["runId"]
    wait_for(lambda: int(describe("order-2")["workflowExecutionInfo"]["historyLength"]) >= 7, 20, "first task")
    sig = {"input": [{"by": "bob"}], "requestId": str(uuid.uuid4())}
    http("POST", f"{base}/workflows/order-2/signal/approve", sig)
    wait_status("order-2", "WORKFLOW_EXECUTION_STATUS_FAILED")
    ev_bad = save("order-activity-failed.json", "order-2", run_bad)
    order_py.write_text(good_source)  # the one-line fix
    summary["worker_stop_s"] = procs.stop("worker1")
    summary["worker_restart_s"] = start_worker(2)
    point = wft_completed_before(ev_bad, "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED")
    t = time.monotonic()
    _, ans = reset("order-2", "reset-after-fix", {"workflowExecution": {"runId": run_bad},
                   "reason": "fixed the amount limit in order.py", "workflowTaskFinishEventId": point,
                   "requestId": str(uuid.uuid4())})
    run_fixed = ans["runId"]  # type: ignore[index]
    wait_status("order-2", "WORKFLOW_EXECUTION_STATUS_COMPLETED", run_fixed)
    summary["fixed_run_completed_after_reset_s"] = round(time.monotonic() - t, 2)
    save("order-fixed-after-reset.json", "order-2", run_fixed)
    summary["final_worker_stop_s"] = procs.stop("worker2")

    # The worker's requests to our API, in order (the spec of what the worker needs).
    shutil.copy(requests_log, out / "worker-requests.jsonl")
    (out / "probe-summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "steps"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
