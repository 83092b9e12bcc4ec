// mdr console: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // "select all" checkbox for bulk resolution in the inbox
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name=item_ids]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
  // ask before a decision is recorded
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
