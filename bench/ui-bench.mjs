// UI benchmarks (ANCHORS §3.4 and "Proposed benchmarks" B4/B5/B6); prints JSON lines.
//   B6  initial JS (gzip) before Monaco, first canvas paint
//   B5  keystroke → updated canvas latency on the largest built-in example (performance marks
//       in app code: hs:edit:N when an edit arrives, hs:canvas:N when its compile is on screen)
//   B4  frames with 50 packets in flight on a 10-node, 100-pod canvas, interleaved (A B A B …)
//       in the same browser process with a bare React Flow page holding as many nodes and edges
//       and no packets; gate on the main-thread busy ratio (task wall time). Beside it, the
//       main thread's CPU time ratio: on a loaded machine, wall time also counts the main thread
//       waiting for a core while the compositor draws the moving packets, and CPU time does not.
//       Packets in flight are read from the fan-out layer's data-inflight (the packets are
//       painted on a canvas by a worker). The canvas mounts only what is on screen; the bare
//       page holds as many nodes and edges as the whole picture (data-nodes, data-edges).
//   B4p one flow playing (the first-visit view) on a 10-node, 150-pod, 3-Service canvas: about
//       200 edges on screen, 179 of them dashed (each Service to each endpoint, the tunnels).
//       It guards 511e31f (`.react-flow__nodes { will-change: transform }`): without it, each
//       hop's repaint (the device highlight, the ring) shared a layer with the edges and
//       re-rasterised every dash under it; the cost is in raster, not on the main thread, so it
//       shows in frame times. `BENCH_ONLY=B4p` runs it alone (about a minute). Loaded through a share
//       link; the app autoplays the cross-node flow to Service web, and each rep replays it from
//       hop 0 without moving the view, samples 4 s, then runs the bare React Flow page for 4 s
//       with as many nodes and edges as ours mounted (dashed as many), fitted on screen, one div
//       packet moved by a transform animation and a highlight moved node to node at the hop
//       cadence ours just showed. Interleaved A B A B; medians over reps, ratios paired by rep.
//       Gate: p95 frame ≤ 16.8 ms (ANCHORS B4), judged only when the bare page meets it in the
//       same run (else the box is too loaded to tell); the busy ratio (≤ 1.3× bare) is printed
//       beside it but cannot see this regression (1.44–1.74 with the rule, 1.20–2.69 without:
//       noise). On the shared 2-core box at load 11–16: with the rule (4 runs) 54–57 fps, p95
//       16.8 ms; with it removed (3 runs, not committed) 13–21 fps, p95 133–900 ms; the bare
//       page 55–59 fps, p95 16.8 ms in every run. With the regression ours' hops also come slower
//       (3 a window instead of 8), and the bare page follows that cadence.
// Runs a production build under `vite preview` with the system Chromium (playwright-core).
import { spawn, execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, copyFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const PORT = Number(process.env.BENCH_PORT ?? 4174); // BENCH_PORT: two checkouts benchmarking at once must not share a server
const REPS = Number(process.env.BENCH_REPS ?? 5);
const root = new URL('..', import.meta.url).pathname;
const print = (o) => console.log(JSON.stringify(o));
const q = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const median = (a) => q(a, 0.5);
const r1 = (x) => Math.round(x * 10) / 10;
/** A ratio to three decimals (dividing a rounded percentage by 100 printed 1.0070000000000001). */
const r3 = (x) => Math.round(x * 1000) / 1000;

execSync('npx vite build', { cwd: root, stdio: 'ignore' });

// ---- B6: initial JS, the entry script plus its modulepreloads as index.html names them.
const html = readFileSync(join(root, 'dist/index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (f) => gzipSync(readFileSync(join(root, 'dist', f)), { level: 9 }).length;
print({ metric: 'initial_js_gzip_kib', value: r1(initial.reduce((s, f) => s + gz(f), 0) / 1024), files: initial, target: 350 });

// ---- The bare React Flow page (B4 baseline), bundled once.
const bare = mkdtempSync(join(tmpdir(), 'hs-rf-bare-'));
await build({ entryPoints: [join(root, 'bench/rf-bare/app.mjs')], bundle: true, minify: true, format: 'iife', outfile: join(bare, 'app.js'), define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent' });
copyFileSync(join(root, 'node_modules/@xyflow/react/dist/style.css'), join(bare, 'app.css'));
const bareUrlBase = `file://${bare}/index.html`;
writeFileSync(join(bare, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="app.css"><style>html,body,#root{margin:0;height:100%}</style></head><body><div id="root"></div><script src="app.js"></script></body></html>');

const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { cwd: root, stdio: 'ignore', detached: true });
const stop = () => {
  try {
    process.kill(-server.pid);
  } catch {
    /* already gone */
  }
};
process.on('exit', stop);
for (let i = 0; i < 50; i++) {
  try {
    await fetch(`http://localhost:${PORT}/`);
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 200));
  }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
const APP = `http://localhost:${PORT}/`;

async function openApp() {
  const page = await context.newPage();
  await page.addInitScript(() => {
    localStorage.clear();
    window.__keys = [];
    window.addEventListener('keydown', (e) => window.__keys.push(e.timeStamp), true);
    new MutationObserver((_, obs) => {
      if (document.querySelector('.react-flow__node')) {
        window.__firstCanvas = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(APP);
  await page.waitForFunction(() => window.__firstCanvas !== undefined, null, { timeout: 20_000 });
  return page;
}

/** Replaces the scenario through the editor, as a paste, and waits for its compile and Traffic run. */
async function loadScenario(page, text, wantPaths) {
  await page.locator('.monaco-editor').waitFor({ timeout: 20_000 });
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await page.waitForFunction(
    () => {
      const last = Math.max(0, ...performance.getEntriesByType('mark').filter((m) => m.name.startsWith('hs:edit:')).map((m) => Number(m.name.slice(8))));
      return last > 0 && window.__hopscope.counts().appliedEdit === last;
    },
    null,
    { timeout: 60_000 },
  );
  await page.waitForFunction((n) => (window.__hopscope?.counts().paths ?? 0) >= n && !window.__hopscope.counts().compiling, wantPaths, { timeout: 60_000 });
  await page.waitForTimeout(2500); // the Traffic run (after typing pauses) has finished
}

async function sampleFrames(page, cdp, ms = 5000) {
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const m0 = await metrics();
  const frames = await page.evaluate(
    (win) =>
      new Promise((resolve) => {
        const out = [];
        let last = performance.now();
        const end = last + win;
        const tick = (t) => {
          out.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(tick);
          else resolve(out);
        };
        requestAnimationFrame(tick);
        setTimeout(() => resolve(out), win + 3000); // some headless setups never tick rAF
      }),
    ms,
  );
  const m1 = await metrics();
  const wall = m1.Timestamp - m0.Timestamp;
  return { p50: q(frames, 0.5), p95: q(frames, 0.95), over25: frames.filter((f) => f > 25).length / Math.max(1, frames.length), fps: frames.length / (ms / 1000), busy: (m1.TaskDuration - m0.TaskDuration) / wall, cpu: (m1.ThreadTime - m0.ThreadTime) / wall, dom: m1.Nodes };
}

const only = process.env.BENCH_ONLY; // e.g. BENCH_ONLY=B4 to run one part
try {
  if (!only || only === 'B6') {
  // ---- B6: first canvas paint (3 loads), and a single flow playing (the first-visit view).
  const paints = [];
  const loaded = [];
  const single = [];
  for (let run = 0; run < 3; run++) {
    const page = await openApp();
    paints.push(await page.evaluate(() => window.__firstCanvas));
    loaded.push(await page.evaluate(() => performance.getEntriesByName('hs:loaded:0')[0]?.startTime ?? NaN));
    await page.waitForSelector('[data-testid="packet"]');
    await page.waitForTimeout(1000);
    await page.getByRole('button', { name: 'Play', exact: true }).click().catch(() => {});
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const f = await sampleFrames(page, cdp, 3000);
    single.push(f.p95);
    await page.close();
  }
  print({ metric: 'first_canvas_paint_ms', median: Math.round(median(paints)), runs: paints.map(Math.round), first_compile_answered_ms: Math.round(median(loaded)), target: 1500 });
  print({ metric: 'frame_p95_ms_single_flow_playing', median: r1(median(single)), runs: single.map(r1), target: 16.7 });

  }
  // ---- B5: keystroke → canvas on the largest built-in example.
  const candidates = [join(root, 'src/ui/default-scenario.yaml')];
  const lessons = join(root, 'src/lessons');
  if (existsSync(lessons)) for (const d of readdirSync(lessons)) if (existsSync(join(lessons, d, 'scenario.yaml'))) candidates.push(join(lessons, d, 'scenario.yaml'));
  const largest = candidates.map((f) => ({ f, text: readFileSync(f, 'utf8') })).sort((a, b) => b.text.length - a.text.length)[0];
  if (!only || only === 'B5') {
    const page = await openApp();
    // A pod named last in the file: every letter typed renames it, so every keystroke changes the canvas.
    const text = `${largest.text.trimEnd()}\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: c, image: busybox}]\nmetadata:\n  name: typed`;
    await loadScenario(page, text, 0);
    await page.keyboard.press('Control+End');
    const base = await page.evaluate(() => Math.max(0, ...performance.getEntriesByType('mark').filter((m) => m.name.startsWith('hs:edit:')).map((m) => Number(m.name.slice(8)))));
    const k0 = await page.evaluate(() => window.__keys.length);
    const KEYS = 40;
    for (let k = 0; k < KEYS; k++) {
      await page.keyboard.press(String.fromCharCode(97 + (k % 26)));
      await page.waitForTimeout(120);
    }
    await page.waitForTimeout(1500);
    const lat = await page.evaluate(
      ({ base, k0, n }) => {
        const canvas = performance
          .getEntriesByType('mark')
          .filter((m) => m.name.startsWith('hs:canvas:'))
          .map((m) => ({ seq: Number(m.name.slice(10)), t: m.startTime }));
        const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
        const out = [];
        const worker = [];
        const main = [];
        for (let k = 0; k < n; k++) {
          const first = canvas.filter((c) => c.seq >= base + k + 1).sort((a, b) => a.seq - b.seq)[0];
          out.push(first ? first.t - window.__keys[k0 + k] : NaN);
          const seq = base + k + 1;
          if (at(`hs:loaded:${seq}`) !== undefined && at(`hs:canvas:${seq}`) !== undefined) {
            worker.push(at(`hs:loaded:${seq}`) - at(`hs:edit:${seq}`));
            main.push(at(`hs:canvas:${seq}`) - at(`hs:loaded:${seq}`));
          }
        }
        const compile = [];
        for (let k = 0; k < n; k++) {
          const d = performance.getEntriesByName(`hs:loaded:${base + k + 1}`)[0]?.detail;
          if (d && Number.isFinite(d.compileMs)) compile.push(d.compileMs);
        }
        const t0 = window.__keys[k0];
        const traffic = performance.getEntriesByName('hs:traffic:start').filter((m) => m.startTime >= t0).length;
        return { out, worker, main, compile, traffic, compileMs: window.__hopscope.counts().compileMs };
      },
      { base, k0, n: KEYS },
    );
    const ok = lat.out.filter((x) => Number.isFinite(x));
    print({ metric: 'keystroke_to_canvas_ms', example: largest.f.replace(root, ''), bytes: largest.text.length, keystrokes: KEYS, interval_ms: 120, p50: r1(q(ok, 0.5)), p95: r1(q(ok, 0.95)), max: r1(Math.max(...ok)), missing: KEYS - ok.length, target_p95: 100, split_of_unsuperseded_edits: { n: lat.worker.length, edit_to_worker_answer_p50: r1(q(lat.worker, 0.5)), edit_to_worker_answer_p95: r1(q(lat.worker, 0.95)), answer_to_canvas_p50: r1(q(lat.main, 0.5)), answer_to_canvas_p95: r1(q(lat.main, 0.95)), last_compile_ms_in_worker: r1(lat.compileMs), compile_ms_in_worker_p50: r1(q(lat.compile, 0.5)), compile_ms_in_worker_p95: r1(q(lat.compile, 0.95)), traffic_runs_while_typing: lat.traffic } });
    await page.close();
  }

  // ---- B4: 50 packets in flight on a 10-node, 100-pod canvas vs a bare React Flow page.
  if (!only || only === 'B4') {
  const big = [
    'apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: bench}\nspec: {seed: 1, nodes: 10, cni: {plugin: flannel, backend: vxlan}}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec: {nodeName: node-1, containers: [{name: curl, image: curl}]}',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 99\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: http, image: web, ports: [{name: http, containerPort: 8080}]}]}',
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}',
    'apiVersion: hopscope/v1alpha1\nkind: Traffic\nmetadata: {name: lb}\nspec:\n  requests:\n    - {from: pod/client, to: "http://web", count: 50}',
  ].join('\n---\n');
  const ours = await openApp();
  await loadScenario(ours, big, 50);
  await ours.evaluate(() => document.activeElement?.blur()); // no blinking editor cursor in the sample
  await ours.waitForFunction(() => window.__hopscope.counts().netns >= 110, null, { timeout: 60_000 });
  const oursCdp = await context.newCDPSession(ours);
  await oursCdp.send('Performance.enable');
  // The picture's size from the canvas (data-nodes …), not from the DOM: it mounts only the nodes
  // and edges on screen, and the bare page must hold as many as the picture has.
  const counts = await ours.evaluate(() => {
    const rf = document.querySelector('.react-flow');
    return { nodes: Number(rf.dataset.nodes), edges: Number(rf.dataset.edges), pods: Number(rf.dataset.pods), mounted_nodes: document.querySelectorAll('.react-flow__node').length, mounted_edges: document.querySelectorAll('.react-flow__edge').length };
  });
  const bareUrl = `${bareUrlBase}?n=${counts.nodes}&e=${counts.edges}`;
  const rows = { ours: [], oursIdle: [], bare: [] };
  for (let rep = 0; rep < REPS; rep++) {
    await ours.bringToFront();
    await ours.evaluate(() => window.__hopscope.fanout(50, true));
    await ours.waitForTimeout(4000); // all 50 launched (3 s window) and in flight
    const inflight = await ours.evaluate(() => Number(document.querySelector('[data-testid="fanout"]')?.dataset.inflight ?? 0));
    rows.ours.push({ ...(await sampleFrames(ours, oursCdp)), inflight });
    await ours.evaluate(() => window.__hopscope.stop());
    await ours.waitForTimeout(1000);
    rows.oursIdle.push(await sampleFrames(ours, oursCdp));

    const page = await context.newPage();
    await page.goto(bareUrl);
    await page.waitForFunction(() => window.__mountedAt, null, { timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.waitForTimeout(1000);
    rows.bare.push(await sampleFrames(page, cdp));
    await page.close();
  }
  const sum = (rs) => ({ p50_ms: r1(median(rs.map((r) => r.p50))), p95_ms: r1(median(rs.map((r) => r.p95))), fps: r1(median(rs.map((r) => r.fps))), frames_over_25ms_pct: r1(100 * median(rs.map((r) => r.over25))), busy_pct: r1(100 * median(rs.map((r) => r.busy))), cpu_pct: r1(100 * median(rs.map((r) => r.cpu))), dom_nodes: median(rs.map((r) => r.dom)) });
  const o = sum(rows.ours);
  const b = sum(rows.bare);
  const ratio = (x, y) => r1((100 * x) / Math.max(0.1, y)) / 100;
  print({ metric: 'canvas_frames_50_packets', canvas: counts, packets_in_flight: median(rows.ours.map((r) => r.inflight)), reps: REPS, ours: o, ours_idle: sum(rows.oursIdle), bare_react_flow: b, busy_ratio_vs_bare: r3(median(rows.ours.map((r, k) => r.busy / Math.max(0.001, rows.bare[k].busy)))), p95_ratio_vs_bare: ratio(o.p95_ms, b.p95_ms), cpu_ratio_vs_bare: r3(median(rows.ours.map((r, k) => r.cpu / Math.max(0.001, rows.bare[k].cpu)))), target: { p95_ms: 16.7, busy_ratio: 1.3 } });
  await ours.close();
  }

  // ---- B4p: one cross-node flow to a Service playing on a 10-node, 150-pod, 3-Service canvas.
  if (!only || only === 'B4p') {
    const started = Date.now();
    const deployment = (name, replicas) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: http, image: web, ports: [{name: http, containerPort: 8080}]}]}`;
    const service = (name) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {selector: {app: ${name}}, ports: [{port: 80, targetPort: http}]}`;
    // Seed 2: the engine's pick of web's endpoint for this request sits on another node (seed 1's
    // does not), so the flow crosses the VXLAN tunnel; checked below from the hop list.
    const text = [
      'apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: bench}\nspec: {seed: 2, nodes: 10, cni: {plugin: flannel, backend: vxlan}}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec: {nodeName: node-1, containers: [{name: curl, image: curl}]}',
      deployment('web', 50),
      service('web'),
      deployment('api', 50),
      service('api'),
      deployment('db', 49),
      service('db'),
      'apiVersion: hopscope/v1alpha1\nkind: Traffic\nmetadata: {name: play}\nspec:\n  requests:\n    - {from: pod/client, to: "http://web"}',
    ].join('\n---\n');
    // The share link's encoding (src/ui/share/codec.ts, version 1): base64url of raw deflate.
    const hash = `#s=1.${deflateRawSync(Buffer.from(text), { level: 9 }).toString('base64url')}`;
    const ours = await context.newPage();
    await ours.addInitScript(() => localStorage.clear());
    await ours.goto(APP + hash);
    // The app opens the link and autoplays its first delivered, tunnelled, DNAT'd flow.
    await ours.waitForFunction(() => document.querySelector('.react-flow__node') && (window.__hopscope?.counts().flows ?? 0) >= 2 && !window.__hopscope.counts().compiling, null, { timeout: 60_000 });
    // Controls driven through the DOM: with the regression a frame can take a second, and
    // Playwright's click waits for stable frames (it timed out at 30 s at load 16).
    const press = async (label) => {
      await ours.waitForFunction((l) => document.querySelector(`.hs-playback button[aria-label="${l}"]:not(:disabled)`), label, { polling: 100, timeout: 20_000 });
      await ours.evaluate((l) => document.querySelector(`.hs-playback button[aria-label="${l}"]`).click(), label);
    };
    const chooseFlow = (v) =>
      ours.evaluate((value) => {
        const sel = document.querySelector('select[aria-label="Flow"]');
        sel.value = value;
        sel.dispatchEvent(new Event('change', { bubbles: true }));
      }, v);
    await press('Pause');
    const flow = await ours.evaluate(() => {
      const sel = document.querySelector('select[aria-label="Flow"]');
      const stages = [...document.querySelectorAll('.hs-hop .hs-hop-stage')].map((e) => e.textContent);
      return { index: Number(sel.value), label: sel.selectedOptions[0]?.textContent, hops: stages.length, encap_hops: stages.filter((s) => s === 'encap').length, dnat: [...document.querySelectorAll('.hs-hop')].some((e) => /DNAT/.test(e.textContent)) };
    });
    if (!/→ http:\/\/web \(delivered\)$/.test(flow.label ?? '') || flow.encap_hops === 0 || !flow.dnat) throw new Error(`B4p: the playing flow is not the cross-node flow to Service web: ${JSON.stringify(flow)}`);
    const other = flow.index === 0 ? '1' : '0';
    await ours.waitForTimeout(1500); // the Traffic run after the compile has finished
    await ours.evaluate(() => document.activeElement?.blur());
    const oursCdp = await context.newCDPSession(ours);
    await oursCdp.send('Performance.enable');
    // What the canvas draws: it mounts only the nodes and edges on screen, so the bare page holds
    // as many (fitted on screen), with as many of them dashed.
    const counts = await ours.evaluate(() => {
      const rf = document.querySelector('.react-flow');
      const e = document.querySelectorAll('.react-flow__edge');
      return { picture_nodes: Number(rf.dataset.nodes), picture_edges: Number(rf.dataset.edges), pods: Number(rf.dataset.pods), nodes: document.querySelectorAll('.react-flow__node').length, edges: e.length, dashed: [...e].filter((x) => getComputedStyle(x.querySelector('path')).strokeDasharray !== 'none').length };
    });
    const barePage = await context.newPage();
    await barePage.goto(`${bareUrlBase}?n=${counts.nodes}&e=${counts.edges}&d=${counts.dashed}&fit=1&packet=1`);
    await barePage.waitForFunction(() => window.__mountedAt && window.__bare, null, { timeout: 60_000 });
    const bareCdp = await context.newCDPSession(barePage);
    await bareCdp.send('Performance.enable');
    // 4 s a page a rep keeps the case near a minute at BENCH_REPS=5 (a flow's 44 hops last ~22 s).
    const WINDOW = 4000;
    const hopAt = () => ours.evaluate(() => Number(document.querySelector('.hs-hopcount').textContent.split('/')[0]) - 1);
    const rows = { ours: [], bare: [] };
    for (let rep = 0; rep < REPS; rep++) {
      // Ours: back to hop 0 without moving the view (selecting a flow does not recentre; the hop
      // scrubber does), then Play.
      await ours.bringToFront();
      await chooseFlow(other);
      await chooseFlow(String(flow.index));
      await press('Play');
      await ours.evaluate(() => document.activeElement?.blur());
      await ours.waitForTimeout(300);
      const h0 = await hopAt();
      const f = await sampleFrames(ours, oursCdp, WINDOW);
      const hops = (await hopAt()) - h0;
      await ours.evaluate(() => document.querySelector('.hs-playback button[aria-label="Pause"]:not(:disabled)')?.click()); // unless the flow has ended
      const hopMs = Math.round(WINDOW / Math.max(1, hops));
      rows.ours.push({ ...f, h0, hops, hopMs });

      // Bare: the packet and highlight at the cadence ours just had.
      await barePage.bringToFront();
      await barePage.evaluate((ms) => window.__bare.play(ms), hopMs);
      await barePage.waitForTimeout(300);
      rows.bare.push(await sampleFrames(barePage, bareCdp, WINDOW));
      await barePage.evaluate(() => window.__bare.stop());
    }
    const sum = (rs) => ({ fps: r1(median(rs.map((r) => r.fps))), p50_ms: r1(median(rs.map((r) => r.p50))), p95_ms: r1(median(rs.map((r) => r.p95))), p95_runs_ms: rs.map((r) => r1(r.p95)), frames_over_25ms_pct: r1(100 * median(rs.map((r) => r.over25))), busy_pct: r1(100 * median(rs.map((r) => r.busy))), cpu_pct: r1(100 * median(rs.map((r) => r.cpu))), dom_nodes: median(rs.map((r) => r.dom)) });
    const o = sum(rows.ours);
    const b = sum(rows.bare);
    const pairs = (k) => r3(median(rows.ours.map((r, i) => r[k] / Math.max(0.001, rows.bare[i][k]))));
    const busyRatio = pairs('busy');
    print({
      metric: 'canvas_frames_flow_playing',
      scenario: { nodes: 10, pods: counts.pods, services: 3 },
      canvas: counts,
      flow: { label: flow.label, hops: flow.hops, encap_hops: flow.encap_hops, first_hop_sampled: rows.ours.map((r) => r.h0), hops_per_sample: median(rows.ours.map((r) => r.hops)), hop_ms: median(rows.ours.map((r) => r.hopMs)) },
      reps: REPS,
      ours: o,
      bare_react_flow: b,
      p95_ratio_vs_bare: pairs('p95'),
      busy_ratio_vs_bare: busyRatio,
      cpu_ratio_vs_bare: pairs('cpu'),
      target: { p95_ms: 16.8, busy_ratio: 1.3, gate: 'p95_ms' },
      meets_target: { p95: o.p95_ms <= 16.8, p95_judgeable: b.p95_ms <= 16.8, busy: busyRatio <= 1.3 },
      loadavg: loadavg().map(r1),
      seconds: Math.round((Date.now() - started) / 1000),
    });
    await barePage.close();
    await ours.close();
  }
} finally {
  await browser.close();
  stop();
}
