// The Chair's review charts: data comes from data-chart attributes (no inline script under the CSP).
(function () {
  "use strict";
  var colours = {
    not_started: "#adb5bd", in_progress: "#0d6efd", done: "#198754",
    stalled: "#ffc107", dropped: "#6c757d", carried_over: "#0dcaf0"
  };
  function read(id) {
    var el = document.getElementById(id);
    return el ? { el: el, data: JSON.parse(el.getAttribute("data-chart")) } : null;
  }
  var status = read("chart-status");
  if (status && window.Chart) {
    new window.Chart(status.el, {
      type: "bar",
      data: {
        labels: status.data.labels,
        datasets: status.data.datasets.map(function (d) {
          return { label: d.label, data: d.data, backgroundColor: colours[d.key] || "#999" };
        })
      },
      options: {
        animation: false, maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  var progress = read("chart-progress");
  if (progress && window.Chart) {
    new window.Chart(progress.el, {
      type: "line",
      data: {
        labels: progress.data.labels,
        datasets: [{ label: progress.el.getAttribute("data-label"), data: progress.data.values,
                     borderColor: "#0b4f6c", backgroundColor: "#0b4f6c", tension: 0.2 }]
      },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } }
    });
  }
})();
