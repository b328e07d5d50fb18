// Inquest default theme: search over a sharded index loaded on demand through <script> tags
// (no fetch, so it works from file:// as well as on any static host).
//
// search/manifest.js   document count, shard count, document lengths, prefix keys, documents per file
// search/t-K.js        postings of the terms whose hash falls in shard K
// search/d/B.js        documents B*dpf to B*dpf+dpf-1: link, title, facts and passages for the snippet
// search/p-C.js        for each two-character prefix key starting with C, the words starting with
//                      it, with their document counts
//
// Each query word is a group of alternatives: its stem, the stems of its synonyms (the table is
// SearchText.synonymGroups in Swift, shipped stemmed in the manifest as "syn"), and, for the last
// word while it is still being typed (3+ characters, no space after it), the most frequent words
// it starts (at most manifest.complete, from the p-C.js file of a key listed in manifest.pre, and from at
// most two shards the query would not load anyway, so a prefix never loads many shards).
// A document matches a group through any alternative and scores its best one.
// Documents matching every group come first; when none does, those matching the most groups are
// shown instead, with a note.
//
// Ranking is BM25 over a weighted term frequency (title x3, causes/services/tags x2, body x1,
// computed at build time). Words are folded, lowercased and stemmed with the same small stemmer
// as the build (Sources/InquestSite/Model/SearchText.swift); the test vectors in
// Tests/Fixtures/site/stemmer-vectors.txt keep both in step.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var root = (document.getElementById("search-root") || {}).value || "";
  if (!input || !results) return;

  var STOP = ("a an and are as at be been but by for from had has have in into is it its no not of on or our than that the then "
    + "this to was we were when which with after before").split(" ");
  var stopSet = {};
  STOP.forEach(function (w) { stopSet[w] = true; });

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(function (w) { return w.length > 0; });
  }
  function isVowel(c) { return "aeiou".indexOf(c) !== -1; }
  function hasVowel(w) { for (var i = 0; i < w.length; i++) if (isVowel(w[i])) return true; return false; }
  function ends(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }

  // Keep in step with SearchText.stem (Swift).
  var DERIVATIONAL = [["ational", "ate"], ["ization", "ize"], ["fulness", "ful"], ["ousness", "ous"], ["iveness", "ive"],
    ["ation", "ate"], ["ement", ""], ["ment", ""], ["ness", ""], ["ity", ""], ["ably", "able"], ["ly", ""]];
  function stem(w) {
    if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
    if (ends(w, "sses")) w = w.slice(0, -2);
    else if (ends(w, "ies") && w.length > 4) w = w.slice(0, -3) + "y";
    else if (ends(w, "s") && !ends(w, "ss") && !ends(w, "us") && !ends(w, "is")) w = w.slice(0, -1);
    var suffixes = ["ing", "ed"];
    for (var i = 0; i < suffixes.length; i++) {
      var s = suffixes[i];
      if (ends(w, s) && w.length - s.length >= 3 && hasVowel(w.slice(0, w.length - s.length))) {
        w = w.slice(0, w.length - s.length);
        var last = w[w.length - 1];
        if (w.length >= 4 && last === w[w.length - 2] && "bdfgmnprt".indexOf(last) !== -1) w = w.slice(0, -1);
        break;
      }
    }
    if ((ends(w, "sion") || ends(w, "tion")) && w.length - 3 >= 3) {
      w = w.slice(0, -3);
    } else {
      for (var j = 0; j < DERIVATIONAL.length; j++) {
        var pair = DERIVATIONAL[j];
        if (ends(w, pair[0]) && w.length - pair[0].length >= 3) { w = w.slice(0, w.length - pair[0].length) + pair[1]; break; }
      }
    }
    if (ends(w, "e") && w.length >= 5) w = w.slice(0, -1);
    if (ends(w, "y") && w.length >= 4 && !isVowel(w[w.length - 2])) w = w.slice(0, -1) + "i";
    return w;
  }
  window.INQUEST_STEM = stem;
  // For the browser tests: the word groups of a query once the manifest and prefix file are in.
  window.INQUEST_EXPAND = function (query, done) {
    var parsed = parse(query.trim(), !/\s$/.test(query));
    withManifest(function () { withPrefix(parsed.prefix && parsed.prefix.slice(0, 2), function () { done(expand(parsed).groups); }); });
  };

  // FNV-1a over the term's UTF-8 bytes: which shard holds it (same as the build).
  var encoder = new TextEncoder();
  function shardOf(term, count) {
    var bytes = encoder.encode(term), hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { hash ^= bytes[i]; hash = Math.imul(hash, 0x01000193) >>> 0; }
    return hash % count;
  }

  // ---- Loading through <script> tags, each file calling back into window.INQUEST_SEARCH. ----
  var manifest = null, shards = {}, docs = {}, prefixes = {}, waiting = {};
  function load(src, key, done) {
    if (waiting[key]) { waiting[key].push(done); return; }
    waiting[key] = [done];
    var script = document.createElement("script");
    script.src = root + src;
    script.async = true;
    function finish() { var list = waiting[key] || []; delete waiting[key]; list.forEach(function (f) { f(); }); }
    script.onload = finish;
    script.onerror = finish;
    document.head.appendChild(script);
  }
  window.INQUEST_SEARCH = {
    manifest: function (value) { manifest = value; },
    terms: function (shard, value) { shards[shard] = value; },
    doc: function (id, value) { docs[id] = value; },
    prefix: function (key, value) { prefixes[key] = value; }
  };
  function withManifest(done) { if (manifest) done(); else load("search/manifest.js", "manifest", done); }
  function withShards(list, done) {
    var missing = list.filter(function (k) { return !shards[k]; });
    var left = missing.length;
    if (!left) { done(); return; }
    missing.forEach(function (k) { load("search/t-" + k + ".js", "t" + k, function () { if (--left === 0) done(); }); });
  }
  function withPrefix(key, done) {
    // manifest.pre: the keys of the files that exist, two characters each.
    if (!key) { done(); return; }
    var list = manifest.pre || "", known = false;
    for (var i = 0; i < list.length; i += 2) if (list.slice(i, i + 2) === key) { known = true; break; }
    if (!known) prefixes[key] = prefixes[key] || {};
    if (prefixes[key]) { done(); return; }
    // One file holds every key starting with the same character.
    var file = key.charAt(0);
    load("search/p-" + file + ".js", "p" + file, function () { if (!prefixes[key]) prefixes[key] = {}; done(); });
  }
  function withDocs(list, done) {
    // manifest.dpf documents to a file: each missing document's file, once.
    var per = manifest.dpf || 1, files = [], seen = {};
    list.forEach(function (id) {
      var file = Math.floor(id / per);
      if (!docs[id] && !seen[file]) { seen[file] = true; files.push(file); }
    });
    var left = files.length;
    if (!left) { done(); return; }
    files.forEach(function (file) { load("search/d/" + file + ".js", "d" + file, function () { if (--left === 0) done(); }); });
  }

  // ---- Query: words (stemmed) and field filters (service:, cause:, severity:, status:, year:). ----
  var FIELDS = { service: true, cause: true, severity: true, status: true, year: true, tag: true };
  // `typing`: the query does not end with a space, so its last word may be half-typed.
  function parse(query, typing) {
    var terms = [], filters = [], last = null;
    fold(query).split(/\s+/).forEach(function (part) {
      var colon = part.indexOf(":");
      last = null;
      if (colon > 0 && FIELDS[part.slice(0, colon)] && part.length > colon + 1) {
        filters.push(part.slice(0, colon) + ":" + part.slice(colon + 1).replace(/[^a-z0-9._-]+/g, ""));
        return;
      }
      words(part).forEach(function (w) { last = w; if (!stopSet[w]) terms.push(stem(w)); });
    });
    var seen = {};
    terms = terms.filter(function (t) { if (seen[t]) return false; seen[t] = true; return true; });
    var prefix = typing && last && last.length >= 3 && !stopSet[last] ? last : null;
    return { terms: terms, filters: filters, prefix: prefix };
  }

  var COMPLETION_SHARDS = 2;
  // Alternatives of each query word: synonyms always, completions for the half-typed last word.
  function expand(parsed) {
    var synonyms = {};
    (manifest.syn || []).forEach(function (group) { group.forEach(function (t) { synonyms[t] = group; }); });
    parsed.groups = parsed.terms.map(function (term) {
      var alternatives = [term];
      (synonyms[term] || []).forEach(function (t) { if (alternatives.indexOf(t) === -1) alternatives.push(t); });
      return alternatives;
    });
    if (parsed.prefix && parsed.groups.length) {
      var table = prefixes[parsed.prefix.slice(0, 2)] || {};
      var completions = Object.keys(table).filter(function (t) { return t.slice(0, parsed.prefix.length) === parsed.prefix; });
      completions.sort(function (x, y) { return table[y] - table[x] || (x < y ? -1 : 1); });
      var group = parsed.groups[parsed.groups.length - 1];
      // Completions from shards the query loads anyway cost nothing; at most COMPLETION_SHARDS
      // more shards are loaded for the others, so typing three letters downloads a few shards.
      var loaded = {}, extra = 0, taken = 0;
      [].concat.apply(parsed.filters, parsed.groups).forEach(function (t) { loaded[shardOf(t, manifest.shards)] = true; });
      completions.forEach(function (t) {
        if (taken >= (manifest.complete || 5) || group.indexOf(t) !== -1) return;
        var shard = shardOf(t, manifest.shards);
        if (!loaded[shard]) { if (extra >= COMPLETION_SHARDS) return; loaded[shard] = true; extra++; }
        group.push(t);
        taken++;
      });
    }
    parsed.all = [].concat.apply([], parsed.groups);
    return parsed;
  }

  function postings(term) {
    var list = (shards[shardOf(term, manifest.shards)] || {})[term];
    var out = {};
    if (!list) return out;
    var doc = 0;
    for (var i = 0; i < list.length; i += 2) { doc += list[i]; out[doc] = list[i + 1]; }
    return out;
  }

  // Every filter must match. Documents matching every word group come first, ranked by BM25
  // (a group scores its best alternative); if there are none, documents matching at least one
  // group, the most groups first (`partial` on the result says so).
  function rank(parsed) {
    var k1 = 1.2, b = 0.75, n = manifest.n, avgdl = manifest.avgdl || 1;
    var allowed = null;
    parsed.filters.forEach(function (f) {
      var map = postings(f);
      if (allowed === null) { allowed = {}; for (var d in map) allowed[d] = true; return; }
      for (var c in allowed) if (!(c in map)) delete allowed[c];
    });
    var groups = parsed.groups || [];
    if (!groups.length) {
      var only = Object.keys(allowed || {}).map(function (d) { return { id: +d, score: 0, hits: 0 }; });
      only.sort(function (x, y) { return y.id - x.id; });
      return only;
    }
    var score = {}, hits = {};
    groups.forEach(function (group) {
      var best = {};
      group.forEach(function (term) {
        var map = postings(term), df = 0;
        for (var d in map) df++;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (var doc in map) {
          if (allowed !== null && !allowed[doc]) continue;
          var tf = map[doc], dl = manifest.len[doc] * 10 || avgdl;
          var s = idf * (tf * (k1 + 1)) / (tf + k1 * (1 - b + b * dl / avgdl));
          if (!(doc in best) || s > best[doc]) best[doc] = s;
        }
      });
      for (var doc in best) { score[doc] = (score[doc] || 0) + best[doc]; hits[doc] = (hits[doc] || 0) + 1; }
    });
    var out = Object.keys(score).map(function (d) { return { id: +d, score: score[d], hits: hits[d] }; });
    var full = out.filter(function (r) { return r.hits === groups.length; });
    if (full.length) out = full;
    else out.partial = groups.length > 1 && out.length > 0;
    // Ties: newest first. Ids count from the oldest incident, so a new one adds a file rather
    // than renumbering every other.
    var partial = out.partial;
    out.sort(function (x, y) { return y.hits - x.hits || y.score - x.score || y.id - x.id; });
    out.partial = partial;
    return out;
  }

  // ---- Rendering ----
  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]; });
  }
  // The passage with the most query words, those words marked.
  function snippet(doc, terms) {
    var passages = doc.p || [];
    if (!passages.length) return "";
    var best = 0, bestScore = -1;
    passages.forEach(function (passage, index) {
      var score = 0;
      words(passage).forEach(function (w) { if (terms.indexOf(stem(w)) !== -1) score++; });
      if (score > bestScore) { best = index; bestScore = score; }
    });
    return passages[best].split(/([A-Za-z0-9\u00C0-\u024F]+)/).map(function (part, i) {
      if (i % 2 === 1 && terms.indexOf(stem(fold(part))) !== -1) return "<mark>" + escape(part) + "</mark>";
      return escape(part);
    }).join("");
  }
  // Ten results first (each in one small script to load); "Show more" adds ten at a time.
  var PAGE = 10;
  var shownCount = PAGE;
  var more = document.createElement("button");
  more.type = "button";
  more.className = "button search-more";
  more.hidden = true;
  results.parentNode.insertBefore(more, results.nextSibling);
  var last = null;
  more.addEventListener("click", function () {
    if (!last) return;
    shownCount += PAGE;
    render(last.query, last.parsed, last.ranked, current);
  });
  function render(query, parsed, ranked, token) {
    last = { query: query, parsed: parsed, ranked: ranked };
    var MAX = shownCount;
    var top = ranked.slice(0, MAX).map(function (r) { return r.id; });
    withDocs(top, function () {
      if (token !== current) return;
      results.innerHTML = top.map(function (id) {
        var doc = docs[id];
        if (!doc) return "";
        var facts = [doc.d, doc.s, doc.st].filter(Boolean).map(escape).join(" · ");
        var chips = (doc.sv || []).concat(doc.c || []).map(function (c) { return "<span class=\"chip\">" + escape(c) + "</span>"; }).join(" ");
        return "<li class=\"search-result\"><a href=\"" + escape(root + doc.u) + "\">" + escape(doc.t) + "</a>"
          + "<p class=\"meta\">" + facts + (chips ? " " + chips : "") + "</p>"
          + "<p class=\"snippet\">" + snippet(doc, parsed.all || parsed.terms) + "</p></li>";
      }).join("");
      var shown = Math.min(ranked.length, MAX);
      status.textContent = ranked.length === 0 ? "No postmortems match “" + query + "”."
        : ranked.partial ? "No postmortem matches every word of “" + query + "”; " + ranked.length
          + (ranked.length === 1 ? " matches some of them" : " match some of them, those with the most words first")
          + (ranked.length > shown ? " (the best " + shown + " are shown)." : ".")
        : ranked.length + (ranked.length === 1 ? " postmortem matches" : " postmortems match") + (ranked.length > shown ? ", the best " + shown + " are shown." : ".");
      more.hidden = ranked.length <= shown;
      more.textContent = "Show " + Math.min(PAGE, ranked.length - shown) + " more";
      window.INQUEST_SEARCH_DONE = (window.INQUEST_SEARCH_DONE || 0) + 1;
    });
  }

  var current = 0;
  function run() {
    var query = input.value.trim();
    var typing = !/\s$/.test(input.value);
    var token = ++current;
    shownCount = PAGE;
    more.hidden = true;
    if (!query) { results.innerHTML = ""; status.textContent = ""; return; }
    var parsed = parse(query, typing);
    if (!parsed.terms.length && !parsed.filters.length) { results.innerHTML = ""; status.textContent = "Type a word to search."; return; }
    withManifest(function () {
      withPrefix(parsed.prefix && parsed.prefix.slice(0, 2), function () {
        if (token !== current) return;
        expand(parsed);
        var needed = parsed.all.concat(parsed.filters).map(function (t) { return shardOf(t, manifest.shards); });
        withShards(needed, function () {
          if (token !== current) return;
          render(query, parsed, rank(parsed), token);
        });
      });
    });
    try { history.replaceState(null, "", "?q=" + encodeURIComponent(query)); } catch (e) { /* file:// in some browsers */ }
  }

  input.addEventListener("input", run);
  // The manifest (document lengths) is needed by every query: load it with the page.
  withManifest(function () {});
  var form = input.form;
  if (form) form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(); }
})();
