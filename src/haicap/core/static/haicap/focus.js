// After a submit, move the keyboard focus where the answer is: the first invalid field,
// else the page's messages, so a screen reader reads what happened (WCAG 3.3.1).
document.addEventListener("DOMContentLoaded", function () {
  var invalid = document.querySelector("main [aria-invalid='true']");
  var target = invalid || document.getElementById("messages");
  if (target && !document.querySelector("[autofocus]")) {
    target.focus();
  }
});
