// Inquest default theme: progressive enhancements. Every page works without this script; it adds
// sorting and filtering to the postmortem list and opens collapsed data tables for printing.
(function () {
  "use strict";

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

  var list = document.getElementById("postmortem-list");
  var table = list && list.querySelector("table.postmortems");
  if (!table || !table.tBodies.length) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var form = document.getElementById("filter-form");
  var status = document.getElementById("results-count");

  // ---- Sorting: header buttons, announced through aria-sort. ----
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function sortBy(th, direction) {
    var key = th.getAttribute("data-sort");
    var numeric = th.getAttribute("data-type") === "number";
    var attribute = "data-" + key;
    var sign = direction === "ascending" ? 1 : -1;
    var sorted = rows.slice().sort(function (a, b) {
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
      // Dates and severities read best newest/most severe first; text A to Z.
      var first = th.getAttribute("data-sort") === "date" || th.getAttribute("data-sort") === "duration" ? "descending" : "ascending";
      sortBy(th, current === first ? (first === "ascending" ? "descending" : "ascending") : first);
      announce();
    });
  });
  var dateHeader = headers.filter(function (th) { return th.getAttribute("data-sort") === "date"; })[0];
  if (dateHeader) dateHeader.setAttribute("aria-sort", "descending");

  // ---- Filtering: one select per facet; state kept in the URL fragment. ----
  if (!form) return;
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
    var shown = rows.filter(function (row) { return !row.hidden; }).length;
    var filtered = selects.some(function (s) { return s.value; });
    status.textContent = filtered
      ? "Showing " + shown + " of " + rows.length + " postmortems"
      : rows.length + " postmortems";
  }
  function saveState() {
    var parts = selects.filter(function (s) { return s.value; }).map(function (s) {
      return encodeURIComponent(s.name) + "=" + encodeURIComponent(s.value);
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
        if (select.name === name && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) select.value = value;
      });
    });
  }
  selects.forEach(function (select) { select.addEventListener("change", function () { apply(true); }); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  loadState();
  apply(false);
})();
