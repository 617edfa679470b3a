import { useApp } from '../store/store';

/** Says so when the canvas shows the last good model because the scenario has errors. */
export function StaleBanner() {
  const stale = useApp((s) => s.stale);
  const errors = useApp((s) => s.diagnostics.filter((d) => d.severity === 'error').length);
  if (!stale) return null;
  return (
    <div className="hs-stale" role="status">
      Showing the last good model: the scenario has {errors} error{errors === 1 ? '' : 's'}.
    </div>
  );
}
