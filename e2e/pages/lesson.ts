import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { SharePage } from './share';

/** A lesson on screen: the narration panel and its step controls. */
export class LessonPage extends SharePage {
  readonly narration: Locator;
  readonly stepCounter: Locator;

  constructor(page: Page) {
    super(page);
    this.narration = page.getByRole('region', { name: 'Narration' });
    this.stepCounter = this.narration.getByText(/^Step \d+ of \d+$/);
  }

  /** Fast entry: `?lesson=ID`. */
  async openLesson(id: string): Promise<void> {
    await this.openUrl(`/?lesson=${id}`);
    await expect(this.narration).toBeVisible();
  }

  async stepCount(): Promise<{ at: number; of: number }> {
    const m = /Step (\d+) of (\d+)/.exec((await this.stepCounter.textContent()) ?? '');
    return { at: Number(m?.[1]), of: Number(m?.[2]) };
  }

  stepTitle(): Locator {
    return this.narration.locator('.hs-step h3');
  }

  control(name: 'Next step' | 'Previous step' | 'Present' | 'Close lesson'): Locator {
    return this.narration.getByRole('button', { name, exact: true });
  }
}
