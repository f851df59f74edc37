// Behaviour every page may use; the CSP allows no inline script, so it lives here.
// <a data-back>: back to the previous page (the error pages' second way out).
// <form data-confirm="…">: ask before sending (an action that locks or cannot be undone).
// <button data-print>: the browser's print dialog (the 附件3 print view).
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
