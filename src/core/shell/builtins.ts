/**
 * Shell builtins and the small text tools a session pipes into: `help`, `history`, `hostname`,
 * `echo`, `pwd`, `whoami`, `cat`, `ls`, `grep`, `head`, `tail`, `wc -l`. Errors are GNU coreutils'/bash's.
 */
import type { Command, ShellContext, ShellResult } from './types';
import { KNOWN_DIRECTORIES, KNOWN_FILES, expandPath, listDirectory, readFile } from './files';
import { err, out } from './output';

function simple(name: string, summary: string, run: (ctx: ShellContext, args: string[], stdin?: string) => ShellResult, complete?: Command['complete']): Command {
  return { name, summary, help: `${name}: ${summary}\n`, run, ...(complete ? { complete } : {}) };
}

function cat(ctx: ShellContext, args: string[], stdin?: string): ShellResult {
  if (!args.length) return out(stdin ?? '');
  let stdout = '';
  let stderr = '';
  for (const path of args.flatMap((a) => expandPath(ctx, a))) {
    const text = readFile(ctx, path);
    if (text === undefined) stderr += `cat: ${path}: No such file or directory\n`;
    else stdout += text;
  }
  return { stdout, stderr, exitCode: stderr ? 1 : 0 };
}

/** GNU ls's columns for a terminal 80 wide: filled down the columns, two spaces between them. */
function columns(names: string[], width = 80): string {
  for (let cols = names.length; cols > 1; cols--) {
    const rows = Math.ceil(names.length / cols);
    const used = Math.ceil(names.length / rows);
    const widths = Array.from({ length: used }, (_, c) => Math.max(...names.slice(c * rows, (c + 1) * rows).map((n) => n.length)));
    if (widths.reduce((a, b) => a + b, 0) + 2 * (used - 1) > width) continue;
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) lines.push(widths.map((w, c) => (names[c * rows + r] ?? '').padEnd(c === used - 1 ? 0 : w + 2)).join('').trimEnd());
    return lines.map((l) => `${l}\n`).join('');
  }
  return names.map((n) => `${n}\n`).join('');
}

/** `ls [-1] DIR…` over the few directories the model has (files.ts `listDirectory`). */
function ls(ctx: ShellContext, args: string[]): ShellResult {
  const opts = args.filter((a) => a.startsWith('-') && a !== '-');
  const bad = opts.flatMap((o) => [...o.slice(1)]).find((c) => !'1aA'.includes(c));
  if (bad) return err(`hopscope: \`ls -${bad}\` is not modelled: ls [-1] DIR lists names only`, 2);
  const one = opts.some((o) => o.includes('1'));
  const paths = args.filter((a) => !opts.includes(a)).flatMap((a) => expandPath(ctx, a));
  if (!paths.length) return err(`hopscope: ls lists these directories (of a node): ${KNOWN_DIRECTORIES.join(', ')}`, 2);
  let stdout = '';
  let stderr = '';
  const found = paths.map((p) => ({ p, entries: listDirectory(ctx, p), file: readFile(ctx, p) !== undefined }));
  for (const f of found) if (!f.entries && !f.file) stderr += `ls: cannot access '${f.p}': No such file or directory\n`;
  const files = found.filter((f) => !f.entries && f.file).map((f) => f.p);
  if (files.length) stdout += one ? files.map((n) => `${n}\n`).join('') : columns(files);
  const dirs = found.filter((f) => f.entries);
  dirs.forEach((d) => {
    if (paths.length > 1) stdout += `${stdout ? '\n' : ''}${d.p}:\n`;
    stdout += one ? d.entries!.map((n) => `${n}\n`).join('') : columns(d.entries!);
  });
  return { stdout, stderr, exitCode: stderr ? 2 : 0 };
}

function grep(ctx: ShellContext, args: string[], stdin?: string): ShellResult {
  const flags = new Set(args.filter((a) => /^-[viEc]+$/.test(a)).flatMap((a) => [...a.slice(1)]));
  const bad = args.find((a) => a.startsWith('-') && !/^-[viEc]+$/.test(a) && a !== '-e');
  if (bad) return err(`grep: invalid option -- '${bad.replace(/^-+/, '')[0]}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.`, 2);
  const [pattern, ...files] = args.filter((a) => !a.startsWith('-'));
  if (pattern === undefined) return err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", 2);
  let re: RegExp;
  try {
    re = new RegExp(pattern, flags.has('i') ? 'i' : '');
  } catch {
    return err('grep: Unmatched ( or \\(', 2);
  }
  const inputs = readInputs(ctx, 'grep', files, stdin);
  // With several files each line is prefixed with its file's name, as GNU grep does.
  const prefix = (name: string) => (files.length > 1 ? `${name}:` : '');
  let stdout = '';
  let hits = 0;
  for (const { name, text } of inputs.texts) {
    const lines = text.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === ''));
    const hit = lines.filter((l) => re.test(l) !== flags.has('v'));
    hits += hit.length;
    stdout += flags.has('c') ? `${prefix(name)}${hit.length}\n` : hit.map((l) => `${prefix(name)}${l}\n`).join('');
  }
  return { stdout, stderr: inputs.stderr, exitCode: inputs.stderr ? 2 : hits ? 0 : 1 };
}

