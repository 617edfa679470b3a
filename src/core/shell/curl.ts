/**
 * `curl [-v] [-s] [-S] [-I] [-i] [-H 'Host: H'] [-o FILE] [-m S] [--connect-timeout S] URL`: resolves
 * the host as the pod's resolver does, walks the TCP exchange, and prints what curl 7.88 prints:
 * the response body of the simulated server ("Hello from POD"; through an ingress-nginx pod, the
 * backend its rules pick for the Host header and path, or nginx's 404/502/503 page), or curl's
 * error text and exit code
 * (fixtures/tool-output/curl-errors.txt): 6 for an unresolvable host, 7 for a refused or
 * unroutable connection, 28 when nothing answers.
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { Flow } from '../trace/types';
import type { Target } from '../simulate/refs';
import { resolveName } from './resolver';
import { ingressLeg } from '../simulate/request';
import { runFlow } from './flows';
import { err } from './output';
import curlHelp from './curl-help.json';

// curl's own help text lives in JSON: it is the real tool's wording, data rather than code.
const HELP = curlHelp.text;

interface CurlArgs {
  url: string;
  verbose: boolean;
  silent: boolean;
  showError: boolean;
  head: boolean;
  /** -i: the response headers go to stdout before the body. */
  include: boolean;
  /** The Host header given with -H, without a port. */
  host?: string;
  output?: string;
  timeout?: number;
}

const WITH_VALUE = ['-o', '--output', '-m', '--max-time', '--connect-timeout', '-H', '--header', '-X', '--request', '-w', '--write-out', '-A', '--user-agent'];

function parseArgs(args: string[]): CurlArgs | ShellResult {
  const a: CurlArgs = { url: '', verbose: false, silent: false, showError: false, head: false, include: false };
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (WITH_VALUE.includes(w)) {
      const v = args[++i];
      if (v === undefined) return err(`curl: option ${w}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information`, 2);
      if (w === '-o' || w === '--output') a.output = v;
      if ((w === '-H' || w === '--header') && /^host\s*:/i.test(v)) a.host = v.replace(/^host\s*:\s*/i, '').replace(/:\d+$/, '').trim();
      if (w === '-m' || w === '--max-time' || w === '--connect-timeout') a.timeout = Number(v);
    } else if (/^-[vsSIikLf]+$/.test(w)) {
      for (const c of w.slice(1)) {
        if (c === 'v') a.verbose = true;
        if (c === 's') a.silent = true;
        if (c === 'S') a.showError = true;
        if (c === 'I') a.head = true;
        if (c === 'i') a.include = true;
      }
    } else if (['--verbose', '--silent', '--head', '--include', '--show-error', '--insecure', '--location', '--fail'].includes(w)) {
      if (w === '--verbose') a.verbose = true;
      if (w === '--include') a.include = true;
      if (w === '--silent') a.silent = true;
      if (w === '--head') a.head = true;
      if (w === '--show-error') a.showError = true;
    } else if (w.startsWith('-')) return err(`curl: option ${w}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information`, 2);
    else a.url = w;
  }
  if (!a.url) return err("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information", 2);
  return a;
}

interface Url {
  scheme: string;
  host: string;
  port: number;
  path: string;
}

