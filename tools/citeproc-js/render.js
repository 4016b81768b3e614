#!/usr/bin/env node
// Render CSL-JSON items with citeproc-js: the reference output wocli's citation layer is checked against.
// Usage: node render.js STYLE.csl LOCALE.xml [text|html] < items.json > out.json
// Prints {"bibliography": [{id, text}], "citations": [...], "locators": [...], "paragraphs": [...]}:
// the bibliography in the style's order, and one stand-alone first citation per item (in item
// order, all items registered so year suffixes match), also with the locators page "12" and
// paragraph "13" (the fact base cites the article by paragraph: wocli's "para. 13").
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const [stylePath, localePath, format = "text"] = process.argv.slice(2);
if (!stylePath || !localePath) {
  process.stderr.write("usage: node render.js STYLE.csl LOCALE.xml [text|html] < items.json\n");
  process.exit(2);
}
const items = JSON.parse(fs.readFileSync(0, "utf8"));
const byId = Object.fromEntries(items.map((it) => [String(it.id), it]));
const style = fs.readFileSync(stylePath, "utf8");
const locale = fs.readFileSync(localePath, "utf8");

function makeEngine() {
  const sys = {
    retrieveLocale: () => locale,
    retrieveItem: (id) => byId[id],
  };
  const engine = new CSL.Engine(sys, style, "en-US", true);
  engine.setOutputFormat(format);
  engine.updateItems(items.map((it) => String(it.id)));
  return engine;
}

const out = { bibliography: [], citations: [], locators: [], paragraphs: [] };
const engine = makeEngine();
const bib = engine.makeBibliography();
if (bib) {
  const [meta, entries] = bib;
  // Items the style prints nothing for are left out of `entries` and listed as errors.
  const skipped = new Set((meta.bibliography_errors || []).map((e) => String(e.itemID)));
  const ids = meta.entry_ids.map((ids) => String(ids[0])).filter((id) => !skipped.has(id));
  ids.forEach((id, i) => {
    out.bibliography.push({ id, text: entries[i].trim() });
  });
}
for (const it of items) {
  const id = String(it.id);
  out.citations.push({ id, text: makeEngine().makeCitationCluster([{ id }]) });
  out.locators.push({
    id,
    text: makeEngine().makeCitationCluster([{ id, locator: "12", label: "page" }]),
  });
  out.paragraphs.push({
    id,
    text: makeEngine().makeCitationCluster([{ id, locator: "13", label: "paragraph" }]),
  });
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
