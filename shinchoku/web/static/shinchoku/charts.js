/* Draws each chart over the numbers of the table beside it (json_script data); without JS the table remains. */
(function () {
  "use strict";
  if (!window.echarts) return;

  // Okabe–Ito: distinguishable with the common colour-vision differences.
  var COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
  // Status colours follow the page's legend; the decal patterns tell them apart without colour.
  var STATUS_COLORS = { "完了済み": "#0072B2", "対象外": "#999999", "作業中": "#E69F00", "未着手": "#F0F0F0" };
  var SYMBOLS = ["circle", "rect", "triangle", "diamond"];
  var LINE_TYPES = ["solid", "dashed", "dotted", "solid"];
  var FONT = '"Hiragino Sans", "Noto Sans JP", "Noto Sans CJK JP", "Yu Gothic", "Meiryo", sans-serif';
  var TYPE_LABEL = { line: "折れ線グラフ", bar: "棒グラフ", hbar: "横棒グラフ", stacked: "積み上げ横棒グラフ" };

  function fmt(spec, v) {
    if (v === null || v === undefined) return "—";
    return spec.percent ? v.toFixed(1) + "%" : Number(v).toLocaleString("ja-JP") + (spec.unit || "");
  }

  function describe(spec) {
    // A Japanese summary for screen readers; ECharts' own generated text would be English or Chinese.
    var parts = [spec.title + "の" + (TYPE_LABEL[spec.type] || "グラフ") + "です。"];
    var cats = spec.categories;
    spec.series.forEach(function (s) {
      if (!cats.length) return;
      if (spec.type === "line") {
        parts.push(s.name + "は" + cats[0] + "の" + fmt(spec, s.data[0]) + "から" +
          cats[cats.length - 1] + "の" + fmt(spec, s.data[s.data.length - 1]) + "になりました。");
      } else if (!spec.stacked) {
        var best = 0;
        s.data.forEach(function (v, i) { if (v !== null && (s.data[best] === null || v > s.data[best])) best = i; });
        parts.push(s.name + "が最も大きいのは" + cats[best] + "（" + fmt(spec, s.data[best]) + "）です。");
      }
    });
    (spec.lines || []).forEach(function (l) { parts.push("基準線：" + l.label + "（" + fmt(spec, l.value) + "）。"); });
    parts.push("同じ数値は表で読めます。");
    return parts.join("");
  }

  function option(spec) {
    var horizontal = spec.type === "hbar" || spec.type === "stacked";
    var valueAxis = {
      type: "value",
      max: spec.percent ? 100 : (spec.max || null),
      axisLabel: { formatter: spec.percent ? "{value}%" : "{value}", color: "#1a1a1a" },
      splitLine: { lineStyle: { color: "#cccccc" } }
    };
    var categoryAxis = {
      type: "category",
      data: spec.categories,
      inverse: horizontal,
      axisLabel: { color: "#1a1a1a", interval: horizontal ? 0 : "auto", hideOverlap: true },
      axisLine: { lineStyle: { color: "#4a4a4a" } }
    };
    var series = spec.series.map(function (s, i) {
      var base = { name: s.name, data: s.data };
      if (spec.type === "line") {
        return Object.assign(base, {
          type: "line", symbol: SYMBOLS[i % SYMBOLS.length], symbolSize: 7, connectNulls: true,
          lineStyle: { width: 3, type: LINE_TYPES[i % LINE_TYPES.length] }
        });
      }
      var bar = Object.assign(base, { type: "bar", barMaxWidth: 28 });
      if (spec.stacked) {
        bar.stack = "all";
        bar.itemStyle = { color: STATUS_COLORS[s.name] || COLORS[i % COLORS.length], borderColor: "#4a4a4a", borderWidth: 0.5 };
      }
      return bar;
    });
    if (spec.lines && spec.lines.length && series.length) {
      // Reference lines (a target, published survey figures), labelled; the page's table lists them too.
      series[0].markLine = {
        symbol: "none", silent: true, animation: false,
        lineStyle: { color: "#1a1a1a", type: "dashed", width: 1.5 },
        label: {
          color: "#1a1a1a", formatter: "{b}", position: horizontal ? "end" : "insideEndTop",
          backgroundColor: "rgba(255, 255, 255, 0.85)", padding: [1, 3]
        },
        data: spec.lines.map(function (l) {
          var d = { name: l.label + " " + fmt(spec, l.value) };
          d[horizontal ? "xAxis" : "yAxis"] = l.value;
          return d;
        })
      };
    }
    return {
      animation: false,
      color: COLORS,
      textStyle: { fontFamily: FONT, color: "#1a1a1a" },
      aria: { enabled: true, label: { description: describe(spec) }, decal: { show: spec.type !== "line" } },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (v) { return fmt(spec, v); }
      },
      legend: { top: 0, textStyle: { color: "#1a1a1a" } },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series
    };
  }

  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll(".chart[data-chart]"), function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    el.hidden = false;
    el.setAttribute("role", "img");
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(spec));
    charts.push(chart);
    // With a chart drawn, a long table of the same numbers folds away (one click opens it again).
    var section = el.closest("section");
    var details = section && section.querySelector("details[data-collapse-with-chart]");
    if (details) details.open = false;
  });

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (c) { c.resize(); });
    }, 100);
  });
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
