// Opens one page in Debian's Chromium (driven by playwright-core), runs axe-core on it and
// prints one JSON object on stdout: the cards found, the stylesheets, the requests that
// failed and axe's violations. Used by tests/e2e/test_demo_in_browser.py.
//
//   node tests/e2e/check_page.mjs URL SCREENSHOT.png
//
// The network is closed: requests to hosts other than 127.0.0.1, localhost and *.localhost
// are aborted (the map card then shows its list of places on an empty map), so they neither
// wait for a timeout nor fail the check. Environment: CHROMIUM (default /usr/bin/chromium).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { launchChromium } from "../browser.mjs";

const require = createRequire(import.meta.url);
const [url, screenshotPath] = process.argv.slice(2);
if (!url || !screenshotPath) {
  console.error("usage: node check_page.mjs URL SCREENSHOT.png");
  process.exit(2);
}

const LOCAL_HOST = /^(127\.0\.0\.1|localhost|.+\.localhost)$/;

const browser = await launchChromium();

try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
    timezoneId: "Europe/Amsterdam",
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  const blocked = [];
  const failed = [];
  const consoleErrors = [];
  await page.route("**/*", (route) => {
    const requestUrl = new URL(route.request().url());
    if (requestUrl.protocol === "data:" || LOCAL_HOST.test(requestUrl.hostname)) {
      return route.continue();
    }
    blocked.push(requestUrl.href);
    return route.abort("blockedbyclient");
  });
  page.on("requestfailed", (request) => {
    const requestUrl = new URL(request.url());
    if (LOCAL_HOST.test(requestUrl.hostname)) {
      failed.push({ url: request.url(), error: request.failure()?.errorText ?? "" });
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push({ url: response.url(), status: response.status() });
  });
  page.on("console", (message) => {
    // "Failed to load resource" repeats a failed request; those are in blocked/failed above.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      consoleErrors.push(message.text());
    }
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));

  const response = await page.goto(url, { waitUntil: "load" });

  const cardLocator = page.locator("[data-card-type]");
  const cards = [];
  for (let index = 0; index < (await cardLocator.count()); index++) {
    const card = cardLocator.nth(index);
    const box = await card.boundingBox();
    cards.push({
      type: await card.getAttribute("data-card-type"),
      id: await card.getAttribute("id"),
      activity: await card.getAttribute("data-activity"),
      visible: await card.isVisible(),
      width: box ? Math.round(box.width) : 0,
      height: box ? Math.round(box.height) : 0,
    });
  }

  const styles = await page.evaluate(() => ({
    stylesheets: [...document.styleSheets].map((sheet) => {
      let rules = null;
      try {
        rules = sheet.cssRules.length;
      } catch {
        rules = null; // cross-origin or not loaded
      }
      return { href: sheet.href, rules };
    }),
    // The header is var(--accent) in site.css; browser default would be transparent.
    headerBackground: getComputedStyle(document.querySelector(".site-header") || document.body)
      .backgroundColor,
  }));

  // Evaluated through the DevTools protocol rather than added as a <script>, so that the
  // site's Content-Security-Policy (which stays on) does not block it.
  await page.evaluate(await readFile(require.resolve("axe-core/axe.min.js"), "utf8"));
  const axeResults = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"] }),
  );
  const violations = axeResults.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({
      target: node.target.join(" "),
      html: node.html.slice(0, 300),
      summary: node.failureSummary,
    })),
  }));

  // Checks axe could not decide (e.g. contrast over an image): reported, not asserted.
  const incomplete = axeResults.incomplete.map((result) => ({
    id: result.id,
    impact: result.impact,
    nodes: result.nodes.map((node) => node.target.join(" ")),
  }));

  await page.screenshot({ path: screenshotPath, fullPage: true });

  process.stdout.write(
    JSON.stringify({
      url,
      finalUrl: page.url(),
      status: response ? response.status() : null,
      title: await page.title(),
      lang: await page.getAttribute("html", "lang"),
      headings: (await page.locator("h1, h2, h3").allInnerTexts()).map((text) => text.trim()),
      cards,
      ...styles,
      blockedRequests: blocked,
      failedRequests: failed,
      consoleErrors,
      axeVersion: axeResults.testEngine.version,
      violations,
      incomplete,
      screenshot: screenshotPath,
    }) + "\n",
  );
} finally {
  await browser.close();
}
