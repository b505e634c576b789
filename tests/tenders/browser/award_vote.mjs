// The award put to the members' vote, in Debian's Chromium (playwright-core): the frontrunner
// puts it to a vote in the admin; a member votes on the vote's page, reached from the tender
// card; an anonymous visitor reads neither bidders nor losing amounts there. Run twice by test_award_vote_in_browser.py: step "vote" before the clock closes
// the vote, step "after" once it has, to read the card.
//
//   node award_vote.mjs CONFIG.json
//   CONFIG: {step, base, initiativePath, blockId, frontrunnerSession, memberSession, shots}
// Prints one JSON report: {texts, violations, hosts}.
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { launchChromium } from "../../browser.mjs";

const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { base, initiativePath, blockId, shots } = config;
const browser = await launchChromium();
const report = { texts: {}, violations: {}, hosts: [] };
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

async function axe(page, name) {
  await page.evaluate(axeSource);
  report.violations[name] = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.html) }));
  });
}

async function signedIn(session) {
  const context = await browser.newContext({ locale: "en-US" });
  const host = new URL(base).hostname;
  if (session) await context.addCookies([{ name: "sessionid", value: session, domain: host, path: "/" }]);
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.hostname === host || url.protocol === "data:" ? route.continue() : route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) report.hosts.push(new URL(frame.url()).host); });
  return page;
}

try {
  if (config.step === "vote") {
    // 1. The frontrunner compares the opened quotes and puts the award to a vote (defaults).
    const editor = await signedIn(config.frontrunnerSession);
    await editor.goto(`${base}/admin/tenders/`);
    await editor.getByRole("link", { name: /Compare and award/ }).click();
    await editor.waitForLoadState();
    await editor.getByRole("link", { name: "Put to a vote" }).click();
    await editor.waitForLoadState();
    report.texts.form = await editor.locator("main").innerText();
    await editor.getByRole("button", { name: "Start the vote" }).click();
    await editor.waitForLoadState();
    report.texts.adminVoting = await editor.locator("#vote-notice").innerText();
    await editor.screenshot({ path: `${shots}/admin-voting.png`, fullPage: true });

    // 2. A member finds the vote on the tender card and votes on its public page.
    const member = await signedIn(config.memberSession);
    await member.goto(`${base}${initiativePath}`);
    const card = member.locator(`#card-${blockId}`);
    report.texts.cardVoting = await card.innerText();
    await axe(member, "card while voting");
    await card.getByRole("link", { name: "See the quotes and vote" }).click();
    await member.waitForLoadState();
    await axe(member, "vote page");
    await member.getByLabel(config.choice).check();
    await member.getByRole("button", { name: "Vote" }).click();
    await member.waitForLoadState();
    report.texts.voted = await member.locator("main").innerText();
    await member.screenshot({ path: `${shots}/voted.png`, fullPage: true });

    // 3. An anonymous visitor on the same page: the question and its state, no quote.
    const visitor = await signedIn(null);
    await visitor.goto(member.url());
    report.texts.anonymousVoting = await visitor.locator("main").innerText();
    await axe(visitor, "vote page, anonymous");
  } else {
    // 4. After the clock closed the vote: the card shows the award the members chose.
    const visitor = await signedIn(config.memberSession);
    await visitor.goto(`${base}${initiativePath}`);
    const card = visitor.locator(`#card-${blockId}`);
    report.texts.cardAfter = await card.innerText();
    await axe(visitor, "card after the vote");
    await card.getByRole("link", { name: "Chosen by the members' vote" }).click();
    await visitor.waitForLoadState();
    report.texts.voteResult = await visitor.locator("main").innerText();
    await visitor.screenshot({ path: `${shots}/after.png`, fullPage: true });

    // 5. An anonymous visitor: the award on the card, and the vote's page without its options.
    const anonymous = await signedIn(null);
    await anonymous.goto(`${base}${initiativePath}`);
    report.texts.anonymousCard = await anonymous.locator(`#card-${blockId}`).innerText();
    await anonymous.goto(visitor.url());
    report.texts.anonymousResult = await anonymous.locator("main").innerText();
    await axe(anonymous, "vote result, anonymous");
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
