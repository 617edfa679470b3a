/**
 * A pure command interpreter over the simulated cluster: the terminal panel and
 * `hopscope exec` run the same lines through it and print the same text.
 *
 * `createShell(model, where)` stands in a node's root namespace or a pod's, and answers the
 * commands a person types on a real cluster (`ip`, `iptables`, `kubectl`, `curl`, `ping` …)
 * from the model, in the real tools' formats (held to real samples in fixtures/tool-output).
 * Flow commands (curl, ping, traceroute, nslookup, dig) walk real simulated flows and return
 * them for the canvas; like real traffic they leave conntrack entries and rule counters behind.
 *
 * May import: the rest of core. Never the DOM, Node, React or the worker.
 * Guarantees: `run` never throws (a bug becomes `hopscope: internal error` on stderr, exit 70);
 * bad input is answered like the real tool answers it (its usage line or error text).
 */
import type { ClusterModel } from '../model/types';
import type { Flow } from '../trace/types';
import type { Command, ShellContext, ShellResult, Where } from './types';
import type { Redirect } from './words';
import { splitLine } from './words';
import { readFile, writeFile } from './files';
import { resolveWhere } from './where';
import { getCommand, commandNotFound } from './registry';
import { completeLine } from './complete';
import { captureOutput } from './tcpdump';
import { setLineRunner } from './netns-exec';

export type { Where, ShellResult, Command, ShellContext } from './types';
export { parseWhere, listPlaces, resolveWhere } from './where';

/** Options of `createShell`. */
export interface ShellOptions {
  /** Overrides the cluster's seed for the flows this shell runs. */
  seed?: number;
  /** History to start from (e.g. restored by the UI). */
  history?: string[];
}

/** A terminal session. */
export interface Shell {
  /** Runs one line (which may hold `;`, `&&`, `||`, `&`, `|` and redirections `>`, `>>`, `<`, `2>&1`, `&>`). */
  run(line: string): ShellResult;
  /** Candidates for the word under `cursor`, sorted; one candidate means "complete to this". */
  complete(line: string, cursor?: number): string[];
  /** Lines run so far, oldest first (the array is live). */
  history: string[];
  /** `root@HOST:/# `. */
  prompt: string;
  where: Where;
}

