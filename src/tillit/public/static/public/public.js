// Citizen e-services: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    // Move focus to the error summary so keyboard and screen-reader users start there.
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }

    // A second click while the form is on its way does nothing (the server also refuses a
    // repeat: the form's key makes it one case).
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.sending === "1") { event.preventDefault(); return; }
        form.dataset.sending = "1";
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.setAttribute("aria-disabled", "true");
        });
      });
    });
    // Coming back with the browser's back button: the form can be sent again.
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("form[data-once]").forEach(function (form) {
        form.dataset.sending = "";
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.removeAttribute("aria-disabled");
        });
      });
    });

    // Copy the status link.
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copy);
        var status = document.querySelector("[data-copy-status]");
        navigator.clipboard.writeText(source.href).then(function () {
          if (status) { status.textContent = button.dataset.copied || ""; }
        });
      });
    });
  });
})();
