// The API explorer: Swagger UI on this sandbox's openapi.json, with the demo keys filled in.
// Every URL is relative, so the page works at /explorer and behind the Jupyter proxy alike.
(function () {
  "use strict";
  const credentials = JSON.parse(document.getElementById("credentials").textContent);
  window.explorer = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#explorer",
    deepLinking: false,
    tryItOutEnabled: true,
    persistAuthorization: false,
    onComplete: function () {
      window.explorer.preauthorizeApiKey("bearer", credentials.bearer);
      window.explorer.preauthorizeApiKey("apikey", credentials.apikey);
      document.body.dataset.ready = "true";
    },
  });
})();
