// Mass evaluation results: two ECharts bar charts from the numbers the tables also show,
// redrawn whenever htmx swaps in fresh numbers while the round is open.
(function () {
  const colors = ["#b8141b", "#e0555b", "#495057", "#ced4da"];
  const pct = (v) => (v === null || v === undefined ? "—" : v + "%");
  const charts = {};

  function chart(id) {
    const el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    let c = echarts.getInstanceByDom(el);
    if (!c) c = echarts.init(el, null, { renderer: "svg" });
    charts[id] = c;
    return c;
  }

  function draw() {
    const source = document.getElementById("eval-chart-data");
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const q = data.questions;
    const qc = chart("chart-questions");
    if (qc) {
      qc.setOption({
        color: colors,
        animation: false,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: q.labels, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
        series: data.names.ratings.map((name, i) => ({
          name: name,
          type: "bar",
          stack: "all",
          data: q.counts.map((row) => row[i]),
          label: { show: true, formatter: (p) => (p.value ? p.value : "") },
        })),
      }, true);
    }
    const o = data.orgs;
    const oc = chart("chart-orgs");
    if (oc) {
      const many = o.labels.length > 10;
      oc.setOption({
        color: [colors[0]],
        animation: false,
        tooltip: {
          trigger: "axis",
          axisPointer: { type: "shadow" },
          formatter: (items) => {
            const i = items[0].dataIndex;
            return o.labels[i] + "<br>" + data.names.rate + ": " + pct(o.rate[i]) + "<br>" + data.names.responses + ": " + o.responses[i];
          },
        },
        grid: { left: 8, right: many ? 48 : 40, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", data: o.labels, inverse: true, axisLabel: { width: 120, overflow: "truncate" } },
        dataZoom: many ? [{ type: "slider", yAxisIndex: 0, right: 4, width: 14, startValue: 0, endValue: 9 }, { type: "inside", yAxisIndex: 0 }] : [],
        series: [{
          name: data.names.rate,
          type: "bar",
          data: o.rate,
          label: { show: true, position: "right", formatter: (p) => pct(p.value) },
          markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#6c757d" }, data: [{ xAxis: 80 }], label: { formatter: "80%" } },
        }],
      }, true);
    }
  }

  // Chart / table switches; the choice survives the live refresh.
  const chosen = {};
  function show(button) {
    const target = button.dataset.target;
    const showTable = button.dataset.view === "table";
    chosen[target] = button.dataset.view;
    document.getElementById("chart-" + target).classList.toggle("d-none", showTable);
    document.getElementById("table-" + target).classList.toggle("d-none", !showTable);
    button.parentElement.querySelectorAll("button").forEach((b) => b.classList.toggle("active", b === button));
    if (!showTable) Object.values(charts).forEach((c) => c.resize());
  }
  function bindSwitches(root) {
    root.querySelectorAll("[data-view][data-target]").forEach((button) => {
      button.addEventListener("click", () => show(button));
      if (chosen[button.dataset.target] === button.dataset.view) show(button);
    });
  }

  draw();
  bindSwitches(document);
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  // The live refresh waits while someone is typing in the organization filter (it lives in the live part).
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const live = document.getElementById("xf-eval-live");
    if (event.detail.elt === live && document.activeElement && document.activeElement.closest("#orgs form")) {
      event.preventDefault();
    }
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "xf-eval-live") {
      Object.keys(charts).forEach((id) => delete charts[id]);
      draw();
      bindSwitches(document.getElementById("xf-eval-live"));
    }
  });
})();
