"""The benchmark's large history on the real engine: timers in batches until the history is just under
Temporal's 51,200-event limit (each batch: one workflow task starting the timers, their TIMER_STARTED
and TIMER_FIRED events, and the tasks that see them fire).
"""

from datetime import timedelta

import mistralai.workflows as workflows
from temporalio import workflow as temporal_workflow

BATCH = 500


@workflows.workflow.define(name="big-history", workflow_description="Benchmark: a history just under 51,200 events",
                           execution_timeout=timedelta(hours=2))
class BigHistory:
    @workflows.workflow.entrypoint
    async def run(self, target: int) -> dict:
        import asyncio

        # Stop early enough that the last batch, its tasks and the completion still fit under `target`.
        while temporal_workflow.info().get_current_history_length() + 2 * BATCH + 50 < target:
            await asyncio.gather(*(workflows.workflow.sleep(timedelta(milliseconds=1)) for _ in range(BATCH)))
        return {"events": temporal_workflow.info().get_current_history_length()}
