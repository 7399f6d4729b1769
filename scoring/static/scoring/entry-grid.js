/*
 * The entry grid: move between cells with Enter and the arrow keys (Tab works natively),
 * and paste a block copied from Excel or WPS Spreadsheets (tab-separated rows) cell by cell,
 * starting at the cell that has the focus. Cells carry their place as data-row / data-col;
 * an exempt county's row has no cells, and pasted values meant for it are skipped.
 */
(function () {
  "use strict";
  const table = document.getElementById("entry-grid");
  if (!table) {
    return;
  }
  const cells = new Map();
  table.querySelectorAll("input.grid-cell").forEach(function (input) {
    cells.set(input.dataset.row + ":" + input.dataset.col, input);
    input.dataset.initial = input.value;
  });
  const rows = Array.from(new Set(Array.from(cells.keys(), (k) => Number(k.split(":")[0]))));
  const lastRow = Math.max(...rows, 0);

  function cellAt(row, col) {
    return cells.get(row + ":" + col);
  }

  function markChanged(input) {
    input.classList.toggle("changed", input.value !== input.dataset.initial);
  }

  function moveFrom(input, dRow, dCol) {
    let row = Number(input.dataset.row);
    let col = Number(input.dataset.col);
    for (let step = 0; step <= lastRow + 1; step += 1) {
      row += dRow;
      col += dCol;
      if (row < 0 || col < 0 || row > lastRow) {
        return;
      }
      const next = cellAt(row, col);
      if (next) {
        next.focus();
        next.select();
        return;
      }
      if (dCol !== 0) {
        return;
      }
    }
  }

  table.addEventListener("keydown", function (event) {
    const input = event.target;
    if (!input.classList || !input.classList.contains("grid-cell")) {
      return;
    }
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    if (event.key === "Enter") {
      event.preventDefault();
      moveFrom(input, event.shiftKey ? -1 : 1, 0);
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      moveFrom(input, 1, 0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      moveFrom(input, -1, 0);
    } else if (event.key === "ArrowRight" && atEnd) {
      event.preventDefault();
      moveFrom(input, 0, 1);
    } else if (event.key === "ArrowLeft" && atStart) {
      event.preventDefault();
      moveFrom(input, 0, -1);
    }
  });

  table.addEventListener("input", function (event) {
    if (event.target.classList.contains("grid-cell")) {
      markChanged(event.target);
    }
  });

  table.addEventListener("paste", function (event) {
    const input = event.target;
    if (!input.classList || !input.classList.contains("grid-cell")) {
      return;
    }
    const text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text)) {
      return; // one value: the browser pastes it into this cell
    }
    event.preventDefault();
    const lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
    const row0 = Number(input.dataset.row);
    const col0 = Number(input.dataset.col);
    lines.forEach(function (line, r) {
      line.split("\t").forEach(function (value, c) {
        const target = cellAt(row0 + r, col0 + c);
        if (target) {
          target.value = value.trim();
          markChanged(target);
        }
      });
    });
  });
})();
