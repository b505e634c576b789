// The whole vote, in Debian's Chromium (playwright-core), one phase per run; the Python test
// (test_vote_journey.py) sets up the site, runs the platform's clock between phases and checks
// the database and the chain.
//
//   node tests/e2e/vote_journey.mjs CONFIG.json
//
// CONFIG: {phase, base, domainBase, editorSession, memberEmail, memberPassword, memberCookie, pageId, question, closesAt,
//          receiptCode, proposalUuid, shots}
// phase "card":  the editor adds an election card in the page editor (closing at closesAt) and
//                publishes;
// phase "vote":  a member signs in on the initiative's own domain (the sign-in form), votes and
//                reads the receipt in the card;
// phase "after": the member reads the decisions page and checks the receipt; the frontrunner
//                posts a follow-up that the page then shows.
// Prints one JSON report.
import { readFile } from "node:fs/promises";
import { launchChromium } from "../browser.mjs";

const config = JSON.parse(await readFile(process.argv[2], "utf8"));
const LOCAL_HOST = /^(127\.0\.0\.1|localhost|.+\.localhost)$/;
const report = { phase: config.phase, texts: {}, pageErrors: [] };
const browser = await launchChromium();

async function signedIn(session, base, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: "en-US", viewport });
  if (session) {
    await context.addCookies([{ name: "sessionid", value: session, domain: new URL(base).hostname, path: "/" }]);
  }
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.protocol === "data:" || LOCAL_HOST.test(url.hostname) ? route.continue() : route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (error) => report.pageErrors.push(String(error)));
  return page;
}

async function addElectionCard() {
  const page = await signedIn(config.editorSession, config.base);
  await page.goto(`${config.base}/admin/pages/${config.pageId}/edit/`);
  // The cards stream is empty: its one "insert a block" button opens Wagtail's block chooser.
  await page.locator("#panel-child-content-cards-content button[title='Insert a block'], #panel-child-content-cards-content .c-sf-add-button").first().click();
  await page.getByRole("option", { name: /^Election/ }).or(page.locator("[role='dialog'] button", { hasText: /^\s*Election/ })).first().click();
  // Every other field keeps the card's defaults; only the closing time is short.
  await page.locator('[name="cards-0-value-closes_at"]').fill(config.closesAt);
  // Clicking the question (above the date picker that opened below) closes the picker.
  const question = page.locator('[name="cards-0-value-question"]');
  await question.click();
  await question.fill(config.question);
  // The date picker may open late (it answers the focus after a delay) and then cover the
  // footer's buttons: as a user would, click outside it (in the question's field, above the
  // picker) until no picker is showing.
  const openPicker = page.locator(".xdsoft_datetimepicker:visible");
  // Open it once more on purpose, so this path runs on every machine, not only on slow ones.
  await page.locator('[name="cards-0-value-closes_at"]').click();
  for (let attempt = 0; attempt < 10 && (await openPicker.count()) > 0; attempt += 1) {
    await page.waitForTimeout(300);
    await question.click();
  }
  if ((await openPicker.count()) > 0) throw new Error("the date picker stays open over the footer");
  await page.screenshot({ path: `${config.shots}/1-card.png`, fullPage: true });
  await page.locator("footer").getByRole("button", { name: "More actions" }).click();
  await Promise.all([page.waitForURL(/\/admin\/pages\/\d+\/$/), page.locator('button[name="action-publish"]').click()]);
  report.texts.afterPublish = await page.locator("main").innerText();
}

async function vote() {
  // The member signs in through the sign-in form on the initiative's own domain.
  const page = await signedIn(null, config.domainBase);
  await page.goto(`${config.domainBase}/accounts/login/?next=/`);
  await page.locator('input[name="login"]').fill(config.memberEmail);
  await page.locator('input[name="password"]').fill(config.memberPassword);
  await Promise.all([
    page.waitForURL(`${config.domainBase}/`),
    page.locator('main form button[type="submit"]').first().click(),
  ]);
  report.memberCookie = (await page.context().cookies()).find((cookie) => cookie.name === "sessionid")?.value;
  const card = page.locator(`[data-card-type="election"]`).first();
  report.texts.cardBefore = await card.innerText();
  await card.getByRole("radio", { name: "For" }).check();
  await Promise.all([page.waitForLoadState("load"), card.getByRole("button", { name: /Vote/ }).click()]);
  await page.waitForSelector(".election-live__receipt-code code");
  const cardAfter = page.locator(`[data-card-type="election"]`).first();
  report.receiptInCard = (await cardAfter.locator(".election-live__receipt-code code").count()) === 1;
  report.receiptCode = (await cardAfter.locator(".election-live__receipt-code code").innerText()).trim();
  report.receiptLink = await cardAfter.locator(".election-live__check a").getAttribute("href");
  report.domainUrl = page.url();
  await page.screenshot({ path: `${config.shots}/2-voted.png`, fullPage: true });
}

async function after() {
  const member = await signedIn(config.memberCookie, config.domainBase);
  await member.goto(`${config.domainBase}/`);
  report.texts.card = await member.locator(`[data-card-type="election"]`).first().innerText();
  await member.goto(`${config.domainBase}/governance/initiative/${config.pageId}/decisions/`);
  report.texts.decisions = await member.locator("main").innerText();
  await member.screenshot({ path: `${config.shots}/3-decisions.png`, fullPage: true });

  await member.goto(`${config.domainBase}/governance/proposals/${config.proposalUuid}/receipt/`);
  await member.getByLabel("Receipt code").fill(config.receiptCode);
  await Promise.all([member.waitForLoadState("load"), member.getByRole("button", { name: "Check" }).click()]);
  await member.waitForSelector(".message");
  report.texts.receipt = await member.locator("main").innerText();
  await member.screenshot({ path: `${config.shots}/4-receipt.png`, fullPage: true });

  const frontrunner = await signedIn(config.editorSession, config.domainBase);
  await frontrunner.goto(`${config.domainBase}/governance/initiative/${config.pageId}/decisions/`);
  await frontrunner.getByText("Post an update on this decision (frontrunners)").click();
  await frontrunner.getByLabel("Status").selectOption({ label: "In progress" });
  await frontrunner.getByLabel("What happened").fill("The municipality ordered twelve lime trees.");
  await Promise.all([frontrunner.waitForLoadState("load"), frontrunner.getByRole("button", { name: "Post the update" }).click()]);
  await frontrunner.waitForSelector(".follow-up");
  await member.goto(`${config.domainBase}/`);
  report.texts.cardWithFollowUp = await member.locator(`[data-card-type="election"]`).first().innerText();
  await member.screenshot({ path: `${config.shots}/5-follow-up.png`, fullPage: true });
}

try {
  await { card: addElectionCard, vote, after }[config.phase]();
} catch (error) {
  report.error = String(error.stack || error);
  for (const open of browser.contexts().flatMap((context) => context.pages())) {
    report.texts.lastPage = `${open.url()}\n${await open.locator("body").innerText().catch(() => "")}`.slice(0, 4000);
    await open.screenshot({ path: `${config.shots}/error-${config.phase}.png`, fullPage: true }).catch(() => {});
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
