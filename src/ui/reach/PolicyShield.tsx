/**
 * The NetworkPolicy shield on a pod (issue 8): shown when at least one policy selects the pod,
 * naming the policies in its tooltip and accessible name. Reads the summary's `policies`
 * through a memoised index, so each pod re-renders only when its own shield changes.
 */
import { memo } from 'react';
import { useApp } from '../store/store';
import { shieldIndex } from './view-model';
import './reach.css';

export const PolicyShield = memo(function PolicyShield({ pod }: { pod: string }) {
  const shield = useApp((s) => shieldIndex(s.summary)?.get(pod));
  const enforced = useApp((s) => s.summary?.policyEngine !== 'none');
  if (!shield) return null;
  return (
    <span className={`hs-shield${enforced ? '' : ' hs-shield-off'}`} role="img" aria-label={shield.label} title={shield.label} data-policies={shield.policies.join(' ')}>
      <svg viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true">
        <path d="M8 1 2.5 3v4.2c0 3.4 2.3 6.3 5.5 7.8 3.2-1.5 5.5-4.4 5.5-7.8V3L8 1Z" />
      </svg>
      {shield.policies.length > 1 && <span className="hs-shield-count">{shield.policies.length}</span>}
    </span>
  );
});

/** The pod's policies as a line of its details (issue 8); nothing when no policy selects it. */
export function PodPoliciesItem({ pod }: { pod: string }) {
  const shield = useApp((s) => shieldIndex(s.summary)?.get(pod));
  return shield ? <li className="hs-pod-policies">{shield.label}</li> : null;
}
