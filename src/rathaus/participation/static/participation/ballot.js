// The ballot's running total: what the ticked projects cost, against the budget. The server
// checks the same on "Weiter zur Prüfung"; this only saves a round trip.
(function () {
  "use strict";
  var out = document.getElementById("budget-summe");
  var data = document.getElementById("budget-kosten");
  if (!out || !data) return;
  var costs = JSON.parse(data.textContent);
  var amount = Number(out.dataset.amount);
  var money = new Intl.NumberFormat(document.documentElement.lang || "de", {
    style: "currency", currency: "EUR", maximumFractionDigits: 0
  });
  var boxes = document.querySelectorAll('input[type="checkbox"][name="projects"]');
  function update() {
    var sum = 0;
    boxes.forEach(function (box) { if (box.checked) sum += costs[box.value] || 0; });
    var text = sum > amount ? out.dataset.over : out.dataset.within;
    out.textContent = text.replace("%(sum)s", money.format(sum)).replace("%(amount)s", money.format(amount));
    out.classList.toggle("participation-sum--over", sum > amount);
    out.hidden = false;
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
