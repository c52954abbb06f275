// Starts GraphiQL on the page served at GET /graphql. Everything it needs is
// served by this server under /graphiql/ (no CDN, no inline script).
(function () {
  'use strict';
  var endpoint = new URL('/graphql', window.location.href).href;
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var defaultQuery =
    '# Sign in, then put the token into Headers below:\n' +
    '#   {"Authorization": "Bearer <token>"}\n' +
    '#\n' +
    '# mutation { login(username: "admin", password: "…") { token } }\n' +
    '\n' +
    '{\n  me { username role }\n}\n';
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    })
  );
})();
