"""The cart."""


# @implements REQ-CART
class Cart:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, item: str) -> None:
        self.items.append(item)


def pay(amount: int) -> bool:
    """Take the payment.

    :implements: REQ-PAY
    """
    return amount > 0
