// taphuan — a little plain JavaScript; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A refused form: the summary at the top (#error-summary) links to each bad field; the
  // first bad field gets the focus and is scrolled into view (a closed <details> around it
  // opens). The summary's links do the same for their field.
  function goTo(field) {
    for (var d = field.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) { d.open = true; }
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }
  var summary = document.getElementById("error-summary");
  if (summary) {
    var first = null;
    summary.querySelectorAll("a[href^='#']").forEach(function (a) {
      var field = document.getElementById(a.getAttribute("href").slice(1));
      if (!field) { return; }
      if (!first) { first = field; }
      a.addEventListener("click", function (e) { e.preventDefault(); goTo(field); });
    });
    first = first || document.querySelector("main [aria-invalid=true]");
    if (first) {
      goTo(first);
      // Scrolling to the URL's fragment (#dang-ky, which takes the page to the form when
      // there is no script) may take the focus away again: give it back once loaded.
      window.addEventListener("load", function () { if (document.activeElement !== first) { goTo(first); } });
    } else { summary.focus(); }
  }
  // Forms and buttons that destroy or change something ask first: data-confirm="question".
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    var ev = el.tagName === "FORM" ? "submit" : "click";
    el.addEventListener(ev, function (e) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); e.stopPropagation(); }
    });
  });
  // A table wider than the screen scrolls sideways: make it reachable by keyboard.
  document.querySelectorAll(".table-wrap").forEach(function (el) {
    if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) { el.tabIndex = 0; }
  });
  // A page made for printing (the whole roster) opens the print dialog once loaded.
  if (document.querySelector("[data-autoprint]")) {
    window.addEventListener("load", function () { window.print(); });
  }
  // Buttons that print the page: data-print.
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function (e) { e.preventDefault(); window.print(); });
  });
  // Forms that take a while (imports, bulk issue) show progress: data-busy="text".
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = true; b.textContent = form.getAttribute("data-busy");
      });
    });
  });
});
