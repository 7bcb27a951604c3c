// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen readers announce it first.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// Questions that apply only for a certain answer on the same page (data-visible-if-*):
// shown when it applies. Without JavaScript they stay visible with a note, and the
// server ignores them when the condition does not hold.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-visible-if-field]").forEach((question) => {
    const inputs = document.querySelectorAll(`[name="${CSS.escape(question.dataset.visibleIfField)}"]`);
    const wanted = question.dataset.visibleIfValue;
    const update = () => {
      const chosen = [];
      inputs.forEach((input) => {
        const choice = input.type === "radio" || input.type === "checkbox";
        if (!choice || input.checked) {
          chosen.push(input.value);
        }
      });
      question.hidden = !chosen.includes(wanted);
    };
    inputs.forEach((input) => input.addEventListener("change", update));
    update();
  });
});
