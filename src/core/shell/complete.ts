/**
 * Tab completion: command names for the first word; after that the command's own candidates
 * (subcommands, resource names, interface names, chains), filtered by what is typed. A single
 * candidate means "complete to it"; several are listed as bash lists them.
 */
import type { ShellContext } from './types';
import { commandNames, getCommand } from './registry';
import { splitLine } from './words';

/** The words of the last simple command before `cursor`, the last one being the word being typed. */
function wordsAt(line: string, cursor: number): string[] {
  const before = line.slice(0, cursor);
  const split = splitLine(before.endsWith(' ') ? `${before}x` : before);
  if (!split.ok || !split.pipelines.length) return [''];
  const last = split.pipelines[split.pipelines.length - 1]!;
  const words = [...last.commands[last.commands.length - 1]!];
  if (before.endsWith(' ')) words[words.length - 1] = '';
  if (/[;&|]\s*$/.test(before)) return [''];
  return words;
}

/** nsenter's options that take the next word (the others take theirs attached, if any). */
const NSENTER_VALUED = new Set(['-t', '--target', '-S', '-G', '-N']);

/**
 * The words of the command another one runs (`kubectl exec POD -- CMD…`, `ip netns exec NAME
 * CMD…`, `nsenter -t PID -n CMD…`), once its first word is being typed or typed; else undefined.
 */
function innerCommand(words: string[]): string[] | undefined {
  const [name, ...rest] = words;
  if ((name === 'kubectl' || name === 'k') && rest.includes('exec')) {
    const dash = rest.indexOf('--');
    return dash >= 0 && dash < rest.length - 1 ? rest.slice(dash + 1) : undefined;
  }
  if (name === 'ip' && rest[0] === 'netns' && rest[1] === 'exec') return rest.length > 3 ? rest.slice(3) : undefined;
  if (name === 'nsenter') {
    let i = 0;
    while (i < rest.length - 1 && rest[i]!.startsWith('-')) i += NSENTER_VALUED.has(rest[i]!) ? 2 : 1;
    if (rest[i - 1] === '--') return rest.slice(i);
    return i < rest.length && !rest[i]!.startsWith('-') ? rest.slice(i) : undefined;
  }
  return undefined;
}

/** Candidates for the last of `words`, the first being a command name. */
function candidatesFor(ctx: ShellContext, words: string[]): string[] {
  if (words.length <= 1) return commandNames();
  const inner = innerCommand(words);
  if (inner) return candidatesFor(ctx, inner);
  const cmd = getCommand(words[0]!);
  try {
    return cmd?.complete ? cmd.complete(ctx, words.slice(1)) : [];
  } catch {
    return [];
  }
}

/** Completion candidates for the word under `cursor`, sorted and unique. */
export function completeLine(ctx: ShellContext, line: string, cursor: number): string[] {
  const words = wordsAt(line, cursor);
  const partial = words[words.length - 1] ?? '';
  const candidates = candidatesFor(ctx, words);
  return [...new Set(candidates.filter((c) => c.startsWith(partial)))].sort();
}
