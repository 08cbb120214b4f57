// Draws the dashboard charts from the JSON the page embeds (Chart.js, vendored).
(function () {
  function draw() {
    var node = document.getElementById("chart-data");
    if (!node || !window.Chart) return;
    var d = JSON.parse(node.textContent);
    var pct = function (v) { return v === null ? null : Math.round(v * 1000) / 10; };
    var common = { animation: false, responsive: true, plugins: { legend: { display: false } },
      scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } } };
    new Chart(document.getElementById("chart-daily"), { type: "line",
      data: { labels: d.days.map(function (s) { return s.slice(8); }),
        datasets: [{ data: d.daily.map(pct), borderColor: "#0b6e4f", spanGaps: false }] }, options: common });
    new Chart(document.getElementById("chart-trend"), { type: "line",
      data: { labels: d.months, datasets: [{ data: d.trend.map(pct), borderColor: "#1a5fb4" }] }, options: common });
    new Chart(document.getElementById("chart-opd"), { type: "bar",
      data: { labels: d.opds, datasets: [{ data: d.rates.map(pct), backgroundColor: "#0b6e4f" }] },
      options: { animation: false, indexAxis: "y", plugins: { legend: { display: false } },
        scales: { x: { min: 0, max: 100 } } } });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