/** A shell standing at `where`; an unknown node or pod gives a shell whose every line prints kubectl's NotFound. */
export function createShell(model: ClusterModel, where: Where, opts: ShellOptions = {}): Shell {
  const history = opts.history ? [...opts.history] : [];
  const place = resolveWhere(model, where);
  if (!place.ok) {
    const error = place.error;
    return { run: (line) => (history.push(line), { stdout: '', stderr: `${error}\n`, exitCode: 1 }), complete: () => [], history, prompt: '$ ', where };
  }
  const ctx: ShellContext = { model, where, ...place.place, now: 0, flowCount: 0, history, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
  return {
    run: (line) => runLine(ctx, line),
    complete: (line, cursor) => completeLine(ctx, line, cursor ?? line.length),
    history,
    prompt: `root@${ctx.hostname}:/# `,
    where,
  };
}

function runLine(ctx: ShellContext, line: string): ShellResult {
  if (line.trim() !== '') ctx.history.push(line);
  return runLineHere(ctx, line);
}

/** Runs a line without recording it: the typed line is in the history, not what an exec's `sh -c` runs. */
function runLineHere(ctx: ShellContext, line: string): ShellResult {
  const split = splitLine(line);
  if (!split.ok) return { stdout: '', stderr: `${split.error}\n`, exitCode: 2 };
  const acc: ShellResult = { stdout: '', stderr: '', exitCode: 0 };
  const flows: Flow[] = [];
  let skip = false;
  for (const p of split.pipelines) {
    if (!skip) {
      const r = runPipeline(ctx, p.commands, p.redirects);
      acc.stdout += r.stdout;
      acc.stderr += r.stderr;
      acc.exitCode = p.then === '&' ? 0 : r.exitCode;
      if (r.flows) flows.push(...r.flows);
    }
    skip = (p.then === '&&' && acc.exitCode !== 0) || (p.then === '||' && acc.exitCode === 0);
  }
  return flows.length ? { ...acc, flows } : acc;
}

// `kubectl exec POD -- sh -c 'ip a | grep inet'` (and ip netns exec, nsenter) run a whole line.
setLineRunner(runLineHere);

function runPipeline(ctx: ShellContext, commands: string[][], redirects: Redirect[][]): ShellResult {
  let stdin: string | undefined;
  let last: ShellResult = { stdout: '', stderr: '', exitCode: 0 };
  let stderr = '';
  const flows: Flow[] = [];
  commands.forEach((words, i) => {
    last = runRedirected(ctx, words, redirects[i] ?? [], stdin);
    stdin = last.stdout;
    stderr += last.stderr;
    if (last.flows) flows.push(...last.flows);
  });
  return { stdout: last.stdout, stderr, exitCode: last.exitCode, ...(flows.length ? { flows } : {}) };
}

/** Where a descriptor's text goes: the command's stdout (pipe or terminal), the terminal's stderr, nowhere, or a file. */
type Sink = 'out' | 'err' | 'null' | { file: string; append: boolean };

/**
 * Runs one command with its redirections applied left to right, as bash does: `<` feeds a file
 * as stdin, `>`/`>>` send a descriptor to a file of the session (files.ts) or /dev/null, `N>&M`
 * makes N go where M goes *now* (so `>F 2>&1` sends both to F, `2>&1 >F` only stdout). A
 * redirection that fails stops the command before it runs (exit 1), as in bash.
 */
function runRedirected(ctx: ShellContext, words: string[], redirects: Redirect[], stdin: string | undefined): ShellResult {
  if (!redirects.length) return runCommand(ctx, words, stdin);
  const sinks = new Map<number, Sink>([[1, 'out'], [2, 'err']]);
  const fail = (text: string): ShellResult => ({ stdout: '', stderr: `${text}\n`, exitCode: 1 });
  for (const r of redirects) {
    if (r.op === '<') {
      const text = r.target === '/dev/null' ? '' : readFile(ctx, r.target);
      if (text === undefined) return fail(`bash: ${r.target}: No such file or directory`);
      if (r.fd === 0) stdin = text;
    } else if (r.op === '>&') {
      if (r.target === '-') sinks.set(r.fd, 'null');
      else {
        const to = sinks.get(Number(r.target));
        if (!to) return fail(`bash: ${r.target}: Bad file descriptor`);
        sinks.set(r.fd, to);
      }
    } else {
      const sink = deviceSink(r.target) ?? { file: r.target, append: r.op === '>>' };
      if (typeof sink !== 'string') {
        // bash opens (and truncates) the file before the command runs, even if it prints nothing.
        const e = writeFile(ctx, sink.file, '', sink.append);
        if (e) return fail(e);
        sink.append = true;
      }
      sinks.set(r.fd, sink);
    }
  }
  const r = words.length ? runCommand(ctx, words, stdin) : { stdout: '', stderr: '', exitCode: 0 };
  const routed = { stdout: '', stderr: '' };
  for (const [fd, text] of [[1, r.stdout], [2, r.stderr]] as const) {
    const sink = sinks.get(fd)!;
    if (sink === 'out') routed.stdout += text;
    else if (sink === 'err') routed.stderr += text;
    else if (sink !== 'null') writeFile(ctx, sink.file, text, true);
  }
  return { ...r, ...routed };
}

/** The devices a redirection may name: /dev/null discards, /dev/stdout and /dev/stderr are the terminal's. */
function deviceSink(path: string): Sink | undefined {
  if (path === '/dev/null') return 'null';
  if (path === '/dev/stdout' || path === '/dev/fd/1') return 'out';
  if (path === '/dev/stderr' || path === '/dev/fd/2') return 'err';
  return undefined;
}

function runCommand(ctx: ShellContext, words: string[], stdin: string | undefined): ShellResult {
  const [name, ...args] = words;
  const cmd: Command | undefined = getCommand(name!);
  if (!cmd) return commandNotFound(name!);
  if (args[0] === '--help') return { stdout: cmd.help, stderr: '', exitCode: 0 };
  const armed = ctx.capture && cmd.name !== 'tcpdump' ? ctx.capture : undefined;
  if (armed) ctx.captured = [];
  const start = ctx.now;
  let r: ShellResult;
  try {
    r = cmd.run(ctx, args, stdin);
  } catch (e) {
    // Last-resort guard (STYLE §5): a bug in a command must not take the terminal down.
    r = { stdout: '', stderr: `hopscope: internal error in ${name}: ${(e as Error).message}\n`, exitCode: 70 };
  }
  if (armed && ctx.captured?.length) {
    const c = captureOutput(armed, ctx.netns.id, ctx.captured, start);
    r = { ...r, stdout: r.stdout + c.stdout, stderr: r.stderr + c.stderr };
    delete ctx.capture;
  }
  delete ctx.captured;
  return r;
}
