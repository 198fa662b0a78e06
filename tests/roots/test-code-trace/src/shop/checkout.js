// @implements REQ-PAY
function checkout(cart) {
  return cart.items.length > 0;
}
