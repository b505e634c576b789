// A frontrunner manages a vote in the admin, in Debian's Chromium (playwright-core).
//
//   node tests/e2e/vote_admin.mjs CONFIG.json
//
// CONFIG: {base, frontrunnerSession, question, newQuestion, closesAt, shots}
// The frontrunner opens the Votes listing, opens the vote that has not opened yet, changes
// its question and closing time, then cancels it with a reason; the public page's card then
// shows the new question as cancelled. Prints one JSON report.
import { readFile } from "node:fs/promises";
import { launchChromium } from "../browser.mjs";

const config = JSON.parse(await readFile(process.argv[2], "utf8"));
const LOCAL_HOST = /^(127\.0\.0\.1|localhost|.+\.localhost)$/;
const report = { texts: {}, pageErrors: [] };
const browser = await launchChromium();

try {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  await context.addCookies([
    { name: "sessionid", value: config.frontrunnerSession, domain: new URL(config.base).hostname, path: "/" },
  ]);
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.protocol === "data:" || LOCAL_HOST.test(url.hostname) ? route.continue() : route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (error) => report.pageErrors.push(String(error)));

  await page.goto(`${config.base}/admin/governance_proposals/`);
  report.texts.listing = await page.locator("main").innerText();
  await page.getByRole("link", { name: config.question }).first().click();
  await page.getByLabel("Question").fill(config.newQuestion);
  await page.getByLabel("Closes at").fill(config.closesAt);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByText(/is changed/).first().waitFor();
  report.texts.afterEdit = await page.locator("body").innerText();
  await page.screenshot({ path: `${config.shots}/1-edited.png`, fullPage: true });

  await page.getByLabel("Reason for cancelling").fill("The council decided already.");
  await page.getByRole("button", { name: "Cancel this vote" }).click();
  await page.getByText(/is cancelled/).first().waitFor();
  report.texts.afterCancel = await page.locator("body").innerText();

  await page.goto(`${config.base}/lindenlaan/`);
  report.texts.card = await page.locator('[data-card-type="election"]').first().innerText();
  await page.screenshot({ path: `${config.shots}/2-page.png`, fullPage: true });
} catch (error) {
  report.error = String(error.stack || error);
  for (const open of browser.contexts().flatMap((context) => context.pages())) {
    report.texts.lastPage = `${open.url()}\n${await open.locator("body").innerText().catch(() => "")}`.slice(0, 4000);
    await open.screenshot({ path: `${config.shots}/error.png`, fullPage: true }).catch(() => {});
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
