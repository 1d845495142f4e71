// Logout page: ends this login (POST with the CSRF token from the cookie) and returns to the login page.
"use strict";

(() => {
  const csrf = () => {
    const found = document.cookie.split("; ").find((part) => part.startsWith("assistant_csrf="));
    return found ? decodeURIComponent(found.slice("assistant_csrf=".length)) : "";
  };
  fetch("/auth/me", { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : null))
    .then((me) => { if (me) document.getElementById("who").textContent = `Logget ind som ${me.display_name} (${me.username}).`; })
    .catch(() => {});
  document.getElementById("logout").addEventListener("click", async () => {
    const response = await fetch("/auth/logout", { method: "POST", headers: { "X-CSRF-Token": csrf() } });
    if (response.ok || response.status === 401) {
      window.location.assign("/login?logged_out=1");
      return;
    }
    const error = document.getElementById("error");
    error.textContent = "Log ud mislykkedes; genindlæs siden og prøv igen.";
    error.hidden = false;
  });
})();
