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

/**
 * apimachinery IsDNS1123Label's messages for `s` (none when it is one), as the API server words
 * a container name it refuses: too long, dots (a subdomain, not a label), or the regex message.
 */
export function dns1123LabelErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL.test(s)) {
    errs.push(
      SUBDOMAIN.test(s)
        ? 'must not contain dots'
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errs;
}

/**
 * apimachinery IsValidPortName's messages for `s` (none when it is an IANA_SVC_NAME): at most 15
 * characters of [-a-z0-9], at least one letter, no leading, trailing or doubled hyphen. Named
 * container ports and named targetPorts follow it.
 */
export function portNameErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(s)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(s)) errs.push('must contain at least one letter (a-z)');
  if (s.includes('--')) errs.push('must not contain consecutive hyphens');
  if (s.startsWith('-') || s.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}
