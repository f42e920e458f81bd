// The ratio indicators as a bar chart (ECharts, vendored). The same numbers are in the table above.
(function () {
  var node = document.getElementById("chart");
  var data = document.getElementById("chart-data");
  if (!node || !data || !window.echarts) { return; }
  var chart = JSON.parse(data.textContent);
  var view = window.echarts.init(node);
  view.setOption({
    tooltip: {},
    grid: { left: 48, right: 16, bottom: 80 },
    xAxis: { type: "category", data: chart.names, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", max: 100, name: "%" },
    series: [{ type: "bar", data: chart.values, label: { show: true, position: "top" } }]
  });
  window.addEventListener("resize", function () { view.resize(); });
})();
