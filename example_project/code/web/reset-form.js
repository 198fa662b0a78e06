// The "Forgot password" and "New password" forms of the account pages.

/**
 * Sends the reset request and shows the one answer the API gives.
 * @implements REQ-FUN-001
 */
export async function requestReset(form) {
  const response = await fetch("/password-resets", {
    method: "POST",
    body: JSON.stringify({ email: form.email.value }),
  });
  // "// @implements" inside a string is not a marker
  form.querySelector(".answer").textContent = response.ok ? "Check your inbox." : "Try again.";
}

// @implements REQ-FUN-002
export async function confirmReset(token, password) {
  const response = await fetch(`/password-resets/${token}/confirm`, {
    method: "POST",
    body: JSON.stringify({ password }),
  });
  return response.status === 204;
}
