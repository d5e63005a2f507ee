// Render one page of a PDF with pdf.js, as a browser's PDF viewer draws it (form fields
// included, their appearance made by pdf.js from their values):
//   node tests/pdfjs_render.mjs MODULES IN.pdf OUT.png PAGE SCALE
// MODULES is the node_modules folder `make test` installs pdfjs-dist into (.cache/tools).
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, input, output, pageNumber, scale] = process.argv.slice(2);
const pdfjs = await import(pathToFileURL(join(modules, "pdfjs-dist/legacy/build/pdf.mjs")).href);
const { createCanvas } = createRequire(join(modules, "x.js"))("@napi-rs/canvas");
const data = new Uint8Array(readFileSync(input));
const document = await pdfjs.getDocument({ data, verbosity: 0 }).promise;
const page = await document.getPage(Number(pageNumber));
const viewport = page.getViewport({ scale: Number(scale) });
const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
await page.render({
  canvasContext: canvas.getContext("2d"),
  canvas,
  viewport,
  annotationMode: pdfjs.AnnotationMode.ENABLE,
  intent: "print",
}).promise;
writeFileSync(output, canvas.toBuffer("image/png"));
