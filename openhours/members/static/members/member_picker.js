// The member picker (members/widgets/member_picker.html): a combobox over a listbox of
// matches that htmx fetches as you type. Without this script it stays a plain text box
// that takes an email address, so it only claims to be a combobox once this has run.
// Each picker's template loads this file; the guard makes a second load do nothing.
(function () {
  if (window.openhoursMemberPicker) { return; }
  window.openhoursMemberPicker = true;

  function parts(picker) {
    var input = picker.querySelector("input[type=text]");
    return {
      input: input,
      value: picker.querySelector("[data-member-picker-value]"),
      listbox: document.getElementById(input.dataset.listbox),
      status: document.getElementById(input.dataset.status),
    };
  }
  function options(p) { return Array.prototype.slice.call(p.listbox.querySelectorAll("[role=option]")); }
  function setOpen(p, open) {
    p.listbox.hidden = !open;
    p.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { p.input.removeAttribute("aria-activedescendant"); }
  }
  function activate(p, option) {
    options(p).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    p.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }
  // A picker inside [data-choose-radio] (the donation's "A colleague") selects that radio
  // when someone types in it, so a chosen colleague isn't overruled by the default.
  function chooseRadio(picker) {
    var holder = picker.closest("[data-choose-radio]");
    var radio = holder && document.getElementById(holder.dataset.chooseRadio);
    if (radio) { radio.checked = true; }
  }
  function choose(p, option) {
    p.value.value = option.dataset.value;
    p.input.value = option.dataset.label;
    p.input.dataset.chosen = option.dataset.label;
    setOpen(p, false);
    var meta = option.querySelector(".meta");
    var detail = meta ? meta.textContent.replace(/\s+/g, " ").trim() : "";
    p.status.textContent = "Chosen: " + option.dataset.label + (detail ? " (" + detail + ")" : "");
  }
  function enhance(picker) {
    if (picker.dataset.enhanced) { return; }
    picker.dataset.enhanced = "yes";
    var p = parts(picker);
    p.input.setAttribute("role", "combobox");
    p.input.setAttribute("aria-autocomplete", "list");
    p.input.setAttribute("aria-controls", p.listbox.id);
    p.input.setAttribute("aria-expanded", "false");
    if (p.value.value) { p.input.dataset.chosen = p.input.value; }

    p.input.addEventListener("input", function () {
      // What is submitted is what is shown: editing the name forgets the earlier choice.
      if (p.input.value !== p.input.dataset.chosen) { p.value.value = ""; }
      if (p.input.value.trim()) { chooseRadio(picker); }
      if (p.input.value.trim().length < 2) { setOpen(p, false); p.status.textContent = ""; }
    });
    p.input.addEventListener("keydown", function (event) {
      var all = options(p);
      var current = all.indexOf(document.getElementById(p.input.getAttribute("aria-activedescendant")));
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) { return; }
        event.preventDefault();
        setOpen(p, true);
        var next = event.key === "ArrowDown" ? current + 1 : current - 1;
        if (current === -1 && event.key === "ArrowUp") { next = all.length - 1; }
        activate(p, all[(next + all.length) % all.length]);
      } else if (event.key === "Enter" && !p.listbox.hidden && current !== -1) {
        event.preventDefault();  // choose, don't submit the form
        choose(p, all[current]);
      } else if (event.key === "Escape" && !p.listbox.hidden) {
        event.preventDefault();
        setOpen(p, false);
      }
    });
    p.input.addEventListener("blur", function () { setOpen(p, false); });
    // mousedown, not click: it comes before the text box loses focus and closes the list.
    p.listbox.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { event.preventDefault(); choose(p, option); }
    });
    p.listbox.addEventListener("htmx:afterSwap", function () {
      var short = p.input.value.trim().length < 2;
      var alreadyChosen = p.value.value && p.input.value === p.input.dataset.chosen;
      setOpen(p, options(p).length > 0 && !short && !alreadyChosen);
    });
  }
  function enhanceAll() { document.querySelectorAll("[data-member-picker]").forEach(enhance); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
  document.addEventListener("htmx:load", enhanceAll);
})();
