/* Wegwijzer chat widget: one <script src=".../widget.js" data-socket="ws://.../webhooks/widget/ws">
 * adds a chat button and window. Anonymous: the server issues the conversation id (it answers
 * the first frame, "hello"), kept in sessionStorage and sent back in the next hello, never in
 * the URL. What anyone types is shown as text, never as HTML; links and images only with http(s). */
(function () {
  "use strict";

  var script = document.currentScript;
  var SOCKET_URL = script && script.dataset.socket;
  var BASE = script ? new URL(".", script.src).href : "/";
  var KEY_ID = "wegwijzer.conversation";
  var KEY_HISTORY = "wegwijzer.history";
  var KEY_OUTBOX = "wegwijzer.outbox";
  var KEY_OPEN = "wegwijzer.open";
  var KEY_LANG = "wegwijzer.language";
  var MAX_HISTORY = 300;
  var MAX_CHARS = 2000;

  // The widget's own labels, in the languages the assistant speaks. The bot's answers
  // follow the conversation's language slot; these follow the person's choice of language.
  var TEXTS = {
    nl: {
      open: "Chat met ons", dialog: "Chat over studie en werk", title: "Wegwijzer: studie en werk",
      restart: "Nieuw gesprek", erase: "Wis gesprek", close: "Chat sluiten", typing: "Aan het typen…",
      counsellorTyping: "De begeleider is aan het typen…", yourMessage: "Je bericht",
      placeholder: "Typ je vraag…", send: "Verstuur", you: "Jij", bot: "Chatbot", counsellor: "Begeleider",
      image: "Afbeelding", queued: "Je bent nummer {position} in de wachtrij, ongeveer {minutes} {unit}.",
      queuedLong: "Je bent nummer {position} in de wachtrij. Het kan meer dan een uur duren.",
      minute: "minuut", minutes: "minuten", withCounsellor: "Je praat nu met een begeleider.",
      closed: "Het gesprek met de begeleider is afgesloten.", notSetUp: "De chat is niet goed ingesteld.",
      erased: "Je gesprek is gewist.", empty: "Je bericht was leeg. Typ gerust je vraag.",
      unreadable: "Dat bericht kon ik niet lezen. Typ je vraag opnieuw.",
      offline: "De verbinding is even weg. Ik probeer opnieuw…",
      tooManyChats: "Er staan te veel chats open vanaf dit netwerk. Sluit de chats die je niet meer gebruikt. Ik probeer zo opnieuw…",
      tooBig: "Je bericht was te groot en is niet verstuurd. Maak het korter en probeer opnieuw.",
      conversationRefused: "Je vorige gesprek kon niet verder. Hier begint een nieuw gesprek.",
      confirmErase: "Wil je dit gesprek wissen? Alles wat je schreef, wordt verwijderd.",
      eraseOffline: "Wissen lukt nu niet: er is geen verbinding. Probeer zo opnieuw.",
      offer: "In het Nederlands"
    },
    en: {
      open: "Chat with us", dialog: "Chat about study and work", title: "Wegwijzer: study and work",
      restart: "New conversation", erase: "Erase conversation", close: "Close chat", typing: "Typing…",
      counsellorTyping: "The counsellor is typing…", yourMessage: "Your message",
      placeholder: "Type your question…", send: "Send", you: "You", bot: "Chatbot", counsellor: "Counsellor",
      image: "Image", queued: "You are number {position} in the queue, about {minutes} {unit}.",
      queuedLong: "You are number {position} in the queue. It may take more than an hour.",
      minute: "minute", minutes: "minutes", withCounsellor: "You are now talking to a counsellor.",
      closed: "The conversation with the counsellor has ended.", notSetUp: "The chat is not set up correctly.",
      erased: "Your conversation has been erased.", empty: "Your message was empty. Feel free to type your question.",
      unreadable: "I could not read that message. Please type your question again.",
      offline: "The connection is lost for a moment. Trying again…",
      tooManyChats: "Too many chats are open from this network. Close the chats you no longer use. Trying again shortly…",
      tooBig: "Your message was too large and was not sent. Please make it shorter and try again.",
      conversationRefused: "Your previous conversation could not go on. A new conversation starts here.",
      confirmErase: "Erase this conversation? Everything you wrote will be deleted.",
      eraseOffline: "Erasing does not work now: there is no connection. Try again in a moment.",
      offer: "Continue in English"
    },
    fr: {
      open: "Discuter avec nous", dialog: "Chat sur les études et le travail", title: "Wegwijzer : études et travail",
      restart: "Nouvelle conversation", erase: "Effacer la conversation", close: "Fermer le chat",
      typing: "En train d'écrire…", counsellorTyping: "Le conseiller est en train d'écrire…",
      yourMessage: "Votre message", placeholder: "Tapez votre question…", send: "Envoyer", you: "Vous",
      bot: "Chatbot", counsellor: "Conseiller", image: "Image",
      queued: "Vous êtes numéro {position} dans la file, environ {minutes} {unit}.",
      queuedLong: "Vous êtes numéro {position} dans la file. Cela peut prendre plus d'une heure.",
      minute: "minute", minutes: "minutes", withCounsellor: "Vous parlez maintenant avec un conseiller.",
      closed: "La conversation avec le conseiller est terminée.", notSetUp: "Le chat n'est pas bien configuré.",
      erased: "Votre conversation a été effacée.", empty: "Votre message était vide. Tapez votre question.",
      unreadable: "Je n'ai pas pu lire ce message. Tapez à nouveau votre question.",
      offline: "La connexion est coupée un instant. Nouvel essai…",
      tooManyChats: "Trop de chats sont ouverts depuis ce réseau. Fermez ceux que vous n'utilisez plus. Nouvel essai dans un instant…",
      tooBig: "Votre message était trop long et n'a pas été envoyé. Raccourcissez-le et réessayez.",
      conversationRefused: "Votre conversation précédente ne pouvait pas continuer. Une nouvelle conversation commence ici.",
      confirmErase: "Effacer cette conversation ? Tout ce que vous avez écrit sera supprimé.",
      eraseOffline: "Impossible d'effacer maintenant : pas de connexion. Réessayez dans un instant.",
      offer: "Continuer en français"
    }
  };
  // A language chosen in this conversation, else Dutch. The browser's language, when the
  // assistant speaks it and it is not Dutch, is offered with a button.
  var offered = ((script && script.dataset.lang) || navigator.language || "nl").slice(0, 2).toLowerCase();
  var language = TEXTS[load(KEY_LANG, "nl")] ? load(KEY_LANG, "nl") : "nl";
  function t(key) { return TEXTS[language][key]; }
  var CHOOSE_LANGUAGE = /^\/choose_language\{"language": ?"(nl|en|fr)"\}$/;

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
      parent.appendChild(el("img", { class: "ww-image", src: url.href, alt: t("image"), loading: "lazy" }));
    } else {
      parent.appendChild(el("a", { href: url.href, target: "_blank", rel: "noopener noreferrer" }, url.href));
    }
  }

  var link = el("link", { rel: "stylesheet", href: BASE + "widget.css" });
  document.head.appendChild(link);

  var root = el("div", { class: "ww-root" });
  var launcher = el("button", {
    class: "ww-launcher", type: "button", "aria-expanded": "false", "aria-controls": "ww-panel"
  }, t("open"));
  var panel = el("section", {
    id: "ww-panel", class: "ww-panel", role: "dialog", "aria-label": t("dialog"),
    hidden: ""
  });
  var header = el("header", { class: "ww-header" });
  var title = el("h2", { class: "ww-title" }, t("title"));
  var restart = el("button", { class: "ww-restart", type: "button" }, t("restart"));
  var erase = el("button", { class: "ww-restart", type: "button" }, t("erase"));
  var closeButton = el("button", { class: "ww-close", type: "button", "aria-label": t("close") }, "×");
  header.append(title, restart, erase, closeButton);
  var status = el("p", { class: "ww-status", role: "status", "aria-live": "polite" });
  var log = el("div", { class: "ww-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
  var typing = el("p", { class: "ww-typing", hidden: "" }, t("typing"));
  var form = el("form", { class: "ww-form" });
  var label = el("label", { for: "ww-input", class: "ww-sr" }, t("yourMessage"));
  var input = el("textarea", { id: "ww-input", rows: "2", maxlength: String(MAX_CHARS), placeholder: t("placeholder"), autocomplete: "off" });
  var send = el("button", { type: "submit", class: "ww-send" }, t("send"));
  form.append(label, input, send);
  panel.append(header, status, log, typing, form);
  root.append(launcher, panel);
  document.body.appendChild(root);

  var history = load(KEY_HISTORY, []);
  var outbox = load(KEY_OUTBOX, []);
  var socket = null;
  var live = false;  // the server answered this socket's hello: frames may go
  var retry = 0;
  // Close codes of the server's edge limits (channels/limits.py, channels/edge.py).
  var TOO_MANY_SOCKETS = 1008, TOO_BIG = 1009;

  function render(item) {
    var bubble = el("div", { class: "ww-msg ww-" + item.from });
    var who = { person: t("you"), bot: t("bot"), counsellor: t("counsellor") }[item.from] || "";
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
      // Past an hour an estimate in minutes promises more than anyone can know.
      status.textContent = t(frame.minutes > 60 ? "queuedLong" : "queued").replace("{position}", frame.position)
        .replace("{minutes}", frame.minutes).replace("{unit}", t(frame.minutes === 1 ? "minute" : "minutes"));
    } else if (frame.status === "with_counsellor") {
      status.textContent = t("withCounsellor");
    } else if (frame.status === "closed") {
      status.textContent = t("closed");
    } else {
      status.textContent = "";
    }
    save("wegwijzer.status", status.textContent);
  }

  function flush() {
    while (outbox.length && live && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "message", text: outbox[0] }));
      outbox.shift();
      save(KEY_OUTBOX, outbox);
    }
  }

  // The widget's labels in ``code``: on a language button, or when the server says the
  // conversation's language changed (a "language" frame).
  function useLanguage(code) {
    language = code;
    save(KEY_LANG, code);
    root.setAttribute("lang", code);
    launcher.textContent = t("open");
    panel.setAttribute("aria-label", t("dialog"));
    title.textContent = t("title");
    restart.textContent = t("restart");
    erase.textContent = t("erase");
    closeButton.setAttribute("aria-label", t("close"));
    typing.textContent = t("typing");
    label.textContent = t("yourMessage");
    input.setAttribute("placeholder", t("placeholder"));
    send.textContent = t("send");
  }

  // At the start of a conversation in Dutch, the browser's language when the assistant
  // speaks it: one button, gone once used or once the conversation goes on.
  function offerLanguage() {
    if (language !== "nl" || offered === "nl" || !TEXTS[offered] || history.length > 1) return;
    var row = el("div", { class: "ww-buttons ww-language-offer", lang: offered });
    var button = el("button", { type: "button", class: "ww-choice" }, TEXTS[offered].offer);
    button.addEventListener("click", function () {
      row.remove();
      say(TEXTS[offered].offer, '/choose_language{"language": "' + offered + '"}');
    });
    row.appendChild(button);
    log.appendChild(row);
  }

  function say(shown, text) {
    var chosen = CHOOSE_LANGUAGE.exec(text);
    if (chosen) useLanguage(chosen[1]);
    var offer = log.querySelector(".ww-language-offer");
    if (offer) offer.remove();
    var item = { from: "person", text: shown };
    render(item);
    remember(item);
    outbox.push(text);
    save(KEY_OUTBOX, outbox);
    flush();
  }

  // What is shown of a conversation the server would not continue (it did not issue its id):
  // everything but what the person typed and has not been sent yet.
  function forgetConversation() {
    ["wegwijzer.status", KEY_HISTORY, KEY_ID, KEY_LANG].forEach(function (k) { sessionStorage.removeItem(k); });
    history = []; log.textContent = ""; status.textContent = "";
    useLanguage("nl");
  }

  function connect() {
    if (!SOCKET_URL) { status.textContent = t("notSetUp"); return; }
    var mine = new WebSocket(SOCKET_URL);
    socket = mine;
    live = false;
    socket.addEventListener("open", function () {
      var hello = { type: "hello" };
      var id = load(KEY_ID, null);
      if (id) hello.conversation = id;
      mine.send(JSON.stringify(hello));
    });
    socket.addEventListener("message", function (event) {
      if (socket !== mine) return;
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "conversation") {
        save(KEY_ID, String(frame.id));
      } else if (frame.type === "ready") {
        live = true;
        retry = 0;
        if (status.dataset.offline) { status.textContent = ""; delete status.dataset.offline; }
        if (!history.length && !outbox.length) { outbox.push("/greet"); }
        flush();
      } else if (frame.type === "error" && frame.reason === "conversation") {
        forgetConversation();
        render({ from: "bot", text: t("conversationRefused") });
      } else if (frame.type === "message") {
        typing.hidden = true;
        var item = { from: frame.from === "counsellor" ? "counsellor" : "bot", text: String(frame.text || ""), buttons: frame.buttons, live: true };
        render(item);
        remember(item);
        offerLanguage();
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
        typing.textContent = t(frame.from === "counsellor" ? "counsellorTyping" : "typing");
        typing.hidden = false;
        clearTimeout(typing.timer);
        typing.timer = setTimeout(function () { typing.hidden = true; }, 6000);
      } else if (frame.type === "idle") {
        typing.hidden = true;
      } else if (frame.type === "erased") {
        startOver();
        status.textContent = t("erased");
      } else if (frame.type === "status") {
        showStatus(frame);
      } else if (frame.type === "language") {
        // The person switched language by writing in it: the labels follow.
        if (TEXTS[frame.language] && frame.language !== language) useLanguage(frame.language);
      } else if (frame.type === "error") {
        typing.hidden = true;
        var note = { from: "bot", text: frame.text || t(frame.reason === "empty" ? "empty" : "unreadable") };
        render(note);
      }
    });
    socket.addEventListener("close", function (event) {
      if (socket !== mine) return;  // replaced on purpose ("Nieuw gesprek", "Wis gesprek")
      live = false;
      typing.hidden = true;
      if (event.code === TOO_BIG) {
        // The message that was too big is not sent again; the conversation goes on.
        render({ from: "bot", text: t("tooBig") });
        setTimeout(connect, 500);
        return;
      }
      status.textContent = t(event.code === TOO_MANY_SOCKETS ? "tooManyChats" : "offline");
      status.dataset.offline = "1";
      retry = Math.min(retry + 1, 6);
      // Sockets close elsewhere before this address gets one again: wait longer.
      var wait = 500 * Math.pow(2, retry - 1);
      setTimeout(connect, event.code === TOO_MANY_SOCKETS ? Math.max(wait, 10000) : wait);
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
    sessionStorage.removeItem(KEY_OUTBOX);
    outbox = [];
    forgetConversation();
    if (socket) { var old = socket; socket = null; old.close(); }
    connect();
    input.focus();
  }
  restart.addEventListener("click", startOver);
  erase.addEventListener("click", function () {
    if (!window.confirm(t("confirmErase"))) return;
    if (live && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "erase" }));
    } else {
      status.textContent = t("eraseOffline");
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

  root.setAttribute("lang", language);
  history.forEach(render);
  status.textContent = load("wegwijzer.status", "");
  if (load(KEY_OPEN, false)) open();
})();
