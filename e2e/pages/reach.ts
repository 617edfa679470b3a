import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { PlaygroundPage } from './playground';

/** A `#s=1.` share link carrying a scenario file from fixtures/scenarios. */
export function scenarioLink(name: string): string {
  const yaml = readFileSync(new URL(`../../fixtures/scenarios/${name}`, import.meta.url));
  return `/#s=1.${deflateRawSync(yaml).toString('base64url')}`;
}

/** The playground with the Reachability view open in the tool dock, and the canvas shields. */
export class ReachPage extends PlaygroundPage {
  readonly dockButton: Locator;
  readonly panel: Locator;
  readonly grid: Locator;
  readonly status: Locator;

  constructor(page: Page) {
    super(page);
    this.dockButton = page.getByRole('button', { name: 'Reachability', exact: true });
    this.panel = page.getByRole('region', { name: 'Reachability panel' });
    this.grid = this.panel.getByRole('grid', { name: 'Reachability matrix' });
    this.status = this.panel.getByRole('status');
  }

  /** Opens a scenario from fixtures/scenarios through a share link and waits for the canvas. */
  async openScenario(name: string): Promise<void> {
    await this.page.goto(scenarioLink(name));
    await expect(this.canvasNodes()).not.toHaveCount(0);
  }

  async openView(): Promise<void> {
    await this.dockButton.click();
    await expect(this.grid).toBeVisible();
  }

  /** The cell from one pod to another, whatever its outcome (allowed, denied by a NetworkPolicy, refused, dropped …). */
  cell(from: string, to: string): Locator {
    return this.grid.getByRole('button', { name: new RegExp(`^${from} to ${to}: `) });
  }

  control(name: 'Port' | 'Protocol' | 'Namespace'): Locator {
    return this.panel.getByLabel(name);
  }

  /** The NetworkPolicy shield on a pod's box on the canvas (pod names are unique in the fixtures). */
  shield(podName: string): Locator {
    return this.canvas.locator('.hs-pod').filter({ hasText: podName }).getByRole('img', { name: /^Selected by NetworkPolicy / });
  }

  /** Clicks Speed until playback runs at 4×, so a whole flow plays in a few seconds. */
  async fastest(): Promise<void> {
    for (let i = 0; i < 3 && (await this.button('Speed').textContent())?.trim() !== '4×'; i++) await this.button('Speed').click();
  }
}
