/* sphinx-techspec: sort and filter the tables of views, in HTML only.
 *
 * Progressive enhancement: the tables are complete without this script. It reads
 * the table as built (no data is passed to it), adds a sort button to each header
 * cell, and above tables of six or more rows a text filter, one choice list per
 * Status / Type / Result / Severity / Coverage column and a count of shown rows.
 * Tables inside item cards (parameters, fields) are left alone. No network, no
 * framework; every text it shows comes from the table's own cells.
 */
(function () {
  "use strict";

  var CHOICE_COLUMNS = ["status", "type", "result", "severity", "coverage", "kind", "state", "method"];
  var FILTER_MIN_ROWS = 6;
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function text(node) {
    return (node ? node.textContent : "").replace(/\s+/g, " ").trim();
  }

  function headerCells(table) {
    var head = table.tHead;
    return head && head.rows.length ? Array.prototype.slice.call(head.rows[head.rows.length - 1].cells) : [];
  }

  function makeSortable(table, rows, headers) {
    var body = table.tBodies[0];
    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "techspec-sort";
      while (th.firstChild) {
        button.appendChild(th.firstChild);
      }
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var sorted = rows.slice().sort(function (a, b) {
          var left = text(a.cells[column]);
          var right = text(b.cells[column]);
          // Empty cells ("" or "-") go last whichever the direction.
          var emptyLeft = left === "" || left === "-";
          var emptyRight = right === "" || right === "-";
          if (emptyLeft !== emptyRight) { return emptyLeft ? 1 : -1; }
          var order = collator.compare(left, right);
          return descending ? -order : order;
        });
        sorted.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function addFilters(scroll, table, rows, headers) {
    var tools = document.createElement("div");
    tools.className = "techspec-table-tools";
    var search = document.createElement("input");
    search.type = "search";
    search.className = "techspec-table-filter";
    search.placeholder = "Filter rows";
    search.setAttribute("aria-label", "Filter the rows of this table");
    tools.appendChild(search);
    var choices = [];
    headers.forEach(function (th, column) {
      var name = text(th).toLowerCase();
      if (CHOICE_COLUMNS.indexOf(name) < 0) { return; }
      var values = {};
      rows.forEach(function (row) { values[text(row.cells[column])] = true; });
      var keys = Object.keys(values).filter(function (v) { return v !== ""; }).sort(collator.compare);
      if (keys.length < 2 || keys.length > 20) { return; }
      var select = document.createElement("select");
      select.className = "techspec-table-choice";
      select.setAttribute("aria-label", "Show rows by " + name);
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "Any " + name;
      select.appendChild(all);
      keys.forEach(function (key) {
        var option = document.createElement("option");
        option.value = key;
        option.textContent = key;
        select.appendChild(option);
      });
      tools.appendChild(select);
      choices.push({ column: column, select: select });
    });
    var count = document.createElement("span");
    count.className = "techspec-table-count";
    count.setAttribute("aria-live", "polite");
    tools.appendChild(count);

    function apply() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var rowText = text(row).toLowerCase();
        var visible = words.every(function (word) { return rowText.indexOf(word) >= 0; });
        choices.forEach(function (choice) {
          if (visible && choice.select.value && text(row.cells[choice.column]) !== choice.select.value) {
            visible = false;
          }
        });
        row.hidden = !visible;
        if (visible) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " rows";
    }

    search.addEventListener("input", apply);
    choices.forEach(function (choice) { choice.select.addEventListener("change", apply); });
    scroll.parentNode.insertBefore(tools, scroll);
    apply();
  }

  function enhance(scroll) {
    var table = scroll.querySelector("table.techspec-table");
    if (!table || !table.tBodies.length || scroll.closest(".techspec-item")) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var headers = headerCells(table);
    if (rows.length < 2 || !headers.length) { return; }
    // Only when every body row has one cell per header (no spans), so columns line up.
    if (rows.some(function (row) { return row.cells.length !== headers.length; })) { return; }
    makeSortable(table, rows, headers);
    if (rows.length >= FILTER_MIN_ROWS) { addFilters(scroll, table, rows, headers); }
  }

  /* A view wider than the theme's column may use the page up to its right edge: the box
   * grows to the right, first up to a side bar the theme shows there (furo's and pydata's
   * tables of contents), and when that is still too narrow over it, up to the window's
   * edge (opaque, above the bar, see techspec.css); what still does not fit scrolls inside
   * the box, with a line saying so. Shared with techspec-diagrams.js. */
  var PAGE_MARGIN = 16;
  /* Below this window width the column is the page already: a few pixels are not worth it. */
  var WIDEN_FROM = 800;
  var RIGHT_BARS = ".toc-drawer, .bd-sidebar-secondary, .sphinxsidebar, .wy-nav-side";

  function barEdge(column, edge) {
    Array.prototype.forEach.call(document.querySelectorAll(RIGHT_BARS), function (bar) {
      var rect = bar.getBoundingClientRect();
      var shown = rect.width > 0 && rect.height > 0 && window.getComputedStyle(bar).visibility !== "hidden";
      if (shown && rect.left >= column.right - 1 && rect.left < edge + PAGE_MARGIN) {
        edge = Math.min(edge, rect.left - PAGE_MARGIN);
      }
    });
    return edge;
  }

  /* The right edge of the nearest box around ``box`` that clips or scrolls what sticks out
   * (pydata's article scrolls sideways): the view may not pass it, or the theme's box scrolls. */
  function clipEdge(box) {
    for (var node = box.parentElement; node && node !== document.body; node = node.parentElement) {
      if (window.getComputedStyle(node).overflowX !== "visible") {
        return node.getBoundingClientRect().left + node.clientLeft + node.clientWidth;
      }
    }
    return Infinity;
  }

  /* ``needed``: the width the box would like; ``least``: the narrowest that shows it whole
   * (a table wrapping every cell it can, a diagram at its smallest legible scale). */
  function widen(box, needed, least) {
    box.style.width = "";
    box.classList.remove("techspec-wide", "techspec-over-bar");
    if (document.documentElement.clientWidth < WIDEN_FROM) { return; }
    var column = box.getBoundingClientRect();
    var windowEdge = Math.min(document.documentElement.clientWidth - PAGE_MARGIN, clipEdge(box));
    var besideBar = barEdge(column, windowEdge) - column.left;
    var room = Math.min(least || needed, needed) <= besideBar ? besideBar : windowEdge - column.left;
    var width = Math.min(needed, room);
    if (column.width > 0 && width > column.width + 1) {
      box.style.width = Math.floor(width) + "px";
      box.classList.add("techspec-wide");
      box.classList.toggle("techspec-over-bar", width > besideBar + 1);
    }
  }
  window.techspecWiden = widen;

  /* "Scroll sideways": said in words above a table that does not fit its box. */
  function scrollHint(scroll, table) {
    var hint = scroll.previousElementSibling;
    if (!hint || !hint.classList.contains("techspec-scroll-hint")) {
      hint = document.createElement("p");
      hint.className = "techspec-scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      scroll.parentNode.insertBefore(hint, scroll);
    }
    var hidden = table.offsetWidth - scroll.clientWidth;
    hint.hidden = hidden <= 1;
    hint.textContent = "Wider than the page: scroll sideways in the table to see every column \u2192";
    scroll.classList.toggle("techspec-scrolls", hidden > 1);
  }

  function contentWidth(table, size) {
    var before = table.style.width;
    table.style.width = size;
    var width = table.offsetWidth + 2;
    table.style.width = before;
    return width;
  }

  function widenTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".techspec-table-scroll"), function (scroll) {
      if (scroll.closest(".techspec-item")) { return; }
      scroll.style.width = "";
      scroll.classList.remove("techspec-wide", "techspec-over-bar");
      var table = scroll.querySelector("table");
      if (!table) { return; }
      // The table's own widths: a theme's wrapper (rtd's) may scroll it inside our box.
      var most = contentWidth(table, "max-content");
      if (most > scroll.clientWidth + 1) { widen(scroll, most, contentWidth(table, "min-content")); }
      scrollHint(scroll, table);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".techspec-table-scroll"), enhance);
    widenTables();
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(widenTables, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
