/**
 * Renders media/icon.png (the marketplace icon, 128×128) from the SVG below with headless Chromium.
 * The PNG is committed; run this only when the design changes:
 *   npx tsc -p . && node out/scripts/make-icon.js
 * Why an SVG rendered by Chromium: it is the one rasteriser every machine here has (the e2e tests use it),
 * and the SVG stays readable and editable in review.
 */
import * as path from 'node:path';
import { PROJECT_ROOT } from '../sandbox/engine/paths';
import { launchChromium } from '../test/codeServer';

const SIZE = 128;

/**
 * The activity-bar glyph (workflow branches joining into one step) in white on a warm gradient square,
 * with a counter-clockwise arrow in the corner for "reset".
 */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#FFB000"/>
      <stop offset="0.55" stop-color="#FF7000"/>
      <stop offset="1" stop-color="#E10500"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="26" fill="url(#bg)"/>
  <g fill="none" stroke="#fff" stroke-width="7" stroke-linecap="round" stroke-linejoin="round">
    <circle cx="30" cy="36" r="9"/>
    <circle cx="30" cy="92" r="9"/>
    <circle cx="96" cy="64" r="11"/>
    <path d="M39 36h18a14 14 0 0 1 14 14v0a14 14 0 0 0 14 12"/>
    <path d="M39 92h18a14 14 0 0 0 14-14v0a14 14 0 0 1 14-12"/>
  </g>
  <g fill="none" stroke="#fff" stroke-width="5.5" stroke-linecap="round" stroke-linejoin="round">
    <path d="M89 30A11 11 0 1 0 100 19"/>
    <path d="M105 13.5 99.5 19l5.5 5.5"/>
  </g>
</svg>`;

async function main(): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${SVG}</body></html>`);
    const out = path.join(PROJECT_ROOT, 'media', 'icon.png');
    // omitBackground keeps the rounded corners transparent.
    await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: SIZE, height: SIZE } });
    console.log(`wrote ${path.relative(PROJECT_ROOT, out)}`);
  } finally {
    await browser.close();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
