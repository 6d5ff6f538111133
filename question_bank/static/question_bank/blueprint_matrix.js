// Live totals of the blueprint matrix (the server's check is the authority).
(function () {
  "use strict";
  var form = document.getElementById("blueprint-matrix");
  if (!form) return;
  function num(value) { var n = parseFloat(String(value || "").replace(",", ".")); return isFinite(n) ? n : 0; }
  function show(n) { return String(Math.round(n * 100) / 100).replace(".", ","); }
  function recompute() {
    var cols = {}, grandUnits = 0, grandPoints = 0;
    form.querySelectorAll("tbody tr").forEach(function (tr) {
      var units = 0, points = 0;
      tr.querySelectorAll("td[data-col]").forEach(function (td) {
        var count = td.querySelector(".qb-count"), pts = td.querySelector(".qb-points");
        var u = Math.floor(num(count.value)) * (count.dataset.format === "tf" ? 4 : 1), p = num(pts.value);
        units += u; points += p;
        var c = cols[td.dataset.col] || (cols[td.dataset.col] = [0, 0]);
        c[0] += u; c[1] += p;
      });
      grandUnits += units; grandPoints += points;
      tr.querySelector(".qb-row-total").textContent = units + " / " + show(points);
    });
    form.querySelectorAll(".qb-col-total").forEach(function (td) {
      var c = cols[td.dataset.col] || [0, 0];
      td.textContent = c[0] + " / " + show(c[1]);
    });
    var grand = form.querySelector(".qb-grand-total");
    grand.textContent = grandUnits + " / " + show(grandPoints);
    grand.classList.toggle("qb-off", Math.abs(grandPoints - num(form.dataset.total)) > 0.001);
  }
  form.addEventListener("input", recompute);
})();
