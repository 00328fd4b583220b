// Draw the monitoring dashboard's charts with the project's own ECharts: the town
// map coloured by any indicator, registered vs migrant coverage, and trends.
(function () {
  "use strict";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  function fmt(value) { return value == null ? "—" : String(value); }

  // Say what a chart is waiting for, or that it failed, in the line under it
  // (issue 13): its texts come from the page, in the reader's language.
  function state(element, name) {
    var line = document.getElementById(element.id + "-state");
    if (!line) { return; }
    line.textContent = name ? (line.dataset[name] || "") : "";
    line.classList.toggle("chart-loading", name === "loading");
    line.classList.toggle("chart-error", name === "error");
    line.classList.toggle("chart-updating", name === "updating");
  }

  function loading(element, chart) {
    state(element, "loading");
    chart.showLoading({ text: "" });
  }

  function loaded(element, chart, data) {
    chart.hideLoading();
    state(element, data && data.updating ? "updating" : "");
  }

  function failed(element, chart) {
    chart.hideLoading();
    chart.clear();
    state(element, "error");
  }

  // Every name and figure is escaped before ECharts inserts a tooltip as HTML
  // (issue 10, finding 2); markers are coloured by class, not by a style
  // attribute, which the Content Security Policy refuses.
  function text(value) { return echarts.format.encodeHTML(value == null ? "" : String(value)); }

  function axisTooltip(unit) {
    return function (params) {
      var lines = [text(params.length ? params[0].axisValueLabel : "")];
      params.forEach(function (p) {
        lines.push('<span class="chart-marker chart-series-' + p.seriesIndex + '"></span>' +
          text(p.seriesName) + ": <strong>" + text(fmt(p.value)) + unit + "</strong>");
      });
      return lines.join("<br>");
    };
  }

  function drawMap(element, select) {
    var chart = echarts.init(element);
    function load() {
      var url = element.dataset.url + "?indicator=" + encodeURIComponent(select.value) +
        "&period=" + encodeURIComponent(element.dataset.period);
      loading(element, chart);
      getJSON(url).then(function (data) {
        loaded(element, chart, data);
        echarts.registerMap("monitoring-towns", data.towns);
        var values = data.towns.features.map(function (f) { return f.properties.value; })
          .filter(function (v) { return v != null; });
        var min = values.length ? Math.min.apply(null, values) : 0;
        var max = values.length ? Math.max.apply(null, values) : 1;
        // Shares keep their whole 0–100 scale: one town at 100 % is not "lowest".
        if (data.unit === "%") { min = Math.min(0, min); max = Math.max(100, max); }
        if (max === min) { min = Math.min(0, min); max = Math.max(max, min + 1); }
        // Lower is better for "at most" targets: reverse the colours.
        var colours = data.direction === "at_most" ? ["#d8efe0", "#f7f1d9", "#f4a79f"] : ["#f4a79f", "#f7f1d9", "#8fd0a6"];
        chart.setOption({
          title: { text: data.label + " (" + data.unit + ") " + data.period, left: 8, top: 4, textStyle: { fontSize: 13 } },
          // confine: no arrow, which ECharts draws with a style attribute the CSP refuses.
          tooltip: { trigger: "item", confine: true, formatter: function (p) {
            var d = p.data || {};
            return text(d.label || p.name) + ": " + text(d.value == null || isNaN(d.value) ? element.dataset.noValue : d.value + " " + data.unit);
          } },
          visualMap: { min: min, max: max, left: 8, bottom: 16, calculable: true, inRange: { color: colours }, text: [String(max), String(min)] },
          series: [{ type: "map", map: "monitoring-towns", roam: true, aspectScale: 0.92, nameProperty: "name",
            emphasis: { label: { show: true } },
            itemStyle: { borderColor: "#8a96a3", borderWidth: 0.8, areaColor: "#eef1f4" },
            data: data.towns.features.map(function (f) {
              return { name: f.properties.name, value: f.properties.value, label: f.properties.label };
            }) }]
        }, true);
      }).catch(function () { failed(element, chart); });
    }
    select.addEventListener("change", load);
    window.addEventListener("resize", function () { chart.resize(); });
    load();
  }

  function drawTrend(element, select) {
    var chart = echarts.init(element);
    function load() {
      var url = element.dataset.url + "?indicator=" + encodeURIComponent(select.value) +
        "&place=" + encodeURIComponent(element.dataset.place);
      loading(element, chart);
      getJSON(url).then(function (data) {
        loaded(element, chart, data);
        var periods = data.points.map(function (p) { return p.period; });
        chart.setOption({
          title: { text: data.label + " (" + data.unit + ")", left: 8, top: 4, textStyle: { fontSize: 13 } },
          tooltip: { trigger: "axis", confine: true, formatter: axisTooltip("") },
          legend: { bottom: 4 },
          xAxis: { type: "category", data: periods },
          yAxis: { type: "value", scale: true },
          series: [
            { name: element.dataset.value, type: "line", data: data.points.map(function (p) { return p.value; }), connectNulls: false, symbolSize: 8 },
            { name: element.dataset.target, type: "line", step: "end", lineStyle: { type: "dashed" }, data: data.points.map(function (p) { return p.target; }) },
            { name: element.dataset.expected, type: "line", lineStyle: { type: "dotted" }, data: data.points.map(function (p) { return p.expected; }) }
          ]
        }, true);
      }).catch(function () { failed(element, chart); });
    }
    select.addEventListener("change", load);
    window.addEventListener("resize", function () { chart.resize(); });
    load();
  }

  function drawCoverage(element, rows) {
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis", confine: true, formatter: axisTooltip(" %") },
      legend: { bottom: 4 },
      grid: { left: 8, right: 24, containLabel: true },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      series: [
        { name: element.dataset.registered, type: "bar", data: rows.map(function (r) { return r.registered; }) },
        { name: element.dataset.migrant, type: "bar", data: rows.map(function (r) { return r.migrant; }) }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    var map = document.getElementById("monitoring-map");
    var mapSelect = document.getElementById("map-indicator");
    if (map && mapSelect && mapSelect.value) { drawMap(map, mapSelect); }
    var trend = document.getElementById("trend-chart");
    var trendSelect = document.getElementById("trend-indicator");
    if (trend && trendSelect && trendSelect.value) { drawTrend(trend, trendSelect); }
    var coverage = document.getElementById("coverage-chart");
    var data = document.getElementById("coverage-data");
    if (coverage && data) {
      var rows = JSON.parse(data.textContent);
      if (rows.length) { drawCoverage(coverage, rows); }
    }
  });
})();
