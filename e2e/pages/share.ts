import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { PlaygroundPage } from './playground';

/** The playground with its document tools: Share, the scenario switcher, the File menu. */
export class SharePage extends PlaygroundPage {
  readonly shareButton: Locator;
  readonly shareLink: Locator;
  readonly openError: Locator;
  readonly flowSelect: Locator;
  readonly hopCount: Locator;

  constructor(page: Page) {
    super(page);
    this.shareButton = page.getByRole('button', { name: 'Share', exact: true });
    this.shareLink = page.getByRole('textbox', { name: 'Share link' });
    this.openError = page.locator('.hs-open-error[role="alert"]');
    this.flowSelect = page.getByRole('combobox', { name: 'Flow' });
    this.hopCount = page.locator('.hs-hopcount');
  }

  /** Opens a URL (a share link, a lesson) and waits for the canvas. */
  async openUrl(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.canvasNodes()).not.toHaveCount(0);
  }

  docButton(name: 'Your scenario' | 'Shared scenario'): Locator {
    return this.page.getByRole('group', { name: 'Scenario on screen' }).getByRole('button', { name });
  }

  fileMenu(): Locator {
    return this.page.locator('summary[aria-label="File"]');
  }

  async share(): Promise<string> {
    await this.shareButton.click();
    await expect(this.shareLink).toHaveValue(/#s=1\./);
    return this.shareLink.inputValue();
  }

  /** The editor's text as Monaco shows it (non-breaking spaces normalised). */
  async editorText(): Promise<string> {
    await this.editor.waitForMonaco();
    return (await this.editor.monaco.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
  }

  /** Selects a flow and steps to a hop with the playback controls. */
  async selectHop(flow: number, hop: number): Promise<void> {
    await expect(this.hops.items().first()).toBeVisible(); // the flows have arrived (and autoplay began)
    await this.pause();
    await this.flowSelect.selectOption(String(flow));
    await expect(this.hopCount).toHaveText(/^1 \/ /);
    for (let i = 0; i < hop; i++) await this.button('Step forward').click();
    await expect(this.hopCount).toHaveText(new RegExp(`^${hop + 1} / `));
  }
}
