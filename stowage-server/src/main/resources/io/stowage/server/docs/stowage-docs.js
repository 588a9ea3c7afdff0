// Starts Swagger UI on the server's own document; a file, not an inline script, so the page's
// Content-Security-Policy can forbid inline scripts.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
};
