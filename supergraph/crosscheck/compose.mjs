// compose.mjs composes subgraphs with @theguild/federation-composition, an independent
// implementation used to cross-check ours.
//
// Input (stdin): {"<case>": [{"name": "...", "url": "...", "sdl": "..."}, ...], ...}
// Output (stdout): {"<case>": result, ...} where result is {"supergraph": "<SDL>"} on
// success and {"errors": [{"code": "...", "message": "..."}]} on failure.
// One process composes every case: starting node once per case would dominate the run.
import { parse } from "graphql";
import { composeServices } from "@theguild/federation-composition";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function compose(subgraphs) {
  const services = [];
  const errors = [];
  for (const s of subgraphs) {
    try {
      services.push({ name: s.name, url: s.url, typeDefs: parse(s.sdl) });
    } catch (err) {
      errors.push({ code: "INVALID_GRAPHQL", message: `[${s.name}] ${err.message}` });
    }
  }
  if (errors.length > 0) return { errors };

  const result = composeServices(services);
  if (result.errors) {
    return {
      errors: result.errors.map((e) => ({
        code: e.extensions?.code ?? "UNKNOWN",
        message: e.message,
      })),
    };
  }
  return { supergraph: result.supergraphSdl };
}

const cases = JSON.parse(await readStdin());
const results = {};
for (const [name, subgraphs] of Object.entries(cases)) {
  results[name] = compose(subgraphs);
}
process.stdout.write(JSON.stringify(results) + "\n");
