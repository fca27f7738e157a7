// Type-ahead for case types: the search box is shown only when JavaScript runs (HTMX fills the
// list below it); Enter in the box moves to the list instead of submitting the form. A refused
// form's error summary takes the focus, so keyboard and screen-reader users land on it.
(function () {
  "use strict";
  function wire(root) {
    root.querySelectorAll("[data-needs-js][hidden]").forEach(function (element) {
      element.hidden = false;
    });
    root.querySelectorAll("input[data-typeahead]").forEach(function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          var list = document.querySelector(input.dataset.typeahead);
          if (list) { list.focus(); }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    wire(document);
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
