/* Draws a line chart above each figure's monthly table (progressive enhancement: without
   JavaScript the table is the figure). Reads data-month and data-value of the table rows;
   a share is drawn on 0–100 %, a count from 0 to its largest value; the target dashed. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 600, HEIGHT = 200, LEFT = 48, RIGHT = 12, TOP = 12, BOTTOM = 28;

  function element(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function number(value, digits) {
    return value.toLocaleString(document.documentElement.lang || "de", {
      maximumFractionDigits: digits, minimumFractionDigits: digits
    });
  }

  function draw(figure) {
    var table = document.getElementById(figure.dataset.chart);
    if (!table) return;
    var share = figure.dataset.share === "1";
    var target = figure.dataset.target ? parseFloat(figure.dataset.target) : null;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-month]"));
    var points = rows.map(function (row, index) {
      var text = row.dataset.value;
      return { index: index, label: row.dataset.month, value: text === "" ? null : parseFloat(text) };
    });
    var known = points.filter(function (point) { return point.value !== null; });
    if (!known.length) return;
    var top = share ? 100 : Math.max.apply(null, known.map(function (p) { return p.value; }).concat([target || 0, 1]));
    var x = function (index) { return LEFT + index * (WIDTH - LEFT - RIGHT) / Math.max(points.length - 1, 1); };
    var y = function (value) { return TOP + (1 - value / top) * (HEIGHT - TOP - BOTTOM); };
    var first = known[0], last = known[known.length - 1];
    var unit = share ? " %" : "";
    var svg = element("svg", {
      viewBox: "0 0 " + WIDTH + " " + HEIGHT, role: "img", "class": "monitor-chart__svg",
      "aria-label": first.label + ": " + number(first.value, share ? 1 : 0) + unit + " – " +
        last.label + ": " + number(last.value, share ? 1 : 0) + unit
    });
    [0, top / 2, top].forEach(function (value) {
      element("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y(value), y2: y(value), "class": "monitor-chart__grid" }, svg);
      element("text", { x: LEFT - 6, y: y(value) + 4, "text-anchor": "end", "class": "monitor-chart__label" }, svg)
        .textContent = number(value, 0) + unit;
    });
    [first, last].forEach(function (point) {
      element("text", { x: x(point.index), y: HEIGHT - 8, "text-anchor": point === first ? "start" : "end", "class": "monitor-chart__label" }, svg)
        .textContent = point.label;
    });
    if (target !== null && target <= top) {
      element("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y(target), y2: y(target), "class": "monitor-chart__target" }, svg);
    }
    element("polyline", {
      points: known.map(function (p) { return x(p.index) + "," + y(p.value); }).join(" "),
      "class": "monitor-chart__line"
    }, svg);
    known.forEach(function (p) { element("circle", { cx: x(p.index), cy: y(p.value), r: 3.5, "class": "monitor-chart__dot" }, svg); });
    figure.insertBefore(svg, figure.firstChild);
    figure.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("figure[data-chart]"), draw);
  });
})();
