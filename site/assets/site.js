// Inquest default theme: progressive enhancements. Every page works without this script; it adds
// sorting and filtering to the postmortem list and opens collapsed data tables for printing.
(function () {
  "use strict";

  // Without a base URL the 404 page loads this script twice (relative, and from the host's root
  // for a page served at a nested path): run once.
  if (window.inquestSiteLoaded) return;
  window.inquestSiteLoaded = true;

  // The 404 page is served at any depth, so its relative links may not start from the site root.
  // This script's own URL does: rebase them on it (a no-op where the page really is 404.html).
  var script = document.currentScript;
  if (script && script.src && document.querySelector("[data-rebase-links]")) {
    var root = script.src.replace(/assets\/site\.js(?:[?#].*)?$/, "");
    Array.prototype.forEach.call(document.querySelectorAll("a[href], link[href], form[action]"), function (element) {
      var name = element.tagName === "FORM" ? "action" : "href";
      var value = element.getAttribute(name);
      if (/^(?:[a-z][a-z0-9+.-]*:|[\/#?])/i.test(value)) return;
      element.setAttribute(name, new URL(value, root).href);
    });
  }

  // Printing shows the data behind every chart: open collapsed <details>, then restore them.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    reopened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    reopened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });

  // Sorting (th[data-sort] headers become buttons, announced through aria-sort) and filtering
  // (one select per facet, matched against the row's data-* attribute, state kept in the URL
  // fragment) of the rows on this page. Long lists are split into year pages by the build, so
  // this never has to handle more than a page of rows.
  function sortable(table, onSort) {
    if (!table || !table.tHead || !table.tBodies.length) return;
    var tbody = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    function sortBy(th, direction) {
      var key = th.getAttribute("data-sort");
      var numeric = th.getAttribute("data-type") === "number";
      var attribute = "data-" + key;
      var sign = direction === "ascending" ? 1 : -1;
      var rows = Array.prototype.slice.call(tbody.rows);
      var sorted = rows.sort(function (a, b) {
        var x = a.getAttribute(attribute) || "";
        var y = b.getAttribute(attribute) || "";
        // Missing values sort last in either direction.
        if (x === "" && y !== "") return 1;
        if (y === "" && x !== "") return -1;
        var result = numeric ? (parseFloat(x) - parseFloat(y)) : x.localeCompare(y, undefined, { sensitivity: "base", numeric: true });
        if (result === 0) result = (a.getAttribute("data-date") || "").localeCompare(b.getAttribute("data-date") || "") * -1;
        return result * sign;
      });
      sorted.forEach(function (row) { tbody.appendChild(row); });
      headers.forEach(function (other) {
        if (other === th) other.setAttribute("aria-sort", direction);
        else other.removeAttribute("aria-sort");
      });
    }
    headers.forEach(function (th) {
      if (!th.hasAttribute("data-sort")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      button.setAttribute("aria-label", "Sort by " + th.textContent.toLowerCase());
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");
        // Dates, durations and days overdue read best newest/largest first; text A to Z.
        var key = th.getAttribute("data-sort");
        var first = key === "date" || key === "duration" || key === "overdue" ? "descending" : "ascending";
        sortBy(th, current === first ? (first === "ascending" ? "descending" : "ascending") : first);
        if (onSort) onSort();
      });
    });
  }

  function filterable(form, tables, status, noun) {
    if (!form || !tables.length) return;
    var rows = [];
    tables.forEach(function (table) { if (table.tBodies.length) rows = rows.concat(Array.prototype.slice.call(table.tBodies[0].rows)); });
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    function matches(row) {
      return selects.every(function (select) {
        var wanted = select.value;
        if (!wanted) return true;
        var values = (row.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
        return values.indexOf(wanted) !== -1;
      });
    }
    function announce() {
      if (!status) return;
      var shown = rows.filter(function (row) { return !row.hidden; }).length;
      var filtered = selects.some(function (s) { return s.value; });
      status.textContent = filtered ? "Showing " + shown + " of " + rows.length + " " + noun + " on this page" : rows.length + " " + noun + " on this page";
    }
    function saveState() {
      var parts = selects.filter(function (s) { return s.value; }).map(function (s) {
        return encodeURIComponent(s.name || s.getAttribute("data-filter")) + "=" + encodeURIComponent(s.value);
      });
      try {
        history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search);
      } catch (e) { /* some browsers refuse history changes on file:// pages */ }
    }
    function apply(save) {
      rows.forEach(function (row) { row.hidden = !matches(row); });
      announce();
      if (save) saveState();
    }
    function loadState() {
      var hash = location.hash.replace(/^#/, "");
      if (hash.indexOf("=") === -1) return;
      hash.split("&").forEach(function (part) {
        var pair = part.split("=");
        var name = decodeURIComponent(pair[0] || "");
        var value = decodeURIComponent(pair[1] || "");
        selects.forEach(function (select) {
          if ((select.name || select.getAttribute("data-filter")) === name && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) select.value = value;
        });
      });
    }
    selects.forEach(function (select) { select.addEventListener("change", function () { apply(true); }); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    loadState();
    apply(false);
    return announce;
  }

  var list = document.getElementById("postmortem-list");
  var table = list && list.querySelector("table.postmortems");
  var announce = null;
  sortable(table, function () { if (announce) announce(); });
  if (table) {
    var dateHeader = Array.prototype.filter.call(table.tHead.rows[0].cells, function (th) { return th.getAttribute("data-sort") === "date"; })[0];
    if (dateHeader) dateHeader.setAttribute("aria-sort", "descending");
    announce = filterable(document.getElementById("filter-form"), [table], document.getElementById("results-count"), "postmortems");
  }
  var actionTables = Array.prototype.slice.call(document.querySelectorAll("table.action-table"));
  actionTables.forEach(function (t) { sortable(t); });
  filterable(document.getElementById("action-filters"), actionTables, document.getElementById("action-results-count"), "action items");
})();
