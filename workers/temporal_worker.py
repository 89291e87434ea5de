"""Runs a plain temporalio worker (the Temporal Python SDK alone) over the workflow files of a directory.

    .venv-engine/bin/python workers/temporal_worker.py DIR [DIR...]

Every *.py file in DIR is imported as a module of its own name (DIR goes on sys.path first, so the
files may import each other and temporalio's workflow sandbox can import them again); every class
decorated with @workflow.defn and every function decorated with @activity.defn is served by one
worker, with the SDK's defaults (the sandboxed workflow runner included), as a Temporal user runs it.

Configured from the environment:
  TEMPORAL_ADDRESS     the frontend's gRPC address, e.g. 127.0.0.1:7233 (required)
  TEMPORAL_NAMESPACE   default "default"
  TEMPORAL_TASK_QUEUE  required
Prints "temporal worker: polling <task queue>" once it polls; exits on SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import signal
import sys
import threading
from pathlib import Path


def load(dirs: list[str]) -> tuple[list[type], list[object]]:
    workflows: list[type] = []
    activities: list[object] = []
    for d in dirs:
        directory = Path(d).resolve()
        sys.path.insert(0, str(directory))
        for file in sorted(directory.glob("*.py")):
            module = importlib.import_module(file.stem)
            for value in vars(module).values():
                if getattr(value, "__module__", None) != module.__name__:
                    continue  # imported from another file: served once, from its own module
                if isinstance(value, type) and hasattr(value, "__temporal_workflow_definition"):
                    workflows.append(value)
                elif callable(value) and hasattr(value, "__temporal_activity_definition"):
                    activities.append(value)
    return workflows, activities


async def serve(workflows: list[type], activities: list[object]) -> None:
    from temporalio.client import Client
    from temporalio.worker import Worker

    address = os.environ["TEMPORAL_ADDRESS"]
    namespace = os.environ.get("TEMPORAL_NAMESPACE", "default")
    task_queue = os.environ["TEMPORAL_TASK_QUEUE"]
    client = await Client.connect(address, namespace=namespace)
    worker = Worker(client, task_queue=task_queue, workflows=workflows, activities=activities)

    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    async with worker:
        print(f"temporal worker: polling {task_queue}", file=sys.stderr, flush=True)
        await stopping.wait()
        # A worker's shutdown waits for activities in flight; do not let it hold a test run up.
        timer = threading.Timer(float(os.environ.get("ENGINE_WORKER_GRACE_S", "3")), lambda: os._exit(0))
        timer.daemon = True
        timer.start()


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    workflows, activities = load(argv)
    if not workflows:
        print(f"no @workflow.defn class in {argv}", file=sys.stderr)
        return 2
    names = [w.__temporal_workflow_definition.name for w in workflows]  # type: ignore[attr-defined]
    print(f"temporal worker: serving {names}", file=sys.stderr, flush=True)
    asyncio.run(serve(workflows, activities))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
