import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson';

test('after the first visit the app works with the network blocked, and only talks to its own origin', async ({ page, context, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== origin) foreign.push(r.url());
  });
  const app = new LessonPage(page);
  await app.open();
  await app.editor.waitForMonaco();
  // The service worker has installed (precached the build) and controls the page.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(app.canvasNodes()).not.toHaveCount(0);
  await app.editor.waitForMonaco();
  // Lazily loaded parts come from the cache too: a lesson.
  await app.openLesson('05-flannel-vxlan');
  await expect(app.hops.current()).toContainText('route');
  await context.setOffline(false);

  expect(foreign).toEqual([]);
  expect(await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'))).not.toContain('unsafe-eval');
  expect(app.errors).toEqual([]);
});
