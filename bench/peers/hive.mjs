// Serves the supergraph at $SUPERGRAPH with The Guild's Hive Gateway on 127.0.0.1:$PORT,
// GraphQL at /graphql. Deduplication of identical in-flight subgraph requests is turned off
// (it is on by default), so that every client request does its own subgraph calls as it does
// in the other routers of the benchmark.
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';

const port = Number(process.env.PORT ?? 4300);
const gateway = createGatewayRuntime({
  supergraph: process.env.SUPERGRAPH,
  graphqlEndpoint: '/graphql',
  landingPage: false,
  graphiql: false,
  logging: 'error',
  transportEntries: {
    '*.http': { options: { deduplicateInflightRequests: false } },
  },
});

const server = createServer(gateway);
server.listen(port, '127.0.0.1', () => console.log(`hive gateway on 127.0.0.1:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
