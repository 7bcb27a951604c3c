// Proof of work in front of the booking (ALTCHA protocol, version 1): find the number
// whose SHA-256 together with the salt gives the challenge. Takes a moment for a person,
// costs a bot booking in bulk real computing time. Without JavaScript the form still
// works; the server then applies stricter limits.
(function () {
  "use strict";
  const form = document.querySelector("form[data-challenge-url]");
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
  const field = form.querySelector("input[name=altcha]");
  const status = form.querySelector("[data-challenge-status]");
  const lang = document.documentElement.lang || "de";
  const texts = lang.startsWith("de")
    ? { busy: "Sicherheitsprüfung läuft …", done: "Sicherheitsprüfung abgeschlossen." }
    : { busy: "Running the security check …", done: "Security check complete." };
  const encoder = new TextEncoder();

  async function sha256hex(text) {
    const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function solve() {
    const response = await fetch(form.dataset.challengeUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const challenge = await response.json();
    for (let number = 0; number <= challenge.maxNumber; number++) {
      if ((await sha256hex(challenge.salt + number)) === challenge.challenge) {
        const payload = {
          algorithm: challenge.algorithm,
          challenge: challenge.challenge,
          number: number,
          salt: challenge.salt,
          signature: challenge.signature,
        };
        field.value = btoa(JSON.stringify(payload));
        return;
      }
    }
  }

  let submitter = null;
  if (status) status.textContent = texts.busy;
  const solving = solve()
    .catch(() => {})
    .finally(() => {
      if (status) status.textContent = field.value ? texts.done : "";
    });
  form.addEventListener("submit", (event) => {
    if (field.value || form.dataset.challengeWaited) return;
    event.preventDefault();
    submitter = event.submitter || null;
    form.dataset.challengeWaited = "1";
    solving.then(() => (submitter ? form.requestSubmit(submitter) : form.requestSubmit()));
  });
})();
