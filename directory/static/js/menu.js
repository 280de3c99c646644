// The header menu: folded behind a button on narrow screens, and the account menu closes
// when the visitor clicks elsewhere or presses Escape. Without this file every link shows.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (toggle && menu) {
    document.documentElement.classList.add("has-menu-js");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    });
  }
  // The curation menu starts folded on a phone, so the page's content comes first.
  var curation = document.querySelector(".curation-menu");
  if (curation && window.matchMedia("(max-width: 900px)").matches) curation.open = false;
  var account = document.querySelector(".account-menu");
  if (account) {
    document.addEventListener("click", function (event) {
      if (account.open && !account.contains(event.target)) account.open = false;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && account.open) {
        account.open = false;
        account.querySelector("summary").focus();
      }
    });
  }
})();
