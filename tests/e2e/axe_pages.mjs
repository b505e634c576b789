// Runs axe-core, with WCAG 2.2's target-size rule switched on, on several pages at several
// viewport widths in one Chromium, and prints one JSON list on stdout: per page and width,
// the final URL, the status and axe's violations (every impact).
//
//   node tests/e2e/axe_pages.mjs '[{"url": "http://…", "width": 390, "cookie": "…"}, …]'
//
// "cookie" (optional) is a session cookie value for 127.0.0.1 pages that need a signed-in
// visitor. Requests to hosts other than 127.0.0.1, localhost and *.localhost are aborted.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { launchChromium } from "../browser.mjs";

const require = createRequire(import.meta.url);
const pages = JSON.parse(process.argv[2] || "[]");
const LOCAL_HOST = /^(127\.0\.0\.1|localhost|.+\.localhost)$/;
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

const browser = await launchChromium();
const results = [];
try {
  for (const { url, width, cookie } of pages) {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      locale: "en-US",
      timezoneId: "Europe/Amsterdam",
    });
    if (cookie) {
      const { hostname } = new URL(url);
      await context.addCookies([{ name: "sessionid", value: cookie, domain: hostname, path: "/" }]);
    }
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.route("**/*", (route) => {
      const requestUrl = new URL(route.request().url());
      if (requestUrl.protocol === "data:" || LOCAL_HOST.test(requestUrl.hostname)) return route.continue();
      return route.abort("blockedbyclient");
    });
    const response = await page.goto(url, { waitUntil: "load" });
    // Through the DevTools protocol, so the site's Content-Security-Policy stays on.
    await page.evaluate(axeSource);
    const axeResults = await page.evaluate(() =>
      window.axe.run(document, {
        resultTypes: ["violations"],
        rules: { "target-size": { enabled: true } },
      }),
    );
    results.push({
      url,
      width,
      finalUrl: page.url(),
      status: response ? response.status() : null,
      violations: axeResults.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({
          target: node.target.join(" "),
          html: node.html.slice(0, 300),
          summary: node.failureSummary,
        })),
      })),
    });
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results) + "\n");
