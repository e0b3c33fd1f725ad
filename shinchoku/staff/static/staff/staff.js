/* Staff pages: move focus to an error summary so keyboard and screen-reader users hear it first. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
