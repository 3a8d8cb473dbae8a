/* Counsellor console: log in, live queue, claim, chat, notes, hand back, close; supervisors
 * read along and whisper, admins manage accounts (the server decides; this only hides what
 * the role cannot do). Everything shown from the server is set as text, never as HTML. */
(function () {
  "use strict";

  var csrf = null;
  var me = null;
  var role = null;
  var RANK = { counsellor: 0, supervisor: 1, admin: 2 };
  var SESSION_ENDED = 4401;
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

  function atLeast(wanted) { return role !== null && RANK[role] >= RANK[wanted]; }

  function showLogin() {
    me = null; csrf = null; role = null;
    ConsoleAlerts.stop();
    if ($("accounts-view")) $("accounts-view").remove();
    if (stream) { stream.onclose = null; stream.close(); stream = null; }
    $("login-view").hidden = false;
    $("work-view").hidden = true;
    $("logout").hidden = true;
    $("statistics-link").hidden = true;
    $("who").textContent = "";
    $("username").focus();
  }

  function showWork(data) {
    me = data.username;
    role = data.role;
    csrf = data.csrf_token;
    $("login-view").hidden = true;
    $("work-view").hidden = false;
    $("logout").hidden = false;
    $("statistics-link").hidden = !atLeast("supervisor");  // the dashboard: supervisors and admins
    $("who").textContent = "Aangemeld als " + me + " (" + data.role_label + ")";
    if (atLeast("admin")) showAccounts();
    ConsoleAlerts.start({ me: me, open: select, looking: function () { return selected; }, changed: renderOverview });
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
      var unread = ConsoleAlerts.unread(item.id);
      if (unread) open.appendChild(el("span", { class: "unread" }, unread + " " + $("alerts").dataset.unread));
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
    var supervising = !!item && atLeast("supervisor") && item.status !== "closed";
    $("claim").hidden = !(item && (item.status === "queued" || (item.status === "bot" && atLeast("supervisor"))));
    $("handback").hidden = !mine;
    $("close").hidden = !(mine || supervising);
    $("message-form").hidden = !mine;
    $("card-form").hidden = !mine;
    $("note-form").hidden = !(mine || supervising);
    $("whisper-form").hidden = !(supervising && !mine && item.status === "with_counsellor");
    $("read-only").hidden = !(supervising && !mine);
  }

  function showSummary(item) {  // a list item of the overview, or a conversation read in full
    var summary = $("summary");
    summary.textContent = "";
    [["Groep", item.user_group_label], ["Vraag", item.topic_label || "onbekend"],
     ["Crisis", item.crisis ? "ja" : "nee"], ["Samenvatting", item.summary],
     ["Doorverwezen", item.signposted ? item.signposted.join(", ") || "nog niet" : null],
     ["Status", item.status + (item.claimed_by ? " (" + item.claimed_by + ")" : "")]].forEach(function (pair) {
      if (pair[1] === null) return;
      summary.appendChild(el("dt", {}, pair[0]));
      summary.appendChild(el("dd", {}, pair[1]));
    });
  }

  function showNote(note) {
    var by = note.by || "?";
    var text = note.whisper ? note.text + " (" + $("notes").dataset.whisper + " " + by + ")" : note.text + " (" + by + ")";
    $("notes").appendChild(el("li", { class: note.whisper ? "whisper" : "" }, text));
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
    ConsoleAlerts.seen(id);
    shown = Number.MAX_SAFE_INTEGER;  // until the transcript is loaded
    $("conversation").hidden = false;
    $("reminder").hidden = true;
    renderOverview();
    api("GET", "/api/conversations/" + encodeURIComponent(id)).then(function (result) {
      if (selected !== id) return;
      if (result.status === 403) {  // summaries only: the server says why
        var item = findItem(id);
        $("conversation-title").textContent = "Gesprek " + id.slice(0, 8) + (item && item.crisis ? " · DRINGEND" : "");
        if (item) showSummary(item);
        $("transcript").textContent = "";
        $("transcript").appendChild(el("p", { class: "refused" }, result.data.error));
        $("notes").textContent = "";
        $("quick-replies").textContent = "";
        updateActions(item);
        $("read-only").hidden = true;
        return;
      }
      if (result.status !== 200) return;
      var data = result.data;
      $("conversation-title").textContent = "Gesprek " + id.slice(0, 8) + (data.crisis ? " · DRINGEND" : "");
      showSummary(data);
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
      data.notes.forEach(showNote);
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
    if (stream) { stream.onclose = null; stream.close(); }
    stream = new WebSocket(scheme + location.host + "/api/stream");
    stream.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "overview") {
        overview = frame;
        ConsoleAlerts.overview(frame);
        renderOverview();
      } else if (frame.type === "messages") {
        ConsoleAlerts.messages(frame, findItem(frame.id));
        if (frame.id === selected) frame.messages.forEach(function (message, i) {
          if (frame.start + i >= shown) { addMessage(message); shown = frame.start + i + 1; }
        });
      } else if (frame.type === "whisper") {
        var box = $("whispers");
        box.textContent = frame.by + " fluistert (gesprek " + frame.id.slice(0, 8) + "): " + frame.text;
        box.hidden = false;
        if (frame.id === selected) showNote({ text: frame.text, by: frame.by, whisper: true });
      } else if (frame.type === "reminder" && frame.id === selected) {
        $("reminder").textContent = "Dit gesprek loopt al " + frame.minutes + " minuten. Denk aan afronden.";
        $("reminder").hidden = false;
      }
    };
    stream.onclose = function (event) {
      clearInterval(pingTimer);
      if (event.code === SESSION_ENDED) {  // logout, idle expiry, account disabled or new password
        showLogin();
        notice($("notice").dataset.sessionEnded);
        return;
      }
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
        notice("");
        showWork(result.data);
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

  $("whisper-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("whisper").value.trim();
    if (!text) return;
    api("POST", "/api/conversations/" + encodeURIComponent(selected) + "/whisper", { text: text }).then(function (result) {
      if (result.status === 201) { $("whisper").value = ""; notice(""); select(selected); }
      else notice(result.data.error || "Influisteren lukte niet.");
    });
  });

  /* Accounts (admins): the labels come from the page, the roles from the server. */
  function accountCall(path, body) {
    var texts = $("accounts").dataset;
    return api("POST", path, body).then(function (result) {
      if (result.status === 200 || result.status === 201) notice(texts.done + result.data.username);
      else notice(result.data.error || "Dat lukte niet.");
      loadAccounts();
      return result;
    });
  }

  function roleSelect(roles, chosen, label) {
    var choice = el("select", { "aria-label": label });
    Object.keys(roles).forEach(function (key) {
      var option = el("option", { value: key }, roles[key]);
      if (key === chosen) option.selected = true;
      choice.appendChild(option);
    });
    return choice;
  }

  function loadAccounts() {
    api("GET", "/api/accounts").then(function (result) {
      if (result.status !== 200) return;
      var texts = $("accounts").dataset;
      var body = $("accounts");
      body.textContent = "";
      var newRole = $("new-role");
      newRole.textContent = "";
      Object.keys(result.data.roles).forEach(function (key) {
        newRole.appendChild(el("option", { value: key }, result.data.roles[key]));
      });
      result.data.accounts.forEach(function (account) {
        var path = "/api/accounts/" + encodeURIComponent(account.username);
        var row = el("tr", { "data-username": account.username });
        row.appendChild(el("td", {}, account.username));
        var roleCell = el("td");
        var choice = roleSelect(result.data.roles, account.role, texts.role + " " + account.username);
        choice.disabled = account.username === me;
        choice.addEventListener("change", function () { accountCall(path + "/role", { role: choice.value }); });
        roleCell.appendChild(choice);
        row.appendChild(roleCell);
        row.appendChild(el("td", {}, account.disabled ? texts.disabled : texts.active));
        var actions = el("td", { class: "account-actions" });
        var toggle = el("button", { type: "button" }, (account.disabled ? texts.enable : texts.disable) + " " + account.username);
        toggle.disabled = account.username === me;
        toggle.addEventListener("click", function () { accountCall(path + (account.disabled ? "/enable" : "/disable")); });
        actions.appendChild(toggle);
        var password = el("input", { type: "password", autocomplete: "new-password", "aria-label": texts.newPassword + " " + account.username, minlength: "12" });
        var set = el("button", { type: "button" }, texts.setPassword);
        set.addEventListener("click", function () { accountCall(path + "/password", { password: password.value }); });
        actions.appendChild(password);
        actions.appendChild(set);
        row.appendChild(actions);
        body.appendChild(row);
      });
    });
  }

  function showAccounts() {
    if (!$("accounts-view")) {
      document.body.insertBefore($("accounts-template").content.cloneNode(true), $("accounts-template"));
      $("account-form").addEventListener("submit", function (event) {
        event.preventDefault();
        accountCall("/api/accounts", {
          username: $("new-username").value, password: $("new-password").value, role: $("new-role").value
        }).then(function (result) {
          if (result.status === 201) { $("new-username").value = ""; $("new-password").value = ""; }
        });
      });
    }
    loadAccounts();
  }

  api("GET", "/api/me").then(function (result) {
    if (result.status === 200) showWork(result.data);
    else showLogin();
  });
})();
