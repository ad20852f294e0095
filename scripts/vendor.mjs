// Copies the built front-end assets from node_modules into the repository (run by `make vendor`).
//
// The results are committed, so nothing from npm is needed to run or test Meedoen. Each vendored
// file gets its licence beside it. Versions come from package-lock.json (`npm ci`).
//
// Design tokens: @utrecht/design-tokens is Gemeente Utrecht's house style and is proprietary
// ("All rights reserved", not EUPL), so Meedoen uses the NL Design System example theme
// @nl-design-system-unstable/voorbeeld-design-tokens (EUPL-1.2), scoped to `.voorbeeld-theme`.
import { copyFileSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const webVendor = join(root, "src/meedoen/web/static/web/vendor");
const browserAssets = join(root, "tests/browser/assets");

const files = [
  {
    pkg: "@utrecht/component-library-css",
    from: "dist/index.css",
    to: join(webVendor, "utrecht/component-library-css.css"),
    licence: ["LICENSE.md", join(webVendor, "utrecht/LICENSE-component-library-css.md")],
  },
  {
    pkg: "@nl-design-system-unstable/voorbeeld-design-tokens",
    from: "dist/theme.css",
    to: join(webVendor, "utrecht/design-tokens.css"),
    licence: ["LICENSE.md", join(webVendor, "utrecht/LICENSE-design-tokens.md")],
  },
  {
    pkg: "htmx.org",
    from: "dist/htmx.min.js",
    to: join(webVendor, "htmx.min.js"),
    licence: ["LICENSE", join(webVendor, "LICENSE-htmx.txt")],
  },
  {
    pkg: "axe-core",
    from: "axe.min.js",
    to: join(browserAssets, "axe.min.js"),
    licence: ["LICENSE", join(browserAssets, "LICENSE-axe-core.txt")],
  },
];

for (const { pkg, from, to, licence } of files) {
  const pkgDir = join(modules, pkg);
  const { version, license } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(join(pkgDir, from), to);
  copyFileSync(join(pkgDir, licence[0]), licence[1]);
  const kb = Math.round(statSync(to).size / 1024);
  console.log(`${pkg}@${version} (${license}): ${from} -> ${to.slice(root.length + 1)} (${kb} KB)`);
}
