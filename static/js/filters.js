// Progressive enhancement for the filter forms; without it every filter works.
// On a narrow screen, fold the filter groups nobody has used yet, so the
// results are not pushed far down the page. Nothing is submitted on its own.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 56rem)").matches) return;
  document.querySelectorAll("form.filters details.facet").forEach(function (details) {
    if (!details.querySelector("input:checked:not([value=''])")) details.open = false;
  });
})();
