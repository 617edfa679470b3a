import { describe, expect, it } from 'vitest';
import { createTabExit } from './tab-exit';

const down = (key: string) => ({ type: 'keydown', key });
const up = (key: string) => ({ type: 'keyup', key });

describe('terminal Tab exit', () => {
  it('leaves Tab to the terminal (completion) until Escape comes first', () => {
    const h = createTabExit();
    expect(h(down('Tab'))).toBe(true);
    expect(h(down('Tab'))).toBe(true);
  });

  it('hands the Tab after Escape to the browser, once, with or without Shift', () => {
    const h = createTabExit();
    expect(h(down('Escape'))).toBe(true);
    expect(h(up('Escape'))).toBe(true);
    expect(h(down('Tab'))).toBe(false);
    expect(h(down('Tab'))).toBe(true);
    h(down('Escape'));
    expect(h(down('Shift'))).toBe(true);
    expect(h(down('Tab'))).toBe(false);
  });

  it('any other key between Escape and Tab cancels the exit', () => {
    const h = createTabExit();
    h(down('Escape'));
    h(down('k'));
    expect(h(down('Tab'))).toBe(true);
  });
});
