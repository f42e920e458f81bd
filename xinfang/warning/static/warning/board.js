// The risk board's charts (ECharts, vendored): the daily trend by category and by region (the calendar heat
// map is a table in the page). The same numbers are in the Excel export.
(function () {
  var data = document.getElementById("board-data");
  if (!data || !window.echarts) { return; }
  var charts = JSON.parse(data.textContent);
  var views = [];
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
