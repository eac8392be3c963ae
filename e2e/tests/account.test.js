'use strict';
// The account page and the export in a real browser: the page opens from the navigation, axe
// finds nothing on it, a wrong password downloads nothing, and the right one downloads a .zip
// whose page opens in the browser (loading nothing) and whose JSON parses.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const { startMend, backendOf, E2E_DIR } = require('../lib/server');
const { launch, personContext } = require('../lib/browser');
const { A11y } = require('../lib/a11y');

const PASSWORD = 'lantern-orchid-gravel-71';
// An address of its own: on PostgreSQL, the suites share one database.
const PERSON = { name: 'Jordan', email: 'jordan-account@example.org' };

let mend;
let browser;
let shots;
const a11y = new A11y();
const problems = [];

before(async () => {
  const backend = backendOf(process.env.MEND_E2E_DATABASE_URL);
  shots = path.join(E2E_DIR, 'test-results', `${backend}-account`);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  mend = await startMend({ logFile: path.join(shots, 'server.log') });
  browser = await launch();
});

after(async () => {
  if (shots) fs.writeFileSync(path.join(shots, 'a11y.txt'), `${a11y.report()}\n`);
  if (browser) await browser.close();
  if (mend) await mend.stop();
});

const url = (p) => `${mend.baseUrl}${p}`;

async function at(page, pathname) {
  await page.waitForURL((u) => new URL(u).pathname === pathname);
}

/** The files of a .zip, by name: read from its central directory, stored or deflated. */
function unzip(buffer) {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a zip archive');
  const count = buffer.readUInt16LE(eocd + 10);
  let at = buffer.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    assert.equal(buffer.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + size);
    files[name] = method === 8 ? zlib.inflateRawSync(data) : data;
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

test('the account page opens from the navigation and the export downloads a readable zip', async () => {
  const context = await personContext(browser, mend.baseUrl, problems, { acceptDownloads: true });
  const page = await context.newPage();
  try {
    await page.goto(url('/signup'));
    await page.locator('#name').fill(PERSON.name);
    await page.locator('#email').fill(PERSON.email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/login\?signed_up=1/);
    await page.locator('#email').fill(PERSON.email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await at(page, '/safety');
    const fieldsets = page.locator('fieldset.choice');
    for (let i = 0; i < await fieldsets.count(); i++) {
      await fieldsets.nth(i).locator('input[type=radio][value="no"]').check();
    }
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Create our space' }).click();
    await page.waitForURL(/\/spaces\//);

    // From the navigation, by keyboard.
    const link = page.getByRole('link', { name: 'Account', exact: true });
    await link.focus();
    await page.keyboard.press('Enter');
    await at(page, '/account');
    assert.equal((await page.locator('h1').innerText()).trim(), 'Your account');
    for (const name of ['Change your password', 'Leave the space', 'Delete my account']) {
      assert.equal(await page.getByRole('link', { name }).count(), 1, name);
    }
    await a11y.check(page, 'account');
    await page.screenshot({ path: path.join(shots, 'account.png'), fullPage: true });

    // A wrong password: Mend's page says so, and nothing is downloaded.
    let downloaded = false;
    page.once('download', () => { downloaded = true; });
    await page.locator('#export-password').fill('not-my-password-at-all');
    await page.getByRole('button', { name: 'Download my export' }).click();
    await page.getByRole('alert').filter({ hasText: 'nothing was downloaded' }).waitFor();
    assert.equal(downloaded, false);
    await a11y.check(page, 'account (wrong password)');

    // The right one: one .zip.
    await page.locator('#export-password').fill(PASSWORD);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my export' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^mend-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const saved = path.join(shots, download.suggestedFilename());
    await download.saveAs(saved);
    const files = unzip(fs.readFileSync(saved));
    assert.deepEqual(Object.keys(files).sort(), ['mend-export.html', 'mend-export.json']);
    const json = JSON.parse(files['mend-export.json'].toString('utf8'));
    assert.equal(json.format, 'mend-export');
    assert.equal(json.version, 1);
    assert.equal(json.account.email, PERSON.email);
    assert.ok(json.space, 'the space is in it');

    // The page opens by itself, from a file, and asks for nothing more.
    const htmlFile = path.join(shots, 'mend-export.html');
    fs.writeFileSync(htmlFile, files['mend-export.html']);
    const reader = await browser.newContext();
    const requests = [];
    reader.on('request', (r) => requests.push(r.url()));
    const doc = await reader.newPage();
    const errors = [];
    doc.on('pageerror', (e) => errors.push(e.message));
    await doc.goto(`file://${htmlFile}`);
    assert.equal((await doc.locator('h1').innerText()).trim(), 'Everything that is mine in Mend');
    assert.ok((await doc.locator('body').innerText()).includes(PERSON.email));
    assert.deepEqual(requests, [`file://${htmlFile}`], 'nothing but the file itself is loaded');
    assert.equal(await doc.locator('script').count(), 0);
    assert.deepEqual(errors, []);
    await doc.emulateMedia({ media: 'print' });
    await doc.screenshot({ path: path.join(shots, 'export-print.png'), fullPage: true });
    await reader.close();
  } catch (error) {
    await page.screenshot({ path: path.join(shots, 'FAILED.png'), fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
});

test('axe finds nothing serious on the account page, and nothing loads from elsewhere', () => {
  assert.ok(a11y.checked.length >= 4, `axe ran (${a11y.checked.length} page states)`);
  assert.deepEqual(a11y.blocking.map((e) => `${e.impact} ${e.id} on ${e.page} (${e.scheme})`), [],
    `axe-core found serious or critical violations:\n${a11y.report()}`);
  assert.deepEqual(problems, []);
});
