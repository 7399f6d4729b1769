/*
 * The rules form: each item shows only the parameter fields its scoring method takes
 * (the form's data-method-params maps each method to its parameter names).
 */
(function () {
  "use strict";
  const form = document.querySelector("form.rules-form");
  if (!form) {
    return;
  }
  const params = JSON.parse(form.dataset.methodParams);

  function update(item) {
    const select = item.querySelector("select.rule-method");
    const wanted = params[select.value] || [];
    item.querySelectorAll(".rule-param").forEach(function (box) {
      box.hidden = !wanted.includes(box.dataset.param);
    });
  }

  form.querySelectorAll(".rule-item").forEach(function (item) {
    update(item);
    item.querySelector("select.rule-method").addEventListener("change", function () {
      update(item);
    });
  });
})();
