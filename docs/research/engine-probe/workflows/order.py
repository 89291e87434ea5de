"""Probe workflow, written against the installed mistralai-workflows 3.16.0 API.

One activity, one signal, one update, one query: the smallest workflow that exercises what the
extension's reset story needs (an activity to reset before; signals/updates to re-apply or not).
"""

from datetime import timedelta

import mistralai.workflows as workflows


@workflows.activity(name="charge_card", start_to_close_timeout=timedelta(seconds=10), retry_policy_max_attempts=1)
async def charge_card(order_id: str, amount: int) -> str:
    if amount <= 0:
        raise ValueError(f"cannot charge {amount}")
    return f"receipt-{order_id}-{amount}"


@workflows.workflow.define(name="order", workflow_description="Probe: wait for approval, then charge")
class OrderWorkflow:
    def __init__(self) -> None:
        self.approved_by: str | None = None
        self.note = ""

    @workflows.workflow.entrypoint
    async def run(self, order_id: str, amount: int) -> dict:
        await workflows.workflow.wait_condition(lambda: self.approved_by is not None)
        receipt = await charge_card(order_id, amount)
        return {"order_id": order_id, "receipt": receipt, "approved_by": self.approved_by, "note": self.note}

    @workflows.workflow.signal(name="approve")
    async def approve(self, by: str) -> None:
        self.approved_by = by

    @workflows.workflow.update(name="set_note")
    async def set_note(self, note: str) -> str:
        previous, self.note = self.note, note
        return previous

    @workflows.workflow.query(name="status")
    def status(self) -> dict:
        return {"approved_by": self.approved_by, "note": self.note}
