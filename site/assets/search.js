// Inquest default theme: client-side search over window.INQUEST_SEARCH_INDEX (search-index.js).
// No server and no fetch, so it works from file:// as well as on any static host.
(function () {
  "use strict";
  var index = window.INQUEST_SEARCH_INDEX || [];
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !results) return;

  function fold(text) {
    return String(text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  var documents = index.map(function (entry) {
    return {
      entry: entry,
      title: fold(entry.title),
      id: fold(entry.id),
      facets: fold([entry.severity, entry.status].concat(entry.services, entry.causes, entry.tags).join(" ")),
      text: fold(entry.text)
    };
  });

  function tokens(query) {
    return fold(query).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 0; });
  }

  function count(haystack, needle) {
    var n = 0, at = haystack.indexOf(needle);
    while (at !== -1 && n < 20) { n++; at = haystack.indexOf(needle, at + needle.length); }
    return n;
  }

  // Every word must occur somewhere; titles weigh most, then causes, services and tags, then text.
  function search(query) {
    var words = tokens(query);
    if (!words.length) return [];
    var found = [];
    documents.forEach(function (doc) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        var s = count(doc.title, w) * 10 + count(doc.facets, w) * 6 + count(doc.id, w) * 3 + Math.min(count(doc.text, w), 10);
        if (s === 0) return;
        score += s;
      }
      found.push({ doc: doc, score: score });
    });
    found.sort(function (a, b) {
      return b.score - a.score || String(b.doc.entry.date).localeCompare(String(a.doc.entry.date));
    });
    return found.map(function (f) { return f.doc; });
  }

  // Folds `text` one character at a time, remembering where each folded character came from, so
  // that matches found in the folded text map back to the original (folding can change lengths:
  // "İ" lowercases to two characters, Hangul decomposes into jamo).
  function foldWithMap(text) {
    var folded = "";
    var origin = [];
    var index = 0;
    for (var ch of String(text || "")) {
      var f = fold(ch);
      for (var k = 0; k < f.length; k++) origin.push(index);
      folded += f;
      index += ch.length;
    }
    origin.push(index);
    return { folded: folded, origin: origin };
  }

  // Appends `text` to `parent`, wrapping each occurrence of a query word in <mark>.
  // Built with DOM nodes, never innerHTML, so index text can never become markup.
  function highlight(parent, text, words) {
    var map = foldWithMap(text);
    var marks = [];
    words.forEach(function (w) {
      var at = map.folded.indexOf(w);
      while (at !== -1) {
        marks.push([map.origin[at], map.origin[at + w.length]]);
        at = map.folded.indexOf(w, at + w.length);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var cursor = 0;
    marks.forEach(function (m) {
      if (m[0] < cursor) return; // overlapping matches: the first one wins
      parent.appendChild(document.createTextNode(text.slice(cursor, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      parent.appendChild(mark);
      cursor = m[1];
    });
    parent.appendChild(document.createTextNode(text.slice(cursor)));
  }

  function snippet(text, words) {
    var map = foldWithMap(text);
    var at = -1;
    words.some(function (w) { var found = map.folded.indexOf(w); if (found !== -1) at = map.origin[found]; return found !== -1; });
    if (at === -1) return text.slice(0, 180) + (text.length > 180 ? "…" : "");
    var start = Math.max(0, at - 70);
    var end = Math.min(text.length, at + 130);
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  function render(query) {
    var words = tokens(query);
    results.textContent = "";
    if (!words.length) {
      status.textContent = "Type to search " + index.length + " postmortems by title, cause, service, tag or text.";
      return;
    }
    var found = search(query);
    status.textContent = found.length === 0
      ? "No postmortems match “" + query.trim() + "”."
      : found.length + (found.length === 1 ? " postmortem matches" : " postmortems match") + " “" + query.trim() + "”.";
    found.slice(0, 100).forEach(function (doc) {
      var e = doc.entry;
      var li = document.createElement("li");
      li.className = "search-result";
      var h = document.createElement("h2");
      var a = document.createElement("a");
      a.href = e.url;
      highlight(a, e.title, words);
      h.appendChild(a);
      li.appendChild(h);
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = [e.date, e.severity, e.status, e.services.join(", ")].filter(Boolean).join(" · ");
      li.appendChild(meta);
      var p = document.createElement("p");
      p.className = "snippet";
      highlight(p, snippet(e.text, words), words);
      li.appendChild(p);
      results.appendChild(li);
    });
  }

  function remember(query) {
    try {
      var url = location.pathname + (query ? "?q=" + encodeURIComponent(query) : "");
      history.replaceState(null, "", url);
    } catch (e) { /* file:// pages may refuse history changes */ }
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { render(input.value); remember(input.value); }, 60);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    render(input.value);
    remember(input.value);
  });

  var initial = new URLSearchParams(location.search).get("q") || "";
  input.value = initial;
  render(initial);
  if (!initial) input.focus();
})();
