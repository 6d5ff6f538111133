// Search page enhancements: suggestions while typing (a <datalist>, so the browser's own
// accessible list is used) and filters applied as soon as they are ticked. Without this
// script the page works the same with its buttons.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var list = document.getElementById(input.getAttribute("list"));
  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var last = "";
  var controller = null;

  function show(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.title;
      list.appendChild(option);
    });
  }

  input.addEventListener("input", function () {
    var text = input.value.trim();
    clearTimeout(timer);
    if (text.length < 2 || text === last) return;
    timer = setTimeout(function () {
      last = text;
      if (controller) controller.abort();
      controller = "AbortController" in window ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === text) show(data.suggestions || []); })
        .catch(function () {});
    }, 150);
  });

  form.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      var page = form.querySelector("input[name=page]");
      if (page) page.remove();
      form.submit();
    });
  });
})();
