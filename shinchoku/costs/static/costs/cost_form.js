/* The staff cost form: show the total of the four categories while typing (the server computes it again). */
(function () {
  "use strict";
  var output = document.getElementById("cost-total");
  if (!output) return;
  var inputs = Array.prototype.slice.call(document.querySelectorAll("input[data-cost]"));
  function amount(text) {
    var t = (text || "").replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/[,，\s]/g, "").replace(/千円$/, "");
    return /^\d+$/.test(t) ? parseInt(t, 10) : (t === "" ? 0 : NaN);
  }
  function update() {
    var total = 0;
    var ok = true;
    inputs.forEach(function (el) { var v = amount(el.value); if (isNaN(v)) ok = false; else total += v; });
    output.textContent = ok ? total.toLocaleString("ja-JP") : "—";
  }
  inputs.forEach(function (el) { el.addEventListener("input", update); });
})();
