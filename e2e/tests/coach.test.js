'use strict';
// The coach while typing, on every form that has it (and on the way, the invitation's copy
// button, the favicon and the navigation on an error page): beside the draft on a wide screen
// (1280×800), right under the field on a phone (390×844), in view once something is typed; the
// summary announced through the page's one `#coach-summary` live region (htmx logs an error
// when a page misses it, and any htmx error fails this test); axe on every form with notes.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { startMend, backendOf, E2E_DIR } = require('../lib/server');
const { launch, personContext } = require('../lib/browser');
const { A11y } = require('../lib/a11y');

const PASSWORD_A = 'walnut-harbour-signal-83';
const PASSWORD_B = 'saffron-pebble-lantern-27';
// Addresses of their own: on PostgreSQL, the suites share one database.
const ALEX = { name: 'Rowan', email: 'rowan-coach@example.org', password: PASSWORD_A };
const BLAIR = { name: 'Sky', email: 'sky-coach@example.org', password: PASSWORD_B };
const DRAFT = "I'm sorry if you were hurt, but you're overreacting and I was under pressure.";
const WIDE = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let mend;
let browser;
let shots;
const a11y = new A11y();
const problems = [];
const htmxErrors = [];

before(async () => {
  const backend = backendOf(process.env.MEND_E2E_DATABASE_URL);
  shots = path.join(E2E_DIR, 'test-results', `${backend}-coach`);
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

async function at(page, pattern) {
  await page.waitForURL((u) => {
    const here = u.pathname + u.search;
    return typeof pattern === 'string' ? u.pathname === pattern : pattern.test(here);
  });
}

async function person(options = {}) {
  const context = await personContext(browser, mend.baseUrl, problems, options);
  context.on('page', (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error' && /htmx/i.test(message.text())) {
        htmxErrors.push(`${new URL(page.url()).pathname}: ${message.text()}`);
      }
    });
  });
  return context;
}

