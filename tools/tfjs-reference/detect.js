// Independent TensorFlow.js detections of the human-models detectors.
//
// usage:
//   node detect.js [--model centernet|nanodet] [--threshold 0.3] IMAGE...
//       prints one JSON array per image, boxes in the image's pixels
//   node detect.js --holdout [--model centernet|nanodet] [--count 64] [--out DIR]
//       runs the first 64 held-out COCO images (models/train/coco_eval_holdout.txt)
//       and writes DIR/tfjs_detections_<model>.json (DIR: tests/data/semantic)
// Common options: --backend wasm|cpu (default wasm).
//
// Every image is letterboxed to the model input as both detectors were trained
// (keep_ratio: scaled to fit with tf.image.resizeBilinear(alignCorners=false,
// halfPixelCenters=true), centred, black border; lib.letterboxToInput),
// normalised per lib.MODELS, run, decoded (lib.decode) and the boxes mapped
// back by (input - pad) / scale.
'use strict';

const fs = require('fs');
const path = require('path');
const lib = require('./lib');

const { tf } = lib;

function parseArgs(argv) {
  const args = {
    backend: 'wasm', models: Object.keys(lib.MODELS), threshold: 0.3, holdout: false,
    count: 64, out: lib.FIXTURE_DIR, images: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--backend') args.backend = argv[++i];
    else if (a === '--model') args.models = [argv[++i]];
    else if (a === '--threshold') args.threshold = Number(argv[++i]);
    else if (a === '--holdout') args.holdout = true;
    else if (a === '--count') args.count = Number(argv[++i]);
    else if (a === '--out') args.out = argv[++i];
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else args.images.push(a);
  }
  for (const m of args.models) if (!lib.MODELS[m]) throw new Error(`unknown model ${m}`);
  if (!args.holdout && args.images.length === 0) throw new Error('no images (or use --holdout)');
  if (!args.holdout && args.models.length > 1) args.models = ['centernet'];
  return args;
}

function round3(v) { return Math.round(v * 1000) / 1000; }

function detect(model, name, img, threshold) {
  const spec = lib.MODELS[name];
  const lb = lib.letterboxToInput(img, spec.size);
  const input = tf.tidy(() => lib.normalise(lb.input, spec));
  const out = lib.runGraph(model, spec, input);
  const dets = lib.decode(name, out, threshold);
  lb.input.dispose();
  input.dispose();
  Object.values(out).forEach((t) => t.dispose());
  const x = (v) => round3((v - lb.padX) / lb.scaleX);
  const y = (v) => round3((v - lb.padY) / lb.scaleY);
  return dets.map((d) => ({
    class_id: d.class_id,
    score: Math.round(d.score * 1e4) / 1e4,
    box: [x(d.box[0]), y(d.box[1]), x(d.box[2]), y(d.box[3])],
  }));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const backend = await lib.initBackend(args.backend);
  for (const name of args.models) {
    const { model } = await lib.loadModel(name);
    if (!args.holdout) {
      for (const file of args.images) {
        console.log(JSON.stringify(detect(model, name, lib.readImage(file), args.threshold)));
      }
      continue;
    }
    const results = [];
    const t0 = Date.now();
    for (const image of lib.holdoutImages(args.count)) {
      const img = lib.readImage(path.join(lib.COCO_IMAGES, image));
      results.push({
        image, width: img.width, height: img.height,
        detections: detect(model, name, img, args.threshold),
      });
    }
    const secs = (Date.now() - t0) / 1000;
    const file = path.join(args.out, `tfjs_detections_${name}.json`);
    fs.writeFileSync(file, `[\n${results.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
    const n = results.reduce((a, r) => a + r.detections.length, 0);
    console.error(`${name}: ${results.length} images, ${n} detections >= ${args.threshold}, `
      + `${(secs / results.length).toFixed(3)} s/image (${backend}, tfjs ${tf.version.tfjs}) -> ${file}`);
  }
}

main().catch((e) => { console.error(`detect: ${e.message}`); process.exit(1); });
