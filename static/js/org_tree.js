// The org tree: a node's children are fetched the first time it opens, then only shown or hidden.
// Also the member picker used on the organization forms.
(function () {
  "use strict";

  function toggle(button) {
    const item = button.closest("li.xf-node");
    const box = item.querySelector(":scope > .xf-tree-children");
    if (!box) return;
    const open = item.getAttribute("aria-expanded") === "true";
    item.setAttribute("aria-expanded", open ? "false" : "true");
    box.hidden = open;
    if (open || box.dataset.loaded) return;
    box.dataset.loaded = "1";
    box.innerHTML = "";
    const waiting = document.createElement("li");
    waiting.className = "xf-node-loading small text-secondary";
    waiting.textContent = box.dataset.loadingText || "…";
    box.appendChild(waiting);
    htmx.ajax("GET", button.dataset.childrenUrl, { target: box, swap: "innerHTML" }).catch(function () {
      delete box.dataset.loaded;
      waiting.textContent = box.dataset.errorText || "!";
      item.setAttribute("aria-expanded", "false");
    });
  }

  function pick(option) {
    const picker = option.closest(".xf-picker");
    picker.querySelector("input[type=hidden]").value = option.dataset.pickValue;
    picker.querySelector(".xf-picker-chosen").textContent = option.dataset.pickLabel;
    picker.querySelector(".xf-picker-chosen-wrap").classList.toggle("is-chosen", option.dataset.pickValue !== "");
    picker.querySelector(".xf-picker-results").innerHTML = "";
    picker.querySelector(".xf-picker-search").value = "";
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest(".xf-tree-toggle");
    if (button) {
      toggle(button);
      return;
    }
    const option = event.target.closest("[data-pick-value]");
    if (option) pick(option);
  });

  // Enter in a picker's search box searches; it must not submit the surrounding form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches(".xf-picker-search")) event.preventDefault();
  });
})();
