import { expect, test } from '@playwright/test';
import type { Locator } from '@playwright/test';
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

test('the terminal fits its dock: the playback bar stays usable and the Terminal button closes it again', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  const toggle = page.getByRole('button', { name: 'Terminal', exact: true });
  await toggle.click();
  const dock = page.getByRole('region', { name: 'Terminal panel' });
  await expect(dock.locator('.xterm-screen')).toBeVisible();
  const bottom = async (l: Locator) => { const b = (await l.boundingBox())!; return b.y + b.height; };
  await expect.poll(async () => (await bottom(dock.locator('.xterm-screen'))) - (await bottom(dock))).toBeLessThanOrEqual(1);
  // Nothing of the dock lies over the playback controls or over its own buttons.
  for (const el of [app.button('Step back'), app.button('Speed'), toggle]) {
    const b = (await el.boundingBox())!;
    const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('button')?.textContent ?? document.elementFromPoint(x, y)?.className, { x: b.x + b.width / 2, y: b.y + b.height / 2 });
    expect(onTop, 'the control is not covered').toBe(await el.textContent());
  }
  await toggle.click();
  await expect(dock).toHaveCount(0);
  expect(app.errors).toEqual([]);
});
