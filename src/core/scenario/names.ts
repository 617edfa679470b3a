/**
 * Kubernetes name rules (apimachinery's validation: IsDNS1123Subdomain, IsDNS1123Label).
 */

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for a DNS-1123 label: at most 63 lowercase letters, digits and `-`, alphanumeric at both ends. */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && LABEL.test(s);
}

/** True for a DNS-1123 subdomain: dot-separated labels, at most 253 characters (most object names). */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && SUBDOMAIN.test(s);
}

/** Why `s` is not a valid name, or null when it is; `label` selects the stricter rule. */
export function nameProblem(s: string, label: boolean): string | null {
  const ok = label ? isDns1123Label(s) : isDns1123Subdomain(s);
  if (ok) return null;
  const max = label ? 63 : 253;
  if (s.length > max) return `is longer than ${max} characters`;
  return label
    ? 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit'
    : 'must be a DNS-1123 name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
}
