import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { PlaygroundPage } from './pages/playground';

/** The element's box lies inside [left, right] of the page (a control cut off at an edge fails). */
async function expectWithin(el: Locator, left: number, right: number): Promise<void> {
  const b = await el.boundingBox();
  expect(b, 'laid out').not.toBeNull();
  expect(b!.x, 'left edge').toBeGreaterThanOrEqual(left - 0.5);
  expect(b!.x + b!.width, 'right edge').toBeLessThanOrEqual(right + 0.5);
}

async function focused(page: Page): Promise<{ inMonaco: boolean; name: string }> {
  return page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    return { inMonaco: !!e?.closest('.monaco-editor'), name: e?.getAttribute('aria-label') ?? e?.textContent?.trim() ?? '' };
  });
}

test.describe('at projector size (1024×768)', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('a lesson in large text keeps every top-bar control, the inspector and the flow selector on screen', async ({ page }) => {
    const app = new PlaygroundPage(page);
    await page.goto('/?lesson=05-flannel-vxlan');
    await expect(app.canvasNodes()).not.toHaveCount(0);
    await expect(app.hops.items().first()).toBeVisible();
    await page.getByRole('button', { name: 'Large text' }).click();
    await expect(page.locator('html.hs-large')).toHaveCount(1);
    for (const name of ['Lessons', 'Share', 'Dark theme', 'Large text']) await expectWithin(page.getByRole('button', { name, exact: true }), 0, 1024);
    await expectWithin(app.detailToggle(), 0, 1024);

    // The inspector wraps its text inside its column: nothing runs past the window's edge.
    const inspector = await page.locator('.hs-inspector').boundingBox();
    await expectWithin(app.hops.current(), inspector!.x, 1024);
    await expectWithin(page.getByRole('tab', { name: 'Balance' }), inspector!.x, 1024);
    await expectWithin(app.inspector.packet.locator('dd').first(), inspector!.x, 1024);

    // The playback bar keeps the hop counter and the flow selector inside the stage.
    const stage = await page.locator('.hs-stage').boundingBox();
    await expectWithin(page.locator('.hs-hopcount'), stage!.x, stage!.x + stage!.width);
    await expectWithin(page.getByRole('combobox', { name: 'Flow' }), stage!.x, stage!.x + stage!.width);
    await app.screenshot('projector-lesson-large-text');
    expect(app.errors).toEqual([]);
  });
});

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

test('keyboard: Tab indents in the editor, Esc then Tab leaves it for the canvas and the playback controls', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  await app.editor.waitForMonaco();
  await app.editor.monaco.locator('.view-lines').click();
  await page.keyboard.press('Tab');
  expect((await focused(page)).inMonaco).toBe(true);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect((await focused(page)).inMonaco).toBe(false);
  // Back in the editor, Tab indents again.
  await app.editor.monaco.locator('.view-lines').click();
  await page.keyboard.press('Tab');
  expect((await focused(page)).inMonaco).toBe(true);
  await page.keyboard.press('Control+z');
  await expect(page.getByText('Esc then Tab leaves the editor')).toBeVisible();
  expect(app.errors).toEqual([]);
});

test('keyboard: Escape closes the Share, Lessons and File popovers and gives focus back to their button', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  const shareButton = page.getByRole('button', { name: 'Share', exact: true });
  await shareButton.focus();
  await page.keyboard.press('Enter');
  const link = page.getByRole('textbox', { name: 'Share link' });
  await expect(link).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Share link' })).toHaveCount(0);
  await expect(shareButton).toBeFocused();

  const lessons = page.getByRole('button', { name: 'Lessons', exact: true });
  await lessons.focus();
  await page.keyboard.press('Enter');
  const list = page.getByRole('dialog', { name: 'Lessons' });
  await expect(list.getByRole('button').first()).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(list).toHaveCount(0);
  await expect(lessons).toBeFocused();

  const file = page.locator('summary', { hasText: 'File' });
  await file.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Save .yaml' })).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menuitem', { name: 'Save .yaml' })).toBeHidden();
  await expect(file).toBeFocused();
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

