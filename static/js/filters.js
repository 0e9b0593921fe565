// Progressive enhancement for the filter forms; without it every filter works.
// The filters sit in a disclosure, folded so that on a phone the results come first:
// on a wide screen, where they stand beside the results, unfold it. On a narrow
// screen, fold the filter groups nobody has used yet. Nothing is submitted on its own.
(function () {
  "use strict";
  var disclosure = document.querySelector("details.filters-disclosure");
  if (!window.matchMedia("(max-width: 56rem)").matches) {
    if (disclosure) disclosure.open = true;
    return;
  }
  document.querySelectorAll("form.filters details.facet").forEach(function (details) {
    if (!details.querySelector("input:checked:not([value=''])")) details.open = false;
  });
})();
