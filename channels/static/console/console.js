/* Counsellor console: log in, live queue, claim, chat, notes, hand back, close.
 * Everything shown from the server is set as text, never as HTML. */
(function () {
  "use strict";

  var csrf = null;
  var me = null;
  var selected = null;
  var overview = { queue: [], with_counsellor: [], with_bot: [] };
  var stream = null;
  var pingTimer = null;
  var typingSent = 0;
  var shown = 0;  // messages of the selected conversation on screen

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function notice(text) {
    var box = $("notice");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function api(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (csrf && method !== "GET") headers["X-CSRF-Token"] = csrf;
    return fetch(path, {
      method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 401 && path !== "/api/login") { showLogin(); }
        return { status: response.status, data: data };
      });
    });
  }

  function showLogin() {
    me = null; csrf = null;
    if (stream) { stream.onclose = null; stream.close(); stream = null; }
    $("login-view").hidden = false;
    $("work-view").hidden = true;
    $("logout").hidden = true;
    $("who").textContent = "";
    $("username").focus();
  }

  function showWork(username) {
    me = username;
    $("login-view").hidden = true;
    $("work-view").hidden = false;
    $("logout").hidden = false;
    $("who").textContent = "Aangemeld als " + username;
    openStream();
  }

  function minutesSince(iso) {
    if (!iso) return "";
    var minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    return minutes + " min";
  }

  function renderList(id, items, kind) {
    var list = $(id);
    list.textContent = "";
    if (!items.length) { list.appendChild(el("li", { class: "empty" }, "Geen gesprekken")); return; }
    items.forEach(function (item) {
      var li = el("li", { class: "item" + (item.crisis ? " crisis" : "") + (selected === item.id ? " selected" : "") });
      var open = el("button", { type: "button", class: "open", "data-id": item.id });
      var line = [];
      if (kind === "queue") line.push("#" + item.position);
      if (item.crisis) line.push("DRINGEND");
      line.push(item.user_group_label);
      line.push(item.topic_label || "");
      open.appendChild(el("strong", {}, line.filter(Boolean).join(" · ")));
      var detail = kind === "queue" ? "wacht " + minutesSince(item.waiting_since) :
        kind === "with_counsellor" ? "bij " + (item.claimed_by || "?") : "actief " + minutesSince(item.last_active) + " geleden";
      open.appendChild(el("span", { class: "detail" }, detail + " · " + item.channel));
      open.appendChild(el("span", { class: "detail" }, item.summary));
      open.addEventListener("click", function () { select(item.id); });
      li.appendChild(open);
      list.appendChild(li);
    });
  }

  function renderOverview() {
    renderList("queue", overview.queue, "queue");
    renderList("with-counsellor", overview.with_counsellor, "with_counsellor");
    renderList("with-bot", overview.with_bot, "with_bot");
    $("queue-count").textContent = "(" + overview.queue.length + ")";
    if (selected) updateActions(findItem(selected));
  }

  function findItem(id) {
    var all = overview.queue.concat(overview.with_counsellor, overview.with_bot);
    for (var i = 0; i < all.length; i++) if (all[i].id === id) return all[i];
    return null;
  }

  function updateActions(item) {
    var mine = item && item.status === "with_counsellor" && item.claimed_by === me;
    $("claim").hidden = !(item && (item.status === "queued" || item.status === "bot"));
    $("handback").hidden = !mine;
    $("close").hidden = !mine;
    $("message-form").hidden = !mine;
    $("card-form").hidden = !mine;
  }

  function addMessage(message) {
    var who = { person: "Persoon", bot: "Bot", counsellor: "Begeleider" }[message.from] || message.from;
    var row = el("div", { class: "line from-" + message.from });
    row.appendChild(el("span", { class: "speaker" }, who + ":"));
    row.appendChild(el("span", { class: "text" }, " " + message.text));
    $("transcript").appendChild(row);
    $("transcript").scrollTop = $("transcript").scrollHeight;
  }

  function select(id) {
    selected = id;
    shown = Number.MAX_SAFE_INTEGER;  // until the transcript is loaded
    $("conversation").hidden = false;
    $("reminder").hidden = true;
    renderOverview();
    api("GET", "/api/conversations/" + encodeURIComponent(id)).then(function (result) {
      if (result.status !== 200 || selected !== id) return;
      var data = result.data;
      $("conversation-title").textContent = "Gesprek " + id.slice(0, 8) + (data.crisis ? " · DRINGEND" : "");
      var summary = $("summary");
      summary.textContent = "";
      [["Groep", data.user_group_label], ["Vraag", data.topic_label || "onbekend"],
       ["Crisis", data.crisis ? "ja" : "nee"], ["Samenvatting", data.summary],
       ["Doorverwezen", (data.signposted || []).join(", ") || "nog niet"],
       ["Status", data.status + (data.claimed_by ? " (" + data.claimed_by + ")" : "")]].forEach(function (pair) {
        summary.appendChild(el("dt", {}, pair[0]));
        summary.appendChild(el("dd", {}, pair[1]));
      });
      var quick = $("quick-replies");
      quick.textContent = "";
      quick.setAttribute("lang", data.language || "nl");
      (data.quick_replies || []).forEach(function (text) {
        var button = el("button", { type: "button", class: "quick-reply" }, text);
        button.addEventListener("click", function () { $("message").value = text; $("message").focus(); });
        quick.appendChild(button);
      });
      $("transcript").textContent = "";
      (data.transcript || []).forEach(addMessage);
      shown = (data.transcript || []).length;
      if (data.transcript === null) addMessage({ from: "bot", text: "(het verslag is nu niet beschikbaar)" });
      var notes = $("notes");
      notes.textContent = "";
      data.notes.forEach(function (n) { notes.appendChild(el("li", {}, n.text + " (" + (n.by || "?") + ")")); });
      updateActions(findItem(id) || { status: data.status, claimed_by: data.claimed_by });
      loadCards(data.user_group);
    });
  }

  function loadCards(group) {
    api("GET", "/api/services" + (group ? "?group=" + encodeURIComponent(group) : "")).then(function (result) {
      var select = $("card");
      select.textContent = "";
      if (result.status !== 200) return;
      result.data.forEach(function (service) {
        select.appendChild(el("option", { value: service.key }, service.name + (service.for_group ? " (past bij deze groep)" : "")));
      });
    });
  }

  function openStream() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    stream = new WebSocket(scheme + location.host + "/api/stream");
    stream.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "overview") {
        overview = frame;
        renderOverview();
      } else if (frame.type === "messages" && frame.id === selected) {
        frame.messages.forEach(function (message, i) {
          if (frame.start + i >= shown) { addMessage(message); shown = frame.start + i + 1; }
        });
      } else if (frame.type === "reminder" && frame.id === selected) {
        $("reminder").textContent = "Dit gesprek loopt al " + frame.minutes + " minuten. Denk aan afronden.";
        $("reminder").hidden = false;
      }
    };
    stream.onclose = function () {
      clearInterval(pingTimer);
      if (me) setTimeout(function () { if (me) openStream(); }, 1000);
    };
    clearInterval(pingTimer);
    pingTimer = setInterval(function () { if (stream.readyState === 1) stream.send("ping"); }, 30000);
  }

  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var username = $("username").value;
    api("POST", "/api/login", { username: username, password: $("password").value }).then(function (result) {
      $("password").value = "";
      if (result.status === 200) {
        csrf = result.data.csrf_token;
        notice("");
        showWork(result.data.username);
      } else {
        notice(result.data.error || "Aanmelden lukte niet.");
      }
    });
  });

  $("logout").addEventListener("click", function () {
    me = null;
    api("POST", "/api/logout").then(showLogin);
  });

  $("claim").addEventListener("click", function () {
    var id = selected;
    api("POST", "/api/conversations/" + encodeURIComponent(id) + "/claim").then(function (result) {
      if (result.status === 200) { notice(""); select(id); }
      else if (result.status === 409) { notice("Een andere begeleider heeft dit gesprek al. Kies een ander gesprek."); }
      else { notice(result.data.error || "Overnemen lukte niet."); }
    });
  });

  function finish(action) {
    var id = selected;
    api("POST", "/api/conversations/" + encodeURIComponent(id) + "/" + action).then(function (result) {
      notice(result.status === 200 ? "" : (result.data.error || "Dat lukte niet."));
      select(id);
    });
  }
  $("handback").addEventListener("click", function () { finish("handback"); });
  $("close").addEventListener("click", function () { finish("close"); });

  $("message-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("message").value.trim();
    if (!text) return;
    api("POST", "/api/conversations/" + encodeURIComponent(selected) + "/messages", { text: text }).then(function (result) {
      if (result.status === 200) { $("message").value = ""; notice(""); }
      else notice(result.data.error || "Versturen lukte niet.");
      $("message").focus();
    });
  });
  $("message").addEventListener("input", function () {
    if (Date.now() - typingSent > 3000 && selected) {
      typingSent = Date.now();
      api("POST", "/api/conversations/" + encodeURIComponent(selected) + "/typing");
    }
  });
  $("message").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("message-form").requestSubmit(); }
  });

  $("card-form").addEventListener("submit", function (event) {
    event.preventDefault();
    api("POST", "/api/conversations/" + encodeURIComponent(selected) + "/cards", { service: $("card").value }).then(function (result) {
      notice(result.status === 200 ? "" : (result.data.error || "Versturen lukte niet."));
    });
  });

  $("note-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("note").value.trim();
    if (!text) return;
    api("POST", "/api/conversations/" + encodeURIComponent(selected) + "/notes", { text: text }).then(function (result) {
      if (result.status === 201) { $("note").value = ""; select(selected); }
      else notice(result.data.error || "Bewaren lukte niet.");
    });
  });

  api("GET", "/api/me").then(function (result) {
    if (result.status === 200) { csrf = result.data.csrf_token; showWork(result.data.username); }
    else showLogin();
  });
})();
