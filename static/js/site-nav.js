// The site header on a phone: the main navigation folds behind a «Menú» button (a disclosure: aria-expanded,
// Enter/Space open and close it, Escape closes it and returns focus to the button). Without this script the button
// stays hidden and the navigation open, so every page still works.
(function () {
  "use strict";
  function setUp() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".menu-button");
    var nav = header && document.getElementById(button ? button.getAttribute("aria-controls") : "");
    if (!button || !nav) {
      return;
    }
    header.classList.add("has-menu-button");
    button.hidden = false;
    function toggle(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    }
    button.addEventListener("click", function () {
      toggle(button.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        toggle(false);
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
