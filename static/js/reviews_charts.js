// Review coverage and rectification rate: ECharts bars drawn from the numbers the page's tables show.
(function () {
  if (!window.echarts) return;
  const red = "#b8141b", gold = "#e0a526";
  const pct = (v) => (v === null || v === undefined ? "—" : v + "%");
  const charts = [];

  function read(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function draw(id, option) {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }

  function bars(labels) {
    return {
      grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: labels, inverse: true, axisLabel: { width: 140, overflow: "truncate" } },
      legend: { top: 0 },
    };
  }

  const cov = read("coverage-chart-data");
  if (cov) {
    draw("chart-cov", Object.assign(bars(cov.labels), {
      color: [red, gold],
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: (items) => {
          const i = items[0].dataIndex;
          return cov.labels[i] + "<br>" +
            cov.names.orgs + "：" + cov.org_counts[i][0] + "/" + cov.org_counts[i][1] + "（" + pct(cov.orgs[i]) + "）<br>" +
            cov.names.members + "：" + cov.member_counts[i][0] + "/" + cov.member_counts[i][1] + "（" + pct(cov.members[i]) + "）";
        },
      },
      series: [
        { name: cov.names.orgs, type: "bar", data: cov.orgs, label: { show: true, position: "right", formatter: (p) => pct(p.value) } },
        { name: cov.names.members, type: "bar", data: cov.members, label: { show: true, position: "right", formatter: (p) => pct(p.value) } },
      ],
    }));
  }

  const rate = read("rate-chart-data");
  if (rate) {
    draw("chart-rate", Object.assign(bars(rate.labels), {
      color: [red],
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: (items) => {
          const i = items[0].dataIndex;
          return rate.labels[i] + "<br>" + rate.names.rate + "：" + pct(rate.rate[i]) + "<br>" +
            rate.names.struck + " / " + rate.names.listed + "：" + rate.struck[i] + " / " + rate.listed[i];
        },
      },
      series: [
        { name: rate.names.rate, type: "bar", data: rate.rate, label: { show: true, position: "right", formatter: (p) => pct(p.value) } },
      ],
    }));
  }

  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

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
