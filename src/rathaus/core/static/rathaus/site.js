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

// The service assistant: the form works as a plain GET; here the answer is fetched and
// shown below the form, and focus moves to its heading so screen readers read it.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-assistant]").forEach((form) => {
    const target = form.parentElement.querySelector("[data-assistant-answer]");
    if (!target || !window.fetch) return;
    form.addEventListener("submit", async (event) => {
      const question = form.querySelector("[name=frage]");
      if (!question || !question.value.trim()) return;
      event.preventDefault();
      const params = new URLSearchParams(new FormData(form));
      params.set("teil", "antwort");
      try {
        const response = await fetch(`${form.action}?${params}`, { headers: { Accept: "text/html" } });
        if (!response.ok) throw new Error(String(response.status));
        target.innerHTML = await response.text();
        const heading = target.querySelector("h2");
        if (heading) heading.focus();
      } catch (error) {
        form.submit();
      }
    });
  });
});

// "Vorlesen": without JavaScript the link opens the audio file in the browser's player;
// here a player appears below the button and starts, and the page stays readable.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-read-aloud]").forEach((link) => {
    const slot = link.parentElement.querySelector("[data-read-aloud-player]");
    if (!slot) return;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      let player = slot.querySelector("audio");
      if (!player) {
        player = document.createElement("audio");
        player.controls = true;
        player.preload = "none";
        player.src = link.href;
        slot.append(player);
      }
      player.play().catch(() => {
        // Autoplay refused: the visible player's own button starts it.
      });
    });
  });
});
