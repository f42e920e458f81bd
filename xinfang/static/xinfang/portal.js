// Submission form: the organ list shows only the organs of the chosen region. Without JavaScript all are shown.
(function () {
  var region = document.querySelector("[data-region-select]");
  var organ = document.querySelector("[data-organ-select]");
  if (!region || !organ) return;
  function filter() {
    var groups = organ.querySelectorAll("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var show = !region.value || groups[i].getAttribute("data-region") === region.value;
      groups[i].hidden = !show;
      groups[i].disabled = !show;
    }
    var chosen = organ.options[organ.selectedIndex];
    if (chosen && chosen.parentNode.disabled) organ.value = "";
  }
  region.addEventListener("change", filter);
  filter();
})();
