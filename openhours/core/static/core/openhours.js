// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // On wide screens there is room to show the filters open beside the results.
  if (window.matchMedia("(min-width: 860px)").matches) {
    document.querySelectorAll(".filters details").forEach(function (d) { d.open = true; });
  }
  // Move focus to an error summary so screen-reader users hear what went wrong.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Site menu on narrow screens: a disclosure button shows and hides the main nav (the CSS
  // folds the nav only below its breakpoint, and only when this script has run).
  var toggle = document.querySelector(".nav-toggle");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && nav) {
    var setOpen = function (open) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); };
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the menu and returns focus to the button.
    nav.parentNode.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }
});
