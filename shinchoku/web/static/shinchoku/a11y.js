/* 表示の設定 (文字サイズ, ハイコントラスト) remembered per browser, and 読み上げ with the browser's speech. */
(function () {
  "use strict";
  var SIZE_KEY = "shinchoku.textSize";
  var CONTRAST_KEY = "shinchoku.contrast";
  var root = document.documentElement;
  var tools = document.getElementById("display-tools");
  if (!tools) return;

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function write(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) { /* not remembered, but still applied to this page */ }
  }
  function notifyLayout() {
    // Charts measure their box; tell them the text (and so the layout) changed size.
    window.dispatchEvent(new Event("resize"));
  }

  var sizeButtons = Array.prototype.slice.call(tools.querySelectorAll("[data-text-size]"));
  function applySize(size) {
    root.classList.remove("text-large", "text-xlarge");
    if (size === "large" || size === "xlarge") root.classList.add("text-" + size);
    sizeButtons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-text-size") === size));
    });
  }
  applySize(read(SIZE_KEY) || "standard");
  sizeButtons.forEach(function (b) {
    b.addEventListener("click", function () {
      var size = b.getAttribute("data-text-size");
      write(SIZE_KEY, size === "standard" ? null : size);
      applySize(size);
      notifyLayout();
    });
  });

  var contrast = tools.querySelector("[data-contrast]");
  function applyContrast(on) {
    root.classList.toggle("contrast-high", on);
    contrast.setAttribute("aria-pressed", String(on));
  }
  applyContrast(read(CONTRAST_KEY) === "high");
  contrast.addEventListener("click", function () {
    var on = contrast.getAttribute("aria-pressed") !== "true";
    write(CONTRAST_KEY, on ? "high" : null);
    applyContrast(on);
  });

  setUpSpeech();
  tools.hidden = false;

  function setUpSpeech() {
    var group = tools.querySelector(".speech-tools");
    var synth = window.speechSynthesis;
    // Hidden where the browser cannot speak: a button that does nothing would mislead.
    if (!group || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;
    var speak = group.querySelector("[data-speak]");
    var stop = group.querySelector("[data-speak-stop]");
    var status = group.querySelector("[data-speak-status]");
    function done() { stop.disabled = true; }
    speak.addEventListener("click", function () {
      // The heading without its badge, then the badge on its own (「…の進捗。架空のサンプルデータ。」), then the
      // summary: its plain first sentence and the key figures.
      var heading = document.querySelector("h1");
      var title = "";
      var badges = [];
      if (heading) {
        var copy = heading.cloneNode(true);
        copy.querySelectorAll(".tag").forEach(function (tag) { badges.push(tag.textContent); tag.remove(); });
        title = copy.textContent;
      }
      var summary = document.getElementById("page-summary");
      var text = [title].concat(badges, [summary && summary.textContent])
        .filter(Boolean).join("。").replace(/\s+/g, " ").replace(/。。/g, "。").trim();
      if (!text) return;
      synth.cancel();
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = "ja-JP";
      var voices = typeof synth.getVoices === "function" ? synth.getVoices() : [];
      var ja = voices.filter(function (v) { return /^ja/i.test(v.lang); })[0];
      if (ja) utterance.voice = ja;
      if (status) {
        status.textContent = ja ? "" : "この端末には日本語の読み上げ音声が見つかりません。読み上げられないか、ほかの言語の音声で読まれることがあります。";
      }
      utterance.rate = 1;
      utterance.onend = done;
      utterance.onerror = done;
      stop.disabled = false;
      synth.speak(utterance);
    });
    stop.addEventListener("click", function () {
      synth.cancel();
      done();
      speak.focus();
    });
    group.hidden = false;
  }
})();
