// mAP@0.5 (COCO-style 101-point interpolation, averaged over the classes that
// have ground truth) of a detections file in the tfjs_detections_<model>.json
// format, against YOLO labels or against another detections file.
//
// usage: node map.js DETECTIONS.json [--labels DIR | --ref REF.json] [--ref-threshold 0.3]
//   --labels DIR   YOLO txt labels (default ../shared/data/coco/labels)
//   --ref REF.json pseudo ground truth: REF's detections with score >= --ref-threshold
'use strict';

const fs = require('fs');
const path = require('path');
const lib = require('./lib');

function yoloGroundTruth(dir, entry) {
  const file = path.join(dir, `${path.basename(entry.image, path.extname(entry.image))}.txt`);
  // YOLO convention: an image without objects has no label file.
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => {
    const [c, cx, cy, w, h] = l.trim().split(/\s+/).map(Number);
    return {
      class_id: c,
      box: [(cx - w / 2) * entry.width, (cy - h / 2) * entry.height,
        (cx + w / 2) * entry.width, (cy + h / 2) * entry.height],
    };
  });
}

// -> mean AP@iouThr over classes with ground truth, and the class count.
function meanAp(images, gtOf, iouThr) {
  const byClass = new Map();
  const cls = (c) => {
    if (!byClass.has(c)) byClass.set(c, { npos: 0, dets: [] });
    return byClass.get(c);
  };
  images.forEach((entry, i) => {
    for (const g of gtOf(entry)) cls(g.class_id).npos++;
    for (const d of entry.detections) cls(d.class_id).dets.push({ image: i, ...d });
  });
  const gtCache = images.map((e) => gtOf(e));
  let sum = 0;
  let n = 0;
  for (const [c, { npos, dets }] of byClass) {
    if (npos === 0) continue;
    dets.sort((a, b) => b.score - a.score);
    const used = new Map();
    const tp = [];
    for (const d of dets) {
      const gts = gtCache[d.image];
      let best = -1;
      let bestIou = iouThr;
      gts.forEach((g, j) => {
        if (g.class_id !== c || used.has(`${d.image}/${j}`)) return;
        const v = lib.iou(d.box, g.box);
        if (v >= bestIou) { bestIou = v; best = j; }
      });
      if (best >= 0) used.set(`${d.image}/${best}`, true);
      tp.push(best >= 0 ? 1 : 0);
    }
    const prec = [];
    const rec = [];
    let ctp = 0;
    tp.forEach((t, k) => { ctp += t; prec.push(ctp / (k + 1)); rec.push(ctp / npos); });
    for (let k = prec.length - 2; k >= 0; k--) prec[k] = Math.max(prec[k], prec[k + 1]);
    let ap = 0;
    for (let r = 0; r <= 100; r++) {
      const k = rec.findIndex((v) => v >= r / 100);
      ap += k >= 0 ? prec[k] : 0;
    }
    sum += ap / 101;
    n++;
  }
  return { map: n ? sum / n : 0, classes: n };
}

function main() {
  const argv = process.argv.slice(2);
  let file = null;
  let labels = path.join(lib.COCO_IMAGES, '..', 'labels');
  let ref = null;
  let refThr = 0.3;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--labels') labels = argv[++i];
    else if (argv[i] === '--ref') ref = argv[++i];
    else if (argv[i] === '--ref-threshold') refThr = Number(argv[++i]);
    else file = argv[i];
  }
  if (!file) throw new Error('usage: node map.js DETECTIONS.json [--labels DIR | --ref REF.json]');
  const images = JSON.parse(fs.readFileSync(file, 'utf8'));
  let gtOf;
  if (ref) {
    const refByImage = new Map(JSON.parse(fs.readFileSync(ref, 'utf8')).map((e) => [e.image, e]));
    gtOf = (e) => {
      const r = refByImage.get(e.image);
      if (!r) throw new Error(`${ref} has no ${e.image}`);
      return r.detections.filter((d) => d.score >= refThr);
    };
  } else {
    gtOf = (e) => yoloGroundTruth(labels, e);
  }
  const { map, classes } = meanAp(images, gtOf, 0.5);
  console.log(`mAP@0.5 ${map.toFixed(4)} over ${classes} classes, ${images.length} images`
    + ` (vs ${ref ? `${ref} score>=${refThr}` : labels})`);
}

try { main(); } catch (e) { console.error(`map: ${e.message}`); process.exit(1); }
