// Serves the supergraph at $SUPERGRAPH with Apollo Gateway inside Apollo Server on
// 127.0.0.1:$PORT, GraphQL at /graphql. Neither package deduplicates requests, inbound or to
// subgraphs, so there is nothing to turn off.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const port = Number(process.env.PORT ?? 4300);
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH, 'utf8'),
});
const server = new ApolloServer({ gateway, introspection: false });

const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port } });
console.log(`apollo gateway on ${url}`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.stop().then(() => process.exit(0)));
}
