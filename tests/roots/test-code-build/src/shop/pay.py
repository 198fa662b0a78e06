"""Payments."""


# @implements REQ-PAY
def take_payment(order: str) -> str:
    return f"paid {order}"
