// Pledge statistics: two ECharts bar charts drawn from the numbers the page's tables also show.
(function () {
  const source = document.getElementById("pledge-chart-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const red = "#b8141b", gold = "#e0a526", grey = "#6c757d";
  const pct = (v) => (v === null || v === undefined ? "—" : v + "%");
  const tooltip = {
    trigger: "axis",
    axisPointer: { type: "shadow" },
    valueFormatter: pct,
  };
  const charts = [];

  function draw(id, option) {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }

  const cat = data.categories;
  draw("chart-cat", {
    color: [red, gold],
    tooltip: tooltip,
    legend: { top: 0 },
    grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: cat.labels, inverse: true, axisLabel: { width: 150, overflow: "truncate" } },
    series: [
      { name: data.names.approval, type: "bar", data: cat.approval, label: { show: true, position: "right", formatter: (p) => pct(p.value) } },
      { name: data.names.kept, type: "bar", data: cat.kept, label: { show: true, position: "right", formatter: (p) => pct(p.value) } },
    ],
  });

  const org = data.branches;
  const many = org.labels.length > 12;
  draw("chart-org", {
    color: [red, gold, grey],
    tooltip: tooltip,
    legend: { top: 0 },
    grid: { left: 8, right: many ? 40 : 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: org.labels, inverse: true, axisLabel: { width: 130, overflow: "truncate" } },
    dataZoom: many ? [{ type: "slider", yAxisIndex: 0, right: 4, width: 16, startValue: 0, endValue: 11 }, { type: "inside", yAxisIndex: 0 }] : [],
    series: [
      { name: data.names.participation, type: "bar", data: org.participation },
      { name: data.names.approval, type: "bar", data: org.approval },
      { name: data.names.kept, type: "bar", data: org.kept },
    ],
  });

  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

  // Chart / table switches.
  document.querySelectorAll("[data-view][data-target]").forEach((button) => {
    button.addEventListener("click", () => {
      const target = button.dataset.target;
      const showTable = button.dataset.view === "table";
      document.getElementById("chart-" + target).classList.toggle("d-none", showTable);
      document.getElementById("table-" + target).classList.toggle("d-none", !showTable);
      button.parentElement.querySelectorAll("button").forEach((b) => b.classList.toggle("active", b === button));
      if (!showTable) charts.forEach((c) => c.resize());
    });
  });
})();
