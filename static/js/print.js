// Buttons marked data-print print the page; details marked data-print-open open first, so
// that a chart's data table is printed with it.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-print]");
  if (!button) return;
  document.querySelectorAll("details[data-print-open]").forEach(function (d) { d.open = true; });
  window.print();
});
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details[data-print-open]").forEach(function (d) { d.open = true; });
});
