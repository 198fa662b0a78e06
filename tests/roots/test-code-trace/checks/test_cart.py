from shop.cart import Cart


# @verifies REQ-CART
def test_cart_keeps_items():
    cart = Cart()
    cart.add("book")
    assert cart.items == ["book"]
