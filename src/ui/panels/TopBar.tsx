/** Title, detail level, theme, large text, and any notice from the worker. */
import { toggleDetail } from '../actions/registry';
import { perform } from '../actions/use-actions';
import { appStore, useApp } from '../store/store';
import { LessonsMenu } from '../lessons/LessonsMenu';
import { WorkspaceBar } from '../share/WorkspaceBar';

export function TopBar() {
  const detail = useApp((s) => s.detail);
  const theme = useApp((s) => s.theme);
  const large = useApp((s) => s.largeText);
  const notice = useApp((s) => s.notice);
  const summary = useApp((s) => s.summary);
  const set = appStore.getState();
  return (
    <header className="hs-topbar">
      <h1>Hopscope</h1>
      <LessonsMenu />
      <WorkspaceBar />
      <span className="hs-muted">{summary ? `${summary.name} · ${summary.cni.plugin}${summary.cni.backend ? `/${summary.cni.backend}` : ''} · kube-proxy ${summary.proxyMode}` : ''}</span>
      {notice && (
        <p className="hs-notice" role="alert">
          {notice} <button type="button" onClick={() => set.setNotice(null)}>Dismiss</button>
        </p>
      )}
      <div className="hs-spacer" />
      <button type="button" aria-pressed={detail === 'detail'} onClick={() => perform(toggleDetail)} title="Toggle detail level (d)">
        {detail === 'detail' ? 'Detail: every device' : 'Overview: nodes & pods'}
      </button>
      <button type="button" aria-pressed={theme === 'dark'} onClick={() => set.setTheme(theme === 'dark' ? 'light' : 'dark')}>
        Dark theme
      </button>
      <button type="button" aria-pressed={large} onClick={() => set.setLargeText(!large)}>
        Large text
      </button>
    </header>
  );
}
