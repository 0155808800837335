// Progress of an indicator file being checked or saved: polls the job's JSON and moves the bar; reloads the page
// when the job is done so the preview or the result appears. Without JavaScript a <meta refresh> does the same.
(function () {
  "use strict";
  var box = document.getElementById("job-status");
  if (!box || box.dataset.running !== "1") { return; }
  var bar = box.querySelector("[data-job-progress]");
  var rows = box.querySelector("[data-job-rows]");
  var label = box.querySelector("[data-job-label]");
  var lastState = null;

  function update(data) {
    if (!data.running || (lastState !== null && data.state !== lastState)) {
      window.location.reload();  // finished, or moved to another step: the page shows other things
      return;
    }
    lastState = data.state;
    if (label) { label.textContent = data.label; }
    if (bar && bar.hasAttribute("max")) { bar.value = data.percent; bar.textContent = data.percent + " %"; }
    if (rows) { rows.textContent = data.done.toLocaleString("es-MX") + " / " + data.total.toLocaleString("es-MX"); }
    window.setTimeout(poll, 1000);
  }

  function poll() {
    fetch(box.dataset.progressUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { update(data); } else { window.setTimeout(poll, 3000); } })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  poll();
})();
