// From the admin dashboard to a published initiative with five cards on its own .localhost
// domain, through a starter, in Debian's Chromium (playwright-core). Counts every action a
// person takes — clicks, fills, selects and typed URLs — and prints one JSON report.
//
//   node tests/e2e/launch_journey.mjs CONFIG.json
//
// CONFIG: {base, email, password, starter, hostname, shots}. The sign-in through the real
// login form comes first and is not counted: the count starts at the admin dashboard.
import { readFile } from "node:fs/promises";
import { launchChromium } from "../browser.mjs";

const config = JSON.parse(await readFile(process.argv[2], "utf8"));
const LOCAL_HOST = /^(127\.0\.0\.1|localhost|.+\.localhost)$/;
const report = { actions: [], texts: {} };
const browser = await launchChromium();

function count(kind, what) {
  report.actions.push(`${kind}: ${what}`);
}

try {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.protocol === "data:" || LOCAL_HOST.test(url.hostname) ? route.continue() : route.abort("blockedbyclient");
  });

  // Not counted: signing in through the login form, landing on the dashboard.
  await page.goto(`${config.base}/admin/`);
  await page.locator('input[name="login"]').fill(config.email);
  await page.locator('input[name="password"]').fill(config.password);
  await Promise.all([page.waitForURL(/\/admin\/$/), page.locator('form button[type="submit"]').last().click()]);

  // Counted from here.
  await page.getByRole("link", { name: "New initiative", exact: true }).click();
  count("click", "New initiative (menu)");
  await page.waitForURL(/card-catalogue\/start\//);
  for (const [label, value] of [
    ["title", "Buurtbatterij"],
    ["summary", "Samen een batterij voor de stroom van onze daken."],
    ["municipality", "Utrecht"],
  ]) {
    await page.locator(`main [name="${label}"]`).fill(value);
    count("fill", label);
  }
  // The place: one click on the map below the latitude and longitude fields.
  await page.locator("main .place-picker__map").click({ position: { x: 220, y: 110 } });
  count("click", "place on the map");
  report.place = {
    latitude: await page.locator('main [name="latitude"]').inputValue(),
    longitude: await page.locator('main [name="longitude"]').inputValue(),
  };
  await page.locator("main label", { hasText: config.starter }).click();
  count("click", `starter ${config.starter}`);
  await page.screenshot({ path: `${config.shots}/1-start.png`, fullPage: true });
  await Promise.all([page.waitForURL(/\/admin\/pages\/\d+\/edit\//), page.getByRole("button", { name: "Create the initiative" }).click()]);
  count("click", "Create the initiative");
  report.editUrl = page.url();
  report.texts.editor = await page.locator("main").innerText();

  // The domain is attached from the initiative's own editor page, when the page is saved.
  await page.getByRole("textbox", { name: "Add a domain" }).fill(config.hostname);
  count("fill", "Add a domain");
  await page.locator("footer").getByRole("button", { name: "More actions" }).click();
  count("click", "More actions");
  await Promise.all([page.waitForURL(/\/admin\/pages\/\d+\/$/), page.locator('button[name="action-publish"]').click()]);
  count("click", "Publish");
  report.texts.afterPublish = await page.locator("main").innerText();
  await page.screenshot({ path: `${config.shots}/2-published.png`, fullPage: true });

  // Checking the result is not part of the journey.
  const port = new URL(config.base).port;
  const visit = await page.goto(`http://${config.hostname}:${port}/`);
  report.publicStatus = visit.status();
  report.publicCards = await page.locator("[data-card-type]").evaluateAll((cards) => cards.map((card) => card.getAttribute("data-card-type")));
  await page.screenshot({ path: `${config.shots}/3-public.png`, fullPage: true });
} catch (error) {
  report.error = String(error.stack || error);
  for (const open of browser.contexts().flatMap((context) => context.pages())) {
    report.texts.lastPage = `${open.url()}\n${await open.locator("body").innerText().catch(() => "")}`;
    await open.screenshot({ path: `${config.shots}/error.png`, fullPage: true }).catch(() => {});
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
