// The risk board's charts (ECharts, vendored): petitions a day as a calendar heat map, and the daily trend by
// category and by region. The same numbers are in the Excel export.
(function () {
  var data = document.getElementById("board-data");
  if (!data || !window.echarts) { return; }
  var charts = JSON.parse(data.textContent);
  var views = [];
  var max = 1;
  charts.calendar.forEach(function (d) { if (d[1] > max) { max = d[1]; } });
  var calendar = document.getElementById("calendar");
  if (calendar) {
    var cal = window.echarts.init(calendar);
    cal.setOption({
      tooltip: {},
      visualMap: { min: 0, max: max, orient: "horizontal", left: "center", bottom: 0, calculable: true },
      calendar: { range: charts.range, cellSize: ["auto", 14], top: 40, left: 40, right: 16,
        dayLabel: { nameMap: "cn" }, monthLabel: { nameMap: "cn" } },
      series: [{ type: "heatmap", coordinateSystem: "calendar", data: charts.calendar }]
    });
    views.push(cal);
  }
  function lines(id, groups) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var view = window.echarts.init(node);
    view.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 40 },
      xAxis: { type: "category", data: charts.days },
      yAxis: { type: "value", minInterval: 1 },
      series: groups.map(function (g) { return { name: g.name, type: "line", data: g.data }; })
    });
    views.push(view);
  }
  lines("trend-category", charts.by_category);
  lines("trend-region", charts.by_region);
  window.addEventListener("resize", function () { views.forEach(function (v) { v.resize(); }); });
})();
