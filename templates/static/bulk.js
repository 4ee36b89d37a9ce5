// taphuan — the roster's bulk bar: counts what is ticked and says it in the confirmation.
// Without it the bar still works: tick rows (or "all matching the filter") and submit.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-bulk]");
  if (!form) { return; }
  var all = form.querySelector("#bulk-all");
  var count = document.getElementById("bulk-count");
  var action = form.querySelector("#bulk-action");
  var picks = Array.prototype.slice.call(document.querySelectorAll("input[data-pick]"));
  var page = document.querySelector("input[data-pick-page]");
  function selected() {
    if (all.checked) { return parseInt(all.getAttribute("data-total"), 10) || 0; }
    return picks.filter(function (p) { return p.checked; }).length;
  }
  function update() {
    var n = selected();
    picks.forEach(function (p) { p.disabled = all.checked; });
    if (page) { page.disabled = all.checked; page.checked = picks.length > 0 && picks.every(function (p) { return p.checked; }); }
    count.textContent = count.getAttribute("data-tpl").replace("{n}", n);
    var label = action.options[action.selectedIndex].text;
    form.setAttribute("data-confirm", form.getAttribute("data-confirm-tpl").replace("{action}", label).replace("{n}", n));
  }
  picks.forEach(function (p) { p.addEventListener("change", update); });
  if (page) {
    page.addEventListener("change", function () {
      picks.forEach(function (p) { p.checked = page.checked; });
      update();
    });
  }
  all.addEventListener("change", update);
  action.addEventListener("change", update);
  update();
});
