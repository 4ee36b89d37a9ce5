// taphuan — certificate settings: the number's live preview ("Số: 012/GCN-STTTT") while the
// clerk types the text before and after the number and picks its digits. The server shows
// the same example without JavaScript.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var out = document.getElementById("number-example");
  if (!out) { return; }
  var prefix = document.getElementById("f-number_prefix");
  var digits = document.getElementById("f-number_digits");
  var suffix = document.getElementById("f-number_suffix");
  function update() {
    var n = parseInt(digits.value, 10) || 1;
    var num = "12";
    while (num.length < n) { num = "0" + num; }
    out.textContent = "Số: " + prefix.value.trim() + num + suffix.value.trim();
  }
  document.querySelectorAll("[data-number-part]").forEach(function (el) {
    el.addEventListener("input", update);
    el.addEventListener("change", update);
  });
  update();
});
