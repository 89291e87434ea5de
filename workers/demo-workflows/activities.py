"""Activities of the demo's order-fulfillment workflow.

The demo's bug lives here: create_shipment reads the address under a key the orders do not have, so
every order fails at that step with KeyError: 'shipping_address'. The one-line fix is on the line
marked BUG; after it, reset the failed execution to before its create_shipment step and the new run
completes (activities run again; the workflow code is unchanged, so it replays deterministically).
"""

from datetime import timedelta

import mistralai.workflows as workflows

# One attempt: the demo's failure shows at once instead of after Temporal's retries.
ONE_ATTEMPT = {"start_to_close_timeout": timedelta(seconds=10), "retry_policy_max_attempts": 1}


@workflows.activity(name="validate_order", **ONE_ATTEMPT)
async def validate_order(order: dict) -> bool:
    if not order.get("items"):
        raise ValueError(f"order {order.get('order_id')} has no items")
    return True


@workflows.activity(name="reserve_inventory", **ONE_ATTEMPT)
async def reserve_inventory(order_id: str, quantity: int) -> str:
    return f"reservation-{order_id}-{quantity}"


@workflows.activity(name="charge_payment", **ONE_ATTEMPT)
async def charge_payment(order_id: str, amount: int, currency: str) -> str:
    return f"payment-{order_id}-{amount}{currency}"


@workflows.activity(name="create_shipment", **ONE_ATTEMPT)
async def create_shipment(order: dict, window: str) -> dict:
    address = order["shipping_address"]  # BUG: orders carry their address under "address"
    return {"carrier": "colissimo", "to": address["city"], "window": window}


@workflows.activity(name="send_email", **ONE_ATTEMPT)
async def send_email(order_id: str, template: str) -> str:
    return f"sent {template} for {order_id}"
