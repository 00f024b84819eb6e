// Starts Swagger UI on /docs. A served file, not an inline script, so the page's CSP needs no
// 'unsafe-inline' for scripts. The OpenAPI URL comes from this tag's data-openapi-url attribute.
"use strict";
window.ui = SwaggerUIBundle({
  url: document.currentScript.dataset.openapiUrl,
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
