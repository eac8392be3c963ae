'use strict';
// Local time in a real browser (issue 12): a person whose browser is in Tokyo logs in, Mend
// keeps that zone and shows times in it, in words, on one line; a browser without scripts
// stays on UTC, the account page says so, and the zone is chosen there. axe on the pages
// drawn with scripts on (it runs inside the page).

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { startMend, backendOf, E2E_DIR } = require('../lib/server');
const { launch, personContext } = require('../lib/browser');
const { A11y } = require('../lib/a11y');

const PASSWORD = 'lantern-orchid-gravel-71';
// Addresses of their own: on PostgreSQL, the suites share one database.
const TOKYO = { name: 'Kei', email: 'kei-time@example.org' };
const NOSCRIPT = { name: 'Noor', email: 'noor-time@example.org' };

let mend;
let browser;
let shots;
const a11y = new A11y();
const problems = [];

before(async () => {
  const backend = backendOf(process.env.MEND_E2E_DATABASE_URL);
  shots = path.join(E2E_DIR, 'test-results', `${backend}-time`);
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

/** Signs up, logs in and passes the safety check; ends on the page that follows. */
async function join(page, person) {
  await page.goto(url('/signup'));
  await page.locator('#name').fill(person.name);
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/login\?signed_up=1/);
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await at(page, '/safety');
  const fieldsets = page.locator('fieldset.choice');
  for (let i = 0; i < await fieldsets.count(); i++) {
    await fieldsets.nth(i).locator('input[type=radio][value="no"]').check();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('the browser\'s zone is kept at log-in and times show in it, in words, on one line', async () => {
  const context = await personContext(browser, mend.baseUrl, problems, { timezoneId: 'Asia/Tokyo' });
  const page = await context.newPage();
  try {
    await join(page, TOKYO);
    await page.getByRole('button', { name: 'Create our space' }).click();
    await page.waitForURL(/\/spaces\//);
    await page.getByRole('button', { name: 'Create an invitation link' }).click();
    await page.waitForURL(/\/spaces\//);
    // "Works until …" 72 hours from now, in Tokyo: a date or "tomorrow", never UTC.
    const expires = page.locator('p.hint', { hasText: 'Works until' }).locator('time');
    await expires.waitFor();
    const datetime = await expires.getAttribute('datetime');
    assert.match(datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\+09:00$/);
    assert.match(await expires.getAttribute('title'), /\(Asia\/Tokyo\)$/);
    const words = (await expires.innerText()).trim();
    assert.doesNotMatch(words, /UTC/);
    // The clock in the words is Tokyo's, as the browser itself reads the same moment.
    const tokyoClock = await page.evaluate((iso) => new Date(iso).toLocaleTimeString('en-GB', {
      hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Tokyo',
    }), datetime);
    assert.ok(words.endsWith(tokyoClock), `${words} ends with ${tokyoClock}`);
    assert.equal(await expires.evaluate((el) => getComputedStyle(el).whiteSpace), 'nowrap');
    await a11y.check(page, 'space with an invitation, in Tokyo time');
    await page.screenshot({ path: path.join(shots, 'space-tokyo.png'), fullPage: true });

    await page.goto(url('/account'));
    await page.getByText('Times in Mend are shown in the Asia/Tokyo time zone.').waitFor();
    assert.equal(await page.locator('#time-zone').inputValue(), 'Asia/Tokyo');
    await a11y.check(page, 'account, zone detected');
    await page.screenshot({ path: path.join(shots, 'account-tokyo.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

test('without scripts the person stays on UTC until they choose a zone on the account page', async () => {
  const context = await personContext(browser, mend.baseUrl, problems, {
    timezoneId: 'America/New_York',
    javaScriptEnabled: false,
  });
  const page = await context.newPage();
  try {
    await join(page, NOSCRIPT);
    await page.goto(url('/account'));
    await page.getByText('Times in Mend are shown in UTC, because no time zone has been chosen yet.', { exact: false }).waitFor();
    // axe runs inside the page, so it is checked in the test above, with scripts on.
    await page.screenshot({ path: path.join(shots, 'account-utc-noscript.png'), fullPage: true });
    await page.locator('#time-zone').selectOption('Europe/Paris');
    await page.getByRole('button', { name: 'Use this time zone' }).click();
    await at(page, '/account');
    await page.getByText('Times in Mend are shown in the Europe/Paris time zone.').waitFor();
    assert.equal(await page.locator('#time-zone').inputValue(), 'Europe/Paris');

    await page.goto(url('/home'));
    await page.getByRole('button', { name: 'Create our space' }).click();
    await page.waitForURL(/\/spaces\//);
    await page.getByRole('button', { name: 'Create an invitation link' }).click();
    const expires = page.locator('p.hint', { hasText: 'Works until' }).locator('time');
    await expires.waitFor();
    assert.match(await expires.getAttribute('datetime'), /\+0[12]:00$/);
  } finally {
    await context.close();
  }
});

test('nothing was refused by the browser', () => {
  assert.deepEqual(problems, []);
});
