'use strict';
// Leaving the space and deleting the account, in a real browser and by keyboard alone: the
// password and the typed word, a wrong word that changes nothing, the partner who stays seeing
// that their partner has left, and axe-core on both pages (light and dark, with and without
// errors).

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { startMend, backendOf, E2E_DIR } = require('../lib/server');
const { launch, personContext } = require('../lib/browser');
const { A11y } = require('../lib/a11y');

const PASSWORD = 'lantern-orchid-gravel-71';

let mend;
let browser;
let shots;
const a11y = new A11y();
const problems = [];

before(async () => {
  const backend = backendOf(process.env.MEND_E2E_DATABASE_URL);
  shots = path.join(E2E_DIR, 'test-results', `${backend}-departure`);
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
  await page.waitForURL((u) => u.origin === mend.baseUrl
    && (typeof pathname === 'string' ? u.pathname === pathname : pathname.test(u.pathname + u.search)));
}

async function heading(page, text) {
  const h1 = page.locator('h1');
  await h1.waitFor();
  assert.equal((await h1.innerText()).trim(), text, `heading on ${page.url()}`);
}

async function signUp(page, person) {
  if (new URL(page.url()).pathname !== '/signup') await page.goto(url('/signup'));
  await page.locator('#name').fill(person.name);
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await at(page, /^\/login\?signed_up=1/);
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await at(page, /^\/safety/);
  const fieldsets = page.locator('fieldset.choice');
  const count = await fieldsets.count();
  for (let i = 0; i < count; i++) {
    await fieldsets.nth(i).locator('input[type=radio][value="no"]').check();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Presses Tab until the element with `id` has the focus (as someone using a keyboard would). */
async function tabTo(page, id) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement && document.activeElement.id) === id) return;
  }
  assert.fail(`Tab never reached #${id} on ${page.url()}`);
}

/** Fills the departure form by keyboard alone and sends it with Enter. */
async function confirmByKeyboard(page, password, word) {
  await tabTo(page, 'current');
  await page.keyboard.type(password);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm');
  await page.keyboard.type(word);
  await page.keyboard.press('Enter');
}

test('leaving the space and deleting the account, by keyboard, with axe on both pages', async () => {
  // Addresses of this run's own: on PostgreSQL the suites share one database, and Sam's
  // account (Sam only leaves the space) outlives the run.
  const run = Date.now();
  const alex = { name: 'Alex', email: `departure-alex-${run}@example.org`, password: PASSWORD };
  const sam = { name: 'Sam', email: `departure-sam-${run}@example.org`, password: PASSWORD };
  const aContext = await personContext(browser, mend.baseUrl, problems);
  const sContext = await personContext(browser, mend.baseUrl, problems);
  try {
    const a = await aContext.newPage();
    await signUp(a, alex);
    await at(a, '/home');
    await a.getByRole('button', { name: 'Create our space' }).click();
    await at(a, /^\/spaces\//);
    const spacePath = new URL(a.url()).pathname;
    await a.getByRole('button', { name: 'Create an invitation link' }).click();
    const link = await a.locator('input.invite-link').inputValue();

    const s = await sContext.newPage();
    await s.goto(link);
    await s.getByRole('link', { name: 'Create an account to join' }).click();
    await at(s, /^\/signup/);
    await signUp(s, sam);
    await at(s, new URL(link).pathname);
    await s.getByRole('button', { name: 'Join the space' }).click();
    await at(s, spacePath);

    // Sam leaves: a wrong word first, which changes nothing.
    await s.goto(url('/account/leave'));
    await heading(s, 'Leave this space');
    await a11y.check(s, 'leave the space');
    await confirmByKeyboard(s, PASSWORD, 'stay');
    await s.locator('#form-errors').waitFor();
    await a11y.check(s, 'leave the space, with errors');
    await s.goto(url(spacePath));
    await s.getByText('You share this space with Alex.').waitFor();
    await s.goto(url('/account/leave'));
    await confirmByKeyboard(s, PASSWORD, 'leave');
    await at(s, '/home');
    await s.getByRole('button', { name: 'Create our space' }).waitFor();

    // Alex sees that Sam has left, and no invitation is offered.
    await a.goto(url(spacePath));
    await a.locator('#partner-left').waitFor();
    assert.equal(await a.locator('#invite-title').count(), 0);
    await a11y.check(a, 'space after the partner left');

    // Alex deletes their account.
    await a.goto(url('/account/delete'));
    await heading(a, 'Delete your account');
    await a11y.check(a, 'delete the account');
    await confirmByKeyboard(a, 'not-the-password-00', 'delete');
    await a.locator('#form-errors').waitFor();
    await a11y.check(a, 'delete the account, with errors');
    await a.goto(url('/account/delete'));
    await confirmByKeyboard(a, PASSWORD, 'delete');
    await at(a, '/account/deleted');
    await heading(a, 'Your account is deleted');
    await a11y.check(a, 'account deleted');
    assert.equal((await aContext.cookies(mend.baseUrl)).find((c) => c.name === 'mend_session'), undefined);
    await a.goto(url('/home'));
    await at(a, /^\/login/);
  } finally {
    await aContext.close();
    await sContext.close();
  }
  assert.deepEqual(a11y.blocking, [], `axe-core found serious or critical violations:\n${a11y.report()}`);
  assert.deepEqual(problems, []);
});
