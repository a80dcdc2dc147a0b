/* papernotes: filter and sort the entry tables. Without this script they are plain tables. */
"use strict";
(function () {
  function cellText(row, index) {
    const cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === "") return 1; /* empty cells last, whichever the direction */
    if (b === "") return -1;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function updateCount(wrapper, shown, total) {
    const count = wrapper.querySelector(".pn-table-count");
    if (count) {
      count.textContent = shown === total ? total + (total === 1 ? " entry" : " entries") : shown + " of " + total + " entries";
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

  function setUpSorting(table) {
    const head = table.tHead;
    if (!head || !head.rows.length) return;
    const body = table.tBodies[0];
    Array.from(head.rows[0].cells).forEach(function (th, index) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "pn-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.from(head.rows[0].cells).forEach(function (other) { other.setAttribute("aria-sort", "none"); });
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
