// Organization picker on the member form: a search result fills the hidden org field.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-pick-org]");
  if (!button) return;
  const picker = button.closest("[data-org-picker]");
  if (!picker) return;
  picker.querySelector("input[type=hidden]").value = button.dataset.pickOrg;
  picker.querySelector("[data-org-name]").textContent = button.dataset.orgName;
  picker.querySelector("[data-org-label]").classList.remove("d-none");
  const search = picker.querySelector("input[type=search]");
  search.value = "";
  search.classList.remove("is-invalid");
  picker.querySelector(".xf-org-results").innerHTML = "";
});

// Print the issued login slips.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
