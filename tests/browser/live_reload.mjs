// Live reload as an editor sees it, in headless Chromium: open a summary page, edit its file,
// see the new text without reloading by hand; break site.yaml, see the overlay naming it; fix
// it, see the overlay go. Usage: node live_reload.mjs PORT SITE_ROOT. Exit 0 when all hold.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [port, root] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
const summary = path.join(root, 'content/summaries/air/2024-q1-blue-sky.md');
const siteYaml = path.join(root, 'content/site.yaml');
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosite-browser-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 60000,
});
const fail = async (message) => {
  console.error(`browser: FAILED: ${message}`);
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(1);
};
try {
  const page = await context.newPage();
  await page.goto(`${base}/summaries/air/2024-q1-blue-sky/`);
  await page.waitForTimeout(300); // let the event stream connect
  const sentence = '浏览器实时预览测试句。';
  fs.appendFileSync(summary, `\n${sentence}\n`);
  await page.waitForFunction((s) => document.body.innerText.includes(s), sentence, { timeout: 10000 })
    .catch(() => fail('the edited text did not appear without a manual reload'));

  const original = fs.readFileSync(siteYaml, 'utf8');
  fs.writeFileSync(siteYaml, `${original}\ntheme: [不闭合\n`);
  await page.waitForFunction(() => {
    const o = document.querySelector('[role=alertdialog]');
    return o && o.innerText.includes('content/site.yaml:');
  }, null, { timeout: 10000 }).catch(() => fail('no overlay naming content/site.yaml'));
  if (!(await page.innerText('body')).includes(sentence)) await fail('the last good page is gone');

  fs.writeFileSync(siteYaml, original);
  await page.waitForFunction(() => !document.querySelector('[role=alertdialog]'), null, { timeout: 10000 })
    .catch(() => fail('the overlay did not go away after the fix'));
  console.log('browser: ok (edit shown live, overlay shown and removed)');
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
