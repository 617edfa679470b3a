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

/** Completion candidates for the word under `cursor`, sorted and unique. */
export function completeLine(ctx: ShellContext, line: string, cursor: number): string[] {
  const words = wordsAt(line, cursor);
  const partial = words[words.length - 1] ?? '';
  let candidates: string[];
  if (words.length <= 1) candidates = commandNames();
  else {
    const cmd = getCommand(words[0]!);
    try {
      candidates = cmd?.complete ? cmd.complete(ctx, words.slice(1)) : [];
    } catch {
      candidates = [];
    }
  }
  return [...new Set(candidates.filter((c) => c.startsWith(partial)))].sort();
}
