// Mend's only script. Pages work without it; it adds the quick exit that replaces the
// history entry (so Back does not return here) and the Shift-three-times shortcut.
(function () {
  "use strict";

  function quickExit(event) {
    var link = document.getElementById("quick-exit");
    var target = (link && link.getAttribute("data-exit-url")) || "about:blank";
    if (event) {
      event.preventDefault();
    }
    // Hide the page at once, then leave without adding a history entry.
    document.documentElement.style.visibility = "hidden";
    document.title = "";
    window.location.replace(target);
  }

  // Only a Shift pressed and released on its own counts: Shift held for a capital letter
  // must never throw someone out of what they are writing.
  var presses = [];
  var shiftAlone = false;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      shiftAlone = !event.repeat;
      return;
    }
    shiftAlone = false;
    presses = [];
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !shiftAlone) {
      return;
    }
    shiftAlone = false;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) {
      presses = [];
      quickExit(null);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var link = document.getElementById("quick-exit");
    if (link) {
      link.addEventListener("click", quickExit);
    }
    var links = document.querySelectorAll("input.invite-link");
    Array.prototype.forEach.call(links, function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  });
})();
