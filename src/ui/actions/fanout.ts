/** The fan-out action: every request of the Traffic run at once (the load-balancing demo), or stop. */
import type { Action } from './registry';
import { registerActions } from './registry';

export const fanOut: Action = {
  id: 'fanOut',
  label: 'Play all requests',
  shortcut: (e) => e.key === 'a' && !e.ctrlKey && !e.metaKey && !e.altKey,
  enabled: (s) => (s.paths?.flows.length ?? 0) > 1,
  perform: (s) => (s.fanout ? { fanout: null } : { fanout: { loop: false, max: 200 }, arrived: {}, playing: false, tab: 'balance' }),
};

// The shortcut ("a") works like the others once the action is in the registry.
registerActions([fanOut]);
