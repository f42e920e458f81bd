// Staff workspace helpers: ID checksum while typing, repeat hints, Ctrl+Enter to submit. No dependencies.
(function () {
  "use strict";
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";

  function idProblem(value) {
    value = value.trim().toUpperCase();
    if (value.length !== 18 || !/^\d{17}/.test(value)) return "";
    if (!/^\d{17}[\dX]$/.test(value)) return "证件号码最后一位应为数字或X";
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += Number(value[i]) * WEIGHTS[i];
    return CHECK[sum % 11] === value[17] ? "" : "证件号码校验位不正确，请核对";
  }

  var form = document.getElementById("register-form");
  if (!form) return;

  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });

  var idInput = document.getElementById("id_id_number");
  var idCheck = document.getElementById("id-check");
  if (idInput && idCheck) {
    idInput.addEventListener("input", function () {
      var problem = idProblem(idInput.value);
      idCheck.textContent = problem;
      idCheck.className = problem ? "errorlist" : "hint";
      idInput.setAttribute("aria-invalid", problem ? "true" : "false");
    });
  }

  var hints = document.getElementById("hints");
  var list = document.getElementById("hint-list");
  var linked = document.getElementById("linked");
  var matter = document.getElementById("id_matter_id");
  var timer = null;
  function field(id) { var el = document.getElementById(id); return el ? el.value : ""; }

  function render(results) {
    list.innerHTML = "";
    results.forEach(function (r) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = r.url; link.target = "_blank"; link.textContent = r.number;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" " + r.received + " " + r.organ + " · " + r.state + " · " + r.summary + (r.final ? "（已复核终结）" : "") + " "));
      var button = document.createElement("button");
      button.type = "button"; button.textContent = "关联到该事项"; button.className = "link-matter";
      button.addEventListener("click", function () {
        matter.value = r.matter_id;
        linked.hidden = false;
        linked.textContent = "将作为重复信访关联到事项：" + r.summary + (r.final ? "。该事项已复核终结，同一事实和理由的将不再受理。" : "");
      });
      li.appendChild(button);
      list.appendChild(li);
    });
    hints.hidden = results.length === 0;
  }

  function lookup() {
    var params = new URLSearchParams({
      id_number: field("id_id_number"), name: field("id_name"), contact: field("id_contact"), text: field("id_request")
    });
    fetch("/work/hints/?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { render(data.results); })
      .catch(function () {});
  }
  ["id_id_number", "id_name", "id_contact", "id_request"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) el.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 400); });
  });
})();

// Every staff page: after a refused submit the error summary takes the focus; steps that send a case away or
// end it name, next to the button, the organ that will receive it (the line updates as the choice changes).
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    var line = form.querySelector(".confirm-line");
    var select = form.querySelector("select[name$='target_organ']");
    if (!line || !select) return;
    var update = function () {
      var chosen = select.selectedIndex > 0 ? select.options[select.selectedIndex].text : "";
      line.textContent = chosen ? form.getAttribute("data-confirm").replace("所选机关", "“" + chosen + "”") : "尚未选择接收机关";
    };
    select.addEventListener("change", update);
    update();
  });
})();

// Organ pickers: a search box above every receiving-organ list filters its options as one types (name or place);
// the list keeps its groups, nothing is chosen for the user, and the number of matches is read out.
(function () {
  "use strict";
  document.querySelectorAll("select[name$='target_organ']").forEach(function (select, index) {
    var box = document.createElement("input");
    box.type = "search";
    box.id = "organ-filter-" + index;
    box.className = "organ-filter";
    box.setAttribute("placeholder", "输入机关名称或地名筛选");
    box.setAttribute("aria-label", "筛选机关：输入机关名称或地名");
    box.setAttribute("aria-controls", select.id);
    box.setAttribute("data-testid", "organ-filter");
    var count = document.createElement("span");
    count.className = "hint organ-filter-count";
    count.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(count, select);
    box.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
    box.addEventListener("input", function () {
      var words = box.value.trim().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;  // the "please choose" line stays
        var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
        var text = group + " " + option.text;
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !match && !option.selected;
        option.disabled = !match && !option.selected;
        if (match) shown += 1;
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
      count.textContent = words.length ? "找到 " + shown + " 个机关" : "";
    });
  });
})();
