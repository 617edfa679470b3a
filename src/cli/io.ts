/** The CLI's contact with the outside: reading the scenario file and failing cleanly. */
import { readFileSync, statSync } from 'node:fs';

export class UsageError extends Error {}

/** Reads FILE (or stdin for "-"); refuses files over 16 MiB before reading them. */
export function readScenario(file: string | undefined): string {
  if (!file) throw new UsageError('missing FILE');
  if (file === '-') return readFileSync(0, 'utf8');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}: no such file`);
  }
  if (size > 16 * 1024 * 1024) throw new UsageError(`${file} is ${(size / 1048576).toFixed(1)} MiB; scenarios are limited to 16 MiB`);
  return readFileSync(file, 'utf8');
}
