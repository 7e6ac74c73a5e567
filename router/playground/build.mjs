// Builds dist/: one JS and one CSS file with GraphiQL and our entry, plus the licenses of every
// npm package that ends up in them. The router embeds dist/ with go:embed.
import { build } from 'esbuild';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const result = await build({
  entryPoints: ['src/main.jsx'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  outfile: 'dist/playground.js',
  metafile: true,
  logLevel: 'info',
});

// Collect the packages whose code is in the bundle, by their node_modules directory.
const packages = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const input of Object.keys(output.inputs)) {
    const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) packages.add(m[1]);
  }
}

// Write each package's name, version, license and license text, sorted by name so that the
// file only changes when the bundle's contents change.
const sections = [...packages].sort().map((name) => {
  const dir = join('node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : '(no license file shipped)';
  return `${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n`;
});
const header = 'Third-party software bundled in playground.js and playground.css.\n';
writeFileSync('dist/LICENSES.txt', [header, ...sections].join('\n' + '-'.repeat(72) + '\n\n'));
