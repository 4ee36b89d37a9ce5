// taphuan — a little plain JavaScript; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Forms and buttons that destroy or change something ask first: data-confirm="question".
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    var ev = el.tagName === "FORM" ? "submit" : "click";
    el.addEventListener(ev, function (e) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); e.stopPropagation(); }
    });
  });
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
