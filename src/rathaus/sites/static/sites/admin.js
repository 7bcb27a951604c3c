// Starts what inline scripts of Wagtail and wagtail-localize would start, which our
// Content-Security-Policy does not run: the date and time pickers
// (templates/wagtailadmin/widgets/*_input.html), the chooser addresses of the translation
// editor and the "select all languages" box of "Seite übersetzen". It also names the
// translation editor's hidden PO upload field, which its button ("PO Datei hochladen") opens.
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
  function nameUploads(root) {
    root.querySelectorAll('input[type="file"][name="file"]:not([aria-label])').forEach(function (input) {
      input.setAttribute("aria-label", window.gettext ? window.gettext("Upload PO file") : "PO");
      input.tabIndex = -1;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    start(document);
    var editor = document.querySelector(".js-translation-editor");
    if (editor) {
      nameUploads(editor);
      new MutationObserver(function () { nameUploads(editor); }).observe(editor, {childList: true, subtree: true});
    }
  });
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
