// Skills autocomplete: turns <input data-skills> into chips with suggestions from the
// page's <datalist id="skills-vocabulary">. Without JavaScript the field still works as a
// comma-separated list, so nothing here is required to submit a form.
(function () {
  "use strict";
  var list = document.getElementById("skills-vocabulary");
  if (!list) { return; }
  var options = Array.prototype.map.call(list.options, function (o) { return o.value; });

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function enhance(input) {
    var wrap = document.createElement("div");
    wrap.className = "chips";
    var chips = document.createElement("ul");
    chips.className = "chip-list";
    var entry = document.createElement("input");
    entry.type = "text";
    entry.className = "chip-entry";
    entry.setAttribute("list", "skills-vocabulary");
    entry.setAttribute("aria-label", input.getAttribute("aria-label") || input.labels[0].textContent);
    entry.id = input.id + "-entry";
    input.type = "hidden";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(chips);
    wrap.appendChild(entry);
    if (input.labels && input.labels[0]) { input.labels[0].htmlFor = entry.id; }

    function values() {
      return input.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    }
    function render() {
      chips.innerHTML = "";
      values().forEach(function (value) {
        var li = document.createElement("li");
        li.className = "chip";
        li.textContent = value;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (document.documentElement.lang === "en" ? "Remove " : "Quitar ") + value);
        remove.addEventListener("click", function () {
          input.value = values().filter(function (v) { return v !== value; }).join(", ");
          render();
        });
        li.appendChild(remove);
        chips.appendChild(li);
      });
    }
    function add(value) {
      value = value.replace(/,/g, " ").trim();
      if (!value) { return; }
      var known = options.filter(function (o) { return fold(o) === fold(value); })[0];
      value = known || value;
      if (values().map(fold).indexOf(fold(value)) === -1) {
        input.value = values().concat([value]).join(", ");
      }
      entry.value = "";
      render();
    }
    entry.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        event.preventDefault();
        add(entry.value);
      } else if (event.key === "Backspace" && !entry.value) {
        input.value = values().slice(0, -1).join(", ");
        render();
      }
    });
    entry.addEventListener("change", function () {
      // Picking a suggestion from the datalist fires "change" with a full value.
      if (options.indexOf(entry.value) !== -1) { add(entry.value); }
    });
    var form = input.form;
    if (form) {
      form.addEventListener("submit", function () { add(entry.value); });
    }
    render();
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-skills]"), enhance);
})();
