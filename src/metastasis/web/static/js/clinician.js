// Clinician pages, loaded from a file (the Content-Security-Policy allows no inline script). Every page works
// without it; this adds: the tool index filtering as you type, a live result while a calculator's inputs change,
// and copying the plain-text summary for the notes. Focus after a submitted result is site.js's job.
(function () {
  "use strict";

  // --- the index: hide the tiles that do not match every typed word ---
  function filterTools(input) {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    document.querySelectorAll(".tool-section").forEach(function (section) {
      let inSection = 0;
      section.querySelectorAll(".tile").forEach(function (tile) {
        const text = tile.getAttribute("data-search") || "";
        const match = words.every(function (w) { return text.indexOf(w) !== -1; });
        tile.hidden = !match;
        if (match) { inSection += 1; }
      });
      section.hidden = inSection === 0;
      shown += inSection;
    });
    const count = document.getElementById("tool-count");
    if (count) {
      count.textContent = words.length ? shown + (shown === 1 ? " tool matches." : " tools match.") : shown + " tools";
    }
  }
  const search = document.getElementById("tool-q");
  if (search) {
    search.addEventListener("input", function () { filterTools(search); });
    if (search.value) { filterTools(search); }
  }

  // --- a calculator: a live result once every required input is given ---
  const form = document.getElementById("calc-form");
  const panel = document.querySelector(".calc-panel");
  let pending = null;
  function refresh() {
    if (!form || !panel || !form.checkValidity()) { return; }
    if (pending) { pending.abort(); }
    pending = new AbortController();
    const action = form.getAttribute("hx-post") || form.action;
    fetch(action, { method: "POST", body: new FormData(form), signal: pending.signal, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        const doc = new DOMParser().parseFromString(html, "text/html");
        const fresh = doc.getElementById("result");
        const current = document.getElementById("result");
        if (fresh && current) {
          current.replaceWith(document.importNode(fresh, true));
          const link = document.getElementById("result-link");
          if (link && window.history && window.history.replaceState) {
            window.history.replaceState(null, "", link.getAttribute("href"));
          }
          wireCopy();
        }
      })
      .catch(function () { /* a newer change replaced this request, or the network failed: keep the last result */ });
  }
  if (form && panel) {
    form.addEventListener("change", refresh);
  }

  // --- copy the summary for the notes ---
  function wireCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard || button.dataset.wired) { return; }
      button.dataset.wired = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        const source = document.getElementById(button.getAttribute("data-copy"));
        const status = button.parentElement.querySelector(".copy-status");
        navigator.clipboard.writeText(source ? source.value : "").then(
          function () { if (status) { status.textContent = "Copied."; } },
          function () { if (status) { status.textContent = "Select the text and copy it."; } }
        );
      });
    });
  }
  wireCopy();
  document.addEventListener("htmx:afterSettle", wireCopy);
})();
