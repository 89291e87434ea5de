"""One full replay of a history and nothing else: what bench/replay.ts measures the replay check against.

    python bench/replay_once.py --history FILE --workflow NAME DIR [DIR...]

Set up exactly as src/replay/replay_check.py sets up its check (its own functions read the history, import
the folders and make the Replayer), then the whole history is replayed once, with no search for where
it diverges. Prints {"replayedEvents": N, "failed": true|false, "replaySeconds": S} on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src" / "replay"))
import replay_check as rc  # noqa: E402  (the script is not a package)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="replay_once.py")
    parser.add_argument("--history", required=True)
    parser.add_argument("--workflow", required=True)
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args(argv)
    out = rc._claim_stdout()

    import temporalio.client

    events = rc._parse_events(rc._read_history(Path(args.history)))
    cls = rc._find_class(args.workflow, rc._import_folders([Path(d) for d in args.dirs]), [Path(d) for d in args.dirs])
    replayer, context = rc._replayer_for(cls, rc._Watch())
    n = rc._checkable_ends(events)[-1]
    history = temporalio.client.WorkflowHistory(events[0].workflow_execution_started_event_attributes.workflow_id, events[:n])

    async def once() -> tuple[bool, float]:
        async with context:
            start = time.perf_counter()
            result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
            return result.replay_failure is not None, time.perf_counter() - start

    failed, seconds = asyncio.run(once())
    out.write(json.dumps({"replayedEvents": n, "failed": failed, "replaySeconds": round(seconds, 3)}) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
