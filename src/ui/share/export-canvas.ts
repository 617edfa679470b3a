/**
 * Exports the canvas as SVG or PNG with the browser's own APIs — no html-to-image. React Flow
 * draws nodes as HTML and edges as SVG, so the export is an SVG whose `<foreignObject>` holds a
 * clone of the canvas DOM, with the page's (same-origin) CSS rules and the theme's custom
 * properties inlined. The PNG is that SVG drawn onto a canvas at twice the pixel density.
 *
 * WARNING: needs `img-src data: blob:` in the CSP (index.html) for the PNG step.
 */

/** Elements that are controls, not picture. */
const SKIP = '.react-flow__panel, .react-flow__controls, .react-flow__minimap, .react-flow__attribution';

/** Every same-origin CSS rule of the page, as text. */
export function collectCss(sheets: Iterable<CSSStyleSheet>): string {
  let css = '';
  for (const sheet of sheets) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue; // A cross-origin sheet cannot be read; the app has none.
    }
    for (const r of Array.from(rules)) css += `${r.cssText}\n`;
  }
  return css;
}

/** The theme's custom properties as computed on the root, as an inline style. */
export function themeVariables(root: Element, css: string): string {
  const names = new Set(css.match(/--[A-Za-z0-9-]+(?=\s*:)/g) ?? []);
  const cs = getComputedStyle(root);
  return [...names].map((n) => `${n}:${cs.getPropertyValue(n).trim()}`).filter((d) => !d.endsWith(':')).join(';');
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Builds a standalone SVG document of `el` as it is on screen. */
export function canvasToSvg(el: HTMLElement, css: string, vars: string, background: string): string {
  const { width, height } = el.getBoundingClientRect();
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  const clone = el.cloneNode(true) as HTMLElement;
  clone.querySelectorAll(SKIP).forEach((n) => n.remove());
  clone.style.width = `${w}px`;
  clone.style.height = `${h}px`;
  const body = new XMLSerializer().serializeToString(clone);
  const font = getComputedStyle(document.body).font;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<foreignObject x="0" y="0" width="100%" height="100%">` +
    `<div xmlns="http://www.w3.org/1999/xhtml" style="${escapeXml(`${vars};width:${w}px;height:${h}px;background:${background};font:${font}`)}">` +
    `<style>${escapeXml(css)}</style>${body}</div></foreignObject></svg>`
  );
}

/** The canvas element on screen, or null when nothing is drawn. */
export function findCanvas(): HTMLElement | null {
  return document.querySelector<HTMLElement>('.hs-canvas .react-flow');
}

export function exportSvg(el: HTMLElement): string {
  const css = collectCss(Array.from(document.styleSheets));
  const bg = getComputedStyle(document.body).backgroundColor;
  return canvasToSvg(el, css, themeVariables(document.documentElement, css), bg);
}

/** Rasterises the SVG export; resolves to a PNG blob. */
export async function exportPng(el: HTMLElement, scale = 2): Promise<Blob> {
  const svg = exportSvg(el);
  const img = new Image();
  img.decoding = 'sync';
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the browser could not draw the canvas snapshot'));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await loaded;
  const c = document.createElement('canvas');
  c.width = Math.ceil(img.width * scale);
  c.height = Math.ceil(img.height * scale);
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0);
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
