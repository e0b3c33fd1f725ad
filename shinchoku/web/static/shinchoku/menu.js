/* The print footer's date, and on a phone the navigation and the display tools fold behind 「メニュー」 (site.css hides them at ≤ 600 px once
   this script has marked the header). Without JavaScript they stay open, as on a wide screen. */
(function () {
  "use strict";
  // The print footer's date is the day the page is printed, not the day it was served.
  window.addEventListener("beforeprint", function () {
    var now = new Date();
    document.querySelectorAll("[data-print-date]").forEach(function (el) {
      el.textContent = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日";
    });
  });
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
