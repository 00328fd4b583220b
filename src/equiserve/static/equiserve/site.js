// Behaviour every page shares, kept out of the templates so the Content Security
// Policy can refuse inline script (issue 10, finding 2).
(function () {
  "use strict";
  // A <select data-submit-on-change> sends its form as soon as it changes.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });

  // A confirmation step (includes/confirm_step.html) arrives as <dialog open>,
  // which reads as part of the page without JavaScript; here it becomes a modal
  // dialog: focus stays inside, Escape goes back without doing it (issue 14).
  function openConfirmations(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var found = scope.querySelectorAll("dialog.confirm-step[open]:not([data-modal])");
    if (scope.matches && scope.matches("dialog.confirm-step[open]:not([data-modal])")) {
      found = [scope];
    }
    Array.prototype.forEach.call(found, function (dialog) {
      if (typeof dialog.showModal !== "function") {
        return;
      }
      dialog.setAttribute("data-modal", "1");
      dialog.close();
      dialog.showModal();
      dialog.addEventListener("cancel", function (event) {
        event.preventDefault();
        window.location.href = dialog.getAttribute("data-back") || window.location.href;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    openConfirmations(document);
  });
  document.addEventListener("htmx:load", function (event) {
    openConfirmations(event.target);
  });
})();
