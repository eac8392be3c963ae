'use strict';
// The whole first story of Mend in a real browser, as two partners would live it, with every
// page checked by axe-core in the light and the dark colour scheme.
//
//   MEND_BIN                the server binary (default ../target/debug/mend, built beforehand)
//   MEND_E2E_DATABASE_URL   a fresh database (default: SQLite in a temporary data folder)

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { startMend, backendOf, E2E_DIR } = require('../lib/server');
const { launch, personContext, PHONE } = require('../lib/browser');
const { A11y } = require('../lib/a11y');

const PASSWORD_A = 'lantern-orchid-gravel-71';
const PASSWORD_B = 'copper-meadow-violin-38';
const PASSWORD_C = 'harbour-thistle-comet-52';
const PASSWORD_D = 'juniper-anvil-ripple-64';

let mend;
let browser;
/** What the first story leaves for the second: the people, their space and their journey. */
let journey = null;
let shots;
const a11y = new A11y();
const problems = [];

before(async () => {
  const backend = backendOf(process.env.MEND_E2E_DATABASE_URL);
  shots = path.join(E2E_DIR, 'test-results', backend);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  mend = await startMend({ logFile: path.join(shots, 'server.log') });
  console.log(`mend on ${mend.baseUrl} (${mend.backend})`);
  browser = await launch();
  console.log(`chromium ${browser.version()}`);
});

after(async () => {
  if (shots) fs.writeFileSync(path.join(shots, 'a11y.txt'), `${a11y.report()}\n`);
  console.log(a11y.report());
  if (browser) await browser.close();
  if (mend) await mend.stop();
});

// ---------------------------------------------------------------------------------------------

const url = (p) => `${mend.baseUrl}${p}`;

const openContexts = new Set();

async function newPerson(options) {
  const context = await personContext(browser, mend.baseUrl, problems, options);
  openContexts.add(context);
  context.on('close', () => openContexts.delete(context));
  return context;
}

/**
 * A browser test that, when it fails, tells where each open page was and what it showed (and
 * keeps a screenshot), since a timeout alone rarely says why; then closes its contexts.
 */
function story(name, fn, options = {}) {
  test(name, options, async () => {
    try {
      await fn();
    } catch (error) {
      let n = 0;
      for (const context of openContexts) {
        for (const page of context.pages()) {
          n += 1;
          const shown = await page.locator('main').innerText({ timeout: 1000 }).catch(() => '(no main)');
          console.log(`page ${n} at ${page.url()} showed:\n${shown.slice(0, 600)}`);
          await page.screenshot({ path: path.join(shots, `FAILED-${slug(name)}-${n}.png`), fullPage: true })
            .catch(() => {});
        }
      }
      throw error;
    } finally {
      for (const context of [...openContexts]) await context.close().catch(() => {});
    }
  });
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40);

/** Waits for the page to be at `pathname` (a string or a RegExp tested against path+query). */
async function at(page, pathname) {
  await page.waitForURL((u) => {
    if (u.origin !== mend.baseUrl) return false;
    const here = u.pathname + u.search;
    return typeof pathname === 'string' ? u.pathname === pathname : pathname.test(here);
  });
}

async function heading(page, text) {
  const h1 = page.locator('h1');
  await h1.waitFor();
  assert.equal((await h1.innerText()).trim(), text, `heading on ${page.url()}`);
}

async function shot(page, name, { dark = false } = {}) {
  if (dark) await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, `${name}${dark ? '-dark' : ''}.png`), fullPage: true });
  if (dark) await page.emulateMedia({ colorScheme: 'light' });
}

