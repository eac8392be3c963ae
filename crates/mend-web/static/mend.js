// Mend's only script. Pages work without it; it makes the quick exit leave without waiting
// and without a history entry, adds the Shift-three-times shortcut, moves on at once from
// the page "Leave quietly" lands on, and copies an invitation link with one button.
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
    // The server ends the session on /exit. A keepalive request outlives this page, so
    // leaving never waits for the server; without fetch, go through /exit itself.
    if (window.fetch) {
      window.fetch("/exit", {
        keepalive: true,
        credentials: "same-origin",
        redirect: "manual",
        cache: "no-store"
      }).catch(function () {});
      window.location.replace(target);
    } else {
      window.location.replace("/exit");
    }
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

  // A page brought back from the back-forward cache would show what it showed before the
  // person left or logged out: ask the server again instead.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.documentElement.style.visibility = "hidden";
      window.location.reload();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var leave = document.getElementById("leave-now");
    if (leave) {
      window.location.replace(leave.getAttribute("href"));
      return;
    }
    var link = document.getElementById("quick-exit");
    if (link) {
      link.addEventListener("click", quickExit);
    }
    // The browser's time zone: sent with the log-in form (kept only if the person has none
    // yet), and suggested on the account page until one is chosen. Without this script the
    // person stays on UTC, and the account page says so.
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      zone = "";
    }
    if (zone) {
      Array.prototype.forEach.call(
        document.querySelectorAll("input[data-detect-zone]"),
        function (input) { input.value = zone; }
      );
      var choice = document.querySelector("select[data-suggest-zone]");
      if (choice) {
        Array.prototype.forEach.call(choice.options, function (option) {
          if (option.value === zone) {
            option.selected = true;
          }
        });
      }
    }
    var links = document.querySelectorAll("input.invite-link");
    Array.prototype.forEach.call(links, function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
    // The invitation link's copy button: shown only where this script runs; the link itself
    // stays selectable without it.
    var buttons = document.querySelectorAll("button.copy-link");
    Array.prototype.forEach.call(buttons, function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".copy-status");
      if (!input || !status) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var say = function (ok) {
          status.textContent = button.getAttribute(ok ? "data-copied" : "data-failed");
        };
        var byHand = function () {
          input.focus();
          input.select();
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          say(ok);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(function () { say(true); }, byHand);
        } else {
          byHand();
        }
      });
    });
  });
})();
