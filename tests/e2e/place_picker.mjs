// An editor picks the initiative's place and a map card's place by clicking Leaflet maps in
// Wagtail's page editor, then saves a draft. Used by tests/e2e/test_place_picker_in_browser.py.
//
//   node tests/e2e/place_picker.mjs CONFIG.json
//
// CONFIG: {base, session, editPath, shots}. Prints one JSON report.
import { readFileSync } from "node:fs";
import { launchChromium, signedInPage } from "../browser.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const report = { consoleErrors: [] };
const browser = await launchChromium();

async function fields(scope) {
  return {
    latitude: await scope.locator('[data-place-picker-target="latitude"]').inputValue(),
    longitude: await scope.locator('[data-place-picker-target="longitude"]').inputValue(),
  };
}

try {
  // No tile server: what an editor sees when tiles cannot load.
  const page = await signedInPage(browser, { base: config.base, session: config.session, errors: report.consoleErrors });

  await page.goto(config.base + config.editPath);
  const pickers = page.locator('[data-controller~="place-picker"]');
  await page.locator(".place-picker__map").nth(1).waitFor();
  report.maps = await page.locator(".place-picker__map").count();

  const own = pickers.first();
  report.fieldsBeforeMap = await own.evaluate((element) => {
    const field = element.querySelector('[data-place-picker-target="longitude"]');
    const map = element.querySelector(".place-picker__map");
    return Boolean(field.compareDocumentPosition(map) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  report.mapLabel = await own.locator(".place-picker__map").getAttribute("aria-label");

  // The initiative's place: empty fields, one click on its map.
  await own.locator(".place-picker__map").scrollIntoViewIfNeeded();
  await own.locator(".place-picker__map").click({ position: { x: 200, y: 120 } });
  await own.locator(".leaflet-marker-icon").waitFor();
  const picked = { page: await fields(own) };

  // The card's place: its marker sits at the middle of its map; click up and to the right.
  const cardPicker = pickers.nth(1);
  const cardMap = cardPicker.locator(".place-picker__map");
  await cardMap.scrollIntoViewIfNeeded();
  const box = await cardMap.boundingBox();
  await cardMap.click({ position: { x: box.width / 2 + 80, y: box.height / 2 - 60 } });
  picked.card = await fields(cardPicker);
  report.picked = picked;
  report.tileNotice = await page.locator(".place-picker__notice").first().textContent().catch(() => "");
  await page.screenshot({ path: `${config.shots}/1-picked.png`, fullPage: true });

  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST" && response.url().includes(config.editPath)),
    page.getByRole("button", { name: "Save draft" }).click(),
  ]);
  await page.waitForLoadState("load");
  report.afterSave = (await page.locator("main").innerText()).slice(0, 2000);
  await page.screenshot({ path: `${config.shots}/2-saved.png`, fullPage: true });
} catch (error) {
  report.error = String(error && error.stack ? error.stack : error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
