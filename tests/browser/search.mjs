// Site search in headless Chromium: each query finds the pages that contain it, with the passage
// and the words marked (in the title or the passage); a word in no page gets an honest
// "no results".
// Usage: node search.mjs BASE_URL. Exit 0 when all hold.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const base = process.argv[2].replace(/\/$/, '');
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosite-search-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 60000,
});
let failed = false;
try {
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(`console ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => log.push(`requestfailed: ${r.url()} ${r.failure() && r.failure().errorText}`));
  // A first page warms the browser up (its font cache for Chinese can take seconds on a cold machine).
  await page.goto(`${base}/`, { timeout: 120000 });
  // A facility is found by how to book it, one character finds what has it anywhere, and a
  // number inside a word (PM2.5) is found on its own.
  const queries = [['黑臭水体', '/summaries/'], ['超低排放', '/summaries/air/'], ['PM2.5', '/targets/pm25/'],
    ['预约', '/facilities/'], ['水', '/targets/'], ['气', '/targets/'], ['2.5', '/targets/pm25/', 'first']];
  for (const [query, expected, first] of queries) {
    // Wait for the search to finish (found, not found, or failed). On a machine loaded by other
    // work a request has been seen to stall; the reader's remedy, a reload, is tried once.
    for (let attempt = 0; attempt < 2; attempt++) {
      await page.goto(`${base}/search/?q=${encodeURIComponent(query)}`);
      const done = await page.waitForFunction(() => /找到|失败/.test(document.getElementById('search-status').textContent), null, { timeout: 45000 })
        .then(() => true, () => false);
      if (done) break;
      log.push(`attempt ${attempt + 1} for ${query} did not finish`);
    }
    const results = await page.$$eval('#search-results li', (items) => items.map((li) => ({
      href: li.querySelector('a').getAttribute('href'), marks: Array.from(li.querySelectorAll('mark')).map((m) => m.textContent),
    })));
    // A page whose title has the words comes before pages that only mention them.
    const hit = first ? results.slice(0, 1).find((r) => r.href.includes(expected)) : results.find((r) => r.href.includes(expected));
    const marked = hit && hit.marks.some((m) => m.toLowerCase() === query.toLowerCase());
    if (!results.length || !hit || !marked) {
      const status = await page.textContent('#search-status');
      console.error(`search: FAILED for ${query}: status "${status}", ${JSON.stringify(results.slice(0, 5))}\n${log.join('\n')}`);
      failed = true;
    } else {
      console.log(`search: ${query} → ${results.length} results, e.g. ${hit.href}, the words marked`);
    }
  }
  await page.goto(`${base}/search/?q=${encodeURIComponent('火星基地')}`);
  await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('没有找到'), null, { timeout: 90000 })
    .catch(() => { console.error('search: FAILED: no honest "no results"'); failed = true; });
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log('search: ok');
