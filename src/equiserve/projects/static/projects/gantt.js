// Draw the projects' milestones as a Gantt chart with the project's own ECharts
// (issue 17): one bar per milestone from its planned start to its planned
// completion; overdue bars red, done green, the rest blue; a line for today.
(function () {
  "use strict";
  var COLOURS = { done: "#1b7f3b", overdue: "#c0392b", pending: "#2f6db5" };

  function text(value) { return echarts.format.encodeHTML(value == null ? "" : String(value)); }

  function state(element, name) {
    var line = document.getElementById(element.id + "-state");
    if (!line) { return; }
    line.textContent = name ? (line.dataset[name] || "") : "";
    line.classList.toggle("chart-error", name === "error");
  }

  function colour(m) { return m.overdue ? COLOURS.overdue : (m.status === "done" ? COLOURS.done : COLOURS.pending); }

  function draw(element, data) {
    var rows = data.milestones;
    element.style.height = Math.max(160, 28 * rows.length + 80) + "px";
    var labels = rows.map(function (m) { return m.project + " · " + m.name; });
    var chart = echarts.init(element);
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 30, bottom: 30, containLabel: true },
      tooltip: {
        formatter: function (p) {
          var m = rows[p.value[0]];
          return text(m.project) + "<br>" + text(m.name) + "<br>" + text(m.start) + " – " + text(m.end) +
            (m.actual ? "<br>" + text(element.dataset.labelActual) + " " + text(m.actual) : "") +
            "<br>" + text(m.status_label) + (m.overdue ? " · " + text(element.dataset.labelOverdue) : "");
        }
      },
      xAxis: { type: "time", position: "top" },
      yAxis: { type: "category", data: labels, inverse: true, axisLabel: { width: 320, overflow: "truncate" } },
      series: [{
        type: "custom",
        encode: { x: [1, 2], y: 0 },
        data: rows.map(function (m, i) {
          return { value: [i, m.start, m.end], itemStyle: { color: colour(m) } };
        }),
        renderItem: function (params, api) {
          var start = api.coord([api.value(1), api.value(0)]);
          var end = api.coord([api.value(2), api.value(0)]);
          var height = api.size([0, 1])[1] * 0.6;
          return {
            type: "rect",
            shape: { x: start[0], y: start[1] - height / 2, width: Math.max(end[0] - start[0], 3), height: height },
            style: api.style()
          };
        },
        markLine: {
          symbol: "none", silent: true, label: { formatter: element.dataset.labelToday || "" },
          data: [{ xAxis: data.today }]
        }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("project-gantt");
    if (!element || typeof echarts === "undefined") { return; }
    state(element, "loading");
    fetch(element.dataset.url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        if (!data.milestones.length) { state(element, "empty"); return; }
        state(element, "");
        draw(element, data);
      })
      .catch(function () { state(element, "error"); });
  });
})();
