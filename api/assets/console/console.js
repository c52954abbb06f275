// The console's charts (ours; served at /assets/console.js). A page marks each
// chart as <div class="chart" data-chart="{…}"> with the JSON that
// api/src/web/charts.rs writes; this draws it with the embedded ECharts (SVG
// renderer: crisp when printed, and its drawing is in the page for tests).
// Loaded on every page (ECharts only where there are charts): it also asks the
// confirmation of each <form data-confirm="…"> before it is posted, and a
// print page's <button data-print> opens the browser's print dialog.
(function () {
  "use strict";
  function option(spec) {
    var series = spec.series.map(function (s) {
      var one = { name: s.name, type: spec.kind, data: s.data, barMaxWidth: 64, label: { show: spec.kind === "bar", position: "top" } };
      if (spec.passLine !== null && spec.passLine !== undefined) {
        // The label sits above the line's end inside the grid: at the default
        // "end", past the grid's right edge, the chart's box cut it off.
        one.markLine = { symbol: "none", silent: true, data: [{ yAxis: spec.passLine, name: spec.passLabel || "" }],
          lineStyle: { color: "#b91c1c", type: "dashed" }, label: { formatter: spec.passLabel || "{c}", position: "insideEndTop" } };
      }
      return one;
    });
    return {
      animation: false,
      textStyle: { fontFamily: "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif" },
      tooltip: { trigger: "axis" },
      legend: { show: series.length > 1, top: 0 },
      // Room on the right for the pass line's label (合格线 90.00 分).
      grid: { left: 48, right: spec.passLabel ? 110 : 24, top: 36, bottom: 64 },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: spec.unit || "", min: spec.min, max: spec.max },
      series: series
    };
  }
  function draw(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) { return; }
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(JSON.parse(el.getAttribute("data-chart"))));
      el.setAttribute("data-drawn", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  function confirmForms(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }
  function printButtons(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); confirmForms(document); printButtons(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); confirmForms(e.target); });
})();
