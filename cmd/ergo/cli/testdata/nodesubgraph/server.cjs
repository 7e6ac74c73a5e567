// A module written in JavaScript: a federation 2 subgraph served by Node with the graphql
// package alone. It answers POST /query with the module's fields, Query._service (its SDL)
// and Query._entities (the User entities it extends).
//
// Run: NODE_PATH=<dir with graphql> PORT=4010 [ERGO_ROUTER_SECRET=...] node server.cjs
'use strict';

const http = require('node:http');
const { buildSchema, graphql } = require('graphql');

// The module's schema slice, as `_service { sdl }` returns it for composition.
const sdl = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

"A search result."
type Hit {
  title: String!
  score: Float!
}

"A user (owned by identity); search adds the user's most recent search."
type User @key(fields: "id") {
  id: ID!
  lastSearch: String
}

type Query {
  "Results for text, best first."
  search(text: String!): [Hit!]!
}
`;

// The executable schema adds what the federation protocol asks of every subgraph.
const schema = buildSchema(`${sdl}
directive @link(url: String!, import: [String]) repeatable on SCHEMA
directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
scalar _Any
union _Entity = User
type _Service { sdl: String! }
extend type Query {
  _service: _Service!
  _entities(representations: [_Any!]!): [_Entity]!
}
`);

const lastSearches = new Map([['u1', 'federation']]);

const root = {
  search: ({ text }) => [{ title: `About ${text}`, score: 1 }],
  _service: () => ({ sdl }),
  _entities: ({ representations }) => representations.map((r) =>
    r.__typename === 'User' ? { __typename: 'User', id: r.id, lastSearch: lastSearches.get(r.id) ?? null } : null),
};

// Like every module, it answers only the router when a secret is set.
const secret = process.env.ERGO_ROUTER_SECRET ?? '';

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/query') {
    res.writeHead(404).end();
    return;
  }
  if (secret !== '' && req.headers['x-ergo-router-secret'] !== secret) {
    res.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify(
      { errors: [{ message: 'subgraphs answer only the router', extensions: { code: 'FORBIDDEN' } }] }));
    return;
  }
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', async () => {
    let result;
    try {
      const { query, variables } = JSON.parse(body);
      result = await graphql({ schema, source: query, rootValue: root, variableValues: variables });
    } catch (err) {
      result = { errors: [{ message: 'bad request', extensions: { code: 'INVALID_ARGUMENT' } }] };
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write(`listening on 127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
