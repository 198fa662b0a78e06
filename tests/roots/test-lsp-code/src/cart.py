"""The cart."""


# @implements REQ-CART
class Cart:
    def __init__(self) -> None:
        self.items: list[str] = []


def pay(amount: int) -> bool:
    """Take the payment.

    :implements: REQ-PAY
    """
    return amount > 0
