'use strict';
// Mail in a real browser (issue 12), with Mend sending to a test-only SMTP receiver on
// 127.0.0.1: the account page says the address is not confirmed, the confirmation link's page
// confirms it with one button, and "Forgot your password?" on the log-in page sends a reset
// link that leads back to log-in. axe checks every page on the way.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { startMend, backendOf, E2E_DIR } = require('../lib/server');
const { launch, personContext } = require('../lib/browser');
const { A11y } = require('../lib/a11y');
const { startSmtpSink } = require('../lib/smtp');

const PASSWORD = 'lantern-orchid-gravel-71';
const NEW_PASSWORD = 'river-basalt-quill-48';
// An address of its own: on PostgreSQL, the suites share one database.
const PERSON = { name: 'Riley', email: 'riley-mail@example.org' };

let mend;
let sink;
let browser;
let shots;
const a11y = new A11y();
const problems = [];

before(async () => {
  const backend = backendOf(process.env.MEND_E2E_DATABASE_URL);
  shots = path.join(E2E_DIR, 'test-results', `${backend}-mail`);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  sink = await startSmtpSink();
  mend = await startMend({
    logFile: path.join(shots, 'server.log'),
    extraArgs: ['--smtp-url', sink.url, '--mail-from', 'Mend <mend@example.org>'],
  });
  browser = await launch();
});

after(async () => {
  if (shots) fs.writeFileSync(path.join(shots, 'a11y.txt'), `${a11y.report()}\n`);
  if (browser) await browser.close();
  if (mend) await mend.stop();
  if (sink) await sink.close();
});

const url = (p) => `${mend.baseUrl}${p}`;

async function at(page, pathname) {
  await page.waitForURL((u) => new URL(u).pathname === pathname);
}

test('an address is confirmed by its link, and a forgotten password is reset by mail', async () => {
  const context = await personContext(browser, mend.baseUrl, problems);
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
    await page.goto(url('/account'));
    assert.match(await page.locator('#mail-state').innerText(), /not confirmed yet/);
    await a11y.check(page, 'account (address not confirmed)');

    // The link in the message: a page with one button, which confirms.
    const [link] = await sink.waitFor(PERSON.email, /http:\/\/127\.0\.0\.1:\d+\/verify\/\S+/);
    await page.goto(link);
    await a11y.check(page, 'confirm the address');
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.locator('h1', { hasText: 'Your e-mail address is confirmed' }).waitFor();
    await a11y.check(page, 'address confirmed');
    await page.goto(url('/account'));
    assert.match(await page.locator('#mail-state').innerText(), /is confirmed/);
    await page.screenshot({ path: path.join(shots, 'account.png'), fullPage: true });

    // Forgot the password: from the log-in page, in another browser.
    const other = await personContext(browser, mend.baseUrl, problems);
    const visitor = await other.newPage();
    await visitor.goto(url('/login'));
    await visitor.getByRole('link', { name: 'Forgot your password?' }).click();
    await at(visitor, '/forgot');
    await a11y.check(visitor, 'forgot your password');
    await visitor.locator('#email').fill(PERSON.email);
    await visitor.getByRole('button', { name: 'Send the link' }).click();
    await visitor.getByRole('status').filter({ hasText: 'If an account has this address' }).waitFor();
    await a11y.check(visitor, 'forgot: link sent');
    const [reset] = await sink.waitFor(PERSON.email, /http:\/\/127\.0\.0\.1:\d+\/reset\/\S+/);
    await visitor.goto(reset);
    await visitor.locator('#password').fill(NEW_PASSWORD);
    await visitor.getByRole('button', { name: 'Save new password' }).click();
    await visitor.waitForURL(/\/login\?reset=1/);
    await visitor.getByRole('status').filter({ hasText: 'Your new password is saved' }).waitFor();
    await a11y.check(visitor, 'log in after a reset');
    await visitor.locator('#email').fill(PERSON.email);
    await visitor.locator('#password').fill(NEW_PASSWORD);
    await visitor.getByRole('button', { name: 'Log in' }).click();
    await visitor.waitForURL((u) => !new URL(u).pathname.startsWith('/login'));
    await other.close();

    // No message holds the name the person typed.
    for (const m of sink.messages) assert.ok(!m.data.includes(PERSON.name), 'no name in a message');
  } catch (error) {
    await page.screenshot({ path: path.join(shots, 'FAILED.png'), fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
});

test('axe finds nothing serious on the mail pages', () => {
  assert.ok(a11y.checked.length >= 6, `axe ran (${a11y.checked.length} page states)`);
  assert.deepEqual(a11y.blocking.map((e) => `${e.impact} ${e.id} on ${e.page} (${e.scheme})`), [],
    `axe-core found serious or critical violations:\n${a11y.report()}`);
  assert.deepEqual(problems, []);
});
