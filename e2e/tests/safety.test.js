'use strict';
// Leaving Mend in a hurry, in a real browser, with JavaScript on and off: "Leave quietly" after a
// worrying safety answer, and the quick exit (button and Shift ×3). Each must reach the exit
// site, which here is a second local server on another origin (so that `form-action 'self'`
// applies as it would in real life), end the session on the server, and leave nothing behind
// Back but the log-in page.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { startMend, backendOf, E2E_DIR } = require('../lib/server');
const { launch, personContext } = require('../lib/browser');

const PASSWORD = 'lantern-orchid-gravel-71';
const EXIT_PAGE = '<!doctype html><html lang="en"><title>Weather</title><h1>Today\'s weather</h1></html>';

// E-mail addresses of its own: on PostgreSQL, this suite and the story share one database.
let mend;
let browser;
let exitSite;
let exitUrl;
let shots;
/** The couple whose space the quick exit leaves: set by the first test. */
let couple = null;
const problems = [];
const openContexts = new Set();

before(async () => {
  const backend = backendOf(process.env.MEND_E2E_DATABASE_URL);
  shots = path.join(E2E_DIR, 'test-results', `${backend}-safety`);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  exitSite = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(EXIT_PAGE);
  });
  await new Promise((resolve) => exitSite.listen(0, '127.0.0.1', resolve));
  exitUrl = `http://127.0.0.1:${exitSite.address().port}/`;
  mend = await startMend({ logFile: path.join(shots, 'server.log'), exitUrl });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (mend) await mend.stop();
  if (exitSite) await new Promise((resolve) => exitSite.close(resolve));
});

const url = (p) => `${mend.baseUrl}${p}`;

async function newPerson(options) {
  const context = await personContext(browser, mend.baseUrl, problems, options);
  openContexts.add(context);
  context.on('close', () => openContexts.delete(context));
  return context;
}

function story(name, fn) {
  test(name, async () => {
    try {
      await fn();
    } catch (error) {
      let n = 0;
      for (const context of openContexts) {
        for (const page of context.pages()) {
          n += 1;
          const shown = await page.locator('body').innerText({ timeout: 1000 }).catch(() => '(no body)');
          console.log(`page ${n} at ${page.url()} showed:\n${shown.slice(0, 600)}`);
          const file = `FAILED-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40)}-${n}.png`;
          await page.screenshot({ path: path.join(shots, file), fullPage: true }).catch(() => {});
        }
      }
      throw error;
    } finally {
      for (const context of [...openContexts]) await context.close().catch(() => {});
    }
  });
}

async function at(page, pathname) {
  await page.waitForURL((u) => u.origin === mend.baseUrl
    && (typeof pathname === 'string' ? u.pathname === pathname : pathname.test(u.pathname + u.search)));
}

async function heading(page, text) {
  const h1 = page.locator('h1');
  await h1.waitFor();
  assert.equal((await h1.innerText()).trim(), text, `heading on ${page.url()}`);
}

