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
  await b.getByText(/Received on/).waitFor();
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
  await b.getByText('Your partner said: I need more.').waitFor();

  // ---- B keeps a private evidence log and shares one entry ----
  await b.goto(url(`${journeyPath}/evidence`));
  await heading(b, 'Your evidence log');
  await b.getByLabel('Built my trust').check();
  await b.locator('#log-text').fill('Alex showed me the bank statement without being asked.');
  await b.getByRole('button', { name: 'Keep this entry' }).click();
  await b.getByText('Private: only you can see this.').waitFor();
  await a11y.check(b, 'evidence log');
  await b.getByRole('button', { name: 'Share with my partner' }).click();
  await b.getByText(/Shared with your partner on/).waitFor();
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
  await b.getByText('Waiting for your reply.').waitFor();
  await a11y.check(b, 'triggers (hurt partner)');
  await a.goto(url(`${journeyPath}/triggers`));
  await a.locator('textarea[id^="reply-"]').fill("I'm here. Do you want me to sit with you?");
  await a11y.check(a, 'triggers (repairing partner)');
  await a.getByRole('button', { name: 'Send the reply' }).click();
  await a.getByText(/Replied on/).waitFor();

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
  await b.getByText(/Agreed on/).waitFor();
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

  await b.getByRole('link', { name: 'Change password' }).click();
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

  await contextA.close();
  await contextB.close();
});

story('a concerning safety answer leads to a calm, private page that offers a pause', async () => {
  const context = await newPerson();
  const page = await context.newPage();
  await page.goto(url('/signup'));
  await signUp(page, { name: 'Casey', email: 'casey@example.org', password: PASSWORD_C });
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
  assert.ok(a11y.checked.length >= 40, `axe ran on every page (${a11y.checked.length} page states)`);
  assert.deepEqual(a11y.blocking.map((e) => `${e.impact} ${e.id} on ${e.page} (${e.scheme})`), [],
    `axe-core found serious or critical violations:\n${a11y.report()}`);
});

test('pages load nothing from elsewhere, break no CSP rule and throw no script error', () => {
  assert.deepEqual(problems, []);
});
