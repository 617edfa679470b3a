import { expect, test } from '@playwright/test';
import type { Locator } from '@playwright/test';
import { LessonPage } from './pages/lesson';

/** The element's centre is not under another element (a sticky bar, a clipped sibling). */
async function uncovered(el: Locator): Promise<boolean> {
  const b = (await el.boundingBox())!;
  return el.evaluate((node, { x, y }) => node.contains(document.elementFromPoint(x, y)), { x: b.x + b.width / 2, y: b.y + b.height / 2 });
}

/** How much of the element the narration lets through (its box clipped by the narration's). */
async function shownHeight(el: Locator, panel: Locator): Promise<number> {
  const a = (await el.boundingBox())!;
  const p = (await panel.boundingBox())!;
  return Math.max(0, Math.min(a.y + a.height, p.y + p.height) - Math.max(a.y, p.y));
}

// A teacher's 1280×720 projector with the browser zoomed to 150 %: a 853×480 CSS-pixel page.
test.describe('a lesson on a 1280×720 projector zoomed to 150 %', () => {
  test.use({ viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 });

  test('the narration shows the step and its Previous/Next buttons, also in presentation mode', async ({ page }) => {
    const app = new LessonPage(page);
    // Lesson 8 has the longest title: it wrapped over five lines and pushed the step out of the panel.
    await app.openLesson('08-service-iptables');
    await expect(app.canvasNodes()).not.toHaveCount(0);
    const next = app.control('Next step');
    const text = app.narration.locator('.hs-step p').first();
    const check = async (mode: string) => {
      await expect(next, `${mode}: Next step in view`).toBeInViewport({ ratio: 1 });
      expect(await uncovered(next), `${mode}: Next step not covered`).toBe(true);
      await expect(app.stepTitle(), `${mode}: step title in view`).toBeInViewport({ ratio: 1 });
      // At least two lines of the step's text are on screen (its panel scrolls for the rest).
      const line = await text.evaluate((p) => parseFloat(getComputedStyle(p).lineHeight));
      expect(await shownHeight(text, app.narration.locator('.hs-step')), `${mode}: step text shown`).toBeGreaterThanOrEqual(2 * line);
      // The lesson's title keeps to one line: it names the lesson, the step is what is read.
      const title = app.narration.locator('h2');
      const h = await title.evaluate((e) => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight));
      expect(h, `${mode}: lesson title lines`).toBeLessThan(1.5);
      await expect(title).toHaveAttribute('title', /the 50\/50 experiment/);
    };
    await check('normal');
    await app.control('Present').click();
    await expect(page.locator('html.hs-present')).toHaveCount(1);
    await check('presenting');
    await next.click();
    await expect(app.stepCounter).toHaveText('Step 2 of 7');
    await app.screenshot('projector-150-present');
    expect(app.errors).toEqual([]);
  });
});
