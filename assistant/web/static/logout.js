// Logout page: the "Log ud" link of every page leads here and the login ends at once (one click): a POST
// with the login's CSRF token, then the login page. The button is only for a retry after a failure.
"use strict";

(() => {
  const csrf = () => {
    const found = document.cookie.split("; ").find((part) => part.startsWith("assistant_csrf="));
    return found ? decodeURIComponent(found.slice("assistant_csrf=".length)) : "";
  };
  const button = document.getElementById("logout");
  const error = document.getElementById("error");

  async function logOut() {
    button.disabled = true;
    error.hidden = true;
    try {
      const response = await fetch("/auth/logout", { method: "POST", headers: { "X-CSRF-Token": csrf() } });
      if (response.ok || response.status === 401) {
        window.location.replace("/login?logged_out=1");
        return;
      }
    } catch (_) { /* shown below */ }
    error.textContent = "Log ud mislykkedes. Prøv igen.";
    error.hidden = false;
    button.disabled = false;
    button.hidden = false;
  }

  button.addEventListener("click", logOut);
  logOut();
})();
