"""Plain temporalio workflows (the Temporal Python SDK alone, no mistralai-workflows): what a Temporal
workspace shows in `npm run demo -- --engine temporal` and in the tests on the real engine.

`shipment` waits for an `approve` signal, takes `add_note` signals and a `set_window` update, then
books a carrier; the booking fails on the bug in carrier.py. `long-history` runs one short activity
after another: each is a few batches of events, and the server pages a history by batches, so this
makes a history of several server pages.
"""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from carrier import book_carrier, count_parcel, notify_customer, reserve_stock

ACTIVITY_TIMEOUT = timedelta(seconds=20)
# One attempt: the failure the demo fixes shows at once, and the run fails on it.
ONCE = RetryPolicy(maximum_attempts=1)


@workflow.defn(name="shipment")
class Shipment:
    def __init__(self) -> None:
        self.approved_by: str | None = None
        self.window = "any"
        self.notes: list[str] = []

    @workflow.run
    async def run(self, order: dict) -> dict:
        stock = await workflow.execute_activity(reserve_stock, order, start_to_close_timeout=ACTIVITY_TIMEOUT)
        await workflow.wait_condition(lambda: self.approved_by is not None)
        booking = await workflow.execute_activity(
            book_carrier, args=[order, self.window], start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=ONCE
        )
        await workflow.execute_activity(
            notify_customer, args=[order["order_id"], "shipment_booked"], start_to_close_timeout=ACTIVITY_TIMEOUT
        )
        return {"order_id": order["order_id"], "stock": stock, "booking": booking, "notes": self.notes}

    @workflow.signal(name="approve")
    def approve(self, by: str) -> None:
        self.approved_by = by

    @workflow.signal(name="add_note")
    def add_note(self, note: str) -> None:
        self.notes.append(note)

    @workflow.update(name="set_window")
    def set_window(self, window: str) -> str:
        previous, self.window = self.window, window
        return previous

    @workflow.query(name="status")
    def status(self) -> dict:
        return {"approved_by": self.approved_by, "window": self.window, "notes": self.notes}


@workflow.defn(name="long-history")
class LongHistory:
    @workflow.run
    async def run(self, steps: int) -> int:
        counted = 0
        for parcel in range(steps):
            counted = await workflow.execute_activity(count_parcel, parcel, start_to_close_timeout=ACTIVITY_TIMEOUT)
        return counted
