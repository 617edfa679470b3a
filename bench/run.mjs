// Runs every benchmark and prints JSON lines. Each TypeScript bench is bundled with esbuild
// and run in its own Node process (with --expose-gc for memory figures).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv[2];
// Inside the project so the bundles resolve node_modules like the sources do.
const dir = join(process.cwd(), 'node_modules', '.cache', 'hopscope-bench');
mkdirSync(dir, { recursive: true });
const entries = readdirSync('bench').filter((f) => f.endsWith('-bench.ts') && (!only || f.includes(only)));
for (const f of entries) {
  const out = join(dir, f.replace(/\.ts$/, '.mjs'));
  await build({ entryPoints: [join('bench', f)], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
  const r = spawnSync(process.execPath, ['--expose-gc', out], { stdio: ['ignore', 'inherit', 'inherit'], cwd: process.cwd() });
  if (r.status !== 0) process.exitCode = 1;
}
