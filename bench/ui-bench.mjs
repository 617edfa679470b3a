// UI benchmark (ANCHORS §3.4, B4/B6): prints JSON lines.
//   initial JS gzip before Monaco, first canvas paint, frame time p95 with a packet animating.
// Runs a production build under `vite preview` with the system Chromium (playwright-core).
import { spawn, execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const PORT = 4174;
const root = new URL('..', import.meta.url).pathname;
const print = (o) => console.log(JSON.stringify(o));

execSync('npx vite build', { cwd: root, stdio: 'ignore' });

// Initial JS: the entry script plus its modulepreloads, as index.html names them.
const html = readFileSync(join(root, 'dist/index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (f) => gzipSync(readFileSync(join(root, 'dist', f)), { level: 9 }).length;
print({ metric: 'initial_js_gzip_kib', value: +(initial.reduce((s, f) => s + gz(f), 0) / 1024).toFixed(1), files: initial, target: 350 });

const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { cwd: root, stdio: 'ignore', detached: true });
const stop = () => { try { process.kill(-server.pid); } catch { /* already gone */ } };
process.on('exit', stop);
for (let i = 0; i < 50; i++) {
  try { await fetch(`http://localhost:${PORT}/`); break; } catch { await new Promise((r) => setTimeout(r, 200)); }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const paints = [];
  const frames = [];
  for (let run = 0; run < 3; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector('.react-flow__node')) { window.__firstCanvas = performance.now(); obs.disconnect(); }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`http://localhost:${PORT}/`);
    await page.waitForFunction(() => window.__firstCanvas !== undefined, null, { timeout: 20_000 });
    paints.push(await page.evaluate(() => window.__firstCanvas));
    await page.waitForSelector('[data-testid="packet"]');
    await page.waitForTimeout(1000);
    // Restart the flow so the packet is moving for the whole window.
    await page.getByRole('button', { name: 'Play', exact: true }).click().catch(() => {});
    const sample = await page.evaluate(() => new Promise((resolve) => {
      const out = []; let last = performance.now(); const end = last + 5000;
      const tick = (t) => { out.push(t - last); last = t; if (t < end) requestAnimationFrame(tick); else resolve(out); };
      requestAnimationFrame(tick);
      setTimeout(() => resolve(out), 8000);
    }));
    frames.push(...sample);
    await page.close();
  }
  paints.sort((a, b) => a - b);
  frames.sort((a, b) => a - b);
  const q = (a, p) => a[Math.min(a.length - 1, Math.floor(p * a.length))];
  print({ metric: 'first_canvas_paint_ms', median: +q(paints, 0.5).toFixed(0), runs: paints.map((x) => +x.toFixed(0)), target: 1500 });
  print({ metric: 'frame_ms_packet_animating', p50: +q(frames, 0.5).toFixed(1), p95: +q(frames, 0.95).toFixed(1), over25ms: +(frames.filter((f) => f > 25).length / frames.length).toFixed(3), frames: frames.length, target_p95: 16.7 });
} finally {
  await browser.close();
  stop();
}
