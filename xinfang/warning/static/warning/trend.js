// One alert's trend line: petitions a day over the baseline and the recent window (ECharts, vendored).
(function () {
  var node = document.getElementById("trend");
  var data = document.getElementById("trend-data");
  if (!node || !data || !window.echarts) { return; }
  var trend = JSON.parse(data.textContent);
  if (!trend.start) { return; }
  var start = new Date(trend.start + "T00:00:00");
  var days = trend.counts.map(function (_, n) {
    var d = new Date(start.getTime() + n * 86400000);
    return (d.getMonth() + 1) + "-" + d.getDate();
  });
  var view = window.echarts.init(node);
  view.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 16, top: 24, bottom: 40 },
    xAxis: { type: "category", data: days },
    yAxis: { type: "value", minInterval: 1, name: "件" },
    series: [{ type: "line", data: trend.counts, areaStyle: {} }]
  });
  window.addEventListener("resize", function () { view.resize(); });
})();
