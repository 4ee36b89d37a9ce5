// taphuan — attendance pages: the check-in roster at the door (#checkin), the projector's
// self check-in code (#projector) and the tick-back sheet (#tickback).
//
// Check-in saves every mark at once through the JSON API with the session cookie
// (same-origin fetch). A mark that cannot be saved (no network, server down) stays in a
// queue in localStorage, is shown as "not saved", and is retried every few seconds and
// when the browser comes back online, so closing the tab or losing Wi-Fi loses nothing.
"use strict";
(function () {
  // fold is vn.Fold for the search box: no diacritics, đ → d, lower case, single spaces.
  function fold(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  function attended(s) { return s === "present" || s === "late"; }

  function initCheckin(root) {
    var sid = root.getAttribute("data-session");
    var qkey = "taphuan.checkin.queue." + sid;
    var msg = function (k) { return root.getAttribute("data-msg-" + k) || k; };
    var label = function (s) { return root.getAttribute("data-label-" + s) || s; };
    var rows = {}, byCode = {};
    var buttons = document.getElementById("mark-buttons");
    root.querySelectorAll(".roster-row").forEach(function (r) {
      rows[r.getAttribute("data-id")] = r;
      if (buttons) {
        var marks = r.querySelector(".marks");
        marks.appendChild(buttons.content.cloneNode(true));
        marks.querySelectorAll(".mark").forEach(function (b) {
          b.setAttribute("aria-pressed", b.getAttribute("data-status") === r.getAttribute("data-mark") ? "true" : "false");
        });
      }
      r.setAttribute("data-saved", r.getAttribute("data-mark"));
      var code = r.getAttribute("data-code");
      if (code) byCode[code.toLowerCase()] = r;
    });
    var el = function (id) { return document.getElementById(id); };
    var scan = el("scan"), result = el("scan-result"), banner = el("offline");
    var search = el("search"), show = el("show"), noMatch = el("no-match");

    function recount() {
      var c = { present: 0, late: 0, excused: 0, absent: 0, "": 0 };
      Object.keys(rows).forEach(function (id) { c[rows[id].getAttribute("data-mark") || ""]++; });
      el("count-attended").textContent = c.present + c.late;
      el("count-late").textContent = c.late;
      el("count-excused").textContent = c.excused;
      el("count-absent").textContent = c.absent;
      el("count-none").textContent = c[""];
    }
    function setRow(row, status, pending) {
      row.setAttribute("data-mark", status || "");
      row.querySelectorAll(".mark").forEach(function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-status") === status ? "true" : "false");
      });
      row.classList.toggle("pending", !!pending);
      filter();
    }
    function say(text, kind) {
      if (!result) return;
      result.textContent = text;
      result.className = "scan-result " + (kind || "");
    }

    // The queue of unsaved actions: {kind: "mark", id, status} or {kind: "code", code}.
    function load() {
      try { return JSON.parse(localStorage.getItem(qkey) || "[]"); } catch (e) { return []; }
    }
    var queue = load();
    function save() {
      try { localStorage.setItem(qkey, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
    }
    var failing = false, busy = false, relogin = false;
    function showBanner() {
      if (queue.length === 0) { banner.hidden = true; return; }
      if (!failing) { banner.hidden = true; return; }
      banner.hidden = false;
      banner.textContent = (relogin ? msg("relogin") : msg("offline")) + " " + msg("pending").replace("%d", queue.length);
    }

    function send(item) {
      var url, body, method;
      if (item.kind === "mark") {
        url = "/api/v1/sessions/" + sid + "/attendance"; method = "PUT";
        body = { registration_id: Number(item.id), status: item.status, source: "tap" };
      } else {
        url = "/api/v1/sessions/" + sid + "/checkin"; method = "POST";
        body = { code: item.code };
      }
      return fetch(url, {
        method: method, credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(body)
      }).then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (data) {
          return { status: resp.status, data: data };
        });
      });
    }

    function done(item, res) {
      var d = res.data || {};
      if (item.kind === "mark") {
        var row = rows[item.id];
        if (!row) return;
        var later = queue.some(function (q) { return q.kind === "mark" && q.id === item.id; });
        if (res.status === 200) {
          row.setAttribute("data-saved", item.status);
          if (!later) setRow(row, item.status, false);
        } else {
          // Refused for good (locked, not confirmed…): back to what is saved.
          if (!later) setRow(row, row.getAttribute("data-saved"), false);
          say((d.error && d.error.message) || msg("error"), "bad");
        }
      } else if (res.status === 200) {
        var r = rows[String(d.registration_id)];
        if (r) { r.setAttribute("data-saved", d.status); setRow(r, d.status, false); }
        say((d.already ? msg("already") : msg("saved")) + " " + d.full_name + " — " + label(d.status), "ok");
      } else {
        var row2 = item.id && rows[item.id];
        if (row2) setRow(row2, row2.getAttribute("data-saved"), false);
        say(item.code + ": " + ((d.error && d.error.message) || msg("error")), "bad");
        if (d.error && d.error.door_url && result) {
          // Waitlisted or pending: not a dead end, the door page admits them.
          var a = document.createElement("a");
          a.href = d.error.door_url; a.className = "button primary"; a.id = "scan-door";
          a.textContent = msg("door");
          result.appendChild(document.createTextNode(" "));
          result.appendChild(a);
        }
      }
      recount();
    }

    function flush() {
      if (busy || queue.length === 0) { showBanner(); return; }
      busy = true;
      var item = queue[0];
      send(item).then(function (res) {
        busy = false;
        if (res.status === 401) { failing = true; relogin = true; showBanner(); return; }
        if (res.status >= 500 || res.status === 429) { failing = true; relogin = false; showBanner(); return; }
        queue.shift(); save();
        failing = false; relogin = false;
        done(item, res);
        flush();
      }, function () {
        busy = false; failing = true; relogin = false; showBanner();
      });
    }
    function enqueue(item) { queue.push(item); save(); flush(); }

    // Unsaved actions of an earlier visit show as such, then go out again.
    queue.forEach(function (item) {
      if (item.kind === "mark" && rows[item.id]) setRow(rows[item.id], item.status, true);
      if (item.kind === "code" && item.id && rows[item.id]) setRow(rows[item.id], "present", true);
    });
    recount();
    setInterval(flush, 5000);
    window.addEventListener("online", flush);

    // One tap marks.
    root.addEventListener("click", function (e) {
      var b = e.target.closest(".mark");
      if (!b || b.disabled) return;
      var row = b.closest(".roster-row"), status = b.getAttribute("data-status");
      if (row.getAttribute("data-mark") === status && !row.classList.contains("pending")) return;
      setRow(row, status, true);
      recount();
      enqueue({ kind: "mark", id: row.getAttribute("data-id"), status: status });
    });

    // Ticket codes: typed, from a keyboard-wedge scanner (it types and presses Enter) or
    // from the camera. A code of this roster shows at once; anything else (a phone number,
    // an unknown code) waits for the server's answer.
    var lastCode = "", lastAt = 0;
    function handleCode(raw) {
      var code = (raw || "").trim();
      if (!code) return;
      var now = Date.now();
      if (code === lastCode && now - lastAt < 3000) return; // the camera sees a ticket many times
      lastCode = code; lastAt = now;
      var m = code.match(/\/tickets\/([^/?#]+)/);
      var row = byCode[(m ? m[1] : code).toLowerCase()];
      if (row) {
        var name = row.querySelector(".name").textContent;
        if (attended(row.getAttribute("data-mark"))) {
          say(msg("already") + " " + name + " — " + label(row.getAttribute("data-mark")), "ok");
          return;
        }
        setRow(row, "present", true);
        recount();
        say(msg("saved") + " " + name + " — " + label("present"), "ok");
        enqueue({ kind: "code", code: code, id: row.getAttribute("data-id") });
      } else {
        say(msg("queued-code") + " " + code, "");
        enqueue({ kind: "code", code: code });
      }
    }
    var form = el("scan-form");
    if (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        handleCode(scan.value);
        scan.value = "";
        scan.focus();
      });
      // A scanner at a laptop types into whatever has the focus: start in the scan box
      // (not on phones, where it would pop the keyboard up).
      if (window.matchMedia && window.matchMedia("(pointer: fine)").matches) scan.focus();
    }

    // The camera, where the browser can read barcodes itself.
    var camBtn = el("camera-btn"), video = el("camera"), stream = null, detector = null;
    if (camBtn && "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
      camBtn.hidden = false;
      camBtn.addEventListener("click", function () {
        if (stream) { stopCamera(); return; }
        navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
          stream = s;
          video.srcObject = s; video.hidden = false; video.play();
          camBtn.textContent = msg("camera-stop");
          detector = detector || new window.BarcodeDetector({ formats: ["qr_code", "code_128", "code_39", "ean_13"] });
          tick();
        }, function () { say(msg("camera-error"), "bad"); });
      });
    }
    function stopCamera() {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null; video.hidden = true; camBtn.textContent = msg("camera");
    }
    function tick() {
      if (!stream) return;
      detector.detect(video).then(function (codes) {
        if (codes.length) handleCode(codes[0].rawValue);
      }).catch(function () { /* a frame not ready yet */ }).then(function () { setTimeout(tick, 250); });
    }

    // Search without diacritics, and the filter, on the loaded list.
    function filter() {
      var q = fold(search && search.value), mode = show ? show.value : "all", shown = 0;
      Object.keys(rows).forEach(function (id) {
        var r = rows[id], mk = r.getAttribute("data-mark") || "";
        var ok = (!q || r.getAttribute("data-search").indexOf(q) >= 0) &&
          (mode === "all" || (mode === "todo" && mk === "") || (mode === "in" && attended(mk)) ||
            (mode === "out" && (mk === "excused" || mk === "absent")));
        r.hidden = !ok;
        if (ok) shown++;
      });
      if (noMatch) noMatch.hidden = shown > 0;
    }
    if (search) search.addEventListener("input", filter);
    if (show) show.addEventListener("change", filter);

    // Marks made at another door come in every 20 seconds while nothing waits to be saved.
    setInterval(function () {
      if (queue.length || busy || document.visibilityState !== "visible") return;
      fetch("/api/v1/sessions/" + sid + "/attendance", { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (!d || queue.length) return;
          d.items.forEach(function (it) {
            var r = rows[String(it.registration_id)];
            if (r && !r.classList.contains("pending") && r.getAttribute("data-mark") !== it.status) {
              r.setAttribute("data-saved", it.status);
              setRow(r, it.status, false);
            }
          });
          recount();
        }).catch(function () { /* offline: the banner tells when it matters */ });
    }, 20000);
  }

  // The projector: a new code and QR every minute, and the count.
  function initProjector(root) {
    var url = "/api/v1/sessions/" + root.getAttribute("data-session") + "/selfcheckin";
    var secs = Number(root.getAttribute("data-seconds")) || 60;
    var left = document.getElementById("self-left");
    function refresh() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (d) {
          document.getElementById("self-qr").src = d.qr;
          document.getElementById("self-code").textContent = d.code;
          document.getElementById("self-attended").textContent = d.attended;
          document.getElementById("self-expected").textContent = d.expected;
          document.getElementById("self-closed").hidden = d.open;
          secs = d.seconds;
        }, function () { secs = 5; });
    }
    setInterval(function () {
      secs--;
      if (secs <= 0) { secs = 60; refresh(); }
      if (left) left.textContent = Math.max(secs, 0);
    }, 1000);
  }

  // The tick-back sheet: one button marks present every row not chosen yet.
  function initTickback(root) {
    var btn = document.getElementById("all-present");
    if (!btn) return;
    btn.hidden = false;
    btn.addEventListener("click", function () {
      root.querySelectorAll("tr[data-id]").forEach(function (tr) {
        if (!tr.querySelector("input[type=radio]:checked")) {
          var p = tr.querySelector("input[value=present]");
          if (p) p.checked = true;
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var c = document.getElementById("checkin");
    if (c) initCheckin(c);
    var p = document.getElementById("projector");
    if (p) initProjector(p);
    var t = document.getElementById("tickback");
    if (t) initTickback(t);
  });
})();
