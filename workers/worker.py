"""Runs a real mistralai-workflows worker over the workflow files of a directory.

    .venv-engine/bin/python workers/worker.py DIR [DIR...]

Every *.py file in DIR is imported (DIR goes on sys.path first, so the files may import each
other); each class decorated with @workflows.workflow.define is served by one worker via the SDK's
own entry point, mistralai.workflows.run_worker (config discovery included).

The worker is configured the way Mistral's are, from the environment (or a .env file in the
current directory: run it from a directory without a stray .env):
  SERVER_URL        the Mistral-style API (ours: the sandbox); whoami there names the Temporal
                    frontend, namespace and TLS
  MISTRAL_API_KEY   sent as "Authorization: Bearer ..."
  DEPLOYMENT_NAME   the task queue (required by the SDK)
Defaults set here when absent: OTEL_ENABLED=false (else it exports to SERVER_URL/telemetry),
LOG_FORMAT=console.
"""

from __future__ import annotations

import asyncio
import signal
import importlib.util
import os
import sys
import threading
from pathlib import Path


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    os.environ.setdefault("OTEL_ENABLED", "false")
    # The SDK reads its configuration when it is first imported.
    import mistralai.workflows as workflows
    from mistralai.workflows.core.workflow import get_all_registered_workflows

    loaded: set[str] = set()
    for d in argv:
        directory = Path(d).resolve()
        sys.path.insert(0, str(directory))
        for file in sorted(directory.glob("*.py")):
            spec = importlib.util.spec_from_file_location(file.stem, file)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            sys.modules[file.stem] = module
            spec.loader.exec_module(module)
            loaded.add(file.stem)

    # The SDK registers its own workflows too (__parallel_execution__): keep the files' classes only;
    # run_worker adds the internal ones itself.
    classes = [c for c in get_all_registered_workflows() if c.__module__ in loaded]
    if not classes:
        print(f"no @workflows.workflow.define class in {argv}", file=sys.stderr)
        return 2
    print(f"worker: serving {[c.__name__ for c in classes]}", file=sys.stderr, flush=True)
    asyncio.run(_serve(workflows.run_worker, classes))
    return 0


async def _serve(run_worker, classes) -> None:  # type: ignore[no-untyped-def]
    """Runs the worker until SIGTERM/SIGINT, then cancels it; exits hard after a grace period.

    A cancelled SDK worker can hang in its shutdown (seen: >30 s with the server up), so the
    process exits by itself ENGINE_WORKER_GRACE_S (default 3) seconds after the signal.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    grace = float(os.environ.get("ENGINE_WORKER_GRACE_S", "3"))

    def stop(signame: str) -> None:
        print(f"worker: {signame}, shutting down (hard exit in {grace}s)", file=sys.stderr, flush=True)
        timer = threading.Timer(grace, lambda: os._exit(0))
        timer.daemon = True
        timer.start()
        task.cancel()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop, sig.name)
    try:
        await run_worker(classes)
    except asyncio.CancelledError:
        pass
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
