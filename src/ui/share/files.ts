/** Scenario files in and out: open (picker or drop), save as .yaml, download a Blob. */
import { getServices } from './services';

/** The parser refuses more than this anyway (core scenario limits); refuse before reading. */
export const MAX_FILE_BYTES = 1024 * 1024;

export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name from the scenario's Cluster name, safe on every OS. */
export function fileBase(name: string | undefined): string {
  const safe = (name ?? '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return safe || 'scenario';
}

export function saveYaml(text: string, name: string | undefined): void {
  download(new Blob([text], { type: 'application/yaml' }), `${fileBase(name)}.yaml`);
}

/** Reads a dropped or picked file into the editor as the user's scenario; says why not. */
export async function openFile(file: File, onError: (message: string) => void): Promise<void> {
  if (file.size > MAX_FILE_BYTES) return onError(`${file.name} is ${(file.size / 1048576).toFixed(1)} MiB; scenarios are limited to 1 MiB. Your scenario is unchanged.`);
  if (!/\.(ya?ml|txt)$/i.test(file.name) && file.type && !/yaml|text/.test(file.type)) return onError(`${file.name} does not look like a YAML file. Your scenario is unchanged.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return onError(`${file.name} is not UTF-8 text. Your scenario is unchanged.`);
  }
  getServices().workspace.openText(text, file.name);
}
