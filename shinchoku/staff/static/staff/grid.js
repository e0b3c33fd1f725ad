/* Status grid editor: keyboard layer over the plain form (roving focus, arrow keys, 1-4, Enter).
   htmx posts the changed cell and swaps its <td>; without JavaScript the page is an ordinary form. */
(function () {
  "use strict";
  var table = document.getElementById("grid");
  if (!table) return;
  // Keys 1-4 follow the dropdown's order. Enter moves one option up the list, towards 完了済み, and stops there:
  // a finished (完了済み) or 対象外 cell never changes by a single stray Enter.
  var ORDER = ["completed", "in_progress", "not_started", "not_applicable"];
  var NEXT = { not_started: "in_progress", in_progress: "completed" };
  var LABELS = { completed: "完了済み", in_progress: "作業中", not_started: "未着手", not_applicable: "対象外" };
  var queued = {};   // cell id -> the status typed while that cell was being saved (applied after the save)
  var undoing = {};  // cell id -> true while an undo of that cell is being saved
  var saved = [];  // saved changes of this page, newest last: {id, from, to}
  var initial = {};  // cell id -> status when the page was loaded (to mark the cells changed in this session)
  table.querySelectorAll("tbody select").forEach(function (s) { initial[s.id] = s.value; });
  var tools = document.getElementById("grid-tools");
  var undoButton = document.getElementById("grid-undo");
  var changedText = document.getElementById("grid-changed");
  if (tools) tools.hidden = false;
  function say(html) { var st = document.getElementById("grid-status"); if (st) st.innerHTML = html; }

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

  function wanted(sel, key) {
    var base = queued[sel.id] || sel.value;
    return key === "Enter" ? NEXT[base] : ORDER[Number(key) - 1];
  }
  function refreshChanged() {
    var n = 0;
    table.querySelectorAll("tbody select").forEach(function (s) {
      var td = s.closest("td");
      var changed = initial[s.id] !== undefined && s.value !== initial[s.id];
      if (changed) n++;
      td.classList.toggle("changed", changed);
    });
    if (changedText) changedText.textContent = "この画面で変更したセル：" + n + " 件";
    if (undoButton) undoButton.disabled = saved.length === 0;
  }
  function undo() {
    var last = saved.pop();
    if (!last) { say("<p>元に戻す変更はありません。</p>"); return; }
    var sel = document.getElementById(last.id);
    if (!sel) return;
    undoing[last.id] = true;
    setActive(sel);
    sel.focus();
    choose(sel, last.from);
  }
  if (undoButton) undoButton.addEventListener("click", undo);

  table.addEventListener("keydown", function (e) {
    var sel = e.target;
    if (!(sel instanceof HTMLSelectElement)) return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "z" || e.key === "Z")) { e.preventDefault(); undo(); return; }
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var isStatusKey = e.key === "Enter" || (e.key.length === 1 && "1234".indexOf(e.key) >= 0);
    if (busy(sel) && isStatusKey) {
      // the previous change of this cell is still being saved (its version is not known yet): queue the key
      e.preventDefault();
      var value = wanted(sel, e.key);
      if (value) { queued[sel.id] = value; say("<p>保存中です。「" + LABELS[value] + "」は前の保存のあとに保存します。</p>"); }
      return;
    }
    if (busy(sel) && e.key.length === 1) { e.preventDefault(); return; }
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
        e.preventDefault();
        if (NEXT[sel.value]) choose(sel, NEXT[sel.value]);
        else say("<p>" + LABELS[sel.value] + "のセルは Enter では変わりません。変えるときは数字キー（1〜4）で選んでください。</p>");
        return;
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
    var original = td.querySelector('input[name^="o-"]');
    el.setAttribute("data-from", original ? original.value : "");
    td.setAttribute("aria-busy", "true");
    td.setAttribute("data-pending", "");
    var status = document.getElementById("grid-status");
    if (status) status.innerHTML = "<p>保存しています…</p>";
  });
  document.body.addEventListener("htmx:afterRequest", function (e) {
    // The select that sent the request. Not detail.elt: once its cell is swapped out, htmx fires the event again
    // on the nearest element still in the page (the row) and detail.elt names that row.
    var el = e.detail && ((e.detail.requestConfig && e.detail.requestConfig.elt) || e.detail.elt);
    var xhr = e.detail && e.detail.xhr;
    if (el && el.id && xhr && xhr.status === 200) {
      var from = el.getAttribute("data-from");
      if (undoing[el.id]) delete undoing[el.id];
      else if (from && from !== el.value) saved.push({ id: el.id, from: from, to: el.value });
    } else if (el && el.id) {
      delete undoing[el.id];
      delete queued[el.id]; // refused (conflict, permission, error): the queued key must not overwrite blindly
    }
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
    refreshChanged();
    // keys typed while a cell was being saved: now that its new version is known, save them in order
    Object.keys(queued).forEach(function (id) {
      var sel = document.getElementById(id);
      if (!sel || busy(sel)) return;
      var value = queued[id];
      delete queued[id];
      choose(sel, value);
    });
  });
})();
