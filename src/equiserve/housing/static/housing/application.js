// Show the offer form's answer even when it is a refusal (409 conflict, 422 bad
// input): htmx would otherwise drop error responses instead of swapping them in.
document.addEventListener("htmx:beforeSwap", function (e) {
  if (e.detail.xhr.status === 409 || e.detail.xhr.status === 422) {
    e.detail.shouldSwap = true;
    e.detail.isError = false;
  }
});
