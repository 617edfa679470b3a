import { expect, test } from '@playwright/test';
import { PlaygroundPage } from './pages/playground';

test('the editor follows the window when it narrows (Monaco never covers the canvas)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = new PlaygroundPage(page);
  await app.open();
  await app.editor.waitForMonaco();
  await page.setViewportSize({ width: 1024, height: 640 });
  const widths = () => page.evaluate(() => ({ column: document.querySelector('.hs-editor')!.getBoundingClientRect().right, monaco: document.querySelector('.monaco-editor')!.getBoundingClientRect().right }));
  await expect.poll(async () => { const w = await widths(); return w.monaco - w.column; }).toBeLessThanOrEqual(1);
  expect(app.errors).toEqual([]);
});
