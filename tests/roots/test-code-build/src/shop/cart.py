"""The cart."""


# @implements REQ-CART
def add_item(cart: list[str], book: str) -> None:
    cart.append(book)
