// Site-wide behaviour, loaded from a file: the Content-Security-Policy allows no inline script.
// Every page works without it; this only adds printing, focus after a result arrives and open sections in print.
(function () {
  "use strict";

  // Print buttons: <button type="button" class="print-button" data-print>Print</button> (no inline handlers).
  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // After htmx swaps a result in, move focus to its heading, so that keyboard and screen-reader users land on
  // the answer rather than staying on the button they pressed.
  function focusResult() {
    const heading = document.getElementById("result-heading");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) {
        heading.setAttribute("tabindex", "-1");
      }
      heading.focus({ preventScroll: false });
    }
  }
  // Only a swap of the result region moves focus: other swaps (a checked field, an added row) keep it where it is.
  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail && event.detail.target;
    if (target && target.id === "result") {
      focusResult();
    }
  });

  // Print every folded section (reasons, sources): a printed result must carry its evidence.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) {
      d.open = true;
    });
  });
})();
