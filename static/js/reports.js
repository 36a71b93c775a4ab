// Dashboard charts (ECharts, vendored): numbers on hover, a table view beside each, and a click on a
// bar, slice or point opens the list behind that number.
(function () {
  const source = document.getElementById("dashboard-chart-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const red = "#b8141b", gold = "#e0a526", grey = "#6c757d", green = "#2e7d32";
  const charts = [];

  function draw(key, option, links) {
    const el = document.getElementById("chart-" + key);
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    chart.on("click", (params) => {
      const url = links && links[params.dataIndex];
      if (url) window.location.href = url;
    });
    charts.push(chart);
  }

  function bars(key, color, horizontal) {
    const d = data[key];
    if (!d) return;
    const category = { type: "category", data: d.labels, axisLabel: { interval: 0, width: 90, overflow: "truncate" } };
    const value = { type: "value", minInterval: 1 };
    draw(key, {
      color: [color],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({ inverse: true }, category) : value,
      series: [{ type: "bar", data: d.values, cursor: "pointer", label: { show: true, position: horizontal ? "right" : "top" } }],
    }, d.links);
  }

  function pie(key, colors) {
    const d = data[key];
    if (!d) return;
    draw(key, {
      color: colors,
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], cursor: "pointer",
        data: d.labels.map((name, i) => ({ name: name, value: d.values[i] })),
        label: { formatter: "{b}\n{c}" },
      }],
    }, d.links);
  }

  bars("kinds", red, true);
  pie("categories", [red, gold, "#8c1c13", "#f2c14e", grey, green, "#457b9d"]);
  bars("stages", gold, true);
  bars("pledges", red, true);
  bars("grades", red, false);
  pie("satisfaction", [green, gold, red, grey]);

  const m = data.months;
  draw("months", {
    color: [red, gold],
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: m.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "活动次数", type: "bar", data: m.values, cursor: "pointer" },
      { name: "其中“三会一课”", type: "line", data: m.three, cursor: "pointer" },
    ],
  }, m.links);

  const c = data.compliance;
  draw("compliance", {
    color: [green, red],
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: c.labels, inverse: true },
    series: [
      { name: "已落实支部", type: "bar", stack: "all", data: c.met, cursor: "pointer" },
      { name: "未落实支部", type: "bar", stack: "all", data: c.short, cursor: "pointer" },
    ],
  }, c.links);

  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));

  document.querySelectorAll("[data-view][data-target]").forEach((button) => {
    button.addEventListener("click", () => {
      const key = button.dataset.target;
      const table = button.dataset.view === "table";
      document.getElementById("chart-" + key).classList.toggle("d-none", table);
      document.getElementById("table-" + key).classList.toggle("d-none", !table);
      button.parentElement.querySelectorAll("button").forEach((b) => b.classList.toggle("active", b === button));
      if (!table) charts.forEach((chart) => chart.resize());
    });
  });
})();
