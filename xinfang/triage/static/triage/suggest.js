// Fills the suggestion panel (triage/_suggestion.html): the category with its confidence and the next two,
// each with a button that puts it into the form's field named by data-target; the competent organ from the
// routing table with its basis; and the possible repeats, each with a link to the side-by-side view.
(function () {
  "use strict";
  function percent(score) { return Math.round(score * 100) + "%"; }
  function button(panel, label, score) {
    if (!document.querySelector("[name='" + panel.dataset.target + "']")) {
      // No triage form on this page (the desk that registered it): the suggestion is shown, not applied.
      var span = document.createElement("span");
      span.className = "triage-suggested";
      span.textContent = label + "（置信度 " + percent(score) + "） ";
      return span;
    }
    var b = document.createElement("button");
    b.type = "button";
    b.className = "triage-accept";
    b.textContent = "采用：" + label + "（置信度 " + percent(score) + "）";
    b.addEventListener("click", function () {
      var field = document.querySelector("[name='" + panel.dataset.target + "']");
      if (field) {
        field.value = label;
        field.dispatchEvent(new Event("change", { bubbles: true }));
        panel.querySelector(".triage-suggestion-status").textContent = "已填入内容分类：" + label + "，提交甄别分类后记录。";
      }
    });
    return b;
  }
  function render(panel, data) {
    var status = panel.querySelector(".triage-suggestion-status");
    var category = panel.querySelector(".triage-suggestion-category");
    var organ = panel.querySelector(".triage-suggestion-organ");
    var box = panel.querySelector(".triage-suggestion-repeats-box");
    var repeats = panel.querySelector(".triage-suggestion-repeats");
    status.textContent = data.category ? "建议内容分类（模型第 " + data.model_version + " 版）：" : "尚无可用的分类模型。";
    if (data.category) {
      category.appendChild(button(panel, data.category.label, data.category.score));
      data.alternatives.forEach(function (a) { category.appendChild(button(panel, a.label, a.score)); });
      category.hidden = false;
    }
    if (data.organ) {
      organ.textContent = "建议转送机关：" + data.organ.name + "。依据：" + data.organ.basis;
      organ.hidden = false;
    }
    data.repeats.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.compare_url;
      a.textContent = r.number + " " + r.summary + "（对照）";
      li.appendChild(a);
      li.appendChild(document.createTextNode("：" + r.reasons.join("；")));
      if (r.final) {
        var flag = document.createElement("strong");
        flag.className = "warn";
        flag.textContent = " 已复核终结";
        li.appendChild(flag);
      }
      repeats.appendChild(li);
    });
    box.hidden = data.repeats.length === 0;
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
