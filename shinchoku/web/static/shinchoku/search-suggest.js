/* Suggestions while typing in the 団体 search box (an ARIA 1.2 combobox). Without JavaScript the form posts to
   /search, which lists the same matches. */
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) return;
  var list = document.getElementById("q-suggestions");
  var status = document.getElementById("q-status");
  var form = input.form;
  var asOf = form && form.querySelector("input[name=as_of]");
  var items = [];
  var active = -1;
  var timer = null;
  var last = "";

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function target(item) {
    return item.url + (asOf ? "?as_of=" + encodeURIComponent(asOf.value) : "");
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    active = index;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(query, suggestions) {
    close();
    items = suggestions;
    status.textContent = query ? (items.length ? items.length + "件の候補があります" : "候補はありません") : "";
    if (!items.length) return;
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "q-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.href = target(item);
      li.textContent = item.name;
      var sub = document.createElement("span");
      sub.className = "sub";
      sub.textContent = " " + item.kind + "・" + item.code;
      li.appendChild(sub);
      li.addEventListener("mousedown", function (e) {
        e.preventDefault();
        window.location.href = li.dataset.href;
      });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function ask() {
    var query = input.value.trim();
    if (query === last) return;
    last = query;
    if (!query) { close(); status.textContent = ""; return; }
    fetch(input.dataset.suggest + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { query: query, suggestions: [] }; })
      .then(function (data) { if (data.query === input.value.trim()) show(query, data.suggestions); })
      .catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && items.length) {
      e.preventDefault();
      highlight((active + 1) % items.length);
    } else if (e.key === "ArrowUp" && items.length) {
      e.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      window.location.href = target(items[active]);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
