// The free places of an offer, kept up to date while the page is open: asks
// plaetze.json every 15 seconds (not while the tab is hidden) and updates the
// aria-live region, so screen readers hear a change. Without JavaScript the page
// shows the places as they were when it loaded, and booking works the same.
(function () {
  "use strict";
  const region = document.querySelector("[data-places-url]");
  if (!region || !window.fetch) return;
  const url = region.dataset.placesUrl;
  const text = region.querySelector("[data-places-text]");
  const changed = region.querySelector("[data-places-changed]");
  const status = region.dataset.placesStatus;
  const hint = document.querySelector("[data-places-hint]");
  const EVERY_MS = 15000;

  async function poll() {
    if (document.hidden) return;
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const places = await response.json();
      if (text && places.text && text.textContent !== places.text) {
        text.textContent = places.text;
      }
      // Booking turned into waiting list (or back): the buttons below are out of date.
      if (changed && places.status !== status) changed.hidden = false;
    } catch (error) {
      // A network hiccup: the next round tries again.
    }
  }

  if (hint) hint.hidden = false;
  window.setInterval(poll, EVERY_MS);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
})();
