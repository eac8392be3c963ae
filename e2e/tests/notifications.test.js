'use strict';
// The account page's "Notifications" block in a real browser (issue 12), with Mend sending to
// a test-only SMTP receiver: off until chosen; the exact words of each wording are shown; a
// daily message at an hour, quiet hours, what counts and the wording are saved and still there
// after a reload; quiet hours that start and end at the same hour are refused and change
// nothing; the block reads well on a phone (nothing wider than the screen). axe checks each
// state.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { startMend, backendOf, E2E_DIR } = require('../lib/server');
const { launch, personContext } = require('../lib/browser');
const { A11y } = require('../lib/a11y');
const { startSmtpSink } = require('../lib/smtp');

const PASSWORD = 'lantern-orchid-gravel-71';
// An address of its own: on PostgreSQL, the suites share one database.
const PERSON = { name: 'Morgan', email: 'morgan-notify@example.org' };

let mend;
let sink;
let browser;
let shots;
const a11y = new A11y();
const problems = [];

before(async () => {
  const backend = backendOf(process.env.MEND_E2E_DATABASE_URL);
  shots = path.join(E2E_DIR, 'test-results', `${backend}-notifications`);
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

async function signUpAndConfirm(page) {
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
  const [link] = await sink.waitFor(PERSON.email, /http:\/\/127\.0\.0\.1:\d+\/verify\/\S+/);
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await page.locator('h1', { hasText: 'Your e-mail address is confirmed' }).waitFor();
}

/** Nothing on the page is wider than the screen. */
async function fitsTheScreen(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `the page is ${scroll}px wide on a ${width}px screen`);
}

test('notification choices are set on the account page and kept', async () => {
  const context = await personContext(browser, mend.baseUrl, problems);
  const page = await context.newPage();
  try {
    await signUpAndConfirm(page);
    await page.goto(url('/account'));
    const block = page.locator('section[aria-labelledby="notifications-title"]');
    await block.waitFor();
    // Off until chosen, and not one word about what is waiting.
    assert.ok(await page.locator('#cadence-off').isChecked(), 'off by default');
    assert.equal(await page.locator('#notifications-unverified').count(), 0, 'confirmed');
    for (const subject of ['Something new is waiting for you', 'A new update for you', 'A short reminder']) {
      await block.getByText(`Subject: ${subject}`).waitFor();
    }
    const preview = await page.locator('#wording-reminder-body').innerText();
    assert.match(preview, /This is the reminder you asked for/);
    assert.match(preview, /\/login/);
    assert.match(preview, /\/account/);
    assert.ok(!/partner|affair|betray/i.test(preview), 'neutral words');
    await fitsTheScreen(page);
    await a11y.check(page, 'account: notifications off');

    // A daily message at 08:00, quiet from 21:00 to 06:00, feelings not counted, the reminder.
    await page.locator('#cadence-digest').check();
    await page.locator('#digest-hour').selectOption('8');
    await page.locator('#quiet').check();
    await page.locator('#quiet-start').selectOption('21');
    await page.locator('#quiet-end').selectOption('6');
    await page.locator('#topic_feelings').uncheck();
    await page.locator('#wording-reminder').check();
    await page.getByRole('button', { name: 'Save my notification choices' }).click();
    await page.locator('#notifications-saved').waitFor();
    assert.match(await page.locator('#notifications-saved').innerText(), /saved/);
    await a11y.check(page, 'account: notifications saved');
    await page.screenshot({ path: path.join(shots, 'notifications.png'), fullPage: true });

    // Kept: a fresh load shows the same choices.
    await page.goto(url('/account'));
    assert.ok(await page.locator('#cadence-digest').isChecked());
    assert.equal(await page.locator('#digest-hour').inputValue(), '8');
    assert.ok(await page.locator('#quiet').isChecked());
    assert.equal(await page.locator('#quiet-start').inputValue(), '21');
    assert.equal(await page.locator('#quiet-end').inputValue(), '6');
    assert.ok(!(await page.locator('#topic_feelings').isChecked()));
    assert.ok(await page.locator('#topic_answers').isChecked());
    assert.ok(await page.locator('#wording-reminder').isChecked());

    // Quiet hours from 05:00 to 05:00: refused, said plainly, nothing changed.
    await page.locator('#quiet-start').selectOption('5');
    await page.locator('#quiet-end').selectOption('5');
    await page.getByRole('button', { name: 'Save my notification choices' }).click();
    await page.getByText('Quiet hours need to start and end at different hours.').waitFor();
    await a11y.check(page, 'account: quiet hours refused');
    await page.goto(url('/account'));
    assert.equal(await page.locator('#quiet-start').inputValue(), '21');
    assert.equal(await page.locator('#quiet-end').inputValue(), '6');

    // No message holds the name the person typed.
    for (const m of sink.messages) assert.ok(!m.data.includes(PERSON.name), 'no name in a message');
  } catch (error) {
    await page.screenshot({ path: path.join(shots, 'FAILED.png'), fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
});

test('axe finds nothing serious on the notification block', () => {
  assert.ok(a11y.checked.length >= 3, `axe ran (${a11y.checked.length} page states)`);
  assert.deepEqual(a11y.blocking.map((e) => `${e.impact} ${e.id} on ${e.page} (${e.scheme})`), [],
    `axe-core found serious or critical violations:\n${a11y.report()}`);
  assert.deepEqual(problems, []);
});
