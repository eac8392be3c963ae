'use strict';
// Debian's chromium driven by playwright-core; no browser is ever downloaded.

const fs = require('node:fs');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.MEND_E2E_CHROMIUM || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A phone-sized screen: Mend is mobile first. */
const PHONE = { width: 390, height: 844 };

async function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  }
  // launch() gives every run a fresh, temporary user-data folder.
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
}

/**
 * A new browser context (one person's browser) that records anything the server's own pages
 * should never do: load from another origin, break the Content-Security-Policy, throw.
 */
async function personContext(browser, baseUrl, problems, options = {}) {
  const context = await browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: false,
    locale: 'en-GB',
    colorScheme: 'light',
    ...options,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const origin = new URL(baseUrl).origin;
  context.on('request', (request) => {
    const url = request.url();
    if (/^(data|blob|about):/.test(url)) return;
    if (new URL(url).origin !== origin) problems.push(`request to another origin: ${url}`);
  });
  context.on('page', (page) => watchPage(page, problems));
  return context;
}

function watchPage(page, problems) {
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(text)) {
      problems.push(`CSP on ${page.url()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`script error on ${page.url()}: ${error.message}`));
}

module.exports = { launch, personContext, PHONE };
