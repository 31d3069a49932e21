// critreg's discovery run page: while a run sweeps, its counts are read from the run's JSON
// every 1.5 s and written into the page; when it ends the page reloads to show the results
// and findings. Without this script the page's refresh link does the same by hand.
(function () {
  "use strict";
  var live = document.getElementById("run-live");
  if (!live || live.getAttribute("data-running") !== "1") return;
  var id = live.getAttribute("data-run");
  var bar = document.getElementById("run-bar");
  var failures = 0;

  function show(run) {
    var p = run.progress || {};
    var cells = live.querySelectorAll("[data-p]");
    for (var i = 0; i < cells.length; i++) {
      var k = cells[i].getAttribute("data-p");
      if (typeof p[k] === "number") cells[i].textContent = String(p[k]);
    }
    if (bar && typeof p.total === "number") {
      bar.max = p.total;
      bar.value = p.done || 0;
      bar.textContent = (p.done || 0) + " / " + p.total;
    }
  }

  function poll() {
    fetch("/api/v1/discovery/runs/" + encodeURIComponent(id), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (run) {
      failures = 0;
      show(run);
      if (run.status === "running" || run.status === "uploading") {
        setTimeout(poll, 1500);
      } else {
        window.location.reload();
      }
    }).catch(function () {
      // A dropped connection or an expired session: try a few times, then leave the
      // refresh link to the person.
      failures++;
      if (failures < 5) setTimeout(poll, 3000);
    });
  }
  setTimeout(poll, 1000);
})();
