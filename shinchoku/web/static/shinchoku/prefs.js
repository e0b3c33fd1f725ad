/* Applies the saved 文字サイズ and ハイコントラスト before the first paint, so the page never flashes back. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var size = window.localStorage.getItem("shinchoku.textSize");
    if (size === "large" || size === "xlarge") root.classList.add("text-" + size);
    if (window.localStorage.getItem("shinchoku.contrast") === "high") root.classList.add("contrast-high");
  } catch (e) {
    /* Storage may be blocked (private mode, LGWAN policies): the defaults simply stay. */
  }
})();
