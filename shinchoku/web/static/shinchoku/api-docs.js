/* Starts Swagger UI on /api/v1/docs with the settings the page carries (no inline script: the CSP forbids it). */
(function () {
  "use strict";
  var source = document.getElementById("swagger-settings");
  if (!source || !window.SwaggerUIBundle) return;
  var settings = JSON.parse(source.textContent);
  settings.dom_id = "#swagger-ui";
  window.SwaggerUIBundle(settings);
})();
