import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson';

test('walk a lesson to its end with the keyboard, the canvas following @smoke', async ({ page }) => {
  const app = new LessonPage(page);
  await app.openLesson('03-same-node-bridge');
  const { of } = await app.stepCount();
  expect(of).toBeGreaterThanOrEqual(5);
  await expect(app.stepTitle()).toHaveText('The client\'s route: on-link');
  await expect(app.hops.current()).toContainText('route');

  const seen: string[] = [];
  for (let i = 1; i < of; i++) {
    await page.locator('body').press('PageDown');
    await expect(app.stepCounter).toHaveText(`Step ${i + 1} of ${of}`);
    seen.push((await app.hops.current().textContent()) ?? '');
  }
  // "The bridge switches by MAC" is step 4: the hop list is on the bridge hop.
  expect(seen[2]).toMatch(/^bridge/);
  await expect(app.control('Next step')).toBeDisabled();
  await expect(app.narration.getByRole('status')).toHaveText('End of the lesson.');

  await page.locator('body').press('PageUp');
  await expect(app.stepCounter).toHaveText(`Step ${of - 1} of ${of}`);

  // Presentation mode: large type, the editor out of the way.
  await app.control('Present').click();
  await expect(page.locator('html.hs-present')).toHaveCount(1);
  await expect(page.locator('.hs-editor')).toBeHidden();
  await page.locator('body').press('Escape');
  await expect(page.locator('html.hs-present')).toHaveCount(0);
  expect(app.errors).toEqual([]);
});

test('the Lessons menu lists every lesson and opens one', async ({ page }) => {
  const app = new LessonPage(page);
  await app.open();
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  const list = page.getByRole('dialog', { name: 'Lessons' });
  await expect(list.getByRole('listitem')).toHaveCount(15);
  await list.getByRole('button', { name: /50\/50 experiment/ }).click();
  await expect(app.narration).toBeVisible();
  await expect(page).toHaveURL(/\?lesson=08-service-iptables/);
  await expect(app.hops.current()).toContainText('route');
  expect(app.errors).toEqual([]);
});

test('a lesson id that does not exist says so and keeps your scenario', async ({ page }) => {
  const app = new LessonPage(page);
  await app.openUrl('/?lesson=no-such-lesson');
  await expect(app.openError).toContainText('There is no lesson called “no-such-lesson”');
  await expect(app.narration).toHaveCount(0);
  await expect(app.canvasNodes()).not.toHaveCount(0);
  expect(app.errors).toEqual([]);
});

test('a reload mid-lesson comes back on the same step, and its URL names the step to share', async ({ page }) => {
  const app = new LessonPage(page);
  await app.openLesson('03-same-node-bridge');
  const { of } = await app.stepCount();
  await page.locator('body').press('PageDown');
  await page.locator('body').press('PageDown');
  await page.locator('body').press('PageDown');
  await expect(app.stepCounter).toHaveText(`Step 4 of ${of}`);
  await expect(page).toHaveURL(/\?lesson=03-same-node-bridge&step=4$/);
  await page.reload();
  await expect(app.narration).toBeVisible();
  await expect(app.stepCounter).toHaveText(`Step 4 of ${of}`);
  await expect(app.stepTitle()).toHaveText('The bridge switches by MAC');
  await expect(app.hops.current()).toContainText(/^bridge/);
  // Back to the first step: the URL is the lesson's plain address again.
  for (let i = 0; i < 3; i++) await page.locator('body').press('PageUp');
  await expect(app.stepCounter).toHaveText(`Step 1 of ${of}`);
  await expect(page).toHaveURL(/\?lesson=03-same-node-bridge$/);
  expect(app.errors).toEqual([]);
});
