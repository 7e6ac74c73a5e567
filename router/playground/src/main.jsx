// Entry of the playground bundle: GraphiQL pointed at the router that serves the page.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';

// The router answers GraphQL on the same origin and path that served this page.
const endpoint = new URL('/', window.location.href).toString();

const defaultQuery = `# Welcome to the ERGO API.
#
# Write a query on the left and run it with Ctrl-Enter or the play button.
# To call as a signed-in user, open "Headers" below and set:
#   {"Authorization": "Bearer <token>"}
{
  __typename
}
`;

// fetcher sends one GraphQL-over-HTTP POST and returns the decoded JSON body, whatever the
// status code, so GraphiQL shows request errors as the router wrote them.
async function fetcher(params, options) {
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json',
    ...(options && options.headers),
  };
  const res = await fetch(endpoint, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: JSON.stringify(params),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${res.status}: ${text}` }] };
  }
}

function Playground() {
  return (
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={defaultQuery}
      isHeadersEditorEnabled={true}
      shouldPersistHeaders={false}
    />
  );
}

createRoot(document.getElementById('graphiql')).render(<Playground />);
