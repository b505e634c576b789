// Sign-up → verify → join, in Debian's Chromium driven by playwright-core, on a custom domain.
//
//   node signup_join.mjs BASE_URL INITIATIVE_ID EMAIL SCREENSHOT_DIR
//
// After submitting the sign-up form it prints "SIGNED_UP" and reads the verification link
// from stdin (the test reads it from Django's outbox). It ends by printing one JSON report:
// the hosts visited, the texts found, and axe-core's violations on each form page.
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { readFile } from "node:fs/promises";
import { launchChromium } from "../../browser.mjs";

const require = createRequire(import.meta.url);
const [base, initiativeId, email, shots] = process.argv.slice(2);
const password = "a-long-Passphrase-42";
const LOCAL_HOST = /^(127\.0\.0\.1|localhost|.+\.localhost)$/;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const browser = await launchChromium();
const report = { hosts: [], violations: {}, texts: {}, cspViolations: [] };
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

async function axe(page, name) {
  // Evaluated through the DevTools protocol, which the page's CSP (no inline script) allows.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.html) }));
  });
  report.violations[name] = result;
}

try {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.protocol === "data:" || LOCAL_HOST.test(url.hostname) ? route.continue() : route.abort("blockedbyclient");
  });
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) report.hosts.push(new URL(frame.url()).host); });
  page.on("console", (message) => { if (/Content.Security.Policy/i.test(message.text())) report.cspViolations.push(message.text()); });

  const members = `${base}/accounts/initiative/${initiativeId}/members/`;
  await page.goto(`${base}/accounts/signup/?next=${encodeURIComponent(`/accounts/initiative/${initiativeId}/members/`)}`);
  await axe(page, "signup");
  await page.getByLabel("Display name").fill("Buurtbewoner");
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password:?$/).fill(password);
  await page.getByLabel(/^Password \(again\)/).fill(password);
  await page.getByRole("button", { name: "Sign Up" }).click();
  await page.waitForLoadState();
  report.texts.afterSignup = await page.locator("main").innerText();
  await page.screenshot({ path: `${shots}/signed-up.png`, fullPage: true });
  console.log("SIGNED_UP");

  const link = (await lines.next()).value.trim();
  await page.goto(link);
  await axe(page, "confirm");
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.waitForLoadState();

  await page.goto(members);
  await axe(page, "members");
  await page.getByLabel("Participant").check();
  await page.getByRole("button", { name: "Join", exact: true }).click();
  await page.waitForLoadState();
  report.texts.afterJoin = await page.locator("main").innerText();
  report.finalUrl = page.url();
  await page.screenshot({ path: `${shots}/joined.png`, fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
