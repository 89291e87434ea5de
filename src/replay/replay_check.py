"""Will the fix replay? Replays a workflow history with the workflow code of some folders.

    python src/replay/replay_check.py --history=FILE --workflow=NAME -- DIR [DIR...]

(The extension writes `--workflow=NAME` and `--` so that a name such as `--history` or `-h` is read as
the name, never as an option.)

Runs in the user's own interpreter, which must have temporalio (and, for Mistral workflows,
mistralai-workflows). Every *.py file of each DIR is imported the way workers/worker.py does it (DIR
first on sys.path); the class registered under NAME is replayed over the history with temporalio's
Replayer, set up the way mistralai-workflows' run_worker sets up its worker (same interceptors,
payload converter and codec, sandbox restrictions) so that the SDK's own commands (its local
activities and search-attribute upsert) replay too. A plain temporalio @workflow.defn class is
replayed with temporalio's defaults.

FILE is Temporal's history JSON as the engine's HTTP API returns it: {"events": [...]} or
{"history": {"events": [...]}}, payloads possibly in the HTTP API's "shorthand" (a json/plain payload
written as its bare JSON value), which is expanded back to protobuf JSON here.

Nothing from the history is run as code: payloads are only decoded by the data converter. Activities
never run in a replay (the Replayer has no activities, and local activities resolve from the history's
markers); nothing is sent anywhere.

stdout carries exactly one JSON object (everything else the SDKs print goes to stderr):
  {"verdict": "clean", "replayedEvents": N, "replays": R}                     exit 0
  {"verdict": "diverges", "eventId": N, "cause": C, "message": "...", "replayedEvents": M, "replays": R}  exit 0
    C is "nondeterminism" (the replayer's NondeterminismError: the code's commands differ from the
    history's) or "workflowTaskFailed" (the code raised while it replayed; the message is its error);
    R is how many replays (of the whole history or of a prefix) the check took
  {"error": "sdk_missing" | "import_error" | "class_not_found" | "bad_history",
   "message": "...", "file"?: "...", "line"?: N}                               exit 2

The divergence event is the end of the shortest prefix of the history the code fails on. One full
replay finds most of them: the replayer's nondeterminism message names the event it failed on
("No command scheduled for event HistoryEvent(id: 507, TimerStarted)"), and that event ends the
shortest failing prefix (see _named_event). Otherwise (an activity type that does not match, or the
code raised) prefixes are replayed, by bisection, only among the ends of the workflow task the
replayer was in when it failed (the last activation's history length, see _Watch). All replays share
one replay worker. `--locate search` ignores the message and the task and bisects over every end:
the engine tests check that both agree.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import importlib.util
import json
import os
import re
import sys
import traceback
from pathlib import Path

ERROR_EXIT = 2
# Only the end of the history where the replayer can stop by itself (see _checkable_ends).
COMPLETED = "EVENT_TYPE_WORKFLOW_TASK_COMPLETED"
STARTED = "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED"


class CheckError(Exception):
    def __init__(self, kind: str, message: str, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line

    def as_json(self) -> dict:
        out: dict = {"error": self.kind, "message": self.message}
        if self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="replay_check.py", description=__doc__.split("\n")[0])
    parser.add_argument("--history", required=True, help="history JSON file")
    parser.add_argument("--workflow", required=True, help="the workflow's registered name")
    parser.add_argument("--locate", choices=("auto", "search"), default="auto", help="search: find a divergence by bisection alone")
    parser.add_argument("dirs", nargs="+", help="folders whose *.py files define the workflow")
    args = parser.parse_args(argv)

    out = _claim_stdout()
    try:
        result = check(Path(args.history), args.workflow, [Path(d) for d in args.dirs], search_only=args.locate == "search")
        code = 0
    except CheckError as e:
        result, code = e.as_json(), ERROR_EXIT
    out.write(json.dumps(result) + "\n")
    out.flush()
    return code


def _claim_stdout():
    """Keeps the real stdout for the one JSON line; anything else written to fd 1 (print, logging,
    the Rust core) goes to stderr."""
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return out


def check(history_file: Path, name: str, dirs: list[Path], search_only: bool = False) -> dict:
    raw = _read_history(history_file)
    try:
        import temporalio.client
    except ImportError as e:
        raise CheckError("sdk_missing", _sdk_missing_message(e)) from e

    events = _parse_events(raw)
    first = events[0]
    if first.event_type != _event_type(STARTED):
        raise CheckError("bad_history", f"The history does not start with WORKFLOW_EXECUTION_STARTED (event {first.event_id}).")
    started = first.workflow_execution_started_event_attributes
    if started.workflow_type.name != name:
        raise CheckError("bad_history", f"The history is of workflow {started.workflow_type.name!r}, not {name!r}.")

    # The SDK reads its configuration when it is first imported: no telemetry export, quiet logs.
    os.environ.setdefault("OTEL_ENABLED", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    modules = _import_folders(dirs)
    cls = _find_class(name, modules, dirs)
    watch = _Watch()
    replayer, context = _replayer_for(cls, watch)
    workflow_id = started.workflow_id or "replay-check"
    ends = _checkable_ends(events)
    if not ends:
        return {"verdict": "clean", "replayedEvents": 0, "replays": 0}

    def history(n: int):
        return temporalio.client.WorkflowHistory(workflow_id, events[:n])

    return asyncio.run(_verdict(_Session(replayer, history, watch), events, ends, context, search_only))


# ---- the history ----------------------------------------------------------------------------------

def _read_history(file: Path) -> dict:
    try:
        body = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise CheckError("bad_history", f"Cannot read the history {file}: {e}") from e
    if isinstance(body, dict) and "events" not in body and isinstance(body.get("history"), dict):
        body = body["history"]
    if not isinstance(body, dict) or not isinstance(body.get("events"), list) or not body["events"]:
        raise CheckError("bad_history", 'The history is not {"events": [...]} or {"history": {"events": [...]}} with at least one event.')
    return body


def _parse_events(body: dict) -> list:
    import temporalio.api.history.v1 as history_pb
    import temporalio.client

    try:
        expanded = _expand(history_pb.History.DESCRIPTOR, body)
        return list(temporalio.client.WorkflowHistory.from_json("replay-check", expanded).events)
    except Exception as e:  # protobuf's ParseError, ValueError from temporalio's enum fix-ups
        raise CheckError("bad_history", f"The history is not Temporal history JSON: {e}") from e


def _event_type(name: str) -> int:
    import temporalio.api.enums.v1 as enums

    return enums.EventType.Value(name)


# The HTTP API writes a Payload whose only metadata is encoding json/plain as its bare JSON value,
# binary/null as null, json/protobuf as the object plus "_protoMessageType", and a Payloads message as
# a bare array when every payload in it can be written so (Temporal's api-go payload_json.go). Expand
# exactly those, guided by the protobuf descriptors, so that protobuf's JSON parser reads them.
PAYLOAD = "temporal.api.common.v1.Payload"
PAYLOADS = "temporal.api.common.v1.Payloads"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _expand(descriptor, value):
    if descriptor.full_name == PAYLOAD:
        return _payload(value)
    if descriptor.full_name == PAYLOADS:
        if isinstance(value, list):
            return {"payloads": [_payload(v) for v in value]}
        if isinstance(value, dict) and isinstance(value.get("payloads"), list):
            return {**value, "payloads": [_payload(v) for v in value["payloads"]]}
        return value
    if not isinstance(value, dict):
        return value
    fields = {}
    for f in descriptor.fields:
        fields[f.json_name] = f
        fields[f.name] = f
    out = {}
    for key, v in value.items():
        f = fields.get(key)
        if f is None or f.message_type is None:
            out[key] = v
        elif f.message_type.GetOptions().map_entry:
            item = f.message_type.fields_by_name["value"].message_type
            out[key] = {k: _expand(item, x) for k, x in v.items()} if item is not None and isinstance(v, dict) else v
        elif _repeated(f) and isinstance(v, list):
            out[key] = [_expand(f.message_type, x) for x in v]
        else:
            out[key] = _expand(f.message_type, v)
    return out


def _repeated(field) -> bool:
    # protobuf 6 deprecates `label` for `is_repeated`; older ones have only `label`.
    flag = getattr(field, "is_repeated", None)
    return bool(flag) if flag is not None else field.label == field.LABEL_REPEATED


def _payload(v):
    if isinstance(v, dict) and isinstance(v.get("metadata"), dict) and (v.get("data") or v["metadata"].get("encoding") == _b64("binary/null")):
        return v  # the long form
    if v is None:
        return {"metadata": {"encoding": _b64("binary/null")}}
    if isinstance(v, dict) and isinstance(v.get("_protoMessageType"), str) and v["_protoMessageType"]:
        rest = {k: x for k, x in v.items() if k != "_protoMessageType"}
        return {"metadata": {"encoding": _b64("json/protobuf"), "messageType": _b64(v["_protoMessageType"])}, "data": _b64(json.dumps(rest))}
    return {"metadata": {"encoding": _b64("json/plain")}, "data": _b64(json.dumps(v, ensure_ascii=False))}


def _checkable_ends(events: list) -> list:
    """Prefix lengths the replayer can finish on: those ending at a WORKFLOW_TASK_COMPLETED or at an
    event a command of a completed task recorded (its attributes name that task). A prefix ending
    elsewhere (an activity result, a signal, a task started but not completed) can leave the code
    waiting on a local activity that a replay never runs, and the replayer waits for ever."""
    completed = _event_type(COMPLETED)
    ends = []
    for i, e in enumerate(events):
        if e.event_type == completed or _command_of(e) is not None:
            ends.append(i + 1)
    return ends


def _command_of(event):
    """The WORKFLOW_TASK_COMPLETED id whose command recorded this event, else None."""
    which = event.WhichOneof("attributes")
    if which is None:
        return None
    attributes = getattr(event, which)
    if "workflow_task_completed_event_id" not in attributes.DESCRIPTOR.fields_by_name:
        return None
    return attributes.workflow_task_completed_event_id or None


# ---- the code -------------------------------------------------------------------------------------

def _sdk_missing_message(e: BaseException) -> str:
    version = ".".join(str(p) for p in sys.version_info[:3])
    return (
        f"{e.__class__.__name__}: {e}. The interpreter {sys.executable} (Python {version}) cannot import the workflow SDK: "
        "install temporalio and mistralai-workflows there (mistralai-workflows needs Python 3.12 to 3.14), "
        "or select the interpreter your worker runs with."
    )


def _import_folders(dirs: list[Path]) -> set:
    loaded = set()
    for d in dirs:
        directory = d.resolve()
        if not directory.is_dir():
            raise CheckError("import_error", f"{directory} is not a folder.", file=str(directory))
        sys.path.insert(0, str(directory))
        for file in sorted(directory.glob("*.py")):
            spec = importlib.util.spec_from_file_location(file.stem, file)
            if spec is None or spec.loader is None:
                raise CheckError("import_error", f"Cannot import {file}.", file=str(file))
            module = importlib.util.module_from_spec(spec)
            sys.modules[file.stem] = module
            try:
                spec.loader.exec_module(module)
            except BaseException as e:  # SystemExit and KeyboardInterrupt from a user's file too
                raise _import_failure(e, file, dirs) from e
            loaded.add(file.stem)
    return loaded


def _import_failure(e: BaseException, file: Path, dirs: list[Path]) -> CheckError:
    if isinstance(e, ModuleNotFoundError) and (e.name or "").split(".")[0] in ("temporalio", "mistralai"):
        return CheckError("sdk_missing", _sdk_missing_message(e), file=str(file))
    message = f"{e.__class__.__name__}: {e}"
    if isinstance(e, SyntaxError) and e.filename:
        return CheckError("import_error", message, file=e.filename, line=e.lineno)
    roots = [str(d.resolve()) + os.sep for d in dirs]
    where = [f for f in traceback.extract_tb(e.__traceback__) if any(f.filename.startswith(r) for r in roots)]
    if where:
        return CheckError("import_error", message, file=where[-1].filename, line=where[-1].lineno)
    return CheckError("import_error", message, file=str(file))


def _find_class(name: str, loaded: set, dirs: list[Path]) -> type:
    found = {}
    for module_name in loaded:
        for value in vars(sys.modules[module_name]).values():
            definition = getattr(value, "__temporal_workflow_definition", None) if isinstance(value, type) else None
            if definition is not None and value.__module__ in loaded:
                found[definition.name] = value
    if name not in found:
        names = ", ".join(sorted(found)) or "none"
        folders = ", ".join(str(d) for d in dirs)
        raise CheckError("class_not_found", f"No workflow class named {name!r} in {folders} (found: {names}).")
    return found[name]


def _replayer_for(cls: type, watch: "_Watch"):
    """A Replayer for `cls` whose workflow runners report to `watch`, and the async context it replays in."""
    import contextlib

    from temporalio.worker import Replayer, UnsandboxedWorkflowRunner
    from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

    unsandboxed = watch.runner(UnsandboxedWorkflowRunner())
    mistral = _mistral_registered(cls)
    if not mistral:
        return Replayer(workflows=[cls], workflow_runner=watch.runner(SandboxedWorkflowRunner()), unsandboxed_workflow_runner=unsandboxed), contextlib.nullcontext()
    return _mistral_replayer(cls, watch, unsandboxed)


def _mistral_registered(cls: type) -> bool:
    if "mistralai.workflows" not in sys.modules:
        return False  # the folders' files did not import the SDK (it takes ~2 s to import)
    try:
        from mistralai.workflows.core.workflow import get_all_registered_workflows
    except ImportError:
        return False
    return cls in get_all_registered_workflows()


def _mistral_replayer(cls: type, watch: "_Watch", unsandboxed):
    """What mistralai-workflows' run_worker (core/worker.py: _run_worker, _create_temporal_workers)
    gives its Temporal worker, for a replay: the client's interceptors that are worker interceptors
    (temporalio's Worker takes those from its client), then the plugins'; its payload converter and
    codec; its sandbox restrictions; its failure exception types; and its workflows (the class plus
    the SDK's __parallel_execution__ ones). Its EventInterceptor only emits the SDK's event local
    activities when an EventContext exists (run_worker opens one), so the replay opens one too, over
    a client that refuses every call: a replay never runs a local activity."""
    try:
        from temporalio.converter import DataConverter
        from temporalio.worker import Interceptor, Replayer
        from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

        from mistralai.workflows.core import worker as sdk
        from mistralai.workflows.core._events.event_context import EventContext
        from mistralai.workflows.core.config.config import config
    except ImportError as e:
        raise CheckError("sdk_missing", f"This mistralai-workflows is not the one this check knows (3.16): {e}") from e

    workflows = [cls, *sdk._get_parallel_execution_workflows([cls])]
    plugin_interceptors = sdk.collect_plugin_interceptors(workflows)  # may add the plugins' workflows
    worker = config.worker
    client_interceptors = [
        sdk.ContextHandlerInterceptor(),
        *sdk.get_trace_context_interceptors(),
        sdk.ExecutionRegistrationInterceptor(),
        sdk.EventInterceptor(),
        sdk.ActivityInOutOffloadingInterceptor(offloader=sdk.FieldsOffloader(offloading_config=worker.activity_attributes_offloading)),
        *sdk.get_span_recording_interceptors(),
    ]
    codec = sdk.MistralWorkflowsPayloadCodec(
        payload_offloading_config=worker.temporal_payload_offloading,
        payload_encryption_config=worker.temporal_payload_encryption,
        payload_compression_config=worker.temporal_payload_compression,
    )
    replayer = Replayer(
        workflows=workflows,
        interceptors=[i for i in client_interceptors if isinstance(i, Interceptor)] + list(plugin_interceptors),
        data_converter=DataConverter(payload_converter_class=sdk.MistralWorkflowsPayloadConverter, payload_codec=codec),
        workflow_runner=watch.runner(SandboxedWorkflowRunner(restrictions=sdk.get_sandbox_restrictions())),
        unsandboxed_workflow_runner=unsandboxed,
        workflow_failure_exception_types=[Exception] if worker.dangerously_force_fail_workflow_on_error else [],
    )
    return replayer, EventContext(_NoCalls(), None)


class _NoCalls:
    def __getattr__(self, name: str):
        raise RuntimeError(f"the replay check makes no API calls (asked for {name})")


# ---- the verdict ----------------------------------------------------------------------------------

async def _verdict(session: "_Session", events: list, ends: list, context, search_only: bool) -> dict:
    async with context, session:
        full = await session.replay(ends[-1])
        if full is None:
            return {"verdict": "clean", "replayedEvents": ends[-1], "replays": session.replays}
        lo, hi = (0, ends[-1]) if search_only else _task_window(events, ends, session.watch.history_length)
        named = None if search_only else _named_event(full, events, ends)
        n = named if named is not None and lo < named <= hi else await _search(session, ends, lo, hi)
    from temporalio.workflow import NondeterminismError

    cause = "nondeterminism" if isinstance(full, NondeterminismError) else "workflowTaskFailed"
    return {"verdict": "diverges", "eventId": events[n - 1].event_id, "cause": cause, "message": _message(full), "replayedEvents": ends[-1], "replays": session.replays}


async def _search(session: "_Session", ends: list, lo: int, hi: int) -> int:
    """The shortest failing prefix, by replaying prefixes: among the ends in (lo, hi] (see _task_window),
    once the longest end at or before lo is seen to replay cleanly; the other ends only if either bound
    proves wrong, so that the answer is the same as a search over every end."""
    below = [n for n in ends if n <= lo]
    if below and await session.replay(below[-1]) is not None:
        return await _locate(session, below[:-1], below[-1])
    n = await _locate(session, [n for n in ends if lo < n <= hi], None)
    return n if n is not None else await _locate(session, [n for n in ends if n > hi], ends[-1])


async def _locate(session: "_Session", ends: list, upto: int | None) -> int | None:
    """The shortest failing prefix among `ends` (prefix lengths, ascending), else `upto`.

    A replay stops at the first disagreement, so once a prefix fails every longer one does: a binary
    search finds the first that fails."""
    lo, hi = -1, len(ends)  # ends[lo] replays cleanly, ends[hi] (or `upto`) fails
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if await session.replay(ends[mid]) is None:
            lo = mid
        else:
            hi = mid
    return ends[hi] if hi < len(ends) else upto


# The core's HistoryEvent, as its messages write it: Display "HistoryEvent(id: 5, TimerStarted)" (the
# machines' "... does not handle this event: {e}", "No command scheduled for event {event}") or Debug
# "HistoryEvent { event_id: 5, ..." (the child workflow and Nexus machines, "this event had an initial
# command ID but we could not find a matching command for it: {event:?}").
_NAMED_EVENT = re.compile(r"HistoryEvent(?:\(id: | \{ event_id: )(\d+)\b")
_NONDETERMINISM = "[TMPRL1100] Nondeterminism error: "


def _named_event(failure: BaseException, events: list, ends: list) -> int | None:
    """The shortest failing prefix, when the replayer's nondeterminism message names the event it failed
    on: the first end at or after that event (a prefix that stops before it never meets it). None for a
    message that names none, and for the code's own errors (their text is the code's, not the core's)."""
    from temporalio.workflow import NondeterminismError

    message = _message(failure)
    if not isinstance(failure, NondeterminismError) or not message.startswith(_NONDETERMINISM):
        return None
    m = _NAMED_EVENT.search(message, len(_NONDETERMINISM))
    if m is None:
        return None
    at = next((i for i, e in enumerate(events) if e.event_id == int(m.group(1))), None)
    if at is None:
        return None
    return next((n for n in ends if n > at), None)


def _task_window(events: list, ends: list, history_length: int | None) -> tuple[int, int]:
    """(lo, hi): where the shortest failing prefix should be, longer than lo and at most hi. The replayer
    failed in the workflow task of its last activation (history_length events in): in the code's
    activation, or while it applied that task's WORKFLOW_TASK_COMPLETED, commands and the events up to
    the next activation, which comes before the next WORKFLOW_TASK_COMPLETED after that one."""
    if not history_length:
        return 0, ends[-1]
    lo = min(history_length, len(events))
    completed = _event_type(COMPLETED)
    later = [n for n in ends if n > lo and events[n - 1].event_type == completed][:2]
    return lo, later[1] if len(later) == 2 else ends[-1]


class _Watch:
    """What the replay worker's code last saw: the history length of its last activation, recorded by
    the workflow runners `runner()` wraps (their instances' activate)."""

    def __init__(self) -> None:
        self.history_length: int | None = None

    def runner(self, inner):
        from temporalio.worker import WorkflowRunner

        watch = self

        class WatchedRunner(WorkflowRunner):
            def prepare_workflow(self, defn) -> None:
                inner.prepare_workflow(defn)

            def create_instance(self, det):
                return watch.instance(inner.create_instance(det))

            def set_worker_level_failure_exception_types(self, types) -> None:
                inner.set_worker_level_failure_exception_types(types)

        return WatchedRunner()

    def instance(self, inner):
        from temporalio.worker import WorkflowInstance

        watch = self

        class WatchedInstance(WorkflowInstance):
            def activate(self, act):
                if not any(job.HasField("remove_from_cache") for job in act.jobs):
                    watch.history_length = act.history_length
                return inner.activate(act)

            def get_serialization_context(self, command_info):
                return inner.get_serialization_context(command_info)

            def get_external_store_context(self, command_info):
                return inner.get_external_store_context(command_info)

            def get_info(self):
                return inner.get_info()

            def get_thread_id(self):
                return inner.get_thread_id()

        return WatchedInstance()


class _Session:
    """Replays prefixes of the history on one replay worker (starting one costs about a tenth of a
    second: the sandbox prepares the workflow anew), one at a time, each answered before the next."""

    def __init__(self, replayer, history, watch: _Watch) -> None:
        self.watch = watch
        self.replays = 0
        self._replayer = replayer
        self._history = history
        self._stack = None
        self._queue = None
        self._results = None

    async def __aenter__(self) -> "_Session":
        import contextlib

        self._queue = asyncio.Queue()
        queue = self._queue

        async def histories():
            while (history := await queue.get()) is not None:
                yield history

        self._stack = contextlib.AsyncExitStack()
        self._results = await self._stack.enter_async_context(self._replayer.workflow_replay_iterator(histories()))
        return self

    async def __aexit__(self, *exc) -> None:
        await self._queue.put(None)
        await self._results.aclose()
        await self._stack.aclose()

    async def replay(self, n: int) -> BaseException | None:
        """The failure of a replay of the first n events, else None."""
        self.watch.history_length = None
        self.replays += 1
        await self._queue.put(self._history(n))
        return (await self._results.__anext__()).replay_failure


_CORE_MESSAGE = re.compile(r'message: "((?:[^"\\]|\\.)*)"')


def _message(failure: BaseException) -> str:
    """The core's own message ("[TMPRL1100] Nondeterminism error: ...") out of temporalio's
    "Workflow activation completion failed: Failure { failure: Some(Failure { message: ..." text."""
    text = str(failure)
    m = _CORE_MESSAGE.search(text)
    return text if m is None else _RUST_ESCAPE.sub(_unescape, m.group(1))


# Rust's Debug escapes: \" \\ \' \n \r \t \0 \u{...}
_RUST_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|.)")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}


def _unescape(m: "re.Match[str]") -> str:
    e = m.group(1)
    if e.startswith("u{"):
        return chr(int(e[2:-1], 16))
    return _SIMPLE.get(e, e)


if __name__ == "__main__":
    code = main(sys.argv[1:])
    # temporalio's Rust runtime threads may crash the interpreter while it shuts down
    # (temporalio/sdk-python#300: a SIGSEGV or SIGABRT after the work is done, on a busy machine
    # about one exit in three): the verdict is written, so leave without that teardown.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
