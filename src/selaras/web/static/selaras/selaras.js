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
  // <form data-confirm="Hapus baris ...?">: asks first, for a removal or a closing that cannot be undone.
  document.addEventListener("submit", function (event) {
    var form = event.target instanceof HTMLFormElement ? event.target : null;
    var question = form ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
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
/* htmx answers, one rule everywhere: a refused form or cell comes back as 422 with the fragment
   re-rendered and its message inside, and is swapped in like a success (htmx leaves 4xx alone by
   default, so the message used to vanish). Any other error answer (a page of the error handler:
   400, 403, 404, 409, 503) or no answer at all is shown as an alert beside what the person used,
   never dropped silently. */
(function () {
  "use strict";
  var alerts = new WeakMap();
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    // 409 marked as a fragment: a plan cell changed by someone else meanwhile, re-rendered with
    // the stored value and the message (other 409 answers are error pages, shown as alerts).
    if (xhr && (xhr.status === 422 || (xhr.status === 409 && xhr.getResponseHeader("X-Selaras-Fragment") === "1"))) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  function messageOf(xhr) {
    var text = "";
    try {
      var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var node = page.querySelector(".error-page p, [role=alert], main p.error");
      text = node ? node.textContent.replace(/\s+/g, " ").trim() : "";
    } catch (ignored) { text = ""; }
    if (text.length > 400) { text = text.slice(0, 400) + "…"; }
    return text || "Permintaan gagal (kode " + xhr.status + "). Muat ulang halaman, lalu coba lagi.";
  }
  function clear(elt) {
    var old = elt && alerts.get(elt);
    if (old && old.parentNode) { old.parentNode.removeChild(old); }
    if (elt) { alerts.delete(elt); }
  }
  function show(elt, text) {
    if (!(elt instanceof Element) || !elt.isConnected) { elt = document.querySelector("main") || document.body; }
    clear(elt);
    var box = document.createElement("p");
    box.className = "error";
    box.setAttribute("role", "alert");
    box.setAttribute("data-htmx-error", "");
    box.textContent = text;
    var form = elt.closest("form");
    if (form) {
      form.insertBefore(box, form.firstChild);
    } else if (elt.matches("main, body")) {
      elt.insertBefore(box, elt.firstChild);
    } else {
      elt.insertAdjacentElement("afterend", box);
    }
    alerts.set(elt, box);
    box.scrollIntoView({block: "nearest"});
  }
  document.addEventListener("htmx:beforeRequest", function (event) { clear(event.detail.elt); });
  document.addEventListener("htmx:responseError", function (event) {
    show(event.detail.elt, messageOf(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function (event) {
    show(event.detail.elt, "Tidak dapat menghubungi server. Periksa sambungan, lalu coba lagi.");
  });
  document.addEventListener("htmx:timeout", function (event) {
    show(event.detail.elt, "Server terlalu lama menjawab. Coba lagi sebentar lagi.");
  });
})();
/* A form swapped in with data-focus-on-swap (e.g. a realisation row opened for editing) is brought
   into view and its first field (the refused one, when marked aria-invalid) gets the focus: on a
   phone it would otherwise open below the fold. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-focus-on-swap]").forEach(function (box) {
      box.removeAttribute("data-focus-on-swap");
      var fields = "input:not([type=hidden]):not([disabled]), textarea:not([disabled]), select:not([disabled])";
      var field = box.querySelector("[aria-invalid=true]") || box.querySelector(fields);
      var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      box.scrollIntoView({block: "start", behavior: still ? "auto" : "smooth"});
      if (field) { field.focus({preventScroll: true}); }
    });
  });
})();
/* A plan cell says which value it showed (`sebelum`): the text it was rendered with, or, when it
   shows a refused value, the stored one (data-sebelum). The server refuses the save when someone
   else changed that cell meanwhile (409, the stored value shown again), instead of overwriting the
   newer value; other cells of the same line are not compared. */
(function () {
  "use strict";
  function shownValue(cell) {
    if (cell.hasAttribute("data-sebelum")) { return cell.getAttribute("data-sebelum"); }
    if (cell instanceof HTMLSelectElement) {
      for (var i = 0; i < cell.options.length; i += 1) {
        if (cell.options[i].defaultSelected) { return cell.options[i].value; }
      }
      return null;  // no option was marked: nothing to compare with
    }
    if (cell instanceof HTMLInputElement || cell instanceof HTMLTextAreaElement) { return cell.defaultValue; }
    return null;
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var cell = event.detail.elt;
    if (!(cell instanceof Element) || !cell.classList.contains("cell") || cell.getAttribute("name") !== "nilai") {
      return;
    }
    var seen = shownValue(cell);
    if (seen === null) { return; }
    if (event.detail.formData) { event.detail.formData.set("sebelum", seen); } else { event.detail.parameters.sebelum = seen; }
  });
})();
