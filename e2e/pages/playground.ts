import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

/** The whole playground as a person sees it, found by accessible names. */
export class PlaygroundPage {
  readonly errors: string[] = [];
  readonly canvas: Locator;
  readonly hops: HopList;
  readonly inspector: Inspector;
  readonly editor: ScenarioEditor;

  constructor(readonly page: Page) {
    this.canvas = page.locator('.react-flow');
    this.hops = new HopList(page);
    this.inspector = new Inspector(page);
    this.editor = new ScenarioEditor(page);
    page.on('console', (m) => m.type() === 'error' && this.errors.push(m.text()));
    page.on('pageerror', (e) => this.errors.push(e.message));
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.canvasNodes()).not.toHaveCount(0);
  }

  canvasNodes(): Locator {
    return this.canvas.locator('.react-flow__node');
  }

  button(name: 'Play' | 'Pause' | 'Step forward' | 'Step back' | 'Speed'): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  detailToggle(): Locator {
    return this.page.getByRole('button', { name: /^(Detail|Overview):/ });
  }

  /**
   * Packets the fan-out has put on screen: painted pixels of its canvas (an OffscreenCanvas a
   * worker draws on) or, where the browser has none, its DOM dots.
   */
  fanoutDrawn(): Promise<number> {
    return this.page.evaluate(() => {
      const layer = document.querySelector('[data-testid="fanout"]');
      if (!(layer instanceof HTMLCanvasElement)) return layer?.querySelectorAll('.hs-dot').length ?? 0;
      const copy = document.createElement('canvas');
      copy.width = layer.width;
      copy.height = layer.height;
      const ctx = copy.getContext('2d')!;
      ctx.drawImage(layer, 0, 0);
      const px = ctx.getImageData(0, 0, copy.width, copy.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
      return n;
    });
  }

  /**
   * Pauses playback. The first trace arrives after the canvas is drawn and starts playing by
   * itself, so it can start between a look at the button and the check: look and click again
   * until the button stays disabled.
   */
  async pause(): Promise<void> {
    await expect(async () => {
      if (await this.button('Pause').isEnabled()) await this.button('Pause').click();
      await expect(this.button('Pause')).toBeDisabled({ timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/${name}.png` });
  }
}

export class HopList {
  readonly list: Locator;
  constructor(readonly page: Page) {
    this.list = page.getByRole('list', { name: 'Hop list' });
  }
  items(): Locator {
    return this.list.getByRole('listitem');
  }
  current(): Locator {
    return this.list.locator('li[aria-current="step"]');
  }
}

export class Inspector {
  readonly packet: Locator;
  constructor(readonly page: Page) {
    this.packet = page.getByRole('region', { name: 'Packet inspector' });
  }
  title(): Locator {
    return this.packet.locator('.hs-hop-title');
  }
  tab(name: 'Packet' | 'Rules' | 'Details'): Locator {
    return this.page.getByRole('tab', { name });
  }
}

export class ScenarioEditor {
  readonly monaco: Locator;
  readonly status: Locator;
  constructor(readonly page: Page) {
    this.monaco = page.locator('.monaco-editor');
    this.status = page.getByRole('region', { name: 'Diagnostics' }).getByRole('status');
  }
  textbox(): Locator {
    return this.page.getByRole('textbox', { name: 'Scenario' });
  }
  async waitForMonaco(): Promise<void> {
    await expect(this.monaco).toBeVisible();
  }
  /** Types text at the very start of the scenario. */
  async typeAtStart(text: string): Promise<void> {
    await this.monaco.locator('.view-lines').click();
    await this.page.keyboard.press('Control+Home');
    await this.page.keyboard.type(text);
  }
  /** Deletes the first line. */
  async deleteFirstLine(): Promise<void> {
    await this.page.keyboard.press('Control+Home');
    await this.page.keyboard.press('Shift+ArrowDown');
    await this.page.keyboard.press('Backspace');
  }
}
