// Bundles the CLI (src/cli/main.ts and the core it imports) into dist-cli/hopscope.mjs,
// which bin/hopscope.mjs runs. Dependencies stay external: they are in node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist-cli/hopscope.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