/** The texts a filter reads: its FILE arguments (cwd is /), or stdin without any; missing files are reported coreutils' way. */
function readInputs(ctx: ShellContext, tool: string, files: string[], stdin?: string): { texts: { name: string; text: string }[]; stderr: string } {
  if (!files.length) return { texts: [{ name: '(standard input)', text: stdin ?? '' }], stderr: '' };
  const texts: { name: string; text: string }[] = [];
  let stderr = '';
  for (const name of files) {
    const text = name === '-' ? (stdin ?? '') : readFile(ctx, name);
    if (text === undefined) stderr += `${tool}: ${name}: No such file or directory\n`;
    else texts.push({ name, text });
  }
  return { texts, stderr };
}

function lineCount(args: string[], fallback: number): number | undefined {
  const i = args.indexOf('-n');
  const v = i >= 0 ? args[i + 1] : args.find((a) => /^-\d+$/.test(a))?.slice(1);
  if (v === undefined) return fallback;
  return /^\d+$/.test(v) ? Number(v) : undefined;
}

function headTail(which: 'head' | 'tail'): (ctx: ShellContext, args: string[], stdin?: string) => ShellResult {
  return (ctx, args, stdin) => {
    const n = lineCount(args, 10);
    if (n === undefined) return err(`${which}: invalid number of lines`, 1);
    const files = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-n');
    const inputs = readInputs(ctx, which, files, stdin);
    let stdout = '';
    inputs.texts.forEach(({ name, text }, i) => {
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const pick = which === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n));
      // Several files: each under a "==> NAME <==" header (coreutils write_header).
      if (files.length > 1) stdout += `${i ? '\n' : ''}==> ${name} <==\n`;
      stdout += pick.map((l) => `${l}\n`).join('');
    });
    return { stdout, stderr: inputs.stderr.replace(/: No such/g, "' for reading: No such").replace(new RegExp(`^${which}: `, 'gm'), `${which}: cannot open '`), exitCode: inputs.stderr ? 1 : 0 };
  };
}

function wc(ctx: ShellContext, args: string[], stdin?: string): ShellResult {
  const files = args.filter((a) => !a.startsWith('-'));
  const inputs = readInputs(ctx, 'wc', files, stdin);
  let stdout = '';
  for (const { name, text } of inputs.texts) {
    const lines = (text.match(/\n/g) ?? []).length;
    const counts = args.includes('-l') ? String(lines) : `${String(lines).padStart(7)} ${String(text.split(/\s+/).filter(Boolean).length).padStart(7)} ${String(text.length).padStart(7)}`;
    stdout += `${counts}${files.length ? ` ${name}` : ''}\n`;
  }
  return { stdout, stderr: inputs.stderr, exitCode: inputs.stderr ? 1 : 0 };
}

function history(ctx: ShellContext): ShellResult {
  return out(ctx.history.map((l, i) => `${String(i + 1).padStart(5)}  ${l}`).join('\n'));
}

/** The builtins, `help` excepted (it needs the registry). */
export const BUILTINS: Command[] = [
  simple('cat', 'print files: /etc/resolv.conf, /etc/hosts, /etc/hostname, /etc/cni/net.d/…, /proc/sys/net/…', cat, () => [...KNOWN_FILES]),
  simple('ls', 'list a node’s CNI state: /etc/cni/net.d, /var/lib/cni/networks/NAME, /var/run/netns', ls, () => [...KNOWN_DIRECTORIES]),
  simple('history', 'list the commands typed in this terminal', history),
  simple('hostname', 'print the host name (the node, or the pod)', (ctx) => out(ctx.hostname)),
  simple('echo', 'print its arguments', (_ctx, args) => out(args.join(' '))),
  simple('pwd', 'print the working directory', () => out('/')),
  simple('whoami', 'print the user name', () => out('root')),
  simple('grep', 'filter lines of a pipe or files: … | grep [-v] [-i] [-c] PATTERN [FILE…]', grep),
  simple('head', 'first lines of a pipe or files: … | head [-n N] [FILE…]', headTail('head')),
  simple('tail', 'last lines of a pipe or files: … | tail [-n N] [FILE…]', headTail('tail')),
  simple('wc', 'count lines of a pipe or files: … | wc -l [FILE…]', wc),
];
