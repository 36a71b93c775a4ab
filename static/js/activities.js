// The activity log: attendance counts and roster search on the logging form, and the compliance chart.
(function () {
  "use strict";

  function updateCounts(root) {
    if (!root) return;
    const counts = { expected: 0, present: 0, leave: 0, absent: 0 };
    root.querySelectorAll(".xf-roster-row").forEach(function (row) {
      const checked = row.querySelector("input[type=radio]:checked");
      counts.expected += 1;
      if (checked && counts[checked.value] !== undefined) counts[checked.value] += 1;
    });
    Object.keys(counts).forEach(function (key) {
      const target = root.querySelector('[data-count="' + key + '"]');
      if (target) target.textContent = counts[key];
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches(".xf-roster input[type=radio]")) {
      updateCounts(event.target.closest("[data-attendance]"));
    }
  });

  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-roster-search]")) return;
    const root = event.target.closest("[data-attendance]");
    const text = event.target.value.trim();
    let shown = 0;
    root.querySelectorAll(".xf-roster-row").forEach(function (row) {
      const match = !text || row.dataset.name.indexOf(text) !== -1;
      row.classList.toggle("d-none", !match);
      if (match) shown += 1;
    });
    const none = root.querySelector("[data-roster-none]");
    if (none) none.classList.toggle("d-none", shown > 0);
  });

  document.addEventListener("click", function (event) {
    const all = event.target.closest("[data-all-present]");
    if (all) {
      const root = all.closest("[data-attendance]");
      root.querySelectorAll('.xf-roster input[value="present"]').forEach(function (input) { input.checked = true; });
      updateCounts(root);
      return;
    }
    const toggle = event.target.closest("[data-view-toggle]");
    if (toggle) {
      const card = toggle.closest(".card");
      card.querySelectorAll("[data-view-toggle]").forEach(function (b) { b.classList.toggle("active", b === toggle); });
      card.querySelectorAll("[data-view]").forEach(function (view) {
        view.classList.toggle("d-none", view.dataset.view !== toggle.dataset.viewToggle);
      });
      if (toggle.dataset.viewToggle === "chart") window.dispatchEvent(new Event("resize"));
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    const root = event.detail.target && event.detail.target.closest ? document.querySelector("[data-attendance]") : null;
    updateCounts(root);
  });

  function complianceChart(element) {
    if (!window.echarts) return;
    const data = JSON.parse(document.getElementById(element.dataset.chartSource).textContent);
    const chart = window.echarts.init(element);
    const label = { show: true, formatter: function (p) { return p.value ? p.value : ""; } };
    chart.setOption({
      color: ["#2f9e44", "#c92a2a"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.labels, inverse: true },
      series: [
        { name: element.dataset.labelMet, type: "bar", stack: "branches", data: data.met, label: label },
        { name: element.dataset.labelShort, type: "bar", stack: "branches", data: data.short, label: label },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.querySelectorAll('[data-chart="compliance"]').forEach(complianceChart);
  document.querySelectorAll("[data-attendance]").forEach(updateCounts);
})();
