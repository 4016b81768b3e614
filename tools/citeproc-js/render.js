#!/usr/bin/env node
// Render CSL-JSON items with citeproc-js: the reference output wocli's citation layer is checked against.
// Usage: node render.js STYLE.csl LOCALES_DIR LANG [text|html] < items.json > out.json
// LANG is the style's own locale (its default-locale, else en-US); locales are read from
// LOCALES_DIR/locales-LANG.xml (citeproc-py's copies, so both engines see the same terms).
// Prints:
//   "bibliography": [{id, text}]  every item registered, in the style's order (`cite --all`);
//   "citations", "locators", "paragraphs": first citations with every item registered (as
//       `cite --for` renders them), alone, with page "12", with paragraph "13";
//   "alone": [{id, entry, citation, page, chapter, paragraph}]  each work in an engine of its
//       own, as `cite ID` renders it: its entry ("" when the style lists it only in notes), its
//       first citation, and first citations with page "12", chapter "3" and paragraph "13".
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const [stylePath, localesDir, lang, format = "text"] = process.argv.slice(2);
if (!stylePath || !localesDir || !lang) {
  process.stderr.write("usage: node render.js STYLE.csl LOCALES_DIR LANG [text|html] < items.json\n");
  process.exit(2);
}
const items = JSON.parse(fs.readFileSync(0, "utf8"));
const byId = Object.fromEntries(items.map((it) => [String(it.id), it]));
const style = fs.readFileSync(stylePath, "utf8");

function retrieveLocale(name) {
  const file = path.join(localesDir, `locales-${name}.xml`);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
}

function makeEngine(ids) {
  const sys = { retrieveLocale, retrieveItem: (id) => byId[id] };
  const engine = new CSL.Engine(sys, style, lang, true);
  engine.setOutputFormat(format);
  engine.updateItems(ids);
  return engine;
}

function bibliography(engine) {
  const out = [];
  const bib = engine.makeBibliography();
  if (bib) {
    const [meta, entries] = bib;
    // Items the style prints nothing for are left out of `entries` and listed as errors.
    const skipped = new Set((meta.bibliography_errors || []).map((e) => String(e.itemID)));
    const ids = meta.entry_ids.map((ids) => String(ids[0])).filter((id) => !skipped.has(id));
    ids.forEach((id, i) => out.push({ id, text: entries[i].trim() }));
  }
  return out;
}

const allIds = items.map((it) => String(it.id));
// makeCitationCluster leaves the processor state alone: each cluster is a first citation.
const all = makeEngine(allIds);
const alone = makeEngine([]);
const out = { bibliography: bibliography(all), citations: [], locators: [], paragraphs: [], alone: [] };
for (const id of allIds) {
  out.citations.push({ id, text: all.makeCitationCluster([{ id }]) });
  out.locators.push({ id, text: all.makeCitationCluster([{ id, locator: "12", label: "page" }]) });
  out.paragraphs.push({
    id,
    text: all.makeCitationCluster([{ id, locator: "13", label: "paragraph" }]),
  });
  alone.updateItems([id]); // the registry holds this work alone
  const entry = bibliography(alone);
  out.alone.push({
    id,
    entry: entry.length ? entry[0].text : "",
    citation: alone.makeCitationCluster([{ id }]),
    page: alone.makeCitationCluster([{ id, locator: "12", label: "page" }]),
    chapter: alone.makeCitationCluster([{ id, locator: "3", label: "chapter" }]),
    paragraph: alone.makeCitationCluster([{ id, locator: "13", label: "paragraph" }]),
  });
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
