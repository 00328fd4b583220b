// Draw the facilities map with the project's own ECharts: town areas (coloured by
// the share within the fitness circle), the city outline, facilities, villages.
(function () {
  "use strict";
  var GROUPS = {
    culture: ["culture_centre", "library", "culture_venue", "town_plaza", "culture_room", "village_plaza"],
    sports: ["sports_ground", "fitness_ground", "guidance_station"],
    schools: ["senior_high", "vocational_school"],
    disability: ["disability_service"]
  };
  var COLOURS = { culture: "#7b4ab3", sports: "#1b7f3b", schools: "#4a4f57", disability: "#b26a00" };

  // Names come from imports by any department: escape them before ECharts
  // inserts a tooltip as HTML (issue 10, finding 2).
  function text(value) { return echarts.format.encodeHTML(value == null ? "" : String(value)); }

  function groupOf(kind) {
    for (var name in GROUPS) { if (GROUPS[name].indexOf(kind) >= 0) { return name; } }
    return "culture";
  }

  // Towns are coloured against the target, never by the size of their share
  // (issue 14, deliverable 7): the same colours as the legend in _map.html.
  var STATUS_COLOURS = { met: "#8fd0a6", not_met: "#f4a79f", no_target: "#dfe6ee", no_data: "#ffffff" };

  function percent(share) { return share == null || isNaN(share) ? "—" : (share * 100).toFixed(1) + "%"; }

  function state(element, name) {
    var line = document.getElementById(element.id + "-state");
    if (!line) { return; }
    line.textContent = name ? (line.dataset[name] || "") : "";
    line.classList.toggle("chart-error", name === "error");
  }

  function draw(element, data) {
    var label = function (key) { return element.dataset["label" + key] || key; };
    echarts.registerMap("equiserve-towns", data.towns);
    var chart = echarts.init(element);
    var facilitySeries = Object.keys(GROUPS).map(function (group) {
      return {
        name: label(group.charAt(0).toUpperCase() + group.slice(1)),
        type: "scatter", coordinateSystem: "geo", symbolSize: group === "sports" ? 4 : 7,
        itemStyle: { color: COLOURS[group], opacity: 0.85 },
        data: data.facilities.filter(function (f) { return groupOf(f[2]) === group; })
          .map(function (f) { return { value: [f[0], f[1]], name: f[3] + " (" + f[4] + ")" }; }),
        zlevel: 2
      };
    });
    chart.setOption({
      // confine: no arrow, which ECharts draws with a style attribute the CSP refuses.
      tooltip: { trigger: "item", confine: true, formatter: function (p) {
        if (p.seriesType === "map") { return text(p.data && p.data.town || p.name) + ": " + percent(p.data && p.data.share); }
        if (p.seriesName === "villages") { return text(p.data.name) + ": " + percent(p.data.value[2]); }
        return text(p.name);
      } },
      // One legend, for the facilities; the town colours' legend is the page's.
      legend: { bottom: 4, data: facilitySeries.map(function (s) { return s.name; }) },
      // Degrees of longitude are cos(22.5°) shorter than degrees of latitude here.
      geo: { map: "equiserve-towns", roam: true, aspectScale: 0.92, layoutCenter: ["50%", "48%"], layoutSize: "92%",
             itemStyle: { borderColor: "#8a96a3", borderWidth: 0.8, areaColor: STATUS_COLOURS.no_data },
             // Town names on the map, with their share, not only on hover.
             label: { show: true, fontSize: 10, color: "#1d2733" },
             emphasis: { disabled: true }, nameProperty: "name",
             regions: data.towns.features.map(function (f) {
               return { name: f.properties.name, itemStyle: { areaColor: STATUS_COLOURS[f.properties.status] || STATUS_COLOURS.no_data },
                 label: { show: true, formatter: (f.properties.label || f.properties.name) + "\n" + percent(f.properties.share) } };
             }) },
      series: [
        { type: "map", geoIndex: 0, name: label("Covered"),
          data: data.towns.features.map(function (f) {
            return { name: f.properties.name, value: f.properties.share, share: f.properties.share, town: f.properties.label };
          }) },
        { type: "lines", coordinateSystem: "geo", polyline: true, silent: true, zlevel: 1,
          lineStyle: { color: "#1d2733", width: 2 },
          data: data.outline.map(function (ring) { return { coords: ring }; }) },
        { name: "villages", type: "scatter", coordinateSystem: "geo", symbol: "rect", symbolSize: 8, zlevel: 3,
          itemStyle: { color: "#4a4f57", borderColor: "#fff", borderWidth: 0.5 },
          data: data.villages.map(function (v) { return { value: [v[0], v[1], v[2]], name: v[3] + " (" + v[4] + ")" }; }) }
      ].concat(facilitySeries)
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("facility-map");
    if (!element || typeof echarts === "undefined") { return; }
    state(element, "loading");
    fetch(element.dataset.url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        if (!data.towns.features.length) { state(element, "empty"); return; }
        state(element, "");
        draw(element, data);
      })
      .catch(function () { state(element, "error"); });
  });
})();
