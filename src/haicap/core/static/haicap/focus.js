// After a submit, move the keyboard focus where the answer is: the first invalid field,
// else the page's messages, so a screen reader reads what happened (WCAG 3.3.1).
document.addEventListener("DOMContentLoaded", function () {
  var invalid = document.querySelector("main [aria-invalid='true']");
  var target = invalid || document.getElementById("messages");
  if (target && !document.querySelector("[autofocus]")) {
    target.focus();
  }
});

// On a phone the menu folds behind a "Menu" button (with no script it stays open).
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".menu-toggle");
  var header = document.querySelector(".site-header");
  if (!toggle || !header) {
    return;
  }
  toggle.hidden = false;
  header.classList.add("menu-folds");
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    header.classList.toggle("menu-open", !open);
  });
});
