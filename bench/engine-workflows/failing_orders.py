"""The "group by problem" benchmark's failures on the real engine (bench/problemsEngine.ts): every run
fails at once, in one attempt, in an activity. Half fail in create_shipment with the demo's bug
(KeyError: 'shipping_address'), half in charge_payment with a declined card whose message carries the
order, the card and the amount (variable parts the extension masks): two signatures.
"""

from datetime import timedelta

import mistralai.workflows as workflows

# One attempt, and time enough: 200 runs start at once on a busy 2-core machine, and an activity that
# times out waiting for the worker is a third signature the bench did not ask for.
ONE_ATTEMPT = {"start_to_close_timeout": timedelta(minutes=5), "retry_policy_max_attempts": 1}


class CardDeclined(Exception):
    pass


@workflows.activity(name="create_shipment", **ONE_ATTEMPT)
async def create_shipment(order: dict) -> dict:
    address = order["shipping_address"]  # the demo's bug: orders carry their address under "address"
    return {"order_id": order["order_id"], "to": address}


@workflows.activity(name="charge_payment", **ONE_ATTEMPT)
async def charge_payment(order_id: str, total: int) -> str:
    raise CardDeclined(f"card ending {1000 + total * 7 % 9000} declined for {order_id}: {total} EUR")


@workflows.workflow.define(name="bench-failing-order", workflow_description="Benchmark: fails at once in an activity")
class FailingOrder:
    @workflows.workflow.entrypoint
    async def run(self, order_id: str, kind: str, total: int) -> dict:
        if kind == "payment":
            await charge_payment(order_id, total)
        return await create_shipment({"order_id": order_id, "address": "1 Rue de la Paix", "total": total})
