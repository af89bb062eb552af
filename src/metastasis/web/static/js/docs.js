// Starts Swagger UI on /docs (templates/docs.html). A file, not an inline script: the Content-Security-Policy
// allows script from this site's files only. The settings are FastAPI's defaults, without the validator badge
// (which would call validator.swagger.io).
window.ui = SwaggerUIBundle({
  url: document.getElementById("swagger-ui").dataset.openapiUrl,
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
