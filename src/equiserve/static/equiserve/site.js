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
})();
