// Profile form: the state only matters in Mexico, so hide it for other countries.
// Without JavaScript the field stays visible and the server ignores it abroad.
(function () {
  "use strict";
  var country = document.getElementById("country_code");
  var state = document.querySelector("[data-state-field]");
  if (!country || !state) { return; }
  function sync() { state.hidden = country.value !== "MX"; }
  country.addEventListener("change", sync);
  sync();
})();
