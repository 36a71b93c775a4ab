// Appraisal distribution (appraisals/distribution.html), moved out of the page for the CSP.
// The two charts draw the numbers the tables on this page show; hovering gives each count.
(function () {
  const source = document.getElementById("appraisal-chart-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const colors = ["#b8141b", "#2e7d32", "#e0a526", "#6c757d"];
  const charts = [];
  function draw(id, option) {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }
  draw("chart-total", {
    color: colors,
    tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
    legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "44%"], data: data.total, label: { formatter: "{c}" } }],
  });
  const b = data.branches;
  const many = b.labels.length > 12;
  draw("chart-branches", {
    color: colors,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: many ? 40 : 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: b.labels, inverse: true, axisLabel: { width: 130, overflow: "truncate" } },
    dataZoom: many ? [{ type: "slider", yAxisIndex: 0, right: 4, width: 16, startValue: 0, endValue: 11 }, { type: "inside", yAxisIndex: 0 }] : [],
    series: data.grades.map((name, i) => ({ name: name, type: "bar", stack: "grades", data: b.series[i] })),
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  document.querySelectorAll("[data-view][data-target]").forEach((button) => {
    button.addEventListener("click", () => {
      const target = button.dataset.target;
      const showTable = button.dataset.view === "table";
      document.getElementById("chart-" + target).classList.toggle("d-none", showTable);
      document.getElementById("table-" + target).classList.toggle("d-none", !showTable);
      button.parentElement.querySelectorAll("button").forEach((x) => x.classList.toggle("active", x === button));
      if (!showTable) charts.forEach((c) => c.resize());
    });
  });
})();
