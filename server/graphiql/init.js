// Mounts GraphiQL against this server: POST /graphql for operations, the same path over
// WebSocket (graphql-transport-ws) for subscriptions. Add a token under "Headers" as
// {"Authorization": "Bearer …"} to call admin operations.
(function () {
  var url = location.origin + '/graphql';
  var wsUrl = url.replace(/^http/, 'ws');
  var fetcher = GraphiQL.createFetcher({
    url: url,
    wsClient: graphqlWs.createClient({ url: wsUrl, lazy: true }),
  });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
})();
