// An editor chooses a registered sensor for a sensor card in Wagtail's page editor, is refused
// an unknown metric, publishes, and reads the public card. Used by
// tests/e2e/test_sensor_chooser_in_browser.py.
//
//   node tests/e2e/sensor_chooser.mjs CONFIG.json
//
// CONFIG: {base, session, editPath, publicPath, choose ("device\u001fmetric"), shots}.
import { readFileSync } from "node:fs";
import { launchChromium, signedInPage } from "../browser.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const report = { consoleErrors: [] };
const browser = await launchChromium();

try {
  const page = await signedInPage(browser, { base: config.base, session: config.session, errors: report.consoleErrors });

  await page.goto(config.base + config.editPath);
  const chooser = page.getByLabel("Registered sensor");
  await chooser.waitFor();
  report.options = await chooser.locator("option").allTextContents();
  report.selectedBefore = await chooser.inputValue();

  // Choose, then spoil the metric by hand: the page form refuses it at the metric field.
  await chooser.selectOption(config.choose);
  const device = page.locator('input[name$="-value-device"]');
  const metric = page.locator('input[name$="-value-metric"]');
  report.afterChoosing = { device: await device.inputValue(), metric: await metric.inputValue() };
  await metric.fill("spanning");
  await chooser.locator("xpath=ancestor::section[1]").screenshot({ path: `${config.shots}/1-chosen.png` });
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    page.getByRole("button", { name: "Save draft" }).click(),
  ]);
  await page.waitForLoadState("load");
  const metricField = page.locator('input[name$="-value-metric"]').locator("xpath=ancestor::*[@data-field][1]");
  report.refusal = await metricField.locator(".error-message").innerText();
  await metricField.locator("xpath=ancestor::section[1]").screenshot({ path: `${config.shots}/2-refused.png` });

  // Choose again and publish.
  await page.getByLabel("Registered sensor").selectOption(config.choose);
  await page.locator("footer").getByRole("button", { name: "More actions" }).click();
  await Promise.all([
    page.waitForURL(/\/admin\/pages\/\d+\/$/),
    page.locator('button[name="action-publish"]').click(),
  ]);

  const visit = await page.goto(config.base + config.publicPath);
  report.publicStatus = visit.status();
  report.publicCard = await page.locator('[data-card-type="iot"]').innerText();
  await page.screenshot({ path: `${config.shots}/3-public.png`, fullPage: true });
} catch (error) {
  report.error = String(error && error.stack ? error.stack : error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