async function signUp(page, { name, email, password }) {
  await page.locator('#name').fill(name);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/**
 * Signing up never logs in by itself (so that it cannot tell whether the address already had an
 * account): it leads to the log-in page with a notice, and the person logs in there.
 */
async function logInAfterSignUp(page, { email, password }) {
  await at(page, /^\/login\?signed_up=1/);
  await page.getByRole('status').filter({ hasText: 'the e-mail address and password you just chose' }).waitFor();
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Answers every safety question with `answer`, except those named in `except`. */
async function answerSafety(page, answer, except = {}) {
  const fieldsets = page.locator('fieldset.choice');
  const count = await fieldsets.count();
  assert.ok(count >= 4, `the safety check asks several questions (found ${count})`);
  for (let i = 0; i < count; i++) {
    const radios = fieldsets.nth(i).locator('input[type=radio]');
    const name = await radios.first().getAttribute('name');
    await fieldsets.nth(i).locator(`input[type=radio][value="${except[name] || answer}"]`).check();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function historyLength(page) {
  return page.evaluate(() => history.length);
}

/** The quick exit stays on screen however far the page is scrolled. */
async function assertQuickExitOnScreen(page) {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const box = await page.locator('#quick-exit').boundingBox();
  assert.ok(box, 'quick exit is rendered');
  assert.ok(box.y >= 0 && box.y + box.height <= PHONE.height && box.x + box.width <= PHONE.width,
    `quick exit is on screen after scrolling (box ${JSON.stringify(box)})`);
  await page.evaluate(() => window.scrollTo(0, 0));
}

// ---------------------------------------------------------------------------------------------

story('two partners sign up, pass the safety check, share one space, and log back in', async () => {
  const alex = { name: 'Alex', email: 'alex@example.org', password: PASSWORD_A };
  const blair = { name: 'Blair', email: 'blair@example.org', password: PASSWORD_B };

  // ---- Partner A ----
  const contextA = await newPerson();
  const a = await contextA.newPage();

  const landing = await a.goto(url('/'));
  assert.equal(landing.status(), 200);
  assert.equal(await a.getByRole('link', { name: 'Create an account' }).getAttribute('href'), '/signup');
  assert.equal(await a.getByRole('link', { name: 'I already have an account' }).getAttribute('href'), '/login');
  await a11y.check(a, 'landing');
  await shot(a, 'landing');
  await shot(a, 'landing', { dark: true });

  await a.getByRole('link', { name: 'Create an account' }).click();
  await at(a, '/signup');
  await heading(a, 'Create your account');
  await a11y.check(a, 'sign up');

  // A common password is refused with a clear message, and the form keeps what was typed.
  await signUp(a, { ...alex, password: 'password123' });
  await at(a, '/signup');
  await a.locator('#form-errors').waitFor();
  assert.match(await a.locator('#form-errors').innerText(), /common or easy to guess/);
  assert.equal(await a.locator('#name').inputValue(), alex.name);
  await a11y.check(a, 'sign up with errors');
  await shot(a, 'signup-errors');

  await signUp(a, alex);
  await at(a, /^\/login\?signed_up=1/);
  await a11y.check(a, 'log in after signing up');
  await shot(a, 'login-after-signup');
  await logInAfterSignUp(a, alex);
  await at(a, '/safety');
  await heading(a, 'A private check before you begin');
  await a11y.check(a, 'safety check');
  await shot(a, 'safety');

  await answerSafety(a, 'no');
  await at(a, '/home');
  await heading(a, 'Welcome, Alex');
  await a11y.check(a, 'start');
  await shot(a, 'start');

  await a.getByRole('button', { name: 'Create our space' }).click();
  await at(a, /^\/spaces\/[0-9a-f-]{36}$/);
  const spacePath = new URL(a.url()).pathname;
  await a.getByText("Your partner hasn't joined yet.").waitFor();
  await a11y.check(a, 'space, waiting for partner');

  await a.getByRole('button', { name: 'Create an invitation link' }).click();
  await at(a, spacePath);
  const link = await a.locator('input.invite-link').inputValue();
  assert.equal(await a.locator('input.invite-link').getAttribute('readonly'), '');
  const invitePattern = new RegExp(`^${mend.baseUrl.replace(/[.]/g, '\\.')}/invite/[A-Za-z0-9_-]{22,}$`);
  assert.match(link, invitePattern, 'the invitation link is on the public URL with a long code');
  await a11y.check(a, 'space with invitation');
  await shot(a, 'space-invite');
  await shot(a, 'space-invite', { dark: true });
  await assertQuickExitOnScreen(a);

  // Opening one's own invitation explains itself and changes nothing.
  await a.goto(link);
  await heading(a, 'This is your own invitation');
  await a11y.check(a, 'own invitation');

  // ---- Partner B ----
  const contextB = await newPerson();
  const b = await contextB.newPage();
  const invitePath = new URL(link).pathname;
  await b.goto(link);
  await heading(b, "You're invited to Mend");
  await a11y.check(b, 'invitation (logged out)');
  await shot(b, 'invitation');

  await b.getByRole('link', { name: 'Create an account to join' }).click();
  await at(b, /^\/signup\?next=/);
  await a11y.check(b, 'sign up from an invitation');
  await signUp(b, blair);
  await logInAfterSignUp(b, blair);
  await at(b, /^\/safety\?next=/);
  await a11y.check(b, 'safety check from an invitation');
  await answerSafety(b, 'no');
  await at(b, invitePath);
  await heading(b, "Join Alex's space");
  await a11y.check(b, 'join');
  await shot(b, 'join');

  await b.getByRole('button', { name: 'Join the space' }).click();
  await at(b, spacePath);
  await b.getByText('You share this space with Alex.').waitFor();
  assert.equal(await b.locator('input.invite-link').count(), 0, 'a full space offers no invitation');
  await a11y.check(b, 'space, shared');
  await shot(b, 'space-shared');
  await shot(b, 'space-shared', { dark: true });

  // The used link now explains itself to anyone who opens it.
  const third = await newPerson();
  const t = await third.newPage();
  await t.goto(link);
  await heading(t, 'This invitation has already been used');
  await third.close();

  // ---- A sees B ----
  await a.goto(url(spacePath));
  await a.getByText('You share this space with Blair.').waitFor();
  assert.equal(await a.locator('input.invite-link').count(), 0);
  await a11y.check(a, 'space, shared (inviter)');

  // ---- A records what happened; B, the hurt partner, marks the first area done ----
  await a.getByRole('link', { name: 'Record what happened' }).click();
  await heading(a, 'Record what happened');
  await a11y.check(a, 'record a breach');
  await a.getByLabel('I did').check();
  await a.locator('#kind').selectOption('financial');
  await a.locator('#agreement').fill('We decide on large spending together.');
  await a.locator('#began').fill('2024-03');
  await a.locator('#came_to_light_on').fill('2025-05');
  await a.getByLabel('The partner who was hurt found out first').check();
  await a.getByRole('button', { name: 'Start the journey' }).click();
  await a.getByText('You are the partner who is repairing.').waitFor();
  const journeyPath = new URL(a.url()).pathname;
  assert.match(journeyPath, /^\/spaces\/[0-9a-f-]+\/breaches\/[0-9a-f-]+$/);
  assert.equal(await a.getByRole('button', { name: 'Mark as done' }).count(), 0);
  await a11y.check(a, 'journey (repairing partner)');
  await shot(a, 'journey-repairing');

  await b.goto(url(journeyPath));
  await b.getByText('You are the partner who was hurt.').waitFor();
  await b.locator('#area-acknowledge').getByRole('button', { name: 'Mark as done' }).click();
  await b.locator('#area-acknowledge').getByText('Done', { exact: true }).waitFor();
  await a11y.check(b, 'journey (hurt partner)');
  await shot(b, 'journey-hurt');
  // ---- A drafts the acknowledgement with the coach live, sends it; B marks it received ----
  await a.goto(url(`${journeyPath}/acknowledge`));
  await heading(a, 'Acknowledge');
  await a.locator('#draft').pressSequentially("I'm sorry if you were hurt, but I was under pressure.", { delay: 5 });
  await a.locator('#coach-results mark').first().waitFor();
  await a.locator('#save-status').getByText('Draft saved.').waitFor();
  await a11y.check(a, 'acknowledgement draft with coach notes');
  await shot(a, 'acknowledge-draft');
  await a.locator('#draft').fill('I hid our savings from you for a year and spent them. It broke our agreement to decide on money together.');
  await a.getByRole('button', { name: 'Send to your partner' }).click();
  await a.getByText('Not marked as received yet.').waitFor();
  await b.goto(url(`${journeyPath}/acknowledge`));
  await b.getByText('I hid our savings from you for a year').waitFor();
  assert.equal(await b.locator('textarea').count(), 0, 'the hurt partner has no editor here');
  await a11y.check(b, 'acknowledgement (hurt partner)');
  await b.getByRole('button', { name: 'Mark as received' }).click();
  await b.getByText(/Received (just now|a minute ago|\d+ minutes ago)/).waitFor();
  await b.goto(url(journeyPath));

  // ---- B asks a question; A answers with the coach reading live; B responds ----
  await b.goto(url(`${journeyPath}/questions`));
  await heading(b, 'Questions');
  await b.locator('#question-text').fill('Who else knew about the money?');
  await b.locator('#question-kind').selectOption('secrecy');
  await b.getByRole('button', { name: 'Ask', exact: true }).click();
  await b.getByText('Who else knew about the money?').waitFor();
  await a11y.check(b, 'questions (hurt partner)');
  await a.goto(url(`${journeyPath}/questions`));
  await a.getByText('does this information help us heal?').waitFor();
  const answerBox = a.locator('textarea[id^="answer-text-"]').first();
  await answerBox.pressSequentially("That's not fair, you never asked.", { delay: 5 });
  await a.locator('.question .coach-results mark').first().waitFor();
  await a11y.check(a, 'questions (repairing partner, coach notes)');
  await answerBox.fill('My brother knew from March. I asked him to keep it from you.');
  await a.getByRole('button', { name: 'Send the answer' }).click();
  await a.getByText('My brother knew from March.').waitFor();
  await b.goto(url(`${journeyPath}/questions`));
  await b.getByRole('button', { name: 'I need more' }).click();
  await b.getByText('You said: I need more.').waitFor();

  // ---- B keeps a private evidence log and shares one entry ----
  await b.goto(url(`${journeyPath}/evidence`));
  await heading(b, 'Your evidence log');
  await b.getByLabel('Built my trust').check();
  await b.locator('#log-text').fill('Alex showed me the bank statement without being asked.');
  await b.getByRole('button', { name: 'Keep this entry' }).click();
  await b.getByText('Private: only you can see this.').waitFor();
  await a11y.check(b, 'evidence log');
  await b.getByRole('button', { name: 'Share with my partner' }).click();
  await b.getByText(/Shared with your partner (just now|a minute ago|\d+ minutes ago)/).waitFor();
  await a.goto(url(`${journeyPath}/evidence`));
  await a.getByText('Alex showed me the bank statement without being asked.').waitFor();

  // ---- B checks in on trust three times; both see the chart ----
  await b.goto(url(`${journeyPath}/patience`));
  await heading(b, 'Patience: how trust is moving');
  for (const n of ['2', '4', '3']) {
    await b.locator(`input[name="trust"][value="${n}"]`).check();
    await b.getByRole('button', { name: 'Note it' }).click();
    await b.locator('table.check-ins').waitFor();
  }
  assert.equal(await b.locator('svg.chart circle.trust-dot').count(), 3);
  await a11y.check(b, 'patience with the trust chart');
  await b.locator('svg.chart').screenshot({ path: path.join(shots, 'trust-chart.png') });
  await a.goto(url(`${journeyPath}/patience`));
  assert.equal(await a.locator('svg.chart circle.trust-dot').count(), 3);
  assert.equal(await a.locator('input[name="trust"]').count(), 0);

  // ---- B signals a trigger; A replies as a listener ----
  await b.goto(url(`${journeyPath}/triggers`));
  await b.getByRole('button', { name: "I'm triggered" }).click();
  await b.getByText("Waiting for your partner's reply.").waitFor();
  await a11y.check(b, 'triggers (hurt partner)');
  await a.goto(url(`${journeyPath}/triggers`));
  await a.locator('textarea[id^="reply-"]').fill("I'm here. Do you want me to sit with you?");
  await a11y.check(a, 'triggers (repairing partner)');
  await a.getByRole('button', { name: 'Send the reply' }).click();
  await a.getByText(/Replied (just now|a minute ago|\d+ minutes ago)/).waitFor();

  // ---- The honesty pledge and the agreements page ----
  await a.goto(url(`${journeyPath}/pledge`));
  await heading(a, 'Honesty pledge');
  await a11y.check(a, 'honesty pledge');
  await a.goto(url(`${journeyPath}/disclosures`));
  await heading(a, 'Further disclosures');
  await a.goto(url(`${spacePath}/agreements`));
  await heading(a, 'Your agreements');
  await a.locator('#agreement-text').fill('We tell each other the same day about spending over 300.');
  await a.getByRole('button', { name: 'Propose' }).click();
  await a.getByText('Your proposals, waiting for your partner').waitFor();
  await a11y.check(a, 'agreements (proposer)');
  await b.goto(url(`${spacePath}/agreements`));
  await b.getByRole('button', { name: 'Accept' }).click();
  await b.getByText(/Agreed (just now|a minute ago|\d+ minutes ago)/).waitFor();
  await a11y.check(b, 'agreements (agreed)');
  await b.goto(url(journeyPath));

  await b.locator('#area-honesty').getByRole('link', { name: 'What this area is about' }).click();
  await heading(b, 'Be honest: what it is about');
  await a11y.check(b, 'guidance');
  await b.goto(url(spacePath));

  // ---- B's other pages, then log out and back in ----
  await b.getByRole('link', { name: 'Where to find help' }).click();
  await at(b, '/help');
  await heading(b, 'Where to find help');
  await a11y.check(b, 'help (logged in)');
  await shot(b, 'help');

  await b.getByRole('link', { name: 'Account', exact: true }).click();
  await at(b, '/account');
  await a11y.check(b, 'account');
  await b.getByRole('link', { name: 'Change your password' }).click();
  await at(b, '/account/password');
  await a11y.check(b, 'change password');

  await b.getByRole('button', { name: 'Log out' }).click();
  await at(b, '/');
  await b.getByRole('link', { name: 'I already have an account' }).waitFor();
  assert.equal(await b.getByRole('button', { name: 'Log out' }).count(), 0);

  // Logged out, the space is not reachable.
  await b.goto(url(spacePath));
  assert.equal(await b.getByText('You share this space with Alex.').count(), 0);

  await b.goto(url('/'));
  await b.getByRole('link', { name: 'I already have an account' }).click();
  await at(b, '/login');
  await heading(b, 'Log in');
  await a11y.check(b, 'log in');
  await shot(b, 'login');

  await b.locator('#email').fill(blair.email);
  await b.locator('#password').fill('not-the-right-password-at-all');
  await b.getByRole('button', { name: 'Log in' }).click();
  await b.locator('#form-errors').waitFor();
  assert.match(await b.locator('#form-errors').innerText(), /don't match an account/);
  await a11y.check(b, 'log in failed');

  await b.locator('#email').fill(blair.email);
  await b.locator('#password').fill(blair.password);
  await b.getByRole('button', { name: 'Log in' }).click();
  await at(b, spacePath);
  await b.getByText('You share this space with Alex.').waitFor();

  journey = { alex, blair, spacePath, journeyPath };
  await contextA.close();
  await contextB.close();
});

/** Logs `person` in and waits for the space they share. */
async function logIn(page, person, spacePath) {
  await page.goto(url('/login'));
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await at(page, spacePath);
}

/** Clicks `action` and returns the response to the POST it makes to a path ending in `suffix`. */
async function postedBy(page, suffix, action) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(suffix)),
    action(),
  ]);
  await page.waitForLoadState();
  return response;
}

/** Follows the dashboard item of the space page that reads `text`. */
async function followWaiting(page, spacePath, text) {
  await page.goto(url(spacePath));
  const item = page.locator('section[aria-labelledby="waiting-title"]').getByRole('link', { name: text, exact: true });
  await item.click();
}

const KIND = 'Money kept secret';

/** Every link in the page's main content leads to a page that opens (200) for this person. */
async function assertLinksOpen(page) {
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((l) => l.href));
  const paths = new Set(hrefs.map((h) => new URL(h)).filter((u) => u.origin === mend.baseUrl)
    .map((u) => u.pathname + u.search));
  assert.ok(paths.size > 0, `links on ${page.url()}`);
  for (const p of paths) {
    const response = await page.request.get(url(p));
    assert.equal(response.status(), 200, `the link to ${p} on ${new URL(page.url()).pathname} opens`);
  }
}

