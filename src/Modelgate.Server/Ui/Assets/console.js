// Modelgate console: the only script. Forms and buttons marked data-confirm ask before they submit (delete, force).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = event.submitter?.dataset.confirm ?? (form instanceof HTMLFormElement ? form.dataset.confirm : undefined);
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// The provider form's address and key hints follow the selected type: each option carries its own.
document.addEventListener("change", (event) => {
  const select = event.target;
  const option = select instanceof HTMLSelectElement && select.id === "type" ? select.selectedOptions[0] : undefined;
  if (!option?.dataset.baseUrlHelp) {
    return;
  }
  document.getElementById("base_url")?.setAttribute("placeholder", option.dataset.baseUrlExample ?? "");
  const hints = { "base_url-hint": option.dataset.baseUrlHelp, "api_key-hint": option.dataset.keyHelp };
  for (const [id, text] of Object.entries(hints)) {
    const hint = document.getElementById(id);
    if (hint) {
      hint.textContent = text ?? "";
    }
  }
});