function parseUrl(url: string): Url | undefined {
  const m = /^(?:([a-z]+):\/\/)?([^/:?#]+)(?::(\d+))?([^?#]*)/i.exec(url);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  const port = m[3] !== undefined ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  return { scheme, host: m[2]!, port, path: m[4] || '/' };
}

function body(ctx: ShellContext, flow: Flow): string {
  const who = flow.endpoint ?? 'server';
  const pod = ctx.model.pods.find((p) => `${p.namespace}/${p.name}` === who);
  return `Hello from ${pod ? pod.name : who.replace(/^external\//, '')}\n`;
}

function failure(a: CurlArgs, u: Url, ip: string, flow: Flow): ShellResult {
  const reason = flow.reason ?? '';
  const atSource = flow.hops.every((h) => h.netns === flow.hops[0]?.netns);
  const refused = /refused|reject|port-unreachable|no-endpoints/.test(reason) || (reason === 'no-route' && atSource);
  // A router's blackhole route drops without an ICMP error (ip_error: -EINVAL): connect times out.
  const last = flow.hops[flow.hops.length - 1];
  const blackholed = reason === 'no-route' && last?.rule?.kind === 'route' && last.rule.text.startsWith('blackhole');
  const hostUnreach = /arp-failed|no-route|unreachable/.test(reason) && !refused && !blackholed;
  let text: string;
  if (refused) text = `curl: (7) Failed to connect to ${u.host} port ${u.port} after 0 ms: Couldn't connect to server`;
  else if (hostUnreach) text = `curl: (7) Failed to connect to ${u.host} port ${u.port} after 3067 ms: Couldn't connect to server`;
  else if (a.timeout !== undefined) text = `curl: (28) Failed to connect to ${u.host} port ${u.port} after ${Math.round(a.timeout * 1000) + 1} ms: Timeout was reached`;
  else text = `curl: (28) Failed to connect to ${u.host} port ${u.port} after 130041 ms: Couldn't connect to server`;
  const verbose = a.verbose ? `*   Trying ${ip}:${u.port}...\n` : '';
  const shown = !a.silent || a.showError ? `${text}\n` : '';
  return { stdout: '', stderr: verbose + shown, exitCode: refused || hostUnreach ? 7 : 28 };
}

function success(ctx: ShellContext, a: CurlArgs, u: Url, ip: string, flow: Flow): ShellResult {
  return respond(a, u, ip, '200 OK', 'text/plain', body(ctx, flow));
}

/**
 * What curl prints for an HTTP answer: the body (or the headers with -I, both with -i, nothing
 * with -o), and with -v the connection and both sides' headers on stderr.
 */
function respond(a: CurlArgs, u: Url, ip: string, status: string, contentType: string, text: string): ShellResult {
  const headers = `HTTP/1.1 ${status}\r\nContent-Type: ${contentType}\r\nContent-Length: ${text.length}\r\n\r\n`;
  let stderr = '';
  if (a.verbose) {
    stderr += `*   Trying ${ip}:${u.port}...\n* Connected to ${u.host} (${ip}) port ${u.port} (#0)\n`;
    stderr += `> ${a.head ? 'HEAD' : 'GET'} ${u.path} HTTP/1.1\n> Host: ${a.host ?? `${u.host}${u.port === 80 ? '' : `:${u.port}`}`}\n> User-Agent: curl/7.88.1\n> Accept: */*\n> \n`;
    stderr += headers.split('\r\n').slice(0, -1).map((l) => `< ${l}\n`).join('');
    stderr += `* Connection #0 to host ${u.host} left intact\n`;
  }
  const stdout = a.head ? headers : a.output ? '' : a.include ? headers + text : text;
  return { stdout, stderr, exitCode: 0 };
}

function runCurl(ctx: ShellContext, args: string[]): ShellResult {
  const a = parseArgs(args);
  if ('exitCode' in a) return a;
  const u = parseUrl(a.url);
  if (!u) return err(`curl: (3) URL using bad/illegal format or missing URL`, 3);
  if (!['http', 'https'].includes(u.scheme)) return err(`curl: (1) Protocol "${u.scheme}" not supported or disabled in libcurl`, 1);
  const flows: Flow[] = [];
  const res = resolveName(ctx, u.host);
  if (res.flow) flows.push(res.flow);
  const ip = res.addresses[0];
  if (!ip) return { stdout: '', stderr: !a.silent || a.showError ? `curl: (6) Could not resolve host: ${u.host}\n` : '', exitCode: 6, flows };
  const r = runFlow(ctx, `${u.scheme}://${ip}:${u.port}${u.path}`, 'TCP');
  if (!r.ok) return { ...err(`curl: (7) Failed to connect to ${u.host} port ${u.port} after 0 ms: Couldn't connect to server`, 7), flows };
  flows.push(r.flow);
  if (r.flow.verdict !== 'delivered') return { ...failure(a, u, ip, r.flow), flows };
  // An ingress-nginx pod answered: it routes by the Host header and path, as `hopscope trace` does.
  const t: Target = { host: a.host ?? u.host, ip, port: u.port, protocol: 'tcp', scheme: u.scheme, path: u.path };
  const ing = ingressLeg(ctx.model, t, r.flow, { index: ctx.flowCount - 1, ...(ctx.seed !== undefined ? { seed: ctx.seed } : {}) });
  if (!ing) return { ...success(ctx, a, u, ip, r.flow), flows };
  if (ing.flow) flows.push(ing.flow);
  if (ing.status === 200 && ing.flow) return { ...success(ctx, a, u, ip, ing.flow), flows };
  return { ...nginxError(a, u, ip, ing.status), flows };
}

const REASONS: Record<number, string> = { 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable' };

/** The controller's own error page (nginx's built-in one: CRLF lines, "nginx" under a rule). */
function nginxError(a: CurlArgs, u: Url, ip: string, status: number): ShellResult {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  const page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return respond(a, u, ip, title, 'text/html', page);
}

/** `curl`: an HTTP request over a simulated TCP flow. */
export const curlCommand: Command = {
  name: 'curl',
  summary: 'HTTP request over a simulated flow (curl http://NAME[:PORT]/PATH)',
  help: HELP,
  run: runCurl,
  complete(ctx) {
    const svcs = ctx.model.services.map((s) => `http://${s.metadata.name}${(s.metadata.namespace ?? 'default') === (ctx.where.kind === 'pod' ? ctx.where.namespace : 'default') ? '' : `.${s.metadata.namespace}`}`);
    return [...svcs, ...ctx.model.pods.map((p) => `http://${p.ip}`)];
  },
};