// The second part of the same journey: feelings and reflections, "my side", reassurance with a
// mute, the accountability response, the context conversation, recommitment, transparency, the
// timeline and summary, and last the ending, since nothing can change after it.
story('the journey goes on: feelings, reassurance, responsibility, intention, transparency, and its end', async () => {
  assert.ok(journey, 'the first story created the couple and the journey');
  const { alex, blair, spacePath, journeyPath } = journey;
  const contextA = await newPerson();
  const a = await contextA.newPage();
  await logIn(a, alex, spacePath);
  const contextB = await newPerson();
  const b = await contextB.newPage();
  await logIn(b, blair, spacePath);

  // ---- Feelings: B names one; a feeling needs at least one word ----
  await b.goto(url(journeyPath));
  await b.locator('#area-feelings').getByRole('link', { name: 'Feelings and reflections' }).click();
  await at(b, `${journeyPath}/feelings`);
  await heading(b, 'Feelings');
  await b.getByText('No feelings shared yet.').waitFor();
  await a11y.check(b, 'feelings (hurt partner)');
  const feelingText = 'When I saw the empty account I felt stupid for ever trusting you with it.';
  await b.getByRole('radio', { name: 'Strongly', exact: true }).check();
  await b.locator('#feeling-text').fill(feelingText);
  const noWords = await postedBy(b, '/feelings', () => b.getByRole('button', { name: 'Share this feeling' }).click());
  assert.equal(noWords.status(), 422);
  assert.match(await b.locator('#form-errors').innerText(), /at least one word/);
  assert.equal(await b.locator('#feeling-text').inputValue(), feelingText, 'the text is kept');
  await a11y.check(b, 'feelings with errors');
  await b.getByRole('checkbox', { name: 'Humiliated', exact: true }).check();
  await b.getByRole('checkbox', { name: 'Betrayed', exact: true }).check();
  await b.getByRole('radio', { name: 'Strongly', exact: true }).check();
  await b.getByRole('button', { name: 'Share this feeling' }).click();
  await at(b, `${journeyPath}/feelings`);
  const bFeeling = b.locator('ol.feelings > li').first();
  await bFeeling.getByText('Humiliated, Betrayed').waitFor();
  await bFeeling.getByText('Waiting for a reflection.', { exact: false }).waitFor();
  assert.equal(await b.locator('textarea[id^="reflection-text-"]').count(), 0, 'B does not reflect');

  // ---- A sees it waiting, and reflects with the coach reading live, then as a plain check ----
  await followWaiting(a, spacePath, `1 feeling is waiting for your reflection (${KIND}).`);
  await at(a, `${journeyPath}/feelings`);
  await a.getByText(feelingText).waitFor();
  assert.equal(await a.locator('input[name="word"]').count(), 0, 'A shares no feelings here');
  await a.getByText('Your own perspective stays closed unless and until your partner chooses to open it.', { exact: false }).waitFor();
  await a11y.check(a, 'feelings (repairing partner)');
  const reflection = a.locator('textarea[id^="reflection-text-"]');
  const review = a.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/coach/review');
  await reflection.pressSequentially("I'm sorry you feel that way, but you're overreacting.", { delay: 5 });
  assert.equal(new URLSearchParams((await review).postData()).get('mode'), 'reflection',
    'the coach reads a reflection as listening');
  await a.locator('ol.feelings .coach-results mark').first().waitFor();
  assert.match(await a.locator('ol.feelings .coach-results').innerText(), /overreacting/);
  await a11y.check(a, 'feelings with live coach notes');
  await shot(a, 'feelings-coach');

  const checked = 'You felt stupid, but anyone would have trusted me.';
  await reflection.fill(checked);
  const check = await postedBy(a, '/reflect', () => a.getByRole('button', { name: 'Check with the coach first' }).click());
  assert.equal(check.status(), 200, 'checking with the coach stores nothing and shows the page');
  assert.equal(await a.locator('textarea[id^="reflection-text-"]').inputValue(), checked, 'the draft is kept');
  await a.locator('ol.feelings .coach-results mark').first().waitFor();
  await a.getByText('Waiting for a reflection.', { exact: false }).waitFor();
  await a11y.check(a, 'feelings, checked with the coach');

  await a.locator('textarea[id^="reflection-text-"]').fill(
    'You felt foolish and alone when you saw the empty account, as if trusting me made you stupid.');
  await a.getByRole('button', { name: 'Send the reflection' }).click();
  await at(a, `${journeyPath}/feelings`);
  await a.getByText('A reflection waits for an answer.', { exact: false }).waitFor();
  assert.equal(await a.locator('textarea[id^="reflection-text-"]').count(), 0);

  // ---- B: not yet, with what was missed; A reflects again; B feels heard ----
  await followWaiting(b, spacePath, `1 reflection is waiting for your answer (${KIND}).`);
  await at(b, `${journeyPath}/feelings`);
  await b.getByText('as if trusting me made you stupid').waitFor();
  await a11y.check(b, 'feelings, a reflection to answer');
  await b.locator('textarea[id^="missed-"]').fill('That I felt humiliated in front of my brother too.');
  await b.getByRole('button', { name: 'Not yet', exact: true }).click();
  await at(b, `${journeyPath}/feelings`);
  await b.getByText('Not yet.', { exact: true }).waitFor();
  await b.getByText('That I felt humiliated in front of my brother too.').waitFor();

  await followWaiting(a, spacePath, `1 feeling is waiting for your reflection (${KIND}).`);
  await at(a, `${journeyPath}/feelings`);
  await a.getByText('That I felt humiliated in front of my brother too.').waitFor();
  await a.locator('textarea[id^="reflection-text-"]').fill(
    'You felt humiliated, with me and in front of my brother, and betrayed by someone you trusted.');
  await a11y.check(a, 'feelings, reflecting again');
  await a.getByRole('button', { name: 'Send the reflection' }).click();
  await a.getByText('A reflection waits for an answer.', { exact: false }).waitFor();

  await b.goto(url(`${journeyPath}/feelings`));
  await b.getByRole('button', { name: 'I feel heard' }).click();
  await at(b, `${journeyPath}/feelings`);
  await b.getByText('I feel heard.', { exact: true }).waitFor();
  await bFeeling.getByText('Heard.', { exact: false }).first().waitFor();
  assert.equal(await b.getByRole('button', { name: 'I feel heard' }).count(), 0, 'nothing more to answer');
  await a11y.check(b, 'feelings, heard');
  await shot(b, 'feelings-heard');

  // ---- "My side" stays closed until B opens it ----
  const closed = await a.goto(url(`${journeyPath}/my-side`));
  assert.equal(closed.status(), 403, 'my side is refused before it is opened');
  await a.getByText('This stays closed until the partner who was hurt chooses to open it.').waitFor();
  assert.equal(await a.locator('#draft').count(), 0);
  await a11y.check(a, 'my side, still closed');
  await b.getByRole('button', { name: "Open my partner's side" }).click();
  await at(b, `${journeyPath}/feelings`);
  await b.getByText("Your partner's own perspective is open.", { exact: false }).waitFor();
  await a.goto(url(journeyPath));
  await a.locator('#area-feelings').getByRole('link', { name: 'My side', exact: true }).click();
  await at(a, `${journeyPath}/my-side`);
  await heading(a, 'My side');
  await a11y.check(a, 'my side (repairing partner)');
  const mySide = 'I was ashamed of how much I had lost, and hiding it felt easier than facing you.';
  await a.locator('#draft').fill(mySide);
  await a.getByRole('button', { name: 'Send to your partner' }).click();
  await a.locator('article.entry').getByText(mySide).waitFor();
  await b.goto(url(`${journeyPath}/my-side`));
  await b.getByText(mySide).waitFor();
  assert.equal(await b.locator('#draft').count(), 0, 'the hurt partner reads here');
  await a11y.check(b, 'my side (hurt partner)');

  // ---- Reassurance: A sends a note; B mutes; A cannot send; B unmutes ----
  await a.goto(url(journeyPath));
  await a.locator('#area-patience').getByRole('link', { name: 'Reassurance notes', exact: true }).click();
  await at(a, `${journeyPath}/reassurance`);
  await heading(a, 'Reassurance notes');
  const note1 = "I'm here, and I'm staying. Take all the time you need.";
  await a.locator('#draft').fill(note1);
  await a.getByRole('button', { name: 'Send to your partner' }).click();
  await a.locator('article.entry').getByText(note1).waitFor();
  await a11y.check(a, 'reassurance (repairing partner)');

  await b.goto(url(`${journeyPath}/reassurance`));
  await b.getByText(note1).waitFor();
  await a11y.check(b, 'reassurance (hurt partner)');
  await b.getByRole('button', { name: 'Mute reassurance notes' }).click();
  await at(b, `${journeyPath}/reassurance`);
  await b.getByText('You have muted reassurance notes.', { exact: false }).waitFor();
  await a11y.check(b, 'reassurance, muted (hurt partner)');

  await a.goto(url(`${journeyPath}/reassurance`));
  const paused = 'Your partner has paused reassurance notes for now.';
  await a.locator('p.card').getByText(paused, { exact: false }).waitFor();
  const note2 = 'Thinking of you today.';
  await a.locator('#draft').fill(note2);
  const refusedNote = await postedBy(a, '/reassurance/send',
    () => a.getByRole('button', { name: 'Send to your partner' }).click());
  assert.equal(refusedNote.status(), 409, 'a note cannot be sent while notes are muted');
  assert.match(await a.locator('#form-errors').innerText(), /paused reassurance notes/);
  assert.equal(await a.locator('#draft').inputValue(), note2, 'the note is kept as a draft');
  assert.equal(await a.locator('article.entry').getByText(note2).count(), 0, 'nothing was sent');
  await a11y.check(a, 'reassurance, paused (repairing partner)');
  await b.goto(url(`${journeyPath}/reassurance`));
  assert.equal(await b.getByText(note2).count(), 0);

  await b.getByRole('button', { name: 'Receive reassurance notes again' }).click();
  await at(b, `${journeyPath}/reassurance`);
  await b.getByRole('button', { name: 'Mute reassurance notes' }).waitFor();
  await a.goto(url(`${journeyPath}/reassurance`));
  assert.equal(await a.getByText(paused, { exact: false }).count(), 0, 'the paused notice is gone');
  assert.equal(await a.locator('#draft').inputValue(), note2, 'the kept draft is still there');
  await a.getByRole('button', { name: 'Send to your partner' }).click();
  await a.locator('article.entry').getByText(note2).waitFor();

  // ---- Accountability: A sends a statement; B finds something missing; A sees it ----
  await a.goto(url(journeyPath));
  await a.locator('#area-responsibility').getByRole('link', { name: 'Open the accountability statement' }).click();
  await at(a, `${journeyPath}/accountability`);
  await heading(a, 'Accountability statement');
  const statement = 'I chose to hide our savings and to spend them. It made you doubt yourself. It was my choice alone.';
  await a.locator('#draft').fill(statement);
  await a.getByRole('button', { name: 'Send to your partner' }).click();
  await a.locator('article.entry').getByText(statement).waitFor();
  await a11y.check(a, 'accountability (repairing partner)');

  await followWaiting(b, spacePath, `Your partner's accountability statement is here, when you want to respond (${KIND}).`);
  await at(b, `${journeyPath}/accountability`);
  await b.getByText(statement).waitFor();
  await a11y.check(b, 'accountability (hurt partner)');
  const missing = 'What it did to my trust in my own judgement about money.';
  await b.locator('textarea[id^="missing-"]').fill(missing);
  await b.getByRole('button', { name: 'Something is missing' }).click();
  await at(b, `${journeyPath}/accountability`);
  await b.locator('article.entry strong').getByText('Something is missing').waitFor();
  await b.getByText(missing).waitFor();

  await followWaiting(a, spacePath, `Your partner feels something is missing from your accountability statement (${KIND}).`);
  await at(a, `${journeyPath}/accountability`);
  await a.locator('article.entry strong').getByText('Something is missing').waitFor();
  await a.getByText(missing).waitFor();
  await a.getByRole('heading', { name: 'A correction or addition to your statement' }).waitFor();
  await a11y.check(a, 'accountability, something missing');

  // ---- The context conversation: closed until B opens it from the journey page ----
  const contextClosed = await a.goto(url(`${journeyPath}/context`));
  assert.equal(contextClosed.status(), 403);
  await a.getByText('The context conversation opens only when the partner who was hurt chooses.').waitFor();
  await b.goto(url(journeyPath));
  await b.locator('#area-responsibility').getByRole('button', { name: 'Open the context conversation' }).click();
  await at(b, `${journeyPath}/context`);
  await heading(b, 'The context conversation');
  const contextB1 = 'We stopped talking about money after my job changed. I think you felt you could not bring it up.';
  await b.locator('#draft').fill(contextB1);
  await b.getByRole('button', { name: 'Send to your partner' }).click();
  await b.locator('article.entry').getByText(contextB1).waitFor();
  await b.getByText('You wrote:').waitFor();
  await a11y.check(b, 'context conversation (hurt partner)');

  await a.goto(url(journeyPath));
  await a.locator('#area-responsibility').getByRole('link', { name: 'The context conversation', exact: true }).click();
  await at(a, `${journeyPath}/context`);
  await a.getByText('Your partner wrote:').waitFor();
  await a.getByText(contextB1).waitFor();
  const contextA1 = 'That silence made hiding it easier for me. It explains where I was; it does not excuse it.';
  await a.locator('#draft').fill(contextA1);
  await a.getByRole('button', { name: 'Send to your partner' }).click();
  await a.locator('article.entry').getByText(contextA1).waitFor();
  await a11y.check(a, 'context conversation (repairing partner)');

  // ---- Recommitment at a chosen rhythm ----
  await a.goto(url(journeyPath));
  await a.locator('#area-intention').getByRole('link', { name: 'Recommitments' }).click();
  await at(a, `${journeyPath}/recommit`);
  await heading(a, 'Recommitments');
  await a.getByRole('radio', { name: 'Every two weeks' }).check();
  await a.getByRole('button', { name: 'Keep this rhythm' }).click();
  await at(a, `${journeyPath}/recommit`);
  assert.ok(await a.getByRole('radio', { name: 'Every two weeks' }).isChecked(), 'the rhythm is kept');
  const recommitment = 'I recommit to deciding on money with you. This fortnight I showed you every statement.';
  await a.locator('#draft').fill(recommitment);
  await a.getByRole('button', { name: 'Send to your partner' }).click();
  await a.locator('article.entry').getByText(recommitment).waitFor();
  await a11y.check(a, 'recommitment (repairing partner)');
  await b.goto(url(`${journeyPath}/recommit`));
  await b.getByText(recommitment).waitFor();
  assert.equal(await b.getByRole('button', { name: 'Keep this rhythm' }).count(), 0, 'the rhythm is the writer\'s own');
  await a11y.check(b, 'recommitment (hurt partner)');

  // ---- Transparency: A offers, B accepts ----
  await a.goto(url(journeyPath));
  await a.getByRole('navigation', { name: 'Ways to look at this journey' })
    .getByRole('link', { name: 'Transparency agreements' }).click();
  await at(a, `${journeyPath}/transparency`);
  await heading(a, 'Transparency agreements');
  const promise = 'I will tell you the same day about any payment over 100 from our joint account.';
  await a.locator('#transparency-text').fill(promise);
  await a.locator('#transparency-period').selectOption({ label: '6 months' });
  await a.getByRole('button', { name: 'Offer', exact: true }).click();
  await at(a, `${journeyPath}/transparency`);
  const offers = a.locator('section[aria-labelledby="offers-title"]');
  await offers.getByText(promise).waitFor();
  await offers.getByText('Offered for 6 months', { exact: false }).waitFor();
  await a11y.check(a, 'transparency, offered');

  await followWaiting(b, spacePath, `Your partner offered a transparency agreement (${KIND}).`);
  await at(b, `${journeyPath}/transparency`);
  await a11y.check(b, 'transparency, an offer to decide');
  await b.getByRole('button', { name: 'Accept', exact: true }).click();
  await at(b, `${journeyPath}/transparency`);
  const inPlace = b.locator('section[aria-labelledby="running-title"]');
  await inPlace.getByText(promise).waitFor();
  await inPlace.getByText(/^Runs from .* until .*\.$/).waitFor();
  assert.equal(await b.locator('section[aria-labelledby="offers-title"]').count(), 0);
  await a11y.check(b, 'transparency, in place');
  await a.goto(url(`${journeyPath}/transparency`));
  await a.locator('section[aria-labelledby="running-title"] p.agreement').getByText(promise).waitFor();
  await a.getByText('Offer to renew').waitFor();

  // ---- The timeline, filtered by area, and its chart ----
  await b.goto(url(journeyPath));
  await b.getByRole('navigation', { name: 'Ways to look at this journey' }).getByRole('link', { name: 'Timeline' }).click();
  await at(b, `${journeyPath}/timeline`);
  await heading(b, 'Timeline');
  const events = b.locator('ol.timeline > li');
  for (const text of ['The journey began.', 'A feeling was heard.', 'Something felt missing from the accountability statement.',
    'The context conversation was opened.', 'A recommitment was made.', 'Trust check-in: 3 out of 10.']) {
    await events.getByText(text, { exact: true }).first().waitFor();
  }
  assert.equal(await b.locator('svg.chart circle.trust-dot').count(), 3);
  await a11y.check(b, 'timeline');
  await b.locator('svg.chart').screenshot({ path: path.join(shots, 'timeline-chart.png') });
  const everything = await events.count();
  await assertLinksOpen(b);

  await b.locator('#area-filter').selectOption({ label: 'Listen to the feelings' });
  await b.getByRole('button', { name: 'Show', exact: true }).click();
  await at(b, /\/timeline\?area=feelings$/);
  const feelingEvents = await events.allInnerTexts();
  assert.ok(feelingEvents.length >= 6 && feelingEvents.length < everything,
    `the filter keeps the feelings area only (${feelingEvents.length} of ${everything})`);
  for (const e of feelingEvents) assert.match(e, /Listen to the feelings/, `event in the feelings area: ${e}`);
  assert.ok(feelingEvents.some((e) => e.includes('"My side" was opened.')));
  assert.equal(await b.locator('#area-filter').inputValue(), 'feelings', 'the filter shows its choice');
  await a11y.check(b, 'timeline, one area');

  await a.goto(url(`${journeyPath}/timeline`));
  assert.equal(await a.locator('ol.timeline > li').count(), everything, 'both partners see the same events');
  await assertLinksOpen(a);
  for (const page of [a, b]) {
    await page.goto(url(journeyPath));
    await assertLinksOpen(page);
  }

  // ---- The summary, on screen and in print ----
  await a.goto(url(journeyPath));
  await a.getByRole('navigation', { name: 'Ways to look at this journey' })
    .getByRole('link', { name: 'Summary for a counselling session' }).click();
  await at(a, `${journeyPath}/summary`);
  await heading(a, `Summary for a counselling session: ${KIND}`);
  await a.locator('section.statement').getByText(statement).waitFor();
  await a11y.check(a, 'summary');
  await assertLinksOpen(a);
  await a.emulateMedia({ media: 'print' });
  await a.screenshot({ path: path.join(shots, 'summary-print.png'), fullPage: true });
  assert.equal(await a.locator('#quick-exit').isVisible(), false, 'no quick exit on paper');
  const forms = a.locator('form');
  assert.ok(await forms.count() >= 1, 'the screen version has a form (log out)');
  for (let i = 0; i < await forms.count(); i++) {
    assert.equal(await forms.nth(i).isVisible(), false, 'no form on paper');
  }
  assert.equal(await a.locator('.no-print').first().isVisible(), false);
  assert.ok(await a.locator('svg.chart').isVisible(), 'the chart is printed');
  // Paper is white whatever the screen's scheme: printed from dark mode, it must still read.
  await a11y.check(a, 'summary in print');
  await a.emulateMedia({ media: 'print', colorScheme: 'dark' });
  assert.equal(await a.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
  await a.screenshot({ path: path.join(shots, 'summary-print-from-dark.png'), fullPage: true });
  await a.emulateMedia({ colorScheme: 'light' });
  await a.emulateMedia({ media: 'screen' });
  assert.ok(await a.locator('#quick-exit').isVisible());

  // ---- Ending: B proposes closing the chapter; A agrees; nothing can change after ----
  // A check-in form left open in another tab, to be sent once the journey has ended.
  const stale = await contextB.newPage();
  await stale.goto(url(`${journeyPath}/patience`));
  await stale.locator('input[name="trust"][value="6"]').check();

  await b.goto(url(journeyPath));
  await b.getByRole('navigation', { name: 'Ways to look at this journey' }).getByRole('link', { name: 'Ending the journey' }).click();
  await at(b, `${journeyPath}/endings`);
  await heading(b, 'Ending the journey');
  await a11y.check(b, 'endings (hurt partner)');
  await b.getByRole('button', { name: 'Propose closing this chapter' }).click();
  await at(b, `${journeyPath}/endings`);
  await b.getByText('You have proposed closing this chapter.').waitFor();
  await b.getByRole('button', { name: 'Take the proposal back' }).waitFor();
  await a11y.check(b, 'endings, proposed');

  await followWaiting(a, spacePath, `Your partner has proposed closing this chapter (${KIND}).`);
  await at(a, `${journeyPath}/endings`);
  await a.getByText('Your partner has proposed closing this chapter.').waitFor();
  await a11y.check(a, 'endings, a proposal to agree to');
  await a.getByRole('button', { name: 'I agree: close this chapter' }).click();
  await at(a, `${journeyPath}/endings`);
  await a.locator('.ended-note').getByText(/you chose together to close this chapter\./).waitFor();
  assert.equal(await a.locator('main form').count(), 0, 'the endings page offers nothing more');

  for (const [who, page] of [['repairing partner', a], ['hurt partner', b]]) {
    await page.goto(url(journeyPath));
    await page.locator('.ended-note').getByText(/^This journey ended .* you chose together to close this chapter\./).waitFor();
    assert.equal(await page.locator('main form').count(), 0, `no forms on the ended journey (${who})`);
    await assertLinksOpen(page);
    await a11y.check(page, `journey, ended (${who})`);
  }
  await shot(b, 'journey-ended');
  await b.goto(url(`${journeyPath}/feelings`));
  assert.equal(await b.locator('main form').count(), 0, 'no forms on the feelings page once ended');
  await a.goto(url(spacePath));
  await a.getByText('Nothing is waiting for you right now.').waitFor();

  // The stale check-in form is refused with 409 and says why.
  const late = await postedBy(stale, '/patience', () => stale.getByRole('button', { name: 'Note it' }).click());
  assert.equal(late.status(), 409, 'a check-in on an ended journey is refused');
  await stale.getByText('This journey has ended, so nothing in it can change any more.', { exact: false }).waitFor();
  await a11y.check(stale, 'refused: the journey has ended');
  await stale.close();

  // So is a request made with the page's own CSRF token.
  await a.goto(url(`${journeyPath}/reassurance`));
  const status = await a.evaluate(async (action) => {
    const csrf = document.querySelector('input[name="csrf"]').value;
    const body = new URLSearchParams({ csrf, text: 'One more note.', entry: crypto.randomUUID() });
    const r = await fetch(action, { method: 'POST', body, redirect: 'manual' });
    return r.status;
  }, `${journeyPath}/reassurance/send`);
  assert.equal(status, 409, 'a note on an ended journey is refused');

  await b.goto(url(`${journeyPath}/timeline`));
  await b.locator('ol.timeline > li').getByText('The journey ended: you chose together to close this chapter.').waitFor();

  await contextA.close();
  await contextB.close();
});

story('a concerning safety answer leads to a calm, private page that offers a pause', async () => {
  const context = await newPerson();
  const page = await context.newPage();
  await page.goto(url('/signup'));
  await signUp(page, { name: 'Casey', email: 'casey@example.org', password: PASSWORD_C });
  await logInAfterSignUp(page, { email: 'casey@example.org', password: PASSWORD_C });
  await at(page, '/safety');
  await answerSafety(page, 'no', { afraid: 'not_sure' });
  await heading(page, 'Thank you for answering honestly');
  await page.getByText('can be unsafe while there is fear', { exact: false }).waitFor();
  await page.getByRole('heading', { name: 'Where to find help' }).waitFor();
  await a11y.check(page, 'safety support');
  await shot(page, 'safety-support');

  await page.getByRole('button', { name: 'Pause for now' }).click();
  await heading(page, 'You have paused');
  await a11y.check(page, 'paused');
  // Pausing logs out.
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);
  await context.close();
});

