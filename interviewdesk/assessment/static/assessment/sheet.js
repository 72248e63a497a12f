// Score sheet: saves the draft on the server while the jury member types, and keyboard shortcuts.
// No inline script (strict CSP): this file is loaded by assessment/sheet.html.
(function () {
  "use strict";
  var form = document.getElementById("score-sheet");
  if (!form) { return; }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var timer = null;
  var inFlight = false;
  var again = false;
  var DELAY_MS = 1200;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    timer = null;
    if (inFlight) { again = true; return; }
    inFlight = true;
    var data = new FormData(form);
    fetch(url, { method: "POST", body: data, credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (result) { say(result[0] ? result[1].saved : result[1].error); })
      .catch(function () { say(form.getAttribute("data-offline") || "Not saved: no connection. Retrying…"); again = true; })
      .then(function () {
        inFlight = false;
        if (again) { again = false; schedule(); }
      });
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // Save what is typed before the page goes away (tab closed, navigation).
  window.addEventListener("pagehide", function () {
    if (timer && navigator.sendBeacon) { navigator.sendBeacon(url, new FormData(form)); }
  });

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
      return;
    }
    // Alt+digit sets the level of the competency that holds the focus.
    if (event.altKey && /^[1-9]$/.test(event.key)) {
      var block = document.activeElement && document.activeElement.closest("fieldset.competency");
      if (!block) { return; }
      var radios = block.querySelectorAll("input[type=radio]");
      var radio = radios[parseInt(event.key, 10) - 1];
      if (radio) {
        event.preventDefault();
        radio.checked = true;
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  });

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
}());
