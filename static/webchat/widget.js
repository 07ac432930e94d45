/* Destination Concierge web chat: <script src="https://HOST/chat/widget.js" data-line="KEY" async></script>
   Opens an accessible chat panel (a button, then a dialog) in a shadow root of its own, talks to
   HOST's /chat/api/KEY/ (CORS), polls for replies with ETags, keeps no cookie. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.line) { return; }
  var key = script.dataset.line;
  var base = new URL(script.src).origin;
  var api = base + "/chat/api/" + encodeURIComponent(key) + "/";
  var lang = script.dataset.lang || (navigator.language || "en");
  var stored = "concierge-chat:" + key;
  var state = { token: null, challenge: null, bits: 0, proved: false, seen: {}, timer: null, poll: 1.5, texts: null };
  try { var saved = JSON.parse(sessionStorage.getItem(stored) || "null"); if (saved) { state.token = saved.token; state.proved = true; } } catch (e) { /* private mode */ }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) { node.textContent = text; }
    return node;
  }
  function post(path, body) {
    return fetch(api + path, { method: "POST", headers: { "Content-Type": "text/plain" }, body: JSON.stringify(body), credentials: "omit" })
      .then(function (r) {
        return r.json().then(function (data) {
          if (!r.ok) { var error = new Error(data.error || r.status); error.status = r.status; throw error; }
          return data;
        });
      });
  }
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function leadingZeros(buffer, bits) {
    var bytes = new Uint8Array(buffer);
    for (var i = 0; i < bits; i++) { if (bytes[i >> 3] & (0x80 >> (i & 7))) { return false; } }
    return true;
  }
  async function proofOfWork(challenge, bits) {
    var encoder = new TextEncoder();
    for (var nonce = 0; ; nonce++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + nonce));
      if (leadingZeros(digest, bits)) { return String(nonce); }
    }
  }

  var host = el("div", { "class": "concierge-chat-host" });
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("link", { rel: "stylesheet", href: base + "/static/webchat/widget.css" }));
  var launcher = el("button", { type: "button", "class": "launcher", "aria-expanded": "false", "aria-controls": "panel", "aria-haspopup": "dialog" });
  var panel = el("section", { id: "panel", "class": "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "title", "aria-describedby": "intro", hidden: "" });
  var header = el("header");
  var title = el("h2", { id: "title" });
  var closer = el("button", { type: "button", "class": "close" }, "×");
  header.appendChild(title); header.appendChild(closer);
  var intro = el("p", { id: "intro", "class": "intro" });
  /* The live region holds the list (a list keeps its items' count for a screen reader; an <ol>
     with role="log" would lose it), and is focusable so the keyboard can scroll it. */
  var log = el("div", { "class": "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
  var thread = el("ol");
  log.appendChild(thread);
  var status = el("p", { "class": "status", role: "status" });
  var form = el("form", { "class": "write" });
  var label = el("label", { "for": "message" });
  var input = el("textarea", { id: "message", name: "message", rows: "2", maxlength: "1000", required: "" });
  var trap = el("input", { type: "text", name: "website", tabindex: "-1", autocomplete: "off", "aria-hidden": "true", "class": "trap" });
  var send = el("button", { type: "submit" });
  form.appendChild(label); form.appendChild(input); form.appendChild(trap); form.appendChild(send);
  var mailForm = el("form", { "class": "mail" });
  var mailLabel = el("label", { "for": "email" });
  var mailInput = el("input", { id: "email", type: "email", name: "email", autocomplete: "email" });
  var mailSave = el("button", { type: "submit" });
  mailForm.appendChild(mailLabel); mailForm.appendChild(mailInput); mailForm.appendChild(mailSave);
  var privacy = el("p", { "class": "privacy" });
  [header, intro, log, status, form, mailForm, privacy].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(launcher); root.appendChild(panel);

  function words(texts, name) {
    state.texts = texts;
    launcher.textContent = texts.open; title.textContent = name; closer.setAttribute("aria-label", texts.close);
    log.setAttribute("aria-label", texts.thread);
    intro.textContent = texts.intro; label.textContent = texts.message; send.textContent = texts.send;
    mailLabel.textContent = texts.email; mailSave.textContent = texts.save; privacy.textContent = texts.privacy;
  }
  function show(message) {
    if (state.seen[message.id]) { return; }
    state.seen[message.id] = true;
    var t = state.texts;
    var who = message.author === "you" ? t.you : message.author === "local" ? (message.name || t.local) : t.brand;
    var item = el("li", { "class": "from-" + message.author });
    item.appendChild(el("strong", {}, who + ": "));
    item.appendChild(el("span", {}, message.text));
    thread.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }
  function poll() {
    if (!state.token) { return; }
    fetch(api + "messages/?t=" + encodeURIComponent(state.token), { cache: "no-cache", credentials: "omit" })
      .then(function (r) {
        if (r.status === 401) { forget(); }
        return r.status === 304 ? null : r.ok ? r.json() : null;
      })
      .then(function (data) { if (data) { data.messages.forEach(show); } })
      .catch(function () { /* the next poll tries again */ })
      .finally(function () {
        clearTimeout(state.timer);
        /* ±10 %: panels a server pause made answer together do not stay in step */
        state.timer = setTimeout(poll, (document.hidden ? 10 : state.poll) * (0.9 + Math.random() * 0.2) * 1000);
      });
  }
  function forget() {  /* an expired token: the next message starts a new session */
    state.token = null; state.proved = false;
    try { sessionStorage.removeItem(stored); } catch (e) { /* private mode */ }
  }
  function remember() {
    try { sessionStorage.setItem(stored, JSON.stringify({ token: state.token })); } catch (e) { /* private mode */ }
  }
  async function session() {
    if (state.token) { return; }
    var started = await post("session/", { language: lang });
    state.token = started.token; state.challenge = started.challenge; state.bits = started.bits;
  }
  /* Full screen on phones: the page behind is out of sight, so the dialog is modal there and Tab
     goes round inside it rather than onto what it covers. */
  var phone = window.matchMedia("(max-width: 420px)");
  function modal() { panel.setAttribute("aria-modal", phone.matches ? "true" : "false"); }
  phone.addEventListener("change", modal);
  function focusable() {
    return Array.prototype.filter.call(panel.querySelectorAll("button, textarea, input, [tabindex='0']"), function (node) {
      return !node.disabled && node.tabIndex >= 0;
    });
  }
  function cycle(event) {
    var items = focusable(), first = items[0], last = items[items.length - 1];
    if (event.shiftKey && root.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && root.activeElement === last) { event.preventDefault(); first.focus(); }
  }
  function open() {
    modal();
    panel.hidden = false; launcher.setAttribute("aria-expanded", "true"); host.classList.add("open");
    input.focus();
    if (state.token) { poll(); }
  }
  function close() {
    panel.hidden = true; launcher.setAttribute("aria-expanded", "false"); host.classList.remove("open");
    launcher.focus();
  }
  launcher.addEventListener("click", function () { if (panel.hidden) { open(); } else { close(); } });
  closer.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(); } else if (event.key === "Tab" && phone.matches) { cycle(event); }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    send.disabled = true; status.textContent = state.texts.sending;
    var id = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + "-" + Math.random().toString(36).slice(2);
    async function attempt() {
      await session();
      var body = { token: state.token, text: text, id: id, website: trap.value };
      if (!state.proved) { body.nonce = await proofOfWork(state.challenge, state.bits); }
      await post("messages/", body);
    }
    try {
      try { await attempt(); } catch (error) {
        if (error.status !== 401) { throw error; }
        forget(); await attempt();  /* the token expired (a day old): once more, afresh */
      }
      state.proved = true; remember();
      input.value = ""; status.textContent = "";
      poll();
    } catch (error) {
      status.textContent = error.message && isNaN(error.message) ? error.message : state.texts.failed;
    } finally {
      send.disabled = false; input.focus();
    }
  });
  mailForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    try {
      await session();
      await post("email/", { token: state.token, email: mailInput.value });
      status.textContent = state.texts.saved;
    } catch (error) {
      status.textContent = error.message && isNaN(error.message) ? error.message : state.texts.failed;
    }
  });

  fetch(api + "?lang=" + encodeURIComponent(lang), { credentials: "omit" })
    .then(function (r) { return r.json(); })
    .then(function (config) {
      if (!config.texts) { return; }
      state.poll = config.poll || 1.5;
      words(config.texts, config.title);
      /* The panel speaks the visitor's language, whatever the page's: screen readers follow. */
      launcher.lang = config.language; panel.lang = config.language;
      (document.body || document.documentElement).appendChild(host);
      if (state.token) { poll(); }
    });
})();
