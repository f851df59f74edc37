// Upload pages: once a workbook is sent, show that work is under way (the
// server reads and checks the whole file before it answers) and stop a second
// click from sending it twice. The result, a preview or the errors, comes back
// on the same page from the server. Texts come from data- attributes, so the
// template translates them.
(function () {
  "use strict";

  function sizeText(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function chosenBytes(form) {
    var total = 0;
    form.querySelectorAll('input[type="file"]').forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    });
    return total;
  }

  function statusFor(form) {
    var status = form.querySelector('[data-role="upload-status"]');
    if (status) return status;
    status = document.createElement("p");
    status.className = "upload-status";
    status.setAttribute("data-role", "upload-status");
    status.setAttribute("role", "status");
    status.appendChild(document.createElement("progress"));  // no value: indeterminate
    var text = document.createElement("span");
    text.setAttribute("data-role", "upload-text");
    status.appendChild(text);
    form.appendChild(status);
    return status;
  }

  function busy(form) {
    var status = statusFor(form);
    var text = form.getAttribute("data-busy-text") || "";
    var bytes = chosenBytes(form);
    if (bytes > 0) text += " " + (form.getAttribute("data-size-text") || "{size}").replace("{size}", sizeText(bytes));
    status.querySelector('[data-role="upload-text"]').textContent = " " + text;
    status.hidden = false;
    form.setAttribute("aria-busy", "true");
    // After the submit event, so the browser has already taken the form's data.
    window.setTimeout(function () {
      form.querySelectorAll('button[type="submit"], input[type="submit"]').forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  }

  function ready(form) {
    // Back from the result page (bfcache): the form is usable again.
    var status = form.querySelector('[data-role="upload-status"]');
    if (status) status.hidden = true;
    form.removeAttribute("aria-busy");
    form.querySelectorAll('button[type="submit"], input[type="submit"]').forEach(function (button) {
      button.disabled = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
      form.addEventListener("submit", function () { busy(form); });
    });
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-upload-progress]").forEach(ready);
  });
})();
