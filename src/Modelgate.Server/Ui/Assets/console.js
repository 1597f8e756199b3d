// Modelgate console: the only script. Forms and buttons marked data-confirm ask before they submit (delete, force).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = event.submitter?.dataset.confirm ?? (form instanceof HTMLFormElement ? form.dataset.confirm : undefined);
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
