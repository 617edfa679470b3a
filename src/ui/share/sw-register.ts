/**
 * Registers the build's service worker (scripts/offline-plugin.ts) so the playground works
 * offline after the first visit. Production builds only: the dev server has no sw.js.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {
      // No offline copy (private mode, file://): the app itself is unaffected.
    });
  });
}
