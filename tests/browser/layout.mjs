// Every page on a 375 px phone, in the normal and the large-text (适老化) mode: nothing scrolls
// sideways, no table, chart or other box reaches past the right edge of the screen (a table that
// scrolls in its own box still hides its figures), and the page's <h1> starts in the upper half
// of the first screen (a header that fills the screen hides what the page is about).
// Usage: node layout.mjs BASE_URL PAGES_FILE (one path a line). Exit 0 when all hold.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const base = process.argv[2].replace(/\/$/, '');
const paths = fs.readFileSync(process.argv[3], 'utf8').split('\n').filter(Boolean);
const viewport = { width: 375, height: 812 };
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosite-layout-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  viewport,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 60000,
});

// Runs in the page: what is wrong with its layout, as sentences.
function problems() {
  const found = [];
  const width = document.documentElement.clientWidth;
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += `#${el.id}`;
    if (typeof el.className === 'string' && el.className.trim()) text += `.${el.className.trim().split(/\s+/).join('.')}`;
    const parent = el.parentElement;
    return parent && parent !== document.body ? `${name(parent)} > ${text}` : text;
  };
  if (document.documentElement.scrollWidth > width) {
    found.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px wide)`);
  }
  const reported = [];
  for (const el of document.querySelectorAll('table, svg, figure, .table-wrap, .chart-scroll')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    if (box.width > width || box.right > width + 0.5) {
      found.push(`${name(el)} is wider than the screen (${Math.round(box.width)} px, right edge at ${Math.round(box.right)})`);
      reported.push(el);
    } else if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
      found.push(`${name(el)} hides ${el.scrollWidth - el.clientWidth} px of its content in a sideways scroll`);
      reported.push(el);
    }
  }
  // Anything else visible that reaches past the edge (clipped text, a long word, a wide box),
  // once for the outermost such element.
  for (const el of document.body.querySelectorAll('*')) {
    if (reported.length > 20) break;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || box.right <= width + 0.5) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (reported.some((r) => r.contains(el) || el.contains(r))) continue;
    reported.push(el);
    found.push(`${name(el)} reaches past the right edge (${Math.round(box.right)} px)`);
  }
  const h1 = document.querySelector('h1');
  if (!h1) {
    found.push('no <h1>');
  } else {
    const top = h1.getBoundingClientRect().top + window.scrollY;
    if (top > window.innerHeight / 2) {
      found.push(`the <h1> starts ${Math.round(top)} px down, below the middle of the first screen (${window.innerHeight / 2} px)`);
    }
  }
  return found;
}

let failures = 0;
try {
  const page = await context.newPage();
  // A first page warms the browser up (its font cache for Chinese can take seconds on a cold machine).
  await page.goto(`${base}/`, { timeout: 120000 });
  for (const large of [false, true]) {
    await page.evaluate((on) => localStorage.setItem('ecosite-large-text', on ? '1' : '0'), large);
    const mode = large ? 'large text' : 'normal';
    for (const p of paths) {
      await page.goto(`${base}${p}`, { timeout: 60000 });
      await page.evaluate(() => document.fonts.ready);
      const on = await page.evaluate(() => document.documentElement.classList.contains('large-text'));
      if (on !== large) {
        console.error(`layout: FAILED: ${p} (${mode}): the large-text mode is ${on ? 'on' : 'off'}`);
        failures++;
        continue;
      }
      for (const problem of await page.evaluate(problems)) {
        console.error(`layout: FAILED: ${p} (${mode}): ${problem}`);
        failures++;
      }
    }
    console.log(`layout: ${paths.length} pages checked at ${viewport.width} px (${mode})`);
  }
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
if (failures) {
  console.error(`layout: ${failures} problems`);
  process.exit(1);
}
console.log('layout: ok');
