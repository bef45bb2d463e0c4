// Hide the e-form sections and fields whose condition ("data-when") does not hold.
(function () {
  function valueOf(form, name) {
    const input = form.elements[name];
    if (!input) return null;
    if (input.type === "checkbox") return input.checked;
    return input.value;
  }
  function refresh(form) {
    form.querySelectorAll("[data-when]").forEach(function (element) {
      const when = JSON.parse(element.getAttribute("data-when"));
      const shown = when.values.indexOf(valueOf(form, when.field)) !== -1;
      const box = element.matches("fieldset") ? element : element.closest(".field") || element;
      box.hidden = !shown;
      box.style.display = shown ? "" : "none";  // a grid or flex rule would outdo [hidden]
    });
  }
  function setUp(root) {
    root.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-when]")) return;
      if (!form.dataset.eform) {
        form.dataset.eform = "1";
        form.addEventListener("change", function () { refresh(form); });
      }
      refresh(form);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSettle", function () { setUp(document); });
})();
