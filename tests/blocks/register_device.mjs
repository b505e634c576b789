// An initiative's editor registers a sensor in Wagtail's admin and copies its token.
// Used by tests/blocks/test_sensor_admin_in_browser.py, which sets up the site and checks the
// database afterwards.
//
//   node tests/blocks/register_device.mjs CONFIG.json
//
// CONFIG: {"base": "http://127.0.0.1:PORT", "editorSession": "...", "addPath": "/admin/sensor_devices/new/",
//          "initiative": "Solar roof", "screenshots": "/tmp/dir"}
// Prints one JSON object on stdout with what the editor saw.
import { readFileSync } from "node:fs";
import { launchChromium, signedInPage } from "../browser.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const report = { consoleErrors: [] };
const browser = await launchChromium();

try {
  const page = await signedInPage(browser, { base: config.base, session: config.editorSession, errors: report.consoleErrors });

  await page.goto(config.base + config.addPath);
  report.initiativeChoices = await page.locator('select[name="initiative"] option').allInnerTexts();
  await page.locator('select[name="initiative"]').selectOption({ label: config.initiative });
  await page.locator('input[name="name"]').fill("Roof meter");
  await page.locator('input[name="key"]').fill("roof-1");
  await page.locator('input[name="producer"]').fill("Fam. Jansen");
  // Where it is: picked on the map below the fields (no tiles load here; the map still works).
  await page.locator(".place-picker__map").click({ position: { x: 150, y: 100 } });
  report.latitude = await page.locator('input[name="latitude"]').inputValue();
  report.longitude = await page.locator('input[name="longitude"]').inputValue();
  if ((await page.locator('input[name="metrics-0-key"]').count()) === 0) {
    await page.getByRole("button", { name: /Add metric/i }).first().click();
  }
  await page.locator('input[name="metrics-0-key"]').fill("energy");
  await page.locator('input[name="metrics-0-name"]').fill("Energy produced");
  await page.locator('input[name="metrics-0-unit"]').fill("kWh");
  await page.locator('input[name="metrics-0-minimum"]').fill("0");
  await page.locator('input[name="metrics-0-maximum"]').fill("1000000");
  await page.locator('input[name="metrics-0-cumulative"]').check();
  await page.screenshot({ path: `${config.screenshots}/1-form.png`, fullPage: true });
  await Promise.all([
    page.waitForSelector("#device-token"),
    page.locator('form button[type="submit"]').filter({ hasText: /^\s*Create\s*$/ }).first().click(),
  ]);
  report.token = await page.locator("#device-token").inputValue();
  report.text = (await page.locator("main").innerText()).replace(/\s+/g, " ");
  await page.screenshot({ path: `${config.screenshots}/2-token.png`, fullPage: true });
} catch (error) {
  report.error = String(error && error.stack ? error.stack : error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
