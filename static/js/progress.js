// Progress dashboard: trend charts (Chart.js 4) and a sortable ranking table. No inline scripts (CSP).
(function () {
  "use strict";
  var dataNode = document.getElementById("progress-chart-data");
  if (dataNode && window.Chart) {
    var data = JSON.parse(dataNode.textContent);
    document.querySelectorAll("canvas.js-progress-chart").forEach(function (canvas) {
      var series = data[canvas.dataset.indicator];
      if (!series) { return; }
      var datasets = [{
        label: series.label, data: series.values, borderColor: "#0b5cad",
        backgroundColor: "rgba(11, 92, 173, .15)", fill: true, tension: .25, spanGaps: true, pointRadius: 2
      }];
      if (series.target !== null) {
        datasets.push({
          label: canvas.closest("[data-target-label]") ? "" : "Target",
          data: series.months.map(function () { return series.target; }),
          borderColor: "#d7261e", borderDash: [6, 4], pointRadius: 0, fill: false
        });
      }
      new window.Chart(canvas, {
        type: "line",
        data: { labels: series.months, datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { maxTicksLimit: 5 } }, x: { ticks: { maxTicksLimit: 6 } } }
        }
      });
      canvas.dataset.rendered = "1";
    });
  }

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
