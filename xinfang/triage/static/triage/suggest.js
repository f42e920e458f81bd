// Fills the suggestion panel (triage/_suggestion.html): the category with its confidence and the next two,
// each with a button that puts it into the form's field named by data-target, and the possible repeats.
(function () {
  "use strict";
  function percent(score) { return Math.round(score * 100) + "%"; }
  function button(panel, label, score) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label + "（" + percent(score) + "）采用";
    b.addEventListener("click", function () {
      var field = document.querySelector("[name='" + panel.dataset.target + "']");
      if (field) { field.value = label; field.dispatchEvent(new Event("change", { bubbles: true })); }
    });
    return b;
  }
  function render(panel, data) {
    var status = panel.querySelector(".triage-suggestion-status");
    var category = panel.querySelector(".triage-suggestion-category");
    var repeats = panel.querySelector(".triage-suggestion-repeats");
    status.textContent = data.category ? "建议类别（模型 v" + data.model_version + "）：" : "尚无可用的分类模型。";
    if (data.category) {
      category.appendChild(button(panel, data.category.label, data.category.score));
      data.alternatives.forEach(function (a) { category.appendChild(button(panel, a.label, a.score)); });
      category.hidden = false;
    }
    data.repeats.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/work/cases/" + r.case_id + "/";
      a.textContent = r.number + " " + r.summary;
      li.appendChild(a);
      li.appendChild(document.createTextNode("：" + r.reasons.join("；")));
      repeats.appendChild(li);
    });
    repeats.hidden = data.repeats.length === 0;
  }
  document.querySelectorAll(".triage-suggestion").forEach(function (panel) {
    fetch(panel.dataset.suggestUrl, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": panel.dataset.csrf }
    }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) { render(panel, data); }).catch(function () {
      panel.querySelector(".triage-suggestion-status").textContent = "暂时无法生成建议。";
    });
  });
})();
