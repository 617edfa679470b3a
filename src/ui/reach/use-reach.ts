/** Wraps the Reachability controller for the panel: one per mounted panel, destroyed with it. */
import { useEffect, useState } from 'react';
import { appStore } from '../store/store';
import { createReachController } from './reach-controller';
import type { ReachController } from './reach-controller';

export function useReachController(): ReachController | null {
  const [ctl, setCtl] = useState<ReachController | null>(null);
  useEffect(() => {
    const c = createReachController(appStore);
    setCtl(c);
    return () => c.destroy();
  }, []);
  return ctl;
}
