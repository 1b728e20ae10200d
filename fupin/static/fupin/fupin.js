// Region pickers: an <input list="region-options"> asks the server for matching regions as you type.
document.addEventListener("input", function (event) {
  var input = event.target;
  var list = input.list;
  if (!list || !list.dataset.url || input.value.length < 2) return;
  htmx.ajax("GET", list.dataset.url + "?q=" + encodeURIComponent(input.value), {target: list, swap: "innerHTML"});
});

// No inline handlers (the Content-Security-Policy allows no inline script): a choice that submits its
// form (the language, list filters) is marked data-submit-on-change, a print button data-print.
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-submit-on-change]")) event.target.form.submit();
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
