// Reload a running job's page every few seconds, until the page no longer asks for it.
(function () {
  "use strict";
  var page = document.querySelector("[data-refresh-seconds]");
  if (page) {
    var seconds = parseInt(page.getAttribute("data-refresh-seconds"), 10) || 3;
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
