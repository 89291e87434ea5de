"""The shipment workflow's activities (plain temporalio). See book_carrier for the demo's bug."""

from temporalio import activity


@activity.defn(name="reserve_stock")
async def reserve_stock(order: dict) -> dict:
    return {"order_id": order["order_id"], "reserved": list(order.get("items", []))}


@activity.defn(name="book_carrier")
async def book_carrier(order: dict, window: str) -> dict:
    # BUG: orders carry "address"; only old-format orders have "shipping_address". The fix is
    # order["address"]: then an order without any address still fails (KeyError: 'address').
    city = order["shipping_address"]["city"]
    return {"carrier": "colissimo", "city": city, "window": window}


@activity.defn(name="notify_customer")
async def notify_customer(order_id: str, template: str) -> str:
    return f"{template} sent for {order_id}"


@activity.defn(name="count_parcel")
async def count_parcel(parcel: int) -> int:
    return parcel + 1
