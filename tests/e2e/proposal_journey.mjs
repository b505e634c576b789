// Members propose, frontrunners decide, in Debian's Chromium (playwright-core).
//
//   node tests/e2e/proposal_journey.mjs CONFIG.json
//
// CONFIG: {base, domainBase, frontrunnerSession, memberSession, title, declinedTitle, shots}
// A member proposes two things on the initiative's own domain (one first with a forgotten
// text, which is refused and keeps what was typed); the frontrunner, in the admin, puts the
// first to the vote and declines the second with a reason; the member then sees the first's
// election card and the second's reason on the page. Prints one JSON report.
import { readFile } from "node:fs/promises";
import { launchChromium } from "../browser.mjs";

const config = JSON.parse(await readFile(process.argv[2], "utf8"));
const LOCAL_HOST = /^(127\.0\.0\.1|localhost|.+\.localhost)$/;
const report = { texts: {}, pageErrors: [] };
const browser = await launchChromium();

async function signedIn(session, base, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: "en-US", viewport });
  await context.addCookies([{ name: "sessionid", value: session, domain: new URL(base).hostname, path: "/" }]);
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.protocol === "data:" || LOCAL_HOST.test(url.hostname) ? route.continue() : route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (error) => report.pageErrors.push(String(error)));
  return page;
}

async function propose(page, title, text, options) {
  const form = page.locator("form.member-proposals__form");
  await form.getByLabel("Title", { exact: true }).fill(title);
  await form.getByLabel("What do you propose, and why?").fill(text);
  if (options) {
    await form.getByRole("radio", { name: "A choice between options" }).check();
    await form.getByLabel("Options (only for a choice between options)").fill(options.join("\n"));
  }
  await Promise.all([page.waitForNavigation(), form.getByRole("button", { name: "Propose" }).click()]);
}

try {
  // On a 390 px phone: the member proposes on the initiative's own domain.
  const member = await signedIn(config.memberSession, config.domainBase, { width: 390, height: 844 });
  await member.goto(`${config.domainBase}/`);
  // The browser would stop an empty text (required); a text of spaces reaches the server.
  await propose(member, config.title, "   ", ["Lime trees", "Oaks"]);
  report.texts.refused = await member.locator("body").innerText();
  report.keptTitle = await member.locator("form.member-proposals__form").getByLabel("Title", { exact: true }).inputValue();
  await propose(member, config.title, "Trees along the whole street, chosen by us.", ["Lime trees", "Oaks"]);
  await propose(member, config.declinedTitle, "A fountain on the square.");
  report.texts.proposed = await member.locator("#member-proposals").innerText();
  await member.screenshot({ path: `${config.shots}/1-proposed.png`, fullPage: true });

  // The frontrunner decides in the admin.
  const frontrunner = await signedIn(config.frontrunnerSession, config.base);
  await frontrunner.goto(`${config.base}/admin/governance_member_proposals/`);
  report.texts.adminList = await frontrunner.locator("main").innerText();
  await frontrunner.getByRole("link", { name: config.title }).first().click();
  await frontrunner.getByRole("button", { name: "Put to the vote" }).click();
  await frontrunner.getByText(/is put to the vote/).first().waitFor();
  report.texts.afterPut = await frontrunner.locator("body").innerText();
  await frontrunner.goto(`${config.base}/admin/governance_member_proposals/`);
  await frontrunner.getByRole("link", { name: config.declinedTitle }).first().click();
  await frontrunner.getByLabel("Reason for declining").fill("The square belongs to the municipality; we asked them.");
  await frontrunner.getByRole("button", { name: "Decline" }).click();
  await frontrunner.getByText(/is declined/).first().waitFor();
  report.texts.afterDecline = await frontrunner.locator("body").innerText();
  await frontrunner.screenshot({ path: `${config.shots}/2-declined.png`, fullPage: true });

  // The member sees the vote's card and the reason on the page.
  await member.goto(`${config.domainBase}/`);
  report.electionCards = await member.locator('[data-card-type="election"]').count();
  report.texts.card = await member.locator('[data-card-type="election"]').first().innerText();
  report.texts.section = await member.locator("#member-proposals").innerText();
  await member.getByRole("link", { name: "Go to the vote on this proposal" }).click();
  report.afterLink = member.url();
  await member.screenshot({ path: `${config.shots}/3-page.png`, fullPage: true });
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
