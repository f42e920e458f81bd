// Import progress: poll the batch's progress endpoint and move the bar; reload the page when the run ends.
(function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-testid=progress-text]");
  function poll() {
    fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        bar.max = p.total || 1;
        bar.value = p.processed;
        text.textContent = p.status_display + "：已处理 " + p.processed + " / " + p.total + " 行（" + p.percent +
          "%），新建 " + p.created + "，重复 " + p.duplicates + "，有误 " + p.refused;
        if (p.status === "done" || p.status === "failed") { window.location.reload(); }
        else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