test('keyboard: the hop list is one Tab stop; arrow keys move through the hops and the inspector follows', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  await app.pause();
  await app.hops.items().nth(2).getByRole('button').click();
  await expect(app.hops.current()).toHaveCount(1);
  await expect(app.hops.items().nth(2)).toHaveAttribute('aria-current', 'step');
  const current = app.hops.current().getByRole('button');
  await expect(current).toBeFocused();
  // One stop: Tab leaves the list for the inspector's tabs, Shift+Tab comes back to the current hop.
  await page.keyboard.press('Tab');
  await expect(app.inspector.tab('Packet')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(current).toBeFocused();
  const title = await app.inspector.title().textContent();
  await page.keyboard.press('ArrowDown');
  await expect(app.hops.items().nth(3)).toHaveAttribute('aria-current', 'step');
  await expect(app.hops.current().getByRole('button')).toBeFocused();
  await expect(app.inspector.title()).not.toHaveText(title ?? '');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(app.hops.items().nth(1)).toHaveAttribute('aria-current', 'step');
  await page.keyboard.press('End');
  await expect(app.hops.items().last()).toHaveAttribute('aria-current', 'step');
  await expect(app.hops.current().getByRole('button')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(app.hops.items().first()).toHaveAttribute('aria-current', 'step');
  expect(app.errors).toEqual([]);
});

test('keyboard: the inspector tabs are one Tab stop and the arrow keys switch tabs (not hops)', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  await app.pause();
  const hop = await app.hops.current().textContent();
  await app.inspector.tab('Packet').click();
  await expect(app.inspector.tab('Packet')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(app.inspector.tab('Rules')).toHaveAttribute('aria-selected', 'true');
  await expect(app.inspector.tab('Rules')).toBeFocused();
  await expect(app.hops.current()).toHaveText(hop ?? '');
  await page.keyboard.press('End');
  await expect(app.page.getByRole('tab', { name: 'Balance' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(app.inspector.tab('Packet')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(app.page.getByRole('tab', { name: 'Balance' })).toBeFocused();
  // Shift+Tab from the selected tab goes back to the hop list, not to the other tabs.
  await page.keyboard.press('Shift+Tab');
  await expect(app.hops.current().getByRole('button')).toBeFocused();
  await expect(app.hops.current()).toHaveText(hop ?? '');
  expect(app.errors).toEqual([]);
});

test('a diagnostic is a link to its place: choosing it puts the cursor there, in view, in the editor', async ({ page }) => {
  const app = new PlaygroundPage(page);
  // A scenario whose one error is on its last line (49), far below the editor's first screen.
  const filler = Array.from({ length: 44 }, (_, i) => `# line ${i + 2}`).join('\n');
  const yaml = `apiVersion: hopscope/v1alpha1\n${filler}\nkind: Cluster\nmetadata: {name: far}\nspec:\n  nodes: many\n`;
  await page.goto(`/#s=0.${Buffer.from(yaml, 'utf8').toString('base64url')}`);
  await app.editor.waitForMonaco();
  const diag = page.getByRole('region', { name: 'Diagnostics' }).getByRole('button', { name: /^49:10 error/ });
  await expect(diag).toBeVisible();
  await expect(app.editor.monaco.locator('.squiggly-error')).toHaveCount(0);
  await diag.focus();
  await page.keyboard.press('Enter');
  await expect(app.editor.monaco.locator('.squiggly-error')).toBeVisible();
  expect((await page.evaluate(() => !!document.activeElement?.closest('.monaco-editor')))).toBe(true);
  await expect(app.editor.monaco.locator('.view-lines')).toContainText('nodes: many');
  expect(app.errors).toEqual([]);
});

/** Whether the centre of the element is the element itself (or inside it): nothing lies over it. */
async function uncovered(el: Locator): Promise<boolean> {
  const b = (await el.boundingBox())!;
  return el.evaluate((node, { x, y }) => node.contains(document.elementFromPoint(x, y)), { x: b.x + b.width / 2, y: b.y + b.height / 2 });
}

test("the stale-model banner does not cover the canvas's kube-system option", async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  await app.editor.waitForMonaco();
  await app.editor.typeAtStart('bad: a: b\n');
  await expect(page.getByText(/Showing the last good model/)).toBeVisible();
  const option = page.getByRole('checkbox', { name: 'kube-system pods' });
  expect(await uncovered(option)).toBe(true);
  expect(app.errors).toEqual([]);
});

test.describe('a lesson at projector size', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('the narration keeps Previous step and Next step in view, in large text and presentation mode', async ({ page }) => {
    const app = new PlaygroundPage(page);
    await page.goto('/?lesson=05-flannel-vxlan');
    await expect(app.canvasNodes()).not.toHaveCount(0);
    const next = page.getByRole('button', { name: 'Next step' });
    await page.getByRole('button', { name: 'Large text' }).click();
    await expect(next).toBeInViewport({ ratio: 1 });
    expect(await uncovered(next)).toBe(true);
    await page.getByRole('button', { name: 'Present' }).click();
    await expect(page.locator('html.hs-present')).toHaveCount(1);
    await expect(next).toBeInViewport({ ratio: 1 });
    expect(await uncovered(next)).toBe(true);
    await next.click();
    await expect(page.getByText('Step 2 of 6')).toBeVisible();
    expect(app.errors).toEqual([]);
  });
});

test('keyboard: Space presses the focused button (Space elsewhere still plays and pauses)', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  await app.pause();
  const speed = app.button('Speed');
  await expect(speed).toHaveText('1×');
  await speed.focus();
  await page.keyboard.press('Space');
  await expect(speed).toHaveText('2×');
  await expect(app.button('Pause')).toBeDisabled();
  const lessons = page.getByRole('button', { name: 'Lessons', exact: true });
  await lessons.focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('dialog', { name: 'Lessons' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Space');
  await expect(app.button('Pause')).toBeEnabled();
  await page.keyboard.press('Space');
  await expect(app.button('Pause')).toBeDisabled();
  expect(app.errors).toEqual([]);
});

test('keyboard: a canvas node reached with Tab shows a focus ring', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  await app.editor.waitForMonaco();
  await app.editor.monaco.locator('.view-lines').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  const node = page.locator('.react-flow__node:focus');
  await expect(node).toHaveCount(1);
  expect(await node.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
  expect(app.errors).toEqual([]);
});

test('keyboard: focus stays in the playback bar when the pressed control turns itself off', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  await app.pause();
  await app.button('Play').focus();
  await page.keyboard.press('Enter');
  await expect(app.button('Play')).toBeDisabled();
  await expect(app.button('Pause')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(app.button('Play')).toBeFocused();
  // Step forward to the last hop: the focus moves to Step back.
  await app.hops.items().last().getByRole('button').click();
  await app.hops.items().nth(-2).getByRole('button').click();
  await app.button('Step forward').focus();
  await page.keyboard.press('Enter');
  await expect(app.button('Step forward')).toBeDisabled();
  await expect(app.button('Step back')).toBeFocused();
  expect(app.errors).toEqual([]);
});
