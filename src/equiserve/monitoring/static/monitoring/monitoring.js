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

  function valueText(value, unit, none) {
    return value == null || isNaN(value) ? none : value + (unit ? " " + unit : "");
  }

  // The colours of the legend in templates/includes/target_legend.html.
  var TARGET_COLOURS = { met: "#8fd0a6", not_met: "#f4a79f", no_target: "#dfe6ee", no_data: "#ffffff" };

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
        var known = data.towns.features.filter(function (f) { return f.properties.value != null; });
        if (!known.length) { chart.clear(); state(element, "empty"); return; }
        // Towns are coloured against the target, never by the size of their
        // value (issue 14, deliverable 7): the page's legend names the colours.
        chart.setOption({
          title: { text: data.label + " (" + data.unit + ") " + data.period, left: 8, top: 4, textStyle: { fontSize: 13 } },
          // confine: no arrow, which ECharts draws with a style attribute the CSP refuses.
          tooltip: { trigger: "item", confine: true, formatter: function (p) {
            var d = p.data || {};
            return text(d.town || p.name) + ": " + text(valueText(d.value, data.unit, element.dataset.noValue));
          } },
          series: [{ type: "map", map: "monitoring-towns", roam: true, aspectScale: 0.92, nameProperty: "name",
            // Town names and values on the map, not only on hover.
            label: { show: true, fontSize: 10, color: "#1d2733", formatter: function (p) {
              var d = p.data || {};
              return (d.town || p.name) + "\n" + valueText(d.value, "", "—");
            } },
            emphasis: { label: { show: true } },
            itemStyle: { borderColor: "#8a96a3", borderWidth: 0.8, areaColor: TARGET_COLOURS.no_data },
            data: data.towns.features.map(function (f) {
              return { name: f.properties.name, value: f.properties.value, town: f.properties.label,
                itemStyle: { areaColor: TARGET_COLOURS[f.properties.status] || TARGET_COLOURS.no_data } };
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

  var BAR_LABEL = { show: true, position: "right", fontSize: 10, formatter: function (p) { return valueText(p.value, "%", "—"); } };

  function drawCoverage(element, rows) {
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis", confine: true, formatter: axisTooltip(" %") },
      legend: { bottom: 4 },
      grid: { left: 8, right: 24, containLabel: true },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      // A share of 0.0–0.4 % still shows a bar, and every bar says its value
      // (issue 14, deliverable 7).
      series: [
        { name: element.dataset.registered, type: "bar", barMinHeight: 3, label: BAR_LABEL, data: rows.map(function (r) { return r.registered; }) },
        { name: element.dataset.migrant, type: "bar", barMinHeight: 3, label: BAR_LABEL, data: rows.map(function (r) { return r.migrant; }) }
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
      if (rows.length) { drawCoverage(coverage, rows); } else { state(coverage, "empty"); }
    }
  });
})();
