/* Selaras: the few behaviours the pages need, without inline handlers (the CSP forbids them). */
(function () {
  "use strict";
  // <select data-submit-on-change data-clears="village">: clear the named fields, send the form.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLSelectElement) || !field.hasAttribute("data-submit-on-change") || !field.form) {
      return;
    }
    (field.getAttribute("data-clears") || "").split(/\s+/).forEach(function (name) {
      var other = name && field.form.elements.namedItem(name);
      if (other && "value" in other) { other.value = ""; }
    });
    field.form.submit();
  });
  // <a data-history-back href="/">: back to the previous page when there is one.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-history-back]") : null;
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
/* The main menu on small screens: the "Menu" button opens and closes it (without script the menu
   simply stays open). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-menu-toggle]") : null;
    if (!button) { return; }
    var header = button.closest("header");
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (header) { header.classList.toggle("open", open); }
  });
})();
/* A table wider than its box scrolls inside it: make that box reachable with the keyboard (and
   named for screen readers), as a scrollable region must be. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("main .table-wrap, main table").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); }
        if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", "Tabel (geser untuk melihat semua kolom)"); }
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mark); } else { mark(); }
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSwap", mark);
})();
