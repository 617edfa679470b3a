import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { SharePage } from './pages/share';

test('a shared link opens in a fresh context on the same flow and hop @smoke', async ({ page, browser }) => {
  const app = new SharePage(page);
  await app.open();
  await app.selectHop(1, 3);
  const current = await app.hops.current().textContent();
  const link = await app.share();
  expect(new URL(link).hash).toMatch(/^#s=1\.[A-Za-z0-9_-]+&flow=1&hop=3$/);

  const fresh = await browser.newContext();
  const other = new SharePage(await fresh.newPage());
  await other.openUrl(link);
  await expect(other.flowSelect).toHaveValue('1');
  await expect(other.hopCount).toHaveText(/^4 \/ /);
  await expect(other.hops.current()).toHaveText(current ?? '');
  await expect(other.docButton('Shared scenario')).toHaveAttribute('aria-pressed', 'true');
  expect(other.errors).toEqual([]);
  await fresh.close();
  expect(app.errors).toEqual([]);
});

test('a shared link opens beside your own work, which stays reachable', async ({ page }) => {
  const app = new SharePage(page);
  await app.open();
  await app.editor.waitForMonaco();
  await app.editor.typeAtStart('# my own work\n');
  await expect(app.editor.status).toHaveText('No problems.');
  const link = await app.share();

  // Someone else's scenario arrives by link.
  const theirs = 'apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: theirs}\nspec: {nodes: 3}\n';
  const hash = `#s=1.${deflateRawSync(Buffer.from(theirs)).toString('base64url')}`;
  await app.openUrl(`/${hash}`);
  await expect(app.docButton('Shared scenario')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => app.editorText()).toContain('name: theirs');

  await app.docButton('Your scenario').click();
  await expect.poll(() => app.editorText()).toContain('# my own work');
  await app.docButton('Shared scenario').click();
  await expect.poll(() => app.editorText()).toContain('name: theirs');

  // Opening the link in a fresh page load keeps your work too.
  await app.openUrl(`/?again=1${hash}`);
  await expect.poll(() => app.editorText()).toContain('name: theirs');
  await app.docButton('Your scenario').click();
  await expect.poll(() => app.editorText()).toContain('# my own work');
  expect(link).toContain('#s=1.');
  expect(app.errors).toEqual([]);
});

test('a broken link says why and never replaces your text', async ({ page }) => {
  const app = new SharePage(page);
  await app.open();
  await app.editor.waitForMonaco();
  await app.editor.typeAtStart('# keep me\n');
  await expect(app.editor.status).toHaveText('No problems.');

  // Invalid base64, while the app is open (a pasted link changes only the hash).
  await page.evaluate(() => (location.hash = '#s=1.abc$def'));
  await expect(app.openError).toContainText('not allowed');
  await expect(app.openError).toContainText('Your own scenario is unchanged');
  expect(await app.editorText()).toContain('# keep me');

  // A truncated link, opened fresh.
  const good = `#s=1.${deflateRawSync(Buffer.from('kind: Cluster\n'.repeat(40))).toString('base64url')}`;
  await page.goto(`/?fresh=1${good.slice(0, good.length - 12)}`);
  await expect(app.openError).toContainText(/damaged|cut short/);
  expect(await app.editorText()).toContain('# keep me');

  // A valid deflate stream of 50 MB: refused quickly, no hang.
  const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024, 0x41), { level: 9 }).toString('base64url');
  const t0 = Date.now();
  await page.goto(`/?bomb=1#s=1.${bomb}`);
  await expect(app.openError).toContainText('larger than 64 KiB');
  expect(Date.now() - t0).toBeLessThan(15_000);
  expect(await app.editorText()).toContain('# keep me');
  await expect(app.canvasNodes()).not.toHaveCount(0);
  expect(app.errors).toEqual([]);
});

test('YAML full of errors crashes nothing', async ({ page }) => {
  const app = new SharePage(page);
  const junk = 'kind: Cluster\nspec: {nodes: -3, podCIDR: banana}\n---\nkind: Pod\nmetadata: {}\n---\n: : :\n\t- [\n';
  await app.page.goto(`/#s=1.${deflateRawSync(Buffer.from(junk)).toString('base64url')}`);
  await expect(app.editor.status).toContainText('error');
  await expect(page.getByText(/The scenario has errors/)).toBeVisible();
  await app.docButton('Your scenario').click();
  await expect(app.canvasNodes()).not.toHaveCount(0);
  expect(app.errors).toEqual([]);
});

test('reload mid-edit brings the text back', async ({ page }) => {
  const app = new SharePage(page);
  await app.open();
  await app.editor.waitForMonaco();
  await app.editor.typeAtStart('# typed just before the reload\n');
  await page.reload(); // no wait: the page-hide flush saves it
  await expect.poll(() => app.editorText()).toContain('# typed just before the reload');
  expect(app.errors).toEqual([]);
});

test('File menu: export SVG and PNG, save the scenario', async ({ page }) => {
  const app = new SharePage(page);
  await app.open();
  await app.pause();
  for (const [item, ext] of [['Export SVG', 'svg'], ['Export PNG', 'png'], ['Save .yaml', 'yaml']] as const) {
    await app.fileMenu().click();
    const dl = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: item }).click();
    const d = await dl;
    expect(d.suggestedFilename()).toMatch(new RegExp(`\\.${ext}$`));
    const bytes = readFileSync(await d.path());
    if (ext === 'png') expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    if (ext === 'svg') {
      expect(bytes.toString()).toContain('<foreignObject');
      const svg = bytes.toString();
      expect(await page.evaluate((t) => new DOMParser().parseFromString(t, 'image/svg+xml').querySelector('parsererror')?.textContent ?? null, svg)).toBeNull();
    }
    if (ext === 'yaml') expect(bytes.toString()).toContain('kind: Cluster');
  }
  expect(app.errors).toEqual([]);
});
