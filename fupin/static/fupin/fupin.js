// Region pickers: an <input list="region-options"> asks the server for matching regions as you type.
document.addEventListener("input", function (event) {
  var input = event.target;
  var list = input.list;
  if (!list || !list.dataset.url || input.value.length < 2) return;
  htmx.ajax("GET", list.dataset.url + "?q=" + encodeURIComponent(input.value), {target: list, swap: "innerHTML"});
});
