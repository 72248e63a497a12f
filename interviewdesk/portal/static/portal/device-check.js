/* Device and connection check. Measures against our own server only; nothing is recorded.
   The numbers go into the hidden fields of the form; the server decides the verdict. */
(function () {
  "use strict";
  var root = document.getElementById("device-check");
  if (!root) { return; }
  var text = JSON.parse(document.getElementById("device-check-text").textContent);
  var form = document.getElementById("device-check-form");
  var statusLine = document.getElementById("check-status");
  var startButton = document.getElementById("start-check");
  var saveButton = document.getElementById("save-check");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var audioContext = null;

  // Numbers shown to the candidate follow the page's language ("410,5" in nl/fr/de); the hidden
  // fields keep the plain form the server parses.
  var language = document.documentElement.lang || undefined;
  function number(value, decimals) {
    return new Intl.NumberFormat(language, { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
      .format(value);
  }
  var UNIT_SPACE = "\u00a0";

  function field(name) { return form.querySelector("input[name=" + name + "]"); }
  function say(message) { statusLine.textContent = message; }
  function show(id, message) { document.getElementById(id).textContent = message; }
  function getAudioContext() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audioContext && Ctx) { audioContext = new Ctx(); }
    return audioContext;
  }

  function detectBrowser() {
    var ua = navigator.userAgent;
    if (/Edg(e|A|iOS)?\//.test(ua)) { return "Edge"; }
    if (/OPR\/|Opera/.test(ua)) { return "Opera"; }
    if (/Firefox\/|FxiOS/.test(ua)) { return "Firefox"; }
    if (/(HeadlessChrome|Chrome|Chromium|CriOS)\//.test(ua)) { return "Chrome"; }
    if (/Safari\//.test(ua)) { return "Safari"; }
    return "Other";
  }

  function checkBrowser() {
    var browser = detectBrowser();
    field("browser").value = browser;
    var note = document.getElementById("browser-note");
    note.hidden = false;
    if (browser === "Chrome" || browser === "Edge") {
      note.textContent = text.browser_ok;
      note.className = "message success";
    } else {
      note.textContent = text.browser_warn.replace("{browser}", browser);
      note.className = "message warning";
    }
  }

  function meterLoop(stream) {
    var ctx = getAudioContext();
    if (!ctx) { return; }
    var analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    ctx.createMediaStreamSource(stream).connect(analyser);
    var data = new Uint8Array(analyser.fftSize);
    var meter = document.getElementById("microphone-level");
    function tick() {
      analyser.getByteTimeDomainData(data);
      var sum = 0;
      for (var i = 0; i < data.length; i++) { var v = (data[i] - 128) / 128; sum += v * v; }
      var level = Math.min(100, Math.round(Math.sqrt(sum / data.length) * 300));
      meter.value = level;
      meter.textContent = String(level);
      window.requestAnimationFrame(tick);
    }
    tick();
  }

  async function checkMedia() {
    var camera = false, microphone = false;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      show("camera-result", text.media_unsupported);
      show("microphone-result", text.media_unsupported);
      return;
    }
    try {
      var video = await navigator.mediaDevices.getUserMedia({ video: true });
      document.getElementById("camera-preview").srcObject = video;
      camera = video.getVideoTracks().some(function (t) { return t.readyState === "live"; });
    } catch (error) { camera = false; }
    try {
      var audio = await navigator.mediaDevices.getUserMedia({ audio: true });
      microphone = audio.getAudioTracks().some(function (t) { return t.readyState === "live"; });
      if (microphone) { meterLoop(audio); }
    } catch (error) { microphone = false; }
    field("camera_ok").value = camera ? "on" : "";
    field("microphone_ok").value = microphone ? "on" : "";
    show("camera-result", camera ? text.camera_ok : text.camera_fail);
    show("microphone-result", microphone ? text.microphone_ok : text.microphone_fail);
  }

  function playSound() {
    var ctx = getAudioContext();
    if (!ctx) { return; }
    if (ctx.state === "suspended") { ctx.resume(); }
    var oscillator = ctx.createOscillator();
    var gain = ctx.createGain();
    oscillator.frequency.value = 660;
    gain.gain.value = 0.2;
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start();
    oscillator.stop(ctx.currentTime + 1);
  }

  async function measureLatency() {
    var times = [];
    for (var i = 0; i < 6; i++) {
      var start = performance.now();
      await fetch(root.dataset.pingUrl + "?n=" + i, { cache: "no-store", credentials: "same-origin" });
      times.push(performance.now() - start);
    }
    times.shift();  // the first request also opens the connection
    times.sort(function (a, b) { return a - b; });
    return Math.round(times[Math.floor(times.length / 2)]);
  }

  async function measure(seconds, once) {
    var bytes = 0, start = performance.now();
    while (performance.now() - start < seconds * 1000) { bytes += await once(); }
    var elapsed = (performance.now() - start) / 1000;
    return (bytes * 8 / elapsed / 1e6);
  }

  function download() {
    return fetch(root.dataset.downloadUrl + "?bytes=1048576&t=" + Date.now(), { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.arrayBuffer(); })
      .then(function (b) { return b.byteLength; });
  }

  var payload = new Uint8Array(512 * 1024);
  for (var i = 0; i < payload.length; i++) { payload[i] = (i * 2654435761) & 255; }
  function upload() {
    return fetch(root.dataset.uploadUrl, {
      method: "POST", body: payload, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/octet-stream" }
    }).then(function (r) { return r.json(); }).then(function (d) { return d.bytes; });
  }

  async function run() {
    startButton.disabled = true;
    saveButton.disabled = true;
    say(text.checking);
    checkBrowser();
    await checkMedia();
    say(text.measuring);
    try {
      var latency = await measureLatency();
      field("latency_ms").value = latency;
      show("latency-result", number(latency, 0) + UNIT_SPACE + "ms");
      var down = await measure(2, download);
      field("download_mbps").value = down.toFixed(2);
      show("download-result", number(down, 1) + UNIT_SPACE + "Mbit/s");
      var up = await measure(2, upload);
      field("upload_mbps").value = up.toFixed(2);
      show("upload-result", number(up, 1) + UNIT_SPACE + "Mbit/s");
    } catch (error) {
      say(text.measure_failed);
    }
    say(text.done);
    startButton.disabled = false;
    saveButton.disabled = false;
  }

  startButton.addEventListener("click", function () { run(); });
  document.getElementById("play-sound").addEventListener("click", playSound);
}());
