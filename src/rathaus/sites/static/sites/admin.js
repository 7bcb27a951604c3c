// Starts Wagtail's date and time pickers, whose inline start scripts our
// Content-Security-Policy does not run (templates/wagtailadmin/widgets/*_input.html).
(function () {
  "use strict";
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
})();
