"""The demo's order-fulfillment workflow, run by a real mistralai-workflows worker on the engine.

It waits for the warehouse's approval (a signal), takes a delivery window (an update), then runs its
steps as activities. See activities.py for the bug the demo fixes.
"""

import mistralai.workflows as workflows

from activities import charge_payment, create_shipment, reserve_inventory, send_email, validate_order


@workflows.workflow.define(name="order-fulfillment", workflow_description="Validate, reserve, charge, ship and notify")
class OrderFulfillment:
    def __init__(self) -> None:
        self.approved_by: str | None = None
        self.window = "any"
        self.notes: list[str] = []

    @workflows.workflow.signal(name="approve")
    async def approve(self, by: str) -> None:
        self.approved_by = by

    @workflows.workflow.signal(name="add_note")
    async def add_note(self, note: str) -> None:
        self.notes.append(note)

    @workflows.workflow.update(name="set_delivery_window")
    async def set_delivery_window(self, window: str) -> str:
        previous, self.window = self.window, window
        return previous

    @workflows.workflow.query(name="status")
    def status(self) -> dict:
        return {"approved_by": self.approved_by, "window": self.window, "notes": self.notes}

    @workflows.workflow.entrypoint
    async def run(self, order: dict) -> dict:
        await validate_order(order)
        await reserve_inventory(order["order_id"], len(order["items"]))
        await workflows.workflow.wait_condition(lambda: self.approved_by is not None)
        await charge_payment(order["order_id"], order["total"], "EUR")
        shipment = await create_shipment(order, self.window)
        await send_email(order["order_id"], "order_shipped")
        return {"order_id": order["order_id"], "shipment": shipment, "approved_by": self.approved_by, "notes": self.notes}
