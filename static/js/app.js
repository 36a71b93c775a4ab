// Confirm before destructive actions: <form data-confirm="..."> or <button data-confirm="...">.
document.addEventListener("submit", function (event) {
  const form = event.target;
  const submitter = event.submitter;
  const message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A filter that applies as soon as it changes: <select data-autosubmit> (instead of an inline
// onchange handler, which the Content Security Policy forbids).
document.addEventListener("change", function (event) {
  const field = event.target;
  if (field instanceof Element && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});
