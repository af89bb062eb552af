// Site-wide behaviour, loaded from a file: the Content-Security-Policy allows no inline script.

// Print every folded section (reasons, sources): a printed result must carry its evidence.
window.addEventListener("beforeprint", () => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
