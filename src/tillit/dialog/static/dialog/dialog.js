// Dialog meetings: the countdown and live updates. Every page works without this file (plain
// forms, a reload link, a meta refresh on the big screen); with it the live part of the page
// follows a websocket, and falls back to polling when the websocket cannot be kept open.
(function () {
  "use strict";

  var POLL_MS = 5000;
  var RETRY_MS = 15000;

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var end = Date.parse(el.getAttribute("data-deadline"));
      if (isNaN(end)) { return; }
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var text = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
      if (el.textContent !== text) { el.textContent = text; }
    });
  }

  function live(region) {
    var socket = null;
    var pollTimer = null;
    var wsPath = region.getAttribute("data-live");
    var pollUrl = region.getAttribute("data-poll");
    var step = region.getAttribute("data-step");

    function show(html) {
      if (region.innerHTML !== html) { region.innerHTML = html; tick(); }
      region.setAttribute("data-updated", String(Date.now()));
    }

    function poll() {
      fetch(pollUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          var now = response.headers.get("X-Dialog-Step");
          if (step !== null && now !== null && now !== step) { window.location.reload(); return null; }
          return response.ok ? response.text() : null;
        })
        .then(function (html) { if (html !== null && html !== undefined) { show(html); } })
        .catch(function () { /* offline for a moment: the next poll tries again */ });
    }

    function startPolling() {
      if (pollTimer === null) { pollTimer = window.setInterval(poll, POLL_MS); }
    }

    function stopPolling() {
      if (pollTimer !== null) { window.clearInterval(pollTimer); pollTimer = null; }
    }

    function connect() {
      if (!("WebSocket" in window)) { startPolling(); return; }
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + window.location.host + wsPath);
      socket.onopen = function () { stopPolling(); region.setAttribute("data-connected", "1"); };
      socket.onmessage = function (event) {
        var message = JSON.parse(event.data);
        if (message.type === "reload") { window.location.reload(); return; }
        if (message.type === "html") { show(message.html); return; }
        if (message.type === "saved" || message.type === "error") { answered(message); }
      };
      socket.onclose = function () {
        region.setAttribute("data-connected", "0");
        startPolling();
        window.setTimeout(connect, RETRY_MS);
      };
    }

    // Sending a text over the open websocket: no page load per note. Without an open socket
    // (or without an answer in time) the form is posted as usual, to the same action.
    var form = document.querySelector("form[data-submit]");
    var waiting = {};
    var sequence = 0;

    function csrf() {
      var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    function status(text, failed) {
      // A saved text is announced politely; a refusal is an alert, as on the page.
      var box = form.querySelector("[data-sent]");
      if (!box) { return; }
      var line = document.createElement("p");
      line.textContent = text;
      if (failed) { line.setAttribute("role", "alert"); line.className = "errorlist"; }
      box.replaceChildren(line);
    }

    function answered(message) {
      var timer = waiting[message.ref];
      if (timer === undefined) { return; }
      window.clearTimeout(timer);
      delete waiting[message.ref];
      var text = form.querySelector("[name=text]");
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = false; }
      if (message.type === "error") {
        status(message.message, true);
        if (text) { text.setAttribute("aria-invalid", "true"); text.focus(); }
        return;
      }
      status(message.message, false);
      if (text) { text.removeAttribute("aria-invalid"); }
      // As after the page's own post: an empty form again (a shared note's box unticked), but
      // the table's joint answer stays to be edited.
      if (message.kind === "note" || message.kind === "factor") { form.reset(); }
      if (message.mine) {
        var mine = document.getElementById("dialog-mine");
        var list = mine && mine.querySelector("ul");
        if (list) {
          list.insertAdjacentHTML("beforeend", message.mine);
          list.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
            if (!input.value) { input.value = csrf(); }
          });
          mine.hidden = false;
        }
      }
    }

    if (form) {
      form.addEventListener("submit", function (event) {
        if (!socket || socket.readyState !== 1) { return; }
        event.preventDefault();
        var data = new FormData(form);
        sequence += 1;
        var ref = "s" + sequence;
        var button = form.querySelector("button[type=submit]");
        if (button) { button.disabled = true; }
        waiting[ref] = window.setTimeout(function () { delete waiting[ref]; form.submit(); }, 10000);
        socket.send(JSON.stringify({
          type: form.getAttribute("data-submit"), ref: ref, text: data.get("text") || "",
          step: data.get("step"), shared: data.get("shared") === "on"
        }));
      });
    }

    document.addEventListener("visibilitychange", function () {
      // A phone that slept may have missed pushes: ask for the state again.
      if (!document.hidden && socket && socket.readyState === 1) { socket.send("state"); }
    });
    connect();
  }

  ready(function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
    tick();
    window.setInterval(tick, 1000);
    document.querySelectorAll("[data-live]").forEach(live);
  });
})();
