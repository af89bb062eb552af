// The case builder: after "Add another" swaps the form in place (htmx), move focus to the first control of the
// new row, so that a keyboard user carries on where the row appeared. Without JavaScript the page reloads at the
// new row's anchor instead.
document.addEventListener("htmx:afterSettle", (event) => {
  const trigger = event.detail && event.detail.requestConfig ? event.detail.requestConfig.elt : null;
  const key = trigger && trigger.dataset ? trigger.dataset.addRow : null;
  if (!key) return;
  const rows = document.querySelectorAll(`#sec-${CSS.escape(key)} .builder-row`);
  const last = rows[rows.length - 1];
  const first = last ? last.querySelector("select, input, textarea") : null;
  if (first) first.focus();
});

// The report folds its details: a link to a folded section (the summary's key findings, the contents) opens it.
function openTarget() {
  const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  const fold = target ? target.closest("details") : null;
  if (fold) fold.open = true;
}
window.addEventListener("hashchange", openTarget);
document.addEventListener("click", (event) => {
  const link = event.target.closest ? event.target.closest("a[href^='#']") : null;
  if (link && link.getAttribute("href") === window.location.hash) openTarget(); // same hash: no hashchange
});
