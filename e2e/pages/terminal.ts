import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

/** The terminal dock: where to stand, and the xterm screen. */
export class TerminalPanel {
  readonly toggle: Locator;
  readonly place: Locator;
  readonly screen: Locator;

  constructor(readonly page: Page) {
    this.toggle = page.getByRole('button', { name: 'Terminal', exact: true });
    this.place = page.getByRole('combobox', { name: 'Stand on' });
    this.screen = page.getByRole('application', { name: 'Terminal' });
  }

  async open(): Promise<void> {
    await this.toggle.click();
    await expect(this.screen.locator('.xterm-rows')).toContainText('Type help');
  }

  async standOn(label: RegExp): Promise<void> {
    const options = await this.place.locator('option').allTextContents();
    const hit = options.find((o) => label.test(o));
    if (!hit) throw new Error(`no place matching ${label} in ${options.join(', ')}`);
    await this.place.selectOption(hit);
  }

  /** Types into the terminal (keys as a person types them; `\t` is Tab, `\n` Enter). */
  async type(text: string): Promise<void> {
    await this.screen.click();
    for (const ch of text) {
      if (ch === '\n') await this.page.keyboard.press('Enter');
      else if (ch === '\t') await this.page.keyboard.press('Tab');
      else await this.page.keyboard.type(ch);
    }
  }

  text(): Locator {
    return this.screen.locator('.xterm-rows');
  }
}

/** The compare dock: settings for variant B, the request, and the results. */
export class ComparePanel {
  readonly toggle: Locator;
  constructor(readonly page: Page) {
    this.toggle = page.getByRole('button', { name: 'Compare', exact: true });
  }

  async compare(sets: string, from: string, to: string): Promise<void> {
    await this.toggle.click();
    await this.page.getByLabel('Variant B settings').fill(sets);
    await this.page.getByLabel('Compare from').fill(from);
    await this.page.getByLabel('Compare to').fill(to);
    await this.page.getByRole('button', { name: 'Compare', exact: true }).last().click();
  }

  summaryRow(name: string): Locator {
    return this.page.getByRole('table', { name: 'Comparison summary' }).getByRole('row', { name: new RegExp(`^${name}`) });
  }

  hops(side: 'A' | 'B'): Locator {
    return this.page.getByRole('list', { name: `Hops of ${side}` }).getByRole('listitem');
  }
}
