'use strict';
// Everything new on the dashboard (issue 12) in a real browser: what the partner sends or
// shares — a pledge, reassurance notes, a shared journal entry, the acknowledgement marked
// received — waits on the dashboard and in its area of the journey page, the navigation shows
// how many things wait (a number, with a label for screen readers), following an item opens
// its page and takes it away, one's own items never count; axe-core on each page state.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { startMend, backendOf, E2E_DIR } = require('../lib/server');
const { launch, personContext } = require('../lib/browser');
const { A11y } = require('../lib/a11y');

const PASSWORD = 'lantern-orchid-gravel-71';
const KIND = 'Money kept secret';

let mend;
let browser;
let shots;
const a11y = new A11y();
const problems = [];

before(async () => {
  const backend = backendOf(process.env.MEND_E2E_DATABASE_URL);
  shots = path.join(E2E_DIR, 'test-results', `${backend}-waiting`);
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

/** The number the navigation shows (0 when it shows none), and the link's accessible name. */
async function navCount(page) {
  const home = page.locator('#nav-home');
  const badge = home.locator('.nav-count');
  const n = (await badge.count()) === 0 ? 0 : Number(await badge.innerText());
  if (n > 0) {
    // In view at the top of the page, on the phone-sized screen, on the link's own line.
    const box = await badge.boundingBox();
    const link = await home.boundingBox();
    const width = page.viewportSize().width;
    assert.ok(box && box.x >= 0 && box.x + box.width <= width && box.y >= 0, 'the count is in view');
    assert.ok(Math.abs((box.y + box.height / 2) - (link.y + link.height / 2)) < link.height,
      'the count sits beside its link');
    const label = n === 1 ? '1 thing is waiting for you' : `${n} things are waiting for you`;
    await page.getByRole('link', { name: `Your space (${label})`, exact: true }).waitFor();
  }
  return n;
}

function waitingList(page) {
  return page.locator('section[aria-labelledby="waiting-title"]');
}

/** Sends a written entry from its page, as the repairing partner does. */
async function send(page, pathname, text) {
  await page.goto(url(pathname));
  await page.locator('#draft').fill(text);
  await page.getByRole('button', { name: 'Send to your partner' }).click();
  await page.getByText(text).first().waitFor();
}

/** Follows the dashboard's item `text` to its page, and comes back to see it gone. */
async function follow(page, spacePath, text, pathname) {
  await page.goto(url(spacePath));
  const before = await navCount(page);
  await waitingList(page).getByRole('link', { name: text, exact: true }).click();
  await at(page, pathname);
  await page.goto(url(spacePath));
  assert.equal(await waitingList(page).getByRole('link', { name: text, exact: true }).count(), 0,
    `${text} no longer waits once opened`);
  assert.ok(await navCount(page) < before, `the count goes down after ${text}`);
}

test('what the partner sends waits on the dashboard, in its area and in the navigation, until opened', async () => {
  const run = Date.now();
  const alex = { name: 'Alex', email: `waiting-alex-${run}@example.org`, password: PASSWORD };
  const sam = { name: 'Sam', email: `waiting-sam-${run}@example.org`, password: PASSWORD };
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
    await signUp(s, sam);
    await at(s, new URL(link).pathname);
    await s.getByRole('button', { name: 'Join the space' }).click();
    await at(s, spacePath);

    // Alex records what happened and sends the acknowledgement, a pledge and two notes.
    await a.goto(url(spacePath));
    await a.getByRole('link', { name: 'Record what happened' }).click();
    await a.getByLabel('I did').check();
    await a.locator('#kind').selectOption('financial');
    await a.locator('#agreement').fill('We decide on large spending together.');
    await a.locator('#began').fill('2024-03');
    await a.locator('#came_to_light_on').fill('2025-05');
    await a.getByLabel('The partner who broke it told the other first').check();
    await a.getByRole('button', { name: 'Start the journey' }).click();
    await a.getByText('You are the partner who is repairing.').waitFor();
    const journeyPath = new URL(a.url()).pathname;
    await send(a, `${journeyPath}/acknowledge`, 'I hid our savings from you for a year and spent them.');
    await send(a, `${journeyPath}/pledge`, 'I will show you every statement the day it comes.');
    await send(a, `${journeyPath}/reassurance`, "I'm here, and I'm staying.");
    await send(a, `${journeyPath}/reassurance`, 'Thinking of you today.');
    await a.goto(url(spacePath));
    assert.equal(await navCount(a), 0, 'his own items never wait for him');

    // Sam's dashboard, navigation and journey page say what waits.
    await s.goto(url(spacePath));
    const list = waitingList(s);
    for (const text of [
      `Your partner's acknowledgement is here to read (${KIND}).`,
      `Your partner sent their honesty pledge (${KIND}).`,
      `Your partner sent you 2 reassurance notes (${KIND}).`,
    ]) {
      await list.getByRole('link', { name: text, exact: true }).waitFor();
    }
    assert.equal(await navCount(s), 4);
    await a11y.check(s, 'dashboard with new items');
    await s.goto(url(journeyPath));
    // The heading names the kind already: the areas do not repeat it on every line.
    await s.locator('#area-honesty .area-waiting')
      .getByRole('link', { name: 'Your partner sent their honesty pledge.', exact: true }).waitFor();
    await s.locator('#area-patience .area-waiting')
      .getByRole('link', { name: 'Your partner sent you 2 reassurance notes.', exact: true }).waitFor();
    assert.equal(await s.locator('.area-waiting').getByText(KIND).count(), 0);
    assert.equal(await navCount(s), 4, 'the count on every page');
    await a11y.check(s, 'journey page with what is new in each area');

    // Opening each page takes its item away.
    await follow(s, spacePath, `Your partner sent their honesty pledge (${KIND}).`, `${journeyPath}/pledge`);
    await follow(s, spacePath, `Your partner sent you 2 reassurance notes (${KIND}).`, `${journeyPath}/reassurance`);
    await s.goto(url(`${journeyPath}/acknowledge`));
    await s.getByRole('button', { name: 'Mark as received' }).click();
    await s.getByText(/Received (just now|[0-9]+ minutes? ago|today at)/).waitFor();
    await s.goto(url(spacePath));
    assert.equal(await navCount(s), 0);
    await s.getByText('Nothing is waiting for you right now.').waitFor();

    // Sam shares a journal entry; marking received waited for Alex too.
    await s.goto(url(`${spacePath}/journal`));
    const words = 'Today I felt a little lighter.';
    await s.locator('#write-text').fill(words);
    await s.getByRole('button', { name: 'Keep this entry' }).click();
    await s.getByRole('button', { name: 'Share with my partner' }).click();
    await s.getByText(/Shared with your partner (just now|[0-9]+ minutes? ago|today at)/).waitFor();
    await a.goto(url(spacePath));
    assert.equal(await navCount(a), 2);
    await a11y.check(a, 'dashboard with a shared journal entry');
    await follow(a, spacePath, 'Your partner shared a journal entry with you.', `${spacePath}/journal`);
    await follow(a, spacePath, `Your partner marked your acknowledgement as received (${KIND}).`, `${journeyPath}/acknowledge`);
    assert.equal(await navCount(a), 0);
  } finally {
    await aContext.close();
    await sContext.close();
  }
  assert.deepEqual(a11y.blocking, [], `axe-core found serious or critical violations:\n${a11y.report()}`);
  assert.deepEqual(problems, []);
});
