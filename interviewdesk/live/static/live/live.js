/* Countdowns of the live session pages. The deadline comes from the server (data-deadline, ms
   since the epoch) together with the server's clock (data-server-now on the polled block), so a
   wrong clock on the proctor's computer does not shift the countdown. The poll refreshes both. */
(function () {
  "use strict";

  // Stamp each freshly drawn block once, when it arrives: its server time matches "now" then.
  function stampOffsets() {
    var blocks = document.querySelectorAll("[data-server-now]:not([data-clock-offset])");
    Array.prototype.forEach.call(blocks, function (block) {
      block.dataset.clockOffset = String(Number(block.dataset.serverNow) - Date.now());
    });
  }

  function format(ms) {
    var seconds = Math.max(0, Math.floor(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var timers = document.querySelectorAll("[data-deadline]");
    Array.prototype.forEach.call(timers, function (el) {
      var block = el.closest("[data-clock-offset]");
      var offset = block ? Number(block.dataset.clockOffset) : 0;
      var left = Number(el.dataset.deadline) - (Date.now() + offset);
      var text = format(left);
      if (el.textContent !== text) { el.textContent = text; }
      el.classList.toggle("expired", left <= 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { stampOffsets(); tick(); });
  document.addEventListener("htmx:afterSettle", function () { stampOffsets(); tick(); });
  window.setInterval(tick, 250);
}());
