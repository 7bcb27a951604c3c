// The waiting-room display: asks for the latest calls every few seconds, shows a new one
// large (with a short highlight) and, once staff switched it on, reads it out: with the
// server's audio file, or the browser's own speech synthesis when that cannot play.
(function () {
  "use strict";
  const body = document.body;
  const url = body.dataset.callsUrl;
  if (!url || !window.fetch) return;
  const current = document.querySelector("[data-current]");
  const earlier = document.querySelector("[data-earlier]");
  const toggle = document.querySelector("[data-speech-toggle]");
  const clock = document.querySelector("[data-clock]");
  const lang = body.dataset.speechLang || "de-DE";
  const texts = lang.startsWith("de")
    ? { on: "Sprachausgabe ausschalten", off: "Sprachausgabe einschalten", to: "bitte zu" }
    : { on: "Turn speech off", off: "Turn speech on", to: "please go to" };
  let lastId = null;
  let speak = window.localStorage && localStorage.getItem("rathaus.display.speech") === "on";

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showToggle() {
    if (!toggle) return;
    toggle.hidden = false;
    toggle.setAttribute("aria-pressed", String(speak));
    toggle.textContent = speak ? texts.on : texts.off;
  }

  function synthesise(call) {
    if (!("speechSynthesis" in window)) return;
    const utterance = new SpeechSynthesisUtterance(call.announcement);
    utterance.lang = lang;
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  }

  function announce(call) {
    if (!speak) return;
    if (!call.audio) {
      synthesise(call);
      return;
    }
    const audio = new Audio(call.audio);
    audio.play().catch(() => synthesise(call));
  }

  function render(calls) {
    const first = calls[0];
    if (!first || first.id === lastId) return;
    const isNew = lastId !== null;
    lastId = first.id;
    const line = element("p", "display__call" + (isNew ? " display__call--new" : ""));
    line.append(
      element("span", "display__ticket", first.ticket),
      " ",
      element("span", "display__arrow", "→"),
      element("span", "display__sr-only", texts.to),
      " ",
      element("span", "display__counter", first.counter)
    );
    line.querySelector(".display__arrow").setAttribute("aria-hidden", "true");
    current.replaceChildren(line);
    earlier.replaceChildren(
      ...calls.slice(1).map((call) => {
        const item = element("li");
        item.append(element("span", "display__ticket-small", call.ticket), " → " + call.counter);
        return item;
      })
    );
    if (isNew) announce(first);
  }

  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) render((await response.json()).calls);
    } catch (error) {
      // Network hiccup: the next poll tries again.
    }
  }

  function tick() {
    if (clock) clock.textContent = new Date().toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  }

  if (toggle) {
    toggle.addEventListener("click", () => {
      speak = !speak;
      if (window.localStorage) localStorage.setItem("rathaus.display.speech", speak ? "on" : "off");
      showToggle();
    });
  }
  showToggle();
  tick();
  poll();
  setInterval(poll, 3000);
  setInterval(tick, 10000);
})();
