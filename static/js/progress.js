// Progress dashboard: trend charts (Chart.js 4) and a sortable ranking table. No inline scripts (CSP).
(function () {
  "use strict";
  // Each indicator: its year, month by month. A count summed over time is drawn as its running total
  // from January (a line) against the target (dashed), with each month as a bar; a level (teams,
  // people, a rate) month by month against it. Straight segments only, and never across a month
  // without data: a curve through missing months would invent figures.
  var dataNode = document.getElementById("progress-chart-data");
  if (dataNode && window.Chart) {
    var data = JSON.parse(dataNode.textContent);
    var styles = {
      ytd: { type: "line", borderColor: "#0b5cad", backgroundColor: "#0b5cad", pointRadius: 2, order: 1 },
      level: { type: "line", borderColor: "#0b5cad", backgroundColor: "#0b5cad", pointRadius: 2, order: 1 },
      monthly: { type: "bar", borderColor: "rgba(11, 92, 173, .35)", backgroundColor: "rgba(11, 92, 173, .25)", order: 2 }
    };
    document.querySelectorAll("canvas.js-progress-chart").forEach(function (canvas) {
      var chart = data[canvas.dataset.indicator];
      if (!chart) { return; }
      var datasets = chart.series.map(function (series) {
        var dataset = Object.assign({ label: series.label, data: series.values, tension: 0, spanGaps: false, fill: false },
          styles[series.kind]);
        dataset.kind = series.kind;
        return dataset;
      });
      if (chart.target) {
        datasets.push({
          type: "line", label: chart.target.label, kind: "target",
          data: chart.months.map(function () { return chart.target.value; }),
          borderColor: "#d7261e", borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false, tension: 0, order: 0
        });
      }
      var number = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });
      var format = function (value) { return number.format(value) + (chart.percent ? "%" : ""); };
      new window.Chart(canvas, {
        type: "line",
        data: { labels: chart.months, datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: {
            legend: { display: true, position: "bottom", labels: { boxWidth: 12, font: { size: 10 } } },
            tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + format(item.parsed.y); } } }
          },
          scales: {
            y: { beginAtZero: true, ticks: { maxTicksLimit: 5, callback: format } },
            x: { ticks: { maxTicksLimit: 6 } }
          }
        }
      });
      canvas.dataset.rendered = "1";
    });
  }

  // Ranking by indicator: the select shows one indicator's highest and lowest units at a time.
  document.querySelectorAll("select.js-leaders-select").forEach(function (select) {
    var card = select.closest(".card") || document;
    select.addEventListener("change", function () {
      card.querySelectorAll(".js-leaders-panel").forEach(function (panel) {
        panel.hidden = panel.dataset.indicator !== select.value;
      });
    });
  });

  // Sort the ranking by any column: click a header (numbers by data-value, text by content).
  document.querySelectorAll("table.js-sortable").forEach(function (table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th, index) {
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.dataset.sort === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index], y = b.cells[index];
          var cmp;
          if (numeric) {
            var vx = parseFloat(x.dataset.value), vy = parseFloat(y.dataset.value);
            vx = isNaN(vx) ? -Infinity : vx; vy = isNaN(vy) ? -Infinity : vy;
            cmp = vx - vy;
          } else {
            cmp = x.textContent.trim().localeCompare(y.textContent.trim(), "vi");
          }
          return ascending ? cmp : -cmp;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
