/* Console alerts (issue 14, item 6): a sound, a count in the tab's title and a browser
 * notification when someone enters the queue (a crisis with its own sound and label, and
 * announced first) and when the person writes in a conversation the counsellor holds but is
 * not looking at. Each of the three can be switched off; the choice stays in localStorage.
 * Labels come from the page (#alerts data-*); the sounds are made with the Web Audio API.
 * Notifications never carry what the person wrote: the group and question, or the
 * conversation's short id. console.js calls start/stop/overview/messages/seen/unread. */
window.ConsoleAlerts = (function () {
  "use strict";

  var STORE = "wegwijzer.console.alerts";
  var KINDS = ["sound", "title", "notify"];
  var SOUNDS = {  // loudness, then tones: frequency (Hz), start and length (s), waveform
    queued: [0.2, [[660, 0, 0.15, "sine"], [880, 0.18, 0.22, "sine"]]],
    crisis: [0.08, [[988, 0, 0.14, "square"], [740, 0.18, 0.14, "square"], [988, 0.36, 0.14, "square"],
                    [740, 0.54, 0.14, "square"], [988, 0.72, 0.3, "square"]]],
    message: [0.15, [[523, 0, 0.12, "triangle"]]]
  };
  var baseTitle = document.title;
  var settings = load();
  var options = null;  // from start(): me, open(id), looking() -> id, changed()
  var known = null;    // ids in the queue at the last overview; null before the first one
  var unread = {};     // id of a held conversation -> the person's messages not looked at
  var waiting = { count: 0, crisis: false };
  var audio = null;

  function $(id) { return document.getElementById(id); }
  function texts() { return $("alerts").dataset; }

  function load() {
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(STORE)) || {}; } catch (error) { saved = {}; }
    var chosen = {};
    KINDS.forEach(function (kind) { chosen[kind] = saved[kind] !== false; });
    return chosen;
  }

  function canNotify() { return "Notification" in window; }

  function askPermission() {
    if (settings.notify && canNotify() && Notification.permission === "default") {
      Notification.requestPermission().then(showBlocked);
    }
  }

  function showBlocked() {
    $("alerts-blocked").hidden = !(settings.notify && (!canNotify() || Notification.permission === "denied"));
  }

  function unlockAudio() {  // browsers start sound only after the counsellor did something
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) audio = new Context();
    if (audio && audio.state === "suspended") audio.resume();
  }

  function play(kind) {
    if (!settings.sound) return;
    unlockAudio();
    if (!audio) return;
    var now = audio.currentTime;
    var loudness = SOUNDS[kind][0];
    SOUNDS[kind][1].forEach(function (tone) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      var start = now + tone[1];
      var end = start + tone[2];
      oscillator.type = tone[3];
      oscillator.frequency.value = tone[0];
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(loudness, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, end);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(end + 0.02);
    });
  }

  function notify(kind, body, id) {
    if (!settings.notify || !canNotify() || Notification.permission !== "granted") return;
    var shown = new Notification(texts()[kind], {
      body: body, tag: kind + ":" + id, lang: "nl", silent: true, requireInteraction: kind === "crisis"
    });
    shown.onclick = function () {
      window.focus();
      if (options) options.open(id);
      shown.close();
    };
  }

  function unreadTotal() {
    return Object.keys(unread).reduce(function (sum, id) { return sum + unread[id]; }, 0);
  }

  function showTitle() {
    var count = waiting.count + unreadTotal();
    if (!options || !settings.title || count === 0) { document.title = baseTitle; return; }
    document.title = "(" + count + ") " + (waiting.crisis ? texts().titleCrisis + " · " : "") + baseTitle;
  }

  function changed() {
    showTitle();
    if (options) options.changed();
  }

  function lookedAt(id) {
    return !!options && options.looking() === id && document.visibilityState === "visible";
  }

  function overview(data) {
    if (!options) return;
    var arrived = known === null ? [] : data.queue.filter(function (item) { return !known[item.id]; });
    known = {};
    data.queue.forEach(function (item) { known[item.id] = true; });
    arrived.forEach(function (item) {  // the queue comes most urgent first: a crisis first
      var body = [item.user_group_label, item.topic_label].filter(Boolean).join(" · ");
      notify(item.crisis ? "crisis" : "queued", body, item.id);
    });
    if (arrived.length) play(arrived[0].crisis ? "crisis" : "queued");
    var held = {};
    data.with_counsellor.forEach(function (item) { if (item.claimed_by === options.me) held[item.id] = true; });
    Object.keys(unread).forEach(function (id) { if (!held[id]) delete unread[id]; });
    waiting = { count: data.queue.length, crisis: data.queue.some(function (item) { return item.crisis; }) };
    showTitle();
  }

  function messages(frame, item) {
    if (!options || !item || item.status !== "with_counsellor" || item.claimed_by !== options.me) return;
    var written = frame.messages.filter(function (message) { return message.from === "person"; }).length;
    if (!written || lookedAt(frame.id)) return;
    unread[frame.id] = (unread[frame.id] || 0) + written;
    play("message");
    notify("message", texts().conversation + " " + frame.id.slice(0, 8), frame.id);
    changed();
  }

  function seen(id) {
    if (!unread[id]) return;
    delete unread[id];
    changed();
  }

  function start(given) {
    options = given;
    known = null;
    unread = {};
    askPermission();
    showBlocked();
  }

  function stop() {
    options = null;
    known = null;
    unread = {};
    waiting = { count: 0, crisis: false };
    showTitle();
  }

  KINDS.forEach(function (kind) {
    var box = $("alert-" + kind);
    box.checked = settings[kind];
    box.addEventListener("change", function () {
      settings[kind] = box.checked;
      localStorage.setItem(STORE, JSON.stringify(settings));
      if (kind === "notify") askPermission();
      showBlocked();
      showTitle();
    });
  });
  ["pointerdown", "keydown"].forEach(function (name) {
    document.addEventListener(name, unlockAudio, { once: true, capture: true });
  });
  $("login-form").addEventListener("submit", askPermission);
  document.addEventListener("visibilitychange", function () {
    if (options && document.visibilityState === "visible" && options.looking()) seen(options.looking());
  });

  return {
    start: start, stop: stop, overview: overview, messages: messages, seen: seen,
    unread: function (id) { return unread[id] || 0; }
  };
})();