async function signUpAndIn(page, who, next = /^\/safety/) {
  await page.locator('#name').fill(who.name);
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await at(page, /^\/login\?/);
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await at(page, next);
  const fieldsets = page.locator('fieldset.choice');
  for (let i = 0; i < await fieldsets.count(); i++) {
    await fieldsets.nth(i).locator('input[type=radio][value="no"]').check();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** The box of `locator`, which must be on screen. */
async function box(locator, what) {
  const b = await locator.boundingBox();
  assert.ok(b, `${what} is rendered`);
  return b;
}

/**
 * Types the draft into `field` and checks where the coach's notes appear: beside the field on
 * a wide screen, under it on a phone, and in the viewport either way.
 */
async function typeAndLook(page, field, coach, label, viewport) {
  await field.fill('');
  // As a person brings the field they write in to the middle of the screen.
  await field.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await field.pressSequentially(DRAFT, { delay: 2 });
  const finding = coach.locator('ol.findings li').first();
  await finding.waitFor();
  // The live region announces the summary: one per page, filled by htmx out of band.
  await page.locator('#coach-summary').filter({ hasText: /look at|nothing/i }).waitFor({ state: 'attached' });
  assert.equal(await page.locator('#coach-summary').count(), 1, `one #coach-summary on ${label}`);
  const f = await box(field, `${label}: the field`);
  const c = await box(coach, `${label}: the coach`);
  const first = await box(finding, `${label}: the first note`);
  if (viewport.width >= 1000) {
    assert.ok(c.x >= f.x + f.width - 1, `${label}: the coach is beside the draft (field ${JSON.stringify(f)}, coach ${JSON.stringify(c)})`);
  } else {
    assert.ok(c.y >= f.y + f.height - 1, `${label}: the coach is under the field (field ${JSON.stringify(f)}, coach ${JSON.stringify(c)})`);
  }
  assert.ok(first.y >= 0 && first.y + Math.min(first.height, 60) <= viewport.height,
    `${label}: the first note is in view at ${viewport.width}×${viewport.height} (${JSON.stringify(first)})`);
  assert.ok(first.x >= 0 && first.x + first.width <= viewport.width + 1, `${label}: the note fits the width`);
}

test('the coach is in view while typing, on every form that has it, wide and on a phone', async () => {
  const contextA = await person({ viewport: WIDE, isMobile: false });
  const contextB = await person();
  try {
    const a = await contextA.newPage();
    const b = await contextB.newPage();

    // ---- A couple and a journey ----
    await a.goto(url('/signup'));
    await signUpAndIn(a, ALEX);
    await a.getByRole('button', { name: 'Create our space' }).click();
    await at(a, /^\/spaces\/[0-9a-f-]{36}$/);
    const spacePath = new URL(a.url()).pathname;
    await a.getByRole('button', { name: 'Create an invitation link' }).click();
    const link = await a.locator('input.invite-link').inputValue();
    // The copy button (it needs the script; the link stays selectable without it).
    await contextA.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mend.baseUrl });
    await a.getByRole('button', { name: 'Copy the link' }).click();
    await a.locator('.copy-status').filter({ hasText: 'Copied.' }).waitFor();
    assert.equal(await a.evaluate(() => navigator.clipboard.readText()), link);
    await a11y.check(a, 'space with a copied invitation');
    await b.goto(link);
    await b.getByRole('link', { name: 'Create an account to join' }).click();
    await signUpAndIn(b, BLAIR, /^\/safety\?next=/);
    await b.getByRole('button', { name: 'Join the space' }).click();
    await at(b, spacePath);
    await a.goto(url(spacePath));
    await a.getByRole('link', { name: 'Record what happened' }).click();
    await a.getByLabel('I did').check();
    await a.locator('#kind').selectOption('financial');
    await a.locator('#agreement').fill('We decide on large spending together.');
    await a.locator('#began').fill('2024-03');
    await a.locator('#came_to_light_on').fill('2025-05');
    await a.getByLabel('The partner who was hurt found out first').check();
    await a.getByRole('button', { name: 'Start the journey' }).click();
    await a.getByText('You are the partner who is repairing.').waitFor();
    const journey = new URL(a.url()).pathname;
    // Our own icon loads, and an error page keeps the navigation of a person logged in.
    const icon = await a.request.get(url('/static/favicon.svg'));
    assert.equal(icon.status(), 200);
    assert.equal(await a.locator('link[rel="icon"]').getAttribute('href'), '/static/favicon.svg');
    const missing = await a.goto(url('/no-such-page'));
    assert.equal(missing.status(), 404);
    await a.getByRole('link', { name: 'Account', exact: true }).waitFor();
    await a.getByRole('button', { name: 'Log out' }).waitFor();
    await a11y.check(a, 'a page that does not exist, logged in');

    // ---- What the hurt partner sends, so that A has something to answer ----
    await b.goto(url(`${journey}/questions`));
    await b.locator('#question-text').fill('Who else knew about the money?');
    await b.getByRole('button', { name: 'Ask', exact: true }).click();
    await b.getByText('Who else knew about the money?').waitFor();
    await b.goto(url(`${journey}/triggers`));
    await b.getByRole('button', { name: "I'm triggered" }).click();
    await b.getByText("Waiting for your partner's reply.").waitFor();
    await b.goto(url(`${journey}/feelings`));
    await b.getByRole('checkbox', { name: 'Betrayed', exact: true }).check();
    await b.getByRole('radio', { name: 'Strongly', exact: true }).check();
    await b.getByRole('button', { name: 'Share this feeling' }).click();
    await b.locator('ol.feelings > li').first().waitFor();
    await b.getByRole('button', { name: "Open my partner's side" }).click();
    await at(b, `${journey}/feelings`);
    await b.goto(url(journey));
    await Promise.all([
      b.waitForURL((u) => u.pathname.startsWith(journey)),
      b.locator('#area-responsibility').getByRole('button', { name: 'Open the context conversation' }).click(),
    ]);
    await b.waitForLoadState();

    // ---- Every form with the coach ----
    const forms = [
      { label: 'the coach page', path: '/coach', field: '#draft', coach: 'section.coach-results' },
      ...['acknowledge', 'pledge', 'disclosures', 'accountability', 'intention', 'recommit', 'reassurance', 'my-side', 'context']
        .map((s) => ({ label: s, path: `${journey}/${s}`, field: '#draft', coach: 'section.coach-results' })),
      { label: 'an answer', path: `${journey}/questions`, field: 'textarea[id^="answer-text-"]', coach: '.question div.coach-results' },
      { label: 'a trigger reply', path: `${journey}/triggers`, field: 'textarea[id^="reply-"]', coach: 'ol.triggers div.coach-results' },
      { label: 'a reflection', path: `${journey}/feelings`, field: 'textarea[id^="reflection-text-"]', coach: 'ol.feelings div.coach-results' },
    ];
    for (const viewport of [WIDE, PHONE]) {
      await a.setViewportSize(viewport);
      for (const form of forms) {
        const label = `${form.label} at ${viewport.width}×${viewport.height}`;
        const response = await a.goto(url(form.path));
        assert.equal(response.status(), 200, `${label} opens`);
        await a.waitForFunction(() => typeof window.htmx === 'object');
        await typeAndLook(a, a.locator(form.field).first(), a.locator(form.coach).first(), label, viewport);
        await a11y.check(a, label);
        await a.screenshot({ path: path.join(shots, `${form.label.replace(/[^a-z-]+/g, '-')}-${viewport.width}.png`) });
      }
    }

    assert.deepEqual(htmxErrors, [], 'no htmx errors in the console');
    assert.deepEqual(problems, [], 'no page loads from elsewhere, breaks its CSP or throws');
    assert.deepEqual(a11y.blocking, [], a11y.report());
  } finally {
    await contextA.close().catch(() => {});
    await contextB.close().catch(() => {});
  }
});
