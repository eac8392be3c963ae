'use strict';
// A counsellor in a real browser (issue 14): one partner proposes, the other agrees, the
// counsellor signs up from the link and accepts, sees nothing until both partners share an
// area, then exactly that area, leaves a note both partners read, and loses access the moment
// one partner ends it. axe-core runs on every new page, light and dark.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { startMend, backendOf, E2E_DIR } = require('../lib/server');
const { launch, personContext } = require('../lib/browser');
const { A11y } = require('../lib/a11y');

const PASSWORD = 'lantern-orchid-gravel-71';
const QUESTION = 'Who else knew about the loan?';
const ANSWER = 'My sister knew from the start. I asked her to keep it from you.';
const NOTE = 'Thank you both. On Tuesday we can look at the questions still open.';
const NOTHING = 'Nothing in this area is shared with you.';

let mend;
let browser;
let shots;
const a11y = new A11y();
const problems = [];

before(async () => {
  const backend = backendOf(process.env.MEND_E2E_DATABASE_URL);
  shots = path.join(E2E_DIR, 'test-results', `${backend}-counsellor`);
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

async function fillSignUp(page, person) {
  await page.locator('#name').fill(person.name);
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await at(page, /^\/login\?signed_up=1/);
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function signUpPartner(page, person) {
  if (new URL(page.url()).pathname !== '/signup') await page.goto(url('/signup'));
  await fillSignUp(page, person);
  await at(page, /^\/safety/);
  const fieldsets = page.locator('fieldset.choice');
  const count = await fieldsets.count();
  for (let i = 0; i < count; i++) {
    await fieldsets.nth(i).locator('input[type=radio][value="no"]').check();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** The number of areas the counsellor's journey page says nothing is shared in. */
async function unshared(page) {
  return page.getByText(NOTHING, { exact: true }).count();
}

test('a counsellor by consent: proposed, agreed, reading only what both share, revoked at once', async () => {
  const run = Date.now();
  const alex = { name: 'Alex', email: `counsellor-alex-${run}@example.org`, password: PASSWORD };
  const sam = { name: 'Sam', email: `counsellor-sam-${run}@example.org`, password: PASSWORD };
  const robin = { name: 'Robin', email: `counsellor-robin-${run}@example.org`, password: PASSWORD };
  const aContext = await personContext(browser, mend.baseUrl, problems);
  const sContext = await personContext(browser, mend.baseUrl, problems);
  const cContext = await personContext(browser, mend.baseUrl, problems);
  try {
    // The couple, a journey, a question and its answer.
    const a = await aContext.newPage();
    await signUpPartner(a, alex);
    await at(a, '/home');
    await a.getByRole('button', { name: 'Create our space' }).click();
    await at(a, /^\/spaces\//);
    const spacePath = new URL(a.url()).pathname;
    await a.getByRole('button', { name: 'Create an invitation link' }).click();
    const invite = await a.locator('input.invite-link').inputValue();
    const s = await sContext.newPage();
    await s.goto(invite);
    await s.getByRole('link', { name: 'Create an account to join' }).click();
    await at(s, /^\/signup/);
    await signUpPartner(s, sam);
    await at(s, new URL(invite).pathname);
    await s.getByRole('button', { name: 'Join the space' }).click();
    await at(s, spacePath);

    await a.goto(url(spacePath));
    await a.getByRole('link', { name: 'Record what happened' }).click();
    await a.getByLabel('I did').check();
    await a.locator('#kind').selectOption('financial');
    await a.locator('#agreement').fill('We decide on loans together.');
    await a.locator('#began').fill('2024-03');
    await a.locator('#came_to_light_on').fill('2025-05');
    await a.getByLabel('The partner who was hurt found out first').check();
    await a.getByRole('button', { name: 'Start the journey' }).click();
    await a.getByText('You are the partner who is repairing.').waitFor();
    const journeyPath = new URL(a.url()).pathname;
    await s.goto(url(`${journeyPath}/questions`));
    await s.locator('#question-text').fill(QUESTION);
    await s.getByRole('button', { name: 'Ask', exact: true }).click();
    await s.getByText(QUESTION).waitFor();
    await a.goto(url(`${journeyPath}/questions`));
    await a.locator('textarea[id^="answer-text-"]').first().fill(ANSWER);
    await a.getByRole('button', { name: 'Send the answer' }).click();
    await a.getByText(ANSWER).waitFor();

    // Alex proposes; the link does not exist until Sam agrees.
    await a.goto(url(spacePath));
    await a.getByRole('link', { name: 'A counsellor, if you see one' }).click();
    await heading(a, 'A counsellor');
    await a11y.check(a, 'counsellor page, nobody yet');
    await a.getByRole('button', { name: 'Propose a counsellor' }).click();
    await a.getByText('The invitation link starts working once your partner agrees.').waitFor();
    assert.equal(await a.locator('#counsellor-link').count(), 0);
    await a11y.check(a, 'counsellor page, proposed');
    await s.goto(url(`${spacePath}/counsellor`));
    await s.getByText('Alex would like to invite a counsellor.').waitFor();
    await a11y.check(s, 'counsellor page, asked to agree');
    await s.getByRole('button', { name: 'I agree' }).click();
    await a.goto(url(`${spacePath}/counsellor`));
    const link = await a.locator('#counsellor-link').inputValue();
    await a11y.check(a, 'counsellor page, the link');

    // Robin signs up as a counsellor from the link, without a safety check, and accepts.
    const c = await cContext.newPage();
    await c.goto(link);
    await heading(c, 'An invitation to counsel a couple in Mend');
    await a11y.check(c, 'counsellor invitation');
    await c.getByRole('link', { name: 'Create a counsellor account' }).click();
    await c.locator('#counsellor-signup').waitFor();
    await a11y.check(c, 'counsellor sign-up');
    await fillSignUp(c, robin);
    await at(c, new URL(link).pathname);
    await heading(c, 'Counsel Alex and Sam');
    await a11y.check(c, 'counsellor accepts');
    await c.getByRole('button', { name: 'Accept the invitation' }).click();
    await heading(c, 'Alex and Sam');
    await a11y.check(c, 'counsellor, the couple');
    await c.getByRole('link', { name: /^Journey begun/ }).click();
    await heading(c, 'Alex and Sam');
    assert.equal(await unshared(c), 8, 'nothing shared yet');
    await a11y.check(c, 'counsellor, a journey with nothing shared');
    await c.goto(url('/counsel'));
    await heading(c, 'Your couples');
    await a11y.check(c, 'counsellor home');

    // Alex alone shares questions: Alex wrote only an answer, which needs both. Nothing.
    await a.goto(url(`${journeyPath}/counsellor`));
    await heading(a, 'Your counsellor and this journey');
    await a.locator('#consent-rule').waitFor();
    await a11y.check(a, 'sharing page');
    await a.getByLabel('questions and answers').check();
    await a.getByRole('button', { name: 'Save what I share' }).click();
    await a.getByText('You began sharing questions and answers').waitFor();
    const journeyId = journeyPath.split('/').pop();
    const read = `/counsel/${spacePath.split('/').pop()}/breaches/${journeyId}`;
    await c.goto(url(read));
    assert.equal(await unshared(c), 8, 'one partner sharing shows nothing of the other');
    assert.equal(await c.getByText(QUESTION).count(), 0);

    // Sam shares questions too: exactly that area.
    await s.goto(url(`${journeyPath}/counsellor`));
    await s.getByLabel('questions and answers').check();
    await s.getByRole('button', { name: 'Save what I share' }).click();
    await s.getByText('You began sharing questions and answers').waitFor();
    await s.getByText('Alex began sharing questions and answers').waitFor();
    await c.goto(url(read));
    await c.getByText(QUESTION).waitFor();
    await c.getByText(ANSWER).waitFor();
    assert.equal(await unshared(c), 7, 'the other areas stay unshared');
    assert.equal(await c.locator('textarea').count(), 1, 'the note is the one thing written here');
    await a11y.check(c, 'counsellor, a shared journey');

    // A note, with the coach reading live, that both partners read.
    await c.locator('#note').pressSequentially('You need to get over this', { delay: 5 });
    await c.locator('#coach-note mark').first().waitFor();
    await a11y.check(c, 'counsellor note with coach notes');
    await c.locator('#note').fill(NOTE);
    await c.getByRole('button', { name: 'Leave the note' }).click();
    await c.locator('.counsellor-note').getByText(NOTE).waitFor();
    for (const p of [a, s]) {
      await p.goto(url(`${journeyPath}/counsellor`));
      await p.locator('.counsellor-note').getByText(NOTE).waitFor();
      await p.locator('.counsellor-note').getByText(/^From your counsellor/).waitFor();
    }
    await a11y.check(s, 'sharing page with a note');

    // Alex shares one journal entry with the counsellor alone; Sam still can't read it.
    const JOURNAL = 'What I keep coming back to is how long I kept it quiet.';
    await a.goto(url(`${spacePath}/journal`));
    await a.locator('#write-text').fill(JOURNAL);
    await a.getByRole('button', { name: 'Keep this entry' }).click();
    await a.getByRole('button', { name: 'Share with your counsellor only' }).click();
    await a.getByText('Your counsellor can read this entry').waitFor();
    await a11y.check(a, 'journal, an entry shared with the counsellor');
    await c.goto(url(`/counsel/${spacePath.split('/').pop()}`));
    await c.getByText(JOURNAL).waitFor();
    await a11y.check(c, 'counsellor, the couple with a journal entry');
    await s.goto(url(`${spacePath}/journal`));
    assert.equal(await s.getByText(JOURNAL).count(), 0, 'the partner cannot read it');

    // Sam ends the access, alone; Robin sees only that it ended.
    await s.goto(url(`${spacePath}/counsellor`));
    await s.getByText('Robin is your counsellor in Mend.').waitFor();
    await s.locator('#counsellor-last-look').getByText('They last looked').waitFor();
    await a11y.check(s, 'counsellor page, active');
    await s.getByRole('button', { name: "End the counsellor's access now" }).click();
    await s.getByRole('button', { name: 'Propose a counsellor' }).waitFor();
    await c.goto(url(read));
    await heading(c, 'Your access has ended');
    assert.equal(await c.getByText(QUESTION).count(), 0);
    assert.equal(await c.getByText(NOTE).count(), 0);
    await c.goto(url(`/counsel/${spacePath.split('/').pop()}`));
    await heading(c, 'Your access has ended');
    assert.equal(await c.getByText(JOURNAL).count(), 0);
    await a11y.check(c, 'counsellor, access ended');
    await c.goto(url('/counsel'));
    await c.locator('#no-couples').waitFor();
    await a11y.check(c, 'counsellor home, no couples');
  } finally {
    await aContext.close();
    await sContext.close();
    await cContext.close();
  }
  assert.deepEqual(a11y.blocking, [], `axe-core found serious or critical violations:\n${a11y.report()}`);
  assert.deepEqual(problems, []);
});