async function signUp(page, person, { safety = 'no', afraid = safety } = {}) {
  if (new URL(page.url()).pathname !== '/signup') await page.goto(url('/signup'));
  await page.locator('#name').fill(person.name);
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  // Signing up never logs in by itself: the person logs in on the page it leads to.
  await at(page, /^\/login\?signed_up=1/);
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await at(page, /^\/safety/);
  const fieldsets = page.locator('fieldset.choice');
  const count = await fieldsets.count();
  for (let i = 0; i < count; i++) {
    const radios = fieldsets.nth(i).locator('input[type=radio]');
    const name = await radios.first().getAttribute('name');
    await fieldsets.nth(i).locator(`input[type=radio][value="${name === 'afraid' ? afraid : safety}"]`).check();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function logIn(page, person) {
  await page.goto(url('/login'));
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await at(page, couple.spacePath);
}

async function sessionCookie(context) {
  return (await context.cookies(mend.baseUrl)).find((c) => c.name === 'mend_session');
}

/** What the server answers to `/home` for a request carrying only this session cookie. */
async function homeWith(cookie) {
  const res = await fetch(url('/home'), { headers: { cookie: `mend_session=${cookie.value}` }, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location') };
}

/** After leaving: on the exit site, the cookie forgotten by the browser and refused by the server. */
async function leftForGood(page, context, oldCookie) {
  await page.waitForURL(exitUrl);
  await page.getByRole('heading', { name: "Today's weather" }).waitFor();
  assert.equal(await sessionCookie(context), undefined, 'the browser no longer holds the session cookie');
  const refused = await homeWith(oldCookie);
  assert.equal(refused.status, 303, 'the old session cookie is refused');
  assert.match(refused.location, /^\/login/);
}

/** Back from the exit site shows the log-in page and nothing of what was there. */
async function backShowsOnlyTheLogIn(page, privateWords) {
  await page.goBack();
  await at(page, '/login');
  await heading(page, 'Log in');
  const shown = await page.locator('body').innerText();
  for (const word of privateWords) {
    assert.ok(!shown.includes(word), `Back shows ${JSON.stringify(word)} at ${page.url()}`);
  }
  // A reload shows no more.
  await page.reload();
  await heading(page, 'Log in');
}

story('a couple shares a space (the setting the quick exit must leave)', async () => {
  const alex = { name: 'Alex', email: 'safety-alex@example.org', password: PASSWORD };
  const sam = { name: 'Sam', email: 'safety-sam@example.org', password: PASSWORD };
  const a = await (await newPerson()).newPage();
  await signUp(a, alex);
  await at(a, '/home');
  await a.getByRole('button', { name: 'Create our space' }).click();
  await at(a, /^\/spaces\//);
  const spacePath = new URL(a.url()).pathname;
  await a.getByRole('button', { name: 'Create an invitation link' }).click();
  const link = await a.locator('input.invite-link').inputValue();

  const s = await (await newPerson()).newPage();
  await s.goto(link);
  await s.getByRole('link', { name: 'Create an account to join' }).click();
  await at(s, /^\/signup/);
  await signUp(s, sam);
  await at(s, new URL(link).pathname);
  await s.getByRole('button', { name: 'Join the space' }).click();
  await at(s, spacePath);
  await s.getByText('You share this space with Alex.').waitFor();
  couple = { alex, sam, spacePath };
});

for (const javaScriptEnabled of [true, false]) {
  const js = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  story(`"Leave quietly" logs out and reaches the exit site, ${js}`, async () => {
    const context = await newPerson({ javaScriptEnabled });
    const page = await context.newPage();
    const casey = { name: 'Casey', email: `safety-casey-${javaScriptEnabled}@example.org`, password: PASSWORD };
    await page.goto(url('/signup'));
    await signUp(page, casey, { afraid: 'yes' });
    await heading(page, 'Thank you for answering honestly');
    const cookie = await sessionCookie(context);
    assert.ok(cookie, 'logged in before leaving');

    await page.getByRole('button', { name: 'Leave quietly' }).click();
    await leftForGood(page, context, cookie);
    await page.screenshot({ path: path.join(shots, `left-quietly-${javaScriptEnabled ? 'js' : 'nojs'}.png`) });
    // The page in between replaced itself: Back leads to the support page's address, which now
    // asks to log in.
    await backShowsOnlyTheLogIn(page, ['Thank you for answering honestly', 'Leave quietly', 'Casey']);
  });

  story(`the quick exit ends the session and Back shows only the log-in page, ${js}`, async () => {
    assert.ok(couple, 'the couple was set up');
    const context = await newPerson({ javaScriptEnabled });
    const page = await context.newPage();
    await logIn(page, couple.sam);
    await page.getByText('You share this space with Alex.').waitFor();
    await page.goto(url(`${couple.spacePath}/journal`));
    const cookie = await sessionCookie(context);
    assert.ok(cookie);
    if (javaScriptEnabled) {
      assert.equal(await page.locator('#quick-exit').getAttribute('data-exit-url'), exitUrl);
    } else {
      assert.equal(await page.locator('#quick-exit').getAttribute('href'), '/exit');
    }
    await page.locator('#quick-exit').click();
    await leftForGood(page, context, cookie);
    // With JavaScript the journal's history entry was replaced, so Back reaches the space page;
    // without, Back reaches the journal and then the space page. Each asks to log in.
    await backShowsOnlyTheLogIn(page, ['Alex', 'You share this space']);
    if (!javaScriptEnabled) {
      await page.goBack();
      await page.goBack();
      await heading(page, 'Log in');
      assert.ok(!(await page.locator('body').innerText()).includes('Alex'));
    }
  });
}

story('Shift pressed three times ends the session too', async () => {
  const context = await newPerson();
  const page = await context.newPage();
  await logIn(page, couple.sam);
  await page.goto(url('/help'));
  const cookie = await sessionCookie(context);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
  await leftForGood(page, context, cookie);
  await page.goBack();
  await at(page, '/login');
  assert.ok(!(await page.locator('body').innerText()).includes('Alex'));
});

story('the help page says what the quick exit does and cannot do', async () => {
  const page = await (await newPerson()).newPage();
  await page.goto(url('/help'));
  await page.getByRole('heading', { name: 'The quick exit' }).waitFor();
  await page.getByText('logs you out and takes you at once to an ordinary website').waitFor();
  await page.getByText('It cannot remove Mend from your browser history').waitFor();
});

test('Mend pages break no CSP rule and load nothing from elsewhere but the exit site', () => {
  const exitOrigin = new URL(exitUrl).origin;
  const unexpected = problems.filter((p) => !p.startsWith(`request to another origin: ${exitOrigin}/`));
  assert.deepEqual(unexpected, []);
  assert.ok(problems.length > 0, 'the exit site was reached (and recorded as another origin)');
});
