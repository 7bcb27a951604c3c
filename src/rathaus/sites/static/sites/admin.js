// Starts what inline scripts of Wagtail and wagtail-localize would start, which our
// Content-Security-Policy does not run: the date and time pickers
// (templates/wagtailadmin/widgets/*_input.html), the chooser addresses of the translation
// editor and the "select all languages" box of "Seite übersetzen".
(function () {
  "use strict";
  var script = document.currentScript;
  if (script && script.dataset.chooserUrls && typeof window.chooserUrls === "undefined") {
    window.chooserUrls = JSON.parse(script.dataset.chooserUrls);
  }
  function start(root) {
    root.querySelectorAll("[data-chooser-init]").forEach(function (marker) {
      var init = window[marker.dataset.chooserInit];
      if (typeof init !== "function" || marker.dataset.chooserStarted) return;
      marker.dataset.chooserStarted = "1";
      init(marker.dataset.chooserFor, JSON.parse(marker.dataset.chooserConfig || "{}"));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { start(document); });
  document.addEventListener("w-dialog:shown", function (event) { start(event.target); });
  document.addEventListener("change", function (event) {
    if (event.target.name !== "select_all") return;
    var form = event.target.form;
    if (!form) return;
    form.querySelectorAll('[name="locales"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
