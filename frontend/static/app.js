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
