// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // On wide screens there is room to show the filters open beside the results.
  if (window.matchMedia("(min-width: 860px)").matches) {
    document.querySelectorAll(".filters details").forEach(function (d) { d.open = true; });
  }
  // Move focus to an error summary so screen-reader users hear what went wrong.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
