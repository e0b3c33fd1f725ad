/* Status grid editor: keyboard layer over the plain form (roving focus, arrow keys, 1-4, Enter).
   htmx posts the changed cell and swaps its <td>; without JavaScript the page is an ordinary form. */
(function () {
  "use strict";
  var table = document.getElementById("grid");
  if (!table) return;
  var ORDER = ["completed", "in_progress", "not_started", "not_applicable"];
  var NEXT = { not_started: "in_progress", in_progress: "completed", completed: "not_applicable", not_applicable: "not_started" };

  // Enhanced: each cell posts on its own, so detach the controls from the no-JS "まとめて保存" form.
  function detach(root) {
    root.querySelectorAll('[form="grid-form"]').forEach(function (el) { el.removeAttribute("form"); });
  }
  detach(table);
  var nojs = document.getElementById("grid-form");
  if (nojs) nojs.hidden = true;
  table.classList.add("enhanced");

  function selects() { return Array.prototype.slice.call(table.querySelectorAll("tbody select")); }
  function setActive(sel) {
    selects().forEach(function (s) { s.tabIndex = -1; });
    sel.tabIndex = 0;
  }
  var first = table.querySelector("tbody select");
  if (first) setActive(first);

  function grid() {
    return Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (tr) {
      return Array.prototype.slice.call(tr.querySelectorAll("select"));
    });
  }
  function choose(sel, value) {
    if (!value || sel.value === value) return;
    sel.value = value;
    sel.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function busy(sel) { var td = sel.closest("td"); return !!td && td.getAttribute("aria-busy") === "true"; }

  table.addEventListener("keydown", function (e) {
    var sel = e.target;
    if (!(sel instanceof HTMLSelectElement) || e.altKey || e.ctrlKey || e.metaKey) return;
    if (busy(sel) && (e.key.length === 1 || e.key === "Enter")) {
      e.preventDefault(); // the previous change of this cell is still being saved; its version is not known yet
      return;
    }
    var g = grid(), r = -1, c = -1;
    for (var i = 0; i < g.length; i++) { c = g[i].indexOf(sel); if (c >= 0) { r = i; break; } }
    if (r < 0) return;
    var next = null;
    switch (e.key) {
      case "ArrowRight": next = g[r][c + 1]; break;
      case "ArrowLeft": next = g[r][c - 1]; break;
      case "ArrowDown": next = g[r + 1] && g[r + 1][Math.min(c, g[r + 1].length - 1)]; break;
      case "ArrowUp": next = g[r - 1] && g[r - 1][Math.min(c, g[r - 1].length - 1)]; break;
      case "Home": next = g[r][0]; break;
      case "End": next = g[r][g[r].length - 1]; break;
      case "1": case "2": case "3": case "4":
        e.preventDefault(); choose(sel, ORDER[Number(e.key) - 1]); return;
      case "Enter":
        e.preventDefault(); choose(sel, NEXT[sel.value]); return;
      default: return;
    }
    e.preventDefault();
    if (next) { setActive(next); next.focus(); }
  });
  table.addEventListener("focusin", function (e) {
    if (e.target instanceof HTMLSelectElement) setActive(e.target);
  });

  // While a cell is being saved (and until htmx has wired up the swapped cell) it is aria-busy and ignores keys:
  // its new version is not known yet. After the swap: one tab stop, and the focus stays on the same cell.
  var lastId = null;
  document.body.addEventListener("htmx:beforeRequest", function (e) {
    var el = e.detail && e.detail.elt;
    if (!el || !el.id) return;
    lastId = el.id;
    var td = el.closest("td");
    td.setAttribute("aria-busy", "true");
    td.setAttribute("data-pending", "");
    var status = document.getElementById("grid-status");
    if (status) status.innerHTML = "<p>保存しています…</p>";
  });
  document.body.addEventListener("htmx:afterRequest", function (e) {
    var el = e.detail && e.detail.elt;
    var xhr = e.detail && e.detail.xhr;
    if (e.detail && e.detail.failed && xhr && xhr.status !== 403 && xhr.status !== 409) {
      var status = document.getElementById("grid-status");
      if (status) status.innerHTML = '<p class="alert">保存できませんでした。ページを再読み込みしてください。</p>';
      var still = el && el.id ? document.getElementById(el.id) : null;
      if (still) { still.closest("td").removeAttribute("aria-busy"); still.closest("td").removeAttribute("data-pending"); }
    }
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    // cells just swapped in (busy until now, but not waiting for a request of their own)
    table.querySelectorAll("td[aria-busy]:not([data-pending])").forEach(function (td) {
      var sel = td.querySelector("select");
      detach(td);
      td.removeAttribute("aria-busy");
      if (sel) sel.tabIndex = -1;
    });
    var active = lastId && document.getElementById(lastId);
    if (active && (document.activeElement === active || document.activeElement === document.body)) {
      setActive(active);
      active.focus();
    }
  });
})();
