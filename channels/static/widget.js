/* Wegwijzer chat widget: one <script src=".../widget.js" data-socket="ws://.../webhooks/widget/ws">
 * adds a chat button and window. Anonymous: a random conversation id in sessionStorage.
 * What anyone types is shown as text, never as HTML; links and images only with http(s). */
(function () {
  "use strict";

  var script = document.currentScript;
  var SOCKET_URL = script && script.dataset.socket;
  var BASE = script ? new URL(".", script.src).href : "/";
  var KEY_ID = "wegwijzer.conversation";
  var KEY_HISTORY = "wegwijzer.history";
  var KEY_OUTBOX = "wegwijzer.outbox";
  var KEY_OPEN = "wegwijzer.open";
  var MAX_HISTORY = 300;
  var MAX_CHARS = 2000;

  function load(key, fallback) {
    try {
      var value = JSON.parse(sessionStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }
  function save(key, value) {
    try { sessionStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or off */ }
  }

  function newConversationId() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    var text = btoa(String.fromCharCode.apply(null, bytes));
    return text.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function conversationId() {
    var id = load(KEY_ID, null);
    if (!id) { id = newConversationId(); save(KEY_ID, id); }
    return id;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // An http(s) URL, or null: nothing else becomes a link or an image source.
  function webUrl(href) {
    var url;
    try { url = new URL(String(href)); } catch (e) { return null; }
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  }

  // Text with http(s) links made clickable; everything else stays plain text.
  function appendText(parent, text) {
    var pattern = /https?:\/\/[^\s<>"')]+/g;
    var last = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var href = match[0];
      var url = webUrl(href);
      if (url) {
        var link = el("a", { href: url.href, target: "_blank", rel: "noopener noreferrer" }, href);
        parent.appendChild(link);
      } else {
        parent.appendChild(document.createTextNode(href));
      }
      last = match.index + href.length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // An image from the bot as <img>, an attachment as a link; http(s) only.
  function appendMedia(parent, item) {
    var url = webUrl(item.image || item.attachment);
    if (!url) return;
    if (item.image) {
      parent.appendChild(el("img", { class: "ww-image", src: url.href, alt: "Afbeelding", loading: "lazy" }));
    } else {
      parent.appendChild(el("a", { href: url.href, target: "_blank", rel: "noopener noreferrer" }, url.href));
    }
  }

  var link = el("link", { rel: "stylesheet", href: BASE + "widget.css" });
  document.head.appendChild(link);

  var root = el("div", { class: "ww-root" });
  var launcher = el("button", {
    class: "ww-launcher", type: "button", "aria-expanded": "false", "aria-controls": "ww-panel"
  }, "Chat met ons");
  var panel = el("section", {
    id: "ww-panel", class: "ww-panel", role: "dialog", "aria-label": "Chat over studie en werk",
    hidden: ""
  });
  var header = el("header", { class: "ww-header" });
  var title = el("h2", { class: "ww-title" }, "Wegwijzer: studie en werk");
  var restart = el("button", { class: "ww-restart", type: "button" }, "Nieuw gesprek");
  var erase = el("button", { class: "ww-restart", type: "button" }, "Wis gesprek");
  var closeButton = el("button", { class: "ww-close", type: "button", "aria-label": "Chat sluiten" }, "×");
  header.append(title, restart, erase, closeButton);
  var status = el("p", { class: "ww-status", role: "status", "aria-live": "polite" });
  var log = el("div", { class: "ww-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
  var typing = el("p", { class: "ww-typing", hidden: "" }, "Aan het typen…");
  var form = el("form", { class: "ww-form" });
  var label = el("label", { for: "ww-input", class: "ww-sr" }, "Je bericht");
  var input = el("textarea", { id: "ww-input", rows: "2", maxlength: String(MAX_CHARS), placeholder: "Typ je vraag…", autocomplete: "off" });
  var send = el("button", { type: "submit", class: "ww-send" }, "Verstuur");
  form.append(label, input, send);
  panel.append(header, status, log, typing, form);
  root.append(launcher, panel);
  document.body.appendChild(root);

  var history = load(KEY_HISTORY, []);
  var outbox = load(KEY_OUTBOX, []);
  var socket = null;
  var retry = 0;

  function render(item) {
    var bubble = el("div", { class: "ww-msg ww-" + item.from });
    var who = { person: "Jij", bot: "Chatbot", counsellor: "Begeleider" }[item.from] || "";
    bubble.appendChild(el("span", { class: "ww-sr" }, who + ": "));
    if (item.image || item.attachment) appendMedia(bubble, item); else appendText(bubble, item.text);
    log.appendChild(bubble);
    if (item.buttons && item.buttons.length && item.live) {
      var row = el("div", { class: "ww-buttons" });
      item.buttons.forEach(function (b) {
        var button = el("button", { type: "button", class: "ww-choice" }, b.title);
        button.addEventListener("click", function () {
          row.remove();
          say(b.title, b.payload);
        });
        row.appendChild(button);
      });
      log.appendChild(row);
    }
    log.scrollTop = log.scrollHeight;
  }

  function remember(item) {
    history.push({ from: item.from, text: item.text, image: item.image, attachment: item.attachment });
    if (history.length > MAX_HISTORY) history = history.slice(-MAX_HISTORY);
    save(KEY_HISTORY, history);
  }

  function showStatus(frame) {
    if (frame.status === "queued" && frame.position) {
      status.textContent = "Je bent nummer " + frame.position + " in de wachtrij, ongeveer " +
        frame.minutes + " " + (frame.minutes === 1 ? "minuut" : "minuten") + ".";
    } else if (frame.status === "with_counsellor") {
      status.textContent = "Je praat nu met een begeleider.";
    } else if (frame.status === "closed") {
      status.textContent = "Het gesprek met de begeleider is afgesloten.";
    } else {
      status.textContent = "";
    }
    save("wegwijzer.status", status.textContent);
  }

  function flush() {
    while (outbox.length && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "message", text: outbox[0] }));
      outbox.shift();
      save(KEY_OUTBOX, outbox);
    }
  }

  function say(shown, text) {
    var item = { from: "person", text: shown };
    render(item);
    remember(item);
    outbox.push(text);
    save(KEY_OUTBOX, outbox);
    flush();
  }

  function connect() {
    if (!SOCKET_URL) { status.textContent = "De chat is niet goed ingesteld."; return; }
    var mine = new WebSocket(SOCKET_URL + "?conversation=" + encodeURIComponent(conversationId()));
    socket = mine;
    socket.addEventListener("open", function () {
      retry = 0;
      if (status.dataset.offline) { status.textContent = ""; delete status.dataset.offline; }
      if (!history.length && !outbox.length) { outbox.push("/greet"); }
      flush();
    });
    socket.addEventListener("message", function (event) {
      if (socket !== mine) return;
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "message") {
        typing.hidden = true;
        var item = { from: frame.from === "counsellor" ? "counsellor" : "bot", text: String(frame.text || ""), buttons: frame.buttons, live: true };
        render(item);
        remember(item);
      } else if ((frame.type === "image" || frame.type === "attachment") && webUrl(frame.url)) {
        typing.hidden = true;
        var media = { from: frame.from === "counsellor" ? "counsellor" : "bot", text: "" };
        media[frame.type] = webUrl(frame.url).href;
        render(media);
        remember(media);
      } else if (frame.type === "custom") {
        // A response's custom payload, for the page that embeds the widget; nothing is shown.
        window.dispatchEvent(new CustomEvent("wegwijzer:custom", { detail: frame.payload }));
      } else if (frame.type === "typing") {
        typing.textContent = frame.from === "counsellor" ? "De begeleider is aan het typen…" : "Aan het typen…";
        typing.hidden = false;
        clearTimeout(typing.timer);
        typing.timer = setTimeout(function () { typing.hidden = true; }, 6000);
      } else if (frame.type === "idle") {
        typing.hidden = true;
      } else if (frame.type === "erased") {
        startOver();
        status.textContent = "Je gesprek is gewist.";
      } else if (frame.type === "status") {
        showStatus(frame);
      } else if (frame.type === "error") {
        typing.hidden = true;
        var notes = { empty: "Je bericht was leeg. Typ gerust je vraag." };
        var fallback = "Dat bericht kon ik niet lezen. Typ je vraag opnieuw.";
        var note = { from: "bot", text: frame.text || notes[frame.reason] || fallback };
        render(note);
      }
    });
    socket.addEventListener("close", function () {
      if (socket !== mine) return;  // replaced on purpose ("Nieuw gesprek", "Wis gesprek")
      status.textContent = "De verbinding is even weg. Ik probeer opnieuw…";
      status.dataset.offline = "1";
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * Math.pow(2, retry - 1));
    });
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    save(KEY_OPEN, true);
    if (!socket) connect();
    input.focus();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    save(KEY_OPEN, false);
    launcher.focus();
  }

  launcher.addEventListener("click", function () { panel.hidden ? open() : close(); });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
  function startOver() {
    ["wegwijzer.status", KEY_HISTORY, KEY_OUTBOX, KEY_ID].forEach(function (k) { sessionStorage.removeItem(k); });
    history = []; outbox = []; log.textContent = ""; status.textContent = "";
    if (socket) { var old = socket; socket = null; old.close(); }
    connect();
    input.focus();
  }
  restart.addEventListener("click", startOver);
  erase.addEventListener("click", function () {
    if (!window.confirm("Wil je dit gesprek wissen? Alles wat je schreef, wordt verwijderd.")) return;
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "erase" }));
    } else {
      status.textContent = "Wissen lukt nu niet: er is geen verbinding. Probeer zo opnieuw.";
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    say(text, text.slice(0, MAX_CHARS));
    input.value = "";
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });

  history.forEach(render);
  status.textContent = load("wegwijzer.status", "");
  if (load(KEY_OPEN, false)) open();
})();
