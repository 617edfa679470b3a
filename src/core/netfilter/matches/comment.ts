/** `-m comment --comment TEXT`: always matches; kube-proxy uses it to name every rule. */
import type { MatchModule, ParseResult } from '../module';
import { saveString } from '../save-string';

/** The `comment` match module (parsed: the comment text). */
export const commentMatch: MatchModule<string> = {
  name: 'comment',
  options: { '--comment': 1 },
  parse(options): ParseResult<string> {
    const o = options[options.length - 1];
    if (!o) return { ok: false, error: 'comment: option "--comment" must be specified' };
    if (o.negate) return { ok: false, error: 'comment: option "--comment" cannot be inverted.' };
    return { ok: true, parsed: o.args[0] ?? '' };
  },
  render(text) {
    return ` --comment ${saveString(text)}`;
  },
  evaluate() {
    return true;
  },
  reads: () => [],
};
