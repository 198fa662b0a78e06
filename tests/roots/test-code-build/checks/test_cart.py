from shop.cart import add_item


# @verifies REQ-CART
def test_cart_keeps_items():
    cart = []
    add_item(cart, "Dune")
    assert cart == ["Dune"]
