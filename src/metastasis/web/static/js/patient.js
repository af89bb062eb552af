// Patient pages, loaded from a file (the Content-Security-Policy allows no inline script). Everything works
// without it; it only says how many symptoms are ticked, next to the button that stays in view on a phone.
(function () {
  "use strict";

  function updateCount() {
    const form = document.getElementById("triage-form");
    const out = document.getElementById("ticked-count");
    if (!form || !out) {
      return;
    }
    const n = form.querySelectorAll('input[name="symptoms"]:checked').length;
    out.textContent = n === 0 ? "" : n === 1 ? "1 symptom ticked" : n + " symptoms ticked";
  }

  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.name === "symptoms") {
      updateCount();
    }
  });
  document.addEventListener("DOMContentLoaded", updateCount);
  document.addEventListener("htmx:afterSettle", updateCount);
})();
