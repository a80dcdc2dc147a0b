/* papernotes: filter and sort the entry tables. Without this script they are plain tables.

   The filter box (hidden until this script shows it) narrows the rows; the row count beside it
   says how many are shown and, being aria-live, is announced as it changes. Each column header
   becomes a sort button; the header's aria-sort states the current order, starting with the order
   the table was written in (the class pn-sorted-ascending or pn-sorted-descending on its header). */
"use strict";
(function () {
  function cellText(row, index) {
    const cell = row.cells[index];
    if (!cell) return "";
    const main = cell.querySelector(".pn-cell-main"); /* a title, not the authors under it */
    return (main || cell).textContent.trim();
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === "") return 1; /* empty cells last, whichever the direction */
    if (b === "") return -1;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function entries(number) {
    return number + (number === 1 ? " entry" : " entries");
  }

  function updateCount(wrapper, shown, total) {
    const count = wrapper.querySelector(".pn-table-count");
    if (count) {
      count.textContent = shown === total ? entries(total) : shown + " of " + entries(total);
    }
  }

  function setUpFilter(wrapper, table) {
    const input = wrapper.querySelector("input.pn-filter");
    if (!input) return;
    input.hidden = false;
    const rows = Array.from(table.tBodies[0].rows);
    const texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    input.addEventListener("input", function () {
      const terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      rows.forEach(function (row, index) {
        const match = terms.every(function (term) { return texts[index].includes(term); });
        row.hidden = !match;
        if (match) shown += 1;
      });
      updateCount(wrapper, shown, rows.length);
    });
  }

  function initialOrder(th) {
    if (th.classList.contains("pn-sorted-ascending")) return "ascending";
    if (th.classList.contains("pn-sorted-descending")) return "descending";
    return "none";
  }

  function setUpSorting(table) {
    const head = table.tHead;
    if (!head || !head.rows.length) return;
    const body = table.tBodies[0];
    const headers = Array.from(head.rows[0].cells);
    headers.forEach(function (th, index) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "pn-sort";
      const label = document.createElement("span");
      label.className = "pn-sort-label";
      label.textContent = th.textContent.trim(); /* a header is plain text; a button holds no paragraph */
      th.textContent = "";
      const icon = document.createElement("span");
      icon.className = "pn-sort-icon";
      icon.setAttribute("aria-hidden", "true");
      button.appendChild(label);
      button.appendChild(icon);
      th.appendChild(button);
      th.setAttribute("aria-sort", initialOrder(th));
      button.addEventListener("click", function () {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const rows = Array.from(body.rows);
        rows.sort(function (a, b) {
          const x = cellText(a, index), y = cellText(b, index);
          const order = compare(x, y);
          if (x === "" || y === "") return order;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function setUp() {
    document.querySelectorAll(".pn-entry-table").forEach(function (wrapper) {
      const table = wrapper.querySelector("table.pn-table");
      if (!table || !table.tBodies.length) return;
      setUpFilter(wrapper, table);
      setUpSorting(table);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
