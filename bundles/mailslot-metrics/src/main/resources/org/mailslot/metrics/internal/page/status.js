"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";

  function text(id, value) { document.getElementById(id).textContent = value; }

  function duration(seconds) {
    if (seconds < 120) return seconds + " s";
    if (seconds < 7200) return Math.round(seconds / 60) + " min";
    if (seconds < 172800) return Math.round(seconds / 3600) + " h";
    return Math.round(seconds / 86400) + " days";
  }

  function rows(tableId, items, cells, emptyText, columns) {
    const body = document.querySelector("#" + tableId + " tbody");
    body.replaceChildren();
    if (items.length === 0) {
      const cell = body.insertRow().insertCell();
      cell.colSpan = columns;
      cell.className = "empty";
      cell.textContent = emptyText;
      return;
    }
    items.forEach(function (item) {
      const row = body.insertRow();
      cells(item).forEach(function (value) { row.insertCell().textContent = value; });
    });
  }

  function svg(name, attributes, parent) {
    const element = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    parent.appendChild(element);
    return element;
  }

  function chart(id, series, now) {
    const root = document.getElementById(id);
    root.replaceChildren();
    const width = 600, height = 160, left = 40, bottom = 20, top = 8;
    const start = now - 3600000;
    const all = [].concat.apply([], series.map(function (s) { return s.points; }));
    const max = Math.max(1, ...all.map(function (p) { return p.value; }));
    const x = function (at) { return left + (width - left - 8) * (at - start) / 3600000; };
    const y = function (value) { return top + (height - top - bottom) * (1 - value / max); };
    svg("line", { x1: left, y1: height - bottom, x2: width - 8, y2: height - bottom, class: "axis" }, root);
    svg("line", { x1: left, y1: top, x2: left, y2: height - bottom, class: "axis" }, root);
    svg("text", { x: left - 6, y: top + 10, "text-anchor": "end" }, root).textContent = String(max);
    svg("text", { x: left - 6, y: height - bottom, "text-anchor": "end" }, root).textContent = "0";
    svg("text", { x: left, y: height - 4 }, root).textContent = "-60 min";
    svg("text", { x: width - 8, y: height - 4, "text-anchor": "end" }, root).textContent = "now";
    series.forEach(function (s) {
      const points = s.points;
      if (points.length === 0) return;
      const line = points.map(function (p) { return x(p.at).toFixed(1) + "," + y(p.value).toFixed(1); }).join(" ");
      if (s.area) {
        svg("polygon", { points: x(points[0].at).toFixed(1) + "," + (height - bottom) + " " + line + " "
            + x(points[points.length - 1].at).toFixed(1) + "," + (height - bottom), class: "area" }, root);
      }
      svg("polyline", { points: line, class: "line " + s.name }, root);
      const last = points[points.length - 1];
      svg("circle", { cx: x(last.at).toFixed(1), cy: y(last.value).toFixed(1), r: 3, class: "dot " + s.name }, root);
    });
  }

  function perMinute(history, field) {
    const rates = [];
    for (let i = 1; i < history.length; i++) {
      const minutes = (history[i].at - history[i - 1].at) / 60000;
      const count = history[i][field] - history[i - 1][field];
      if (minutes > 0 && count >= 0) rates.push({ at: history[i].at, value: Math.round(count / minutes) });
    }
    return rates;
  }

  function show(data) {
    const now = Date.parse(data.at);
    text("at", "as of " + new Date(now).toLocaleString());
    text("depth", data.queue === null ? "no spool" : String(data.queue.depth));
    text("oldest", data.queue === null || data.queue.depth === 0 ? "\u2013" : duration(data.queue.oldestAgeSeconds));
    const identity = data.tls === null ? null : data.tls.identity;
    text("expiry", identity === null ? "no identity" : identity.daysLeft + " days");
    const history = data.history.filter(function (h) { return h.depth >= 0; });
    if (data.queue !== null) history.push({ at: now, depth: data.queue.depth,
      accepted: data.listeners.reduce(function (sum, l) { return sum + l.accepted; }, 0),
      delivered: data.routes.reduce(function (sum, r) { return sum + r.delivered; }, 0) });
    chart("depth-chart", [{ name: "depth", area: true, points: history.map(function (h) { return { at: h.at, value: h.depth }; }) }], now);
    chart("rate-chart", [{ name: "accepted", points: perMinute(history, "accepted") },
      { name: "delivered", points: perMinute(history, "delivered") }], now);
    rows("routes", data.routes, function (r) {
      return [r.route, String(r.delivered), String(r.deferred), String(r.bounced), r.meanAttemptMillis === null ? "\u2013" : r.meanAttemptMillis + " ms"];
    }, "nothing delivered yet", 5);
    const suspended = document.getElementById("suspended");
    suspended.replaceChildren();
    data.suspended.forEach(function (d) { suspended.appendChild(document.createElement("li")).textContent = "suspended: " + d; });
    rows("waiting", data.queue === null ? [] : data.queue.waiting, function (g) {
      return [String(g.messages), g.kind, g.reason];
    }, data.queue === null ? "no spool runs" : "nothing waits", 3);
    rows("listeners", data.listeners, function (l) {
      return [l.name, l.address + ":" + l.port, l.state + (l.detail ? ": " + l.detail : ""), String(l.connections), String(l.accepted)];
    }, "no listeners", 5);
    rows("accounts", data.accounts, function (a) {
      return [a.name, a.protocol + " " + a.server, a.state, a.lastSync === null ? "never" : new Date(a.lastSync).toLocaleString(),
        String(a.retrieved), String(a.pending), a.lastError === null ? "" : a.lastError];
    }, "no accounts", 7);
    const tls = [];
    if (data.tls === null) {
      tls.push(["state", "no TLS service runs"]);
    } else {
      if (identity !== null) {
        tls.push(["subject", identity.subject + (identity.selfSignedDefault ? " (generated self-signed default)" : "")]);
        tls.push(["expires", new Date(identity.notAfter).toLocaleString() + " (" + identity.daysLeft + " days)"]);
        tls.push(["source", identity.source]);
      }
      if (data.tls.lastError !== null) tls.push(["error", data.tls.lastError]);
    }
    rows("tls", tls, function (pair) { return pair; }, "", 2);
  }

  function refresh() {
    fetch("/mailslot/status.json", { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data !== null) show(data); })
      .catch(function () { text("at", "could not refresh"); });
  }

  show(JSON.parse(document.getElementById("data").textContent));
  setInterval(refresh, 30000);
})();
