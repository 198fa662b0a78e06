// The checkout form.

// @implements REQ-CART
export function showCart(cart) {
  return cart.join(", ");
}
