// critreg's own small script: pages work without it; it only adds a busy indicator to
// long form submissions (workbook imports).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("import-form");
  if (!form) return;
  form.addEventListener("submit", function () {
    var p = document.getElementById("import-progress");
    if (p) p.hidden = false;
  });
});

// --- import progress (section of the import page) ---
// A commit runs in the background; its page polls the import API and redraws the bar,
// then reloads to show the result the server renders. Without script the page offers a
// link that reloads it.
document.addEventListener("DOMContentLoaded", function () {
  var job = document.getElementById("import-job");
  if (!job || job.getAttribute("data-state") !== "running") return;
  var id = job.getAttribute("data-job");
  var bar = document.getElementById("import-bar");
  var done = document.getElementById("import-done");
  var total = document.getElementById("import-total");
  var hint = job.querySelector(".nojs-hint");
  if (hint) hint.hidden = true;
  function draw(a) {
    if (a.total > 0) {
      bar.value = Math.min(100, Math.floor((100 * a.done) / a.total));
      bar.textContent = bar.value + " %";
    } else {
      bar.removeAttribute("value");
    }
    done.textContent = a.done;
    total.textContent = a.total;
  }
  function poll() {
    fetch("/api/v1/imports/" + encodeURIComponent(id), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("status " + r.status);
        return r.json();
      })
      .then(function (a) {
        draw(a);
        if (a.state === "running") {
          setTimeout(poll, 400);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        // The link still reloads the page by hand; try again a little later.
        setTimeout(poll, 2000);
      });
  }
  setTimeout(poll, 200);
});
// --- end import progress ---
