// Ask for the screener's questions again when an answer that decides which
// questions apply changes (a field marked data-refresh). This was an htmx trigger
// filter, which htmx evaluates as code; the Content Security Policy refuses that.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.dataset || !field.dataset.refresh) { return; }
    var questions = field.closest("#questions");
    if (questions && typeof htmx !== "undefined") { htmx.trigger(questions, "refresh"); }
  });
})();
