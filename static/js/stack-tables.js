// Tables marked .table-stack stack on phones (static/css/app.css, "Phones"): each cell shows
// its column's header before it. Cells the template labelled keep their own label.
(function () {
  "use strict";
  document.querySelectorAll("table.table-stack").forEach(function (table) {
    var headers = Array.prototype.map.call(
      table.querySelectorAll("thead tr:last-child > th"),
      function (th) { return th.textContent.trim(); }
    );
    table.querySelectorAll("tbody > tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (!cell.hasAttribute("data-label") && headers[column]) {
          cell.setAttribute("data-label", headers[column]);
        }
        column += cell.colSpan || 1;
      });
    });
  });
})();