story('the quick exit leaves at once and replaces the history entry', async () => {
  const context = await newPerson();

  // The button.
  const page = await context.newPage();
  await page.goto(url('/help'));
  await page.goto(url('/'));
  const before = await historyLength(page);
  assert.equal(await page.locator('#quick-exit').getAttribute('data-exit-url'), mend.exitUrl);
  await page.locator('#quick-exit').click();
  await page.waitForURL(mend.exitUrl);
  assert.equal(await historyLength(page), before, 'the quick exit adds no history entry');
  await page.goBack();
  assert.equal(new URL(page.url()).pathname, '/help', 'Back skips the page that was left');

  // Shift pressed three times.
  const keys = await context.newPage();
  await keys.goto(url('/'));
  await keys.goto(url('/login'));
  const beforeKeys = await historyLength(keys);
  for (let i = 0; i < 3; i++) await keys.keyboard.press('Shift');
  await keys.waitForURL(mend.exitUrl);
  assert.equal(await historyLength(keys), beforeKeys, 'Shift ×3 adds no history entry');
  await keys.goBack();
  assert.equal(new URL(keys.url()).pathname, '/', 'Back skips the page that was left');

  await context.close();
});

story('without JavaScript, signing up, the safety check, a space and the quick exit still work', async () => {
  const context = await newPerson({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url('/'));
  await page.getByRole('link', { name: 'Create an account' }).click();
  await at(page, '/signup');
  await signUp(page, { name: 'Dana', email: 'dana@example.org', password: PASSWORD_D });
  await logInAfterSignUp(page, { email: 'dana@example.org', password: PASSWORD_D });
  await at(page, '/safety');
  await answerSafety(page, 'no');
  await at(page, '/home');
  await heading(page, 'Welcome, Dana');
  await page.getByRole('button', { name: 'Create our space' }).click();
  await at(page, /^\/spaces\//);
  await page.getByRole('button', { name: 'Create an invitation link' }).click();
  assert.match(await page.locator('input.invite-link').inputValue(), /\/invite\//);
  await shot(page, 'nojs-space');

  // Without the script the quick exit is a plain link through /exit.
  assert.equal(await page.locator('#quick-exit').getAttribute('href'), '/exit');
  await page.locator('#quick-exit').click();
  await page.waitForURL(mend.exitUrl);
  await context.close();
});

story('error pages explain themselves', async () => {
  const context = await newPerson();
  const page = await context.newPage();

  const unknown = await page.goto(url('/invite/AAAAAAAAAAAAAAAAAAAAAA'));
  assert.equal(unknown.status(), 404);
  await heading(page, "This invitation link doesn't work");
  await a11y.check(page, 'unknown invitation');
  await shot(page, 'unknown-invite');

  const missing = await page.goto(url('/no/such/page'));
  assert.equal(missing.status(), 404);
  await heading(page, "We couldn't find that page");
  await a11y.check(page, 'not found');

  await page.goto(url('/help'));
  await heading(page, 'Where to find help');
  await a11y.check(page, 'help (logged out)');
  await context.close();
});

story('the language coach reviews a draft, live with JavaScript and as a plain form without', async () => {
  const draft = "I'm sorry if you were hurt, but you were never there for me.";

  const context = await newPerson();
  const page = await context.newPage();
  await page.goto(url('/'));
  await page.getByRole('link', { name: 'Try the language coach, no account needed' }).click();
  await at(page, '/coach');
  await heading(page, 'Try the language coach');
  await a11y.check(page, 'coach');

  // With JavaScript the results come while typing, and the page stays where it is.
  const before = await historyLength(page);
  await page.locator('#draft').fill(draft);
  const results = page.locator('#coach-results');
  await results.locator('ol.findings li').first().waitFor();
  assert.equal(new URL(page.url()).pathname, '/coach');
  assert.equal(await historyLength(page), before);
  assert.ok(await results.locator('mark').count() >= 1, 'the draft is shown with its marks');
  await a11y.check(page, 'coach with live results');
  await shot(page, 'coach-results');
  await shot(page, 'coach-results', { dark: true });

  // Without JavaScript, the same form is a plain POST that answers with the whole page.
  const nojs = await newPerson({ javaScriptEnabled: false });
  const plain = await nojs.newPage();
  await plain.goto(url('/coach'));
  await plain.locator('#draft').fill(draft);
  await plain.getByRole('button', { name: 'Check my words' }).click();
  await plain.locator('#coach-results ol.findings li').first().waitFor();
  assert.equal(await plain.locator('#draft').inputValue(), draft, 'the draft is kept in the form');
  await context.close();
  await nojs.close();
});

// Typing capitals holds Shift for each one; "Mary Ann Lee" typed briskly (120 ms a key) must not
// throw the person out of a half-filled form: only Shift pressed and released alone counts.
story('typing capital letters does not set off the quick exit', async () => {
  const context = await newPerson();
  const page = await context.newPage();
  await page.goto(url('/signup'));
  await page.locator('#name').click();
  for (const ch of 'Mary Ann Lee') {
    if (ch >= 'A' && ch <= 'Z') {
      await page.keyboard.down('Shift');
      await page.keyboard.press(ch);
      await page.keyboard.up('Shift');
    } else {
      await page.keyboard.press(ch === ' ' ? 'Space' : ch);
    }
    await page.waitForTimeout(120);
  }
  await page.waitForTimeout(500);
  const where = new URL(page.url()).pathname;
  await context.close();
  assert.equal(where, '/signup', 'still on the form after typing a name with capitals');
});

test('no page has serious or critical accessibility violations (axe-core, light and dark)', () => {
  assert.ok(a11y.checked.length >= 140, `axe ran on every page (${a11y.checked.length} page states)`);
  assert.deepEqual(a11y.blocking.map((e) => `${e.impact} ${e.id} on ${e.page} (${e.scheme})`), [],
    `axe-core found serious or critical violations:\n${a11y.report()}`);
});

test('pages load nothing from elsewhere, break no CSP rule and throw no script error', () => {
  assert.deepEqual(problems, []);
});
