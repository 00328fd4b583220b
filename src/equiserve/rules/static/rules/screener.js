// Show each follow-up question group (a fieldset with data-when="name=value") only
// while its answer is given: a ticked topic, a chosen registration. Without this
// script every group stays visible and the server asks only those that apply. A
// hidden group is disabled too, so it is neither sent nor required (issue 14,
// deliverable 8).
(function () {
  "use strict";
  function answered(form, condition) {
    var parts = condition.split("=");
    var fields = form.querySelectorAll("[name='" + parts[0] + "']");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var chosen = (field.type === "checkbox" || field.type === "radio") ? field.checked : true;
      if (chosen && field.value === parts[1]) { return true; }
    }
    return false;
  }
  function update(form) {
    var groups = form.querySelectorAll("[data-when]");
    for (var i = 0; i < groups.length; i++) {
      var show = answered(form, groups[i].getAttribute("data-when"));
      groups[i].hidden = !show;
      groups[i].disabled = !show;
    }
  }
  function start() {
    var forms = document.querySelectorAll("form.screener-form");
    for (var i = 0; i < forms.length; i++) {
      forms[i].classList.add("scripted");
      update(forms[i]);
    }
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form.screener-form");
    if (form) { update(form); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
