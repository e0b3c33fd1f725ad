/* On a phone the navigation and the display tools fold behind 「メニュー」 (site.css hides them at ≤ 600 px once
   this script has marked the header). Without JavaScript they stay open, as on a wide screen. */
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  if (!button) return;
  header.classList.add("has-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = !header.classList.contains("menu-open");
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && header.classList.contains("menu-open")) {
      header.classList.remove("menu-open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
