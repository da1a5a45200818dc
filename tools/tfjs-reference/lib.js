// Shared pieces of the TensorFlow.js reference: model loading from the local
// cache, image I/O, the per-model input specification and output decoding.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE_DIR = path.join(REPO_ROOT, 'tests', 'data', 'semantic');
const HOLDOUT_LIST = path.join(REPO_ROOT, 'models', 'train', 'coco_eval_holdout.txt');
const COCO_IMAGES = path.join(REPO_ROOT, '..', 'shared', 'data', 'coco', 'images');

// Same rule as scripts/fetch-models.sh and DefaultSemanticModelDir() in C++.
function defaultModelDir() {
  if (process.env.VLMC_MODEL_CACHE) return process.env.VLMC_MODEL_CACHE;
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'vlmc', 'human-models-3.0.4');
}

// How each graph wants its input. mean/std are per channel in channel_order
// order and apply to 0..255 values: x = (pixel - mean) / std.
const MODELS = {
  centernet: {
    size: 512,
    input: 'tower_0/images',
    layout: 'NHWC',
    channelOrder: 'RGB',
    mean: [0, 0, 0],
    std: [1, 1, 1],
    // Stored outputs: name, row-major view for sampling, step per view axis
    // (sized to keep the committed fixtures small).
    outputs: [
      { name: 'tower_0/keypoints', view: [1, 128, 128, 80], step: [1, 4, 4, 4] },
      { name: 'tower_0/wh', view: [1, 128, 128, 4], step: [1, 4, 4, 1] },
      { name: 'tower_0/detections', view: [1, 100, 6], step: [1, 1, 1] },
    ],
    decode: { kind: 'centernet_graph', output: 'tower_0/detections', nms: 'none' },
  },
  nanodet: {
    size: 416,
    input: 'input_1',
    layout: 'NCHW',
    channelOrder: 'BGR',
    mean: [103.53, 116.28, 123.675],
    std: [57.375, 57.12, 58.395],
    outputs: [
      { name: 'Identity:0', view: [1, 52, 52, 80], step: [1, 4, 4, 2] },
      { name: 'Identity_1:0', view: [1, 26, 26, 80], step: [1, 2, 2, 2] },
      { name: 'Identity_2:0', view: [1, 13, 13, 80], step: [1, 1, 1, 2] },
      { name: 'Identity_3:0', view: [1, 52, 52, 44], step: [1, 4, 4, 1] },
      { name: 'Identity_4:0', view: [1, 26, 26, 44], step: [1, 2, 2, 1] },
      { name: 'Identity_5:0', view: [1, 13, 13, 44], step: [1, 1, 1, 1] },
    ],
    decode: {
      kind: 'gfl',
      strides: [8, 16, 32],
      scores: ['Identity:0', 'Identity_1:0', 'Identity_2:0'],
      distributions: ['Identity_3:0', 'Identity_4:0', 'Identity_5:0'],
      reg_max: 10,
      center_offset: 0.5,
      nms: 'per_class',
      nms_iou: 0.6,
      max_detections: 100,
    },
  },
};

async function initBackend(name) {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
  return tf.getBackend();
}

function sha256File(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

// tfjs in Node has no file:// loader without tfjs-node, so hand it the
// artifacts directly.
async function loadModel(name, dir = defaultModelDir()) {
  const jsonPath = path.join(dir, `${name}.json`);
  const binPath = path.join(dir, `${name}.bin`);
  if (!fs.existsSync(jsonPath) || !fs.existsSync(binPath)) {
    throw new Error(`${jsonPath} or .bin missing: run scripts/fetch-models.sh`);
  }
  const j = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  if (j.weightsManifest.length !== 1 || j.weightsManifest[0].paths.length !== 1) {
    throw new Error(`${name}: expected one weight shard`);
  }
  const bin = fs.readFileSync(binPath);
  const model = await tf.loadGraphModel({
    load: async () => ({
      modelTopology: j.modelTopology,
      format: j.format,
      generatedBy: j.generatedBy,
      convertedBy: j.convertedBy,
      signature: j.signature,
      userDefinedMetadata: j.userDefinedMetadata,
      weightSpecs: j.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  });
  return { model, sha256: { json: sha256File(jsonPath), bin: sha256File(binPath) } };
}

// -> {width, height, rgb: Uint8Array (RGB8 interleaved)}
function readImage(file) {
  const buf = fs.readFileSync(file);
  if (buf[0] === 0x89 && buf[1] === 0x50) {
    const png = PNG.sync.read(buf);
    const rgb = new Uint8Array(png.width * png.height * 3);
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
      rgb[i] = png.data[j];
      rgb[i + 1] = png.data[j + 1];
      rgb[i + 2] = png.data[j + 2];
    }
    return { width: png.width, height: png.height, rgb };
  }
  const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  return { width: img.width, height: img.height, rgb: img.data };
}

function writePng(file, width, height, rgb) {
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength);
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}

// Bilinear resize with half-pixel centres (src = (dst + 0.5) * in/out - 0.5),
// the mapping of OpenCV INTER_LINEAR and torch interpolate(align_corners=false).
// Returns a float32 [1, size, size, 3] tensor of 0..255 RGB values.
function resizeToInput(img, size) {
  return tf.tidy(() => {
    const x = tf.tensor4d(img.rgb, [1, img.height, img.width, 3], 'int32').toFloat();
    if (img.width === size && img.height === size) return x;
    return tf.image.resizeBilinear(x, [size, size], false, true);
  });
}

// Letterbox as both detectors were trained (keep_ratio): scale to fit
// (new side = round(side * min(size/w, size/h))), same half-pixel bilinear
// resize, centred, border 0. Returns { input: [1,size,size,3] float RGB 0..255,
// scaleX, scaleY, padX, padY } with input pixel = original * scale + pad.
function letterboxToInput(img, size) {
  const s = Math.min(size / img.width, size / img.height);
  const clamp = (v) => Math.min(Math.max(v, 1), size);
  const newW = clamp(Math.round(img.width * s));
  const newH = clamp(Math.round(img.height * s));
  const padX = Math.floor((size - newW) / 2);
  const padY = Math.floor((size - newH) / 2);
  const input = tf.tidy(() => {
    let x = tf.tensor4d(img.rgb, [1, img.height, img.width, 3], 'int32').toFloat();
    if (newW !== img.width || newH !== img.height) {
      x = tf.image.resizeBilinear(x, [newH, newW], false, true);
    }
    return x.pad([[0, 0], [padY, size - newH - padY], [padX, size - newW - padX], [0, 0]]);
  });
  return { input, scaleX: newW / img.width, scaleY: newH / img.height, padX, padY };
}

// [1,H,W,3] float RGB 0..255 -> the graph input of `spec`.
function normalise(rgb, spec) {
  return tf.tidy(() => {
    let x = rgb;
    if (spec.channelOrder === 'BGR') x = tf.reverse(x, 3);
    x = tf.div(tf.sub(x, tf.tensor1d(spec.mean)), tf.tensor1d(spec.std));
    if (spec.layout === 'NCHW') x = tf.transpose(x, [0, 3, 1, 2]);
    return x;
  });
}

// Runs the graph; returns {outputName: Tensor} for spec.outputs.
function runGraph(model, spec, input) {
  const names = spec.outputs.map((o) => o.name);
  const feed = {};
  feed[spec.input] = input;
  const res = model.execute(feed, names);
  const out = {};
  names.forEach((n, i) => { out[n] = res[i]; });
  return out;
}

function clip(v, lo, hi) { return Math.min(Math.max(v, lo), hi); }

// CenterNet: the graph's own decoding (3x3 max-pool peaks, top 100), rows
// [x0, y0, x1, y1, score, class] in input pixels.
function decodeCenterNet(out, spec, threshold) {
  const rows = out[spec.decode.output].arraySync()[0];
  const dets = [];
  for (const r of rows) {
    if (!(r[4] >= threshold)) continue;
    dets.push({
      class_id: Math.round(r[5]),
      score: r[4],
      box: [clip(r[0], 0, spec.size), clip(r[1], 0, spec.size),
        clip(r[2], 0, spec.size), clip(r[3], 0, spec.size)],
    });
  }
  dets.sort((a, b) => b.score - a.score);
  return dets;
}

function iou(a, b) {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

// NanoDet GFL head: per anchor, 4 sides x (reg_max+1) logits -> softmax ->
// expected bin -> distance in strides from the anchor centre.
function decodeNanoDet(out, spec, threshold) {
  const d = spec.decode;
  const nb = d.reg_max + 1;
  const cand = [];
  d.strides.forEach((stride, level) => {
    const scores = out[d.scores[level]].dataSync();
    const dist = out[d.distributions[level]].dataSync();
    const nc = out[d.scores[level]].shape[2];
    const w = Math.ceil(spec.size / stride);
    const n = out[d.scores[level]].shape[1];
    for (let a = 0; a < n; a++) {
      let box = null;
      for (let c = 0; c < nc; c++) {
        const s = scores[a * nc + c];
        if (!(s >= threshold)) continue;
        if (!box) {
          const cx = ((a % w) + d.center_offset) * stride;
          const cy = (Math.floor(a / w) + d.center_offset) * stride;
          const side = [0, 0, 0, 0];
          for (let k = 0; k < 4; k++) {
            const base = a * 4 * nb + k * nb;
            let m = -Infinity;
            for (let i = 0; i < nb; i++) m = Math.max(m, dist[base + i]);
            let z = 0;
            let e = 0;
            for (let i = 0; i < nb; i++) {
              const p = Math.exp(dist[base + i] - m);
              z += p;
              e += i * p;
            }
            side[k] = (e / z) * stride;
          }
          box = [clip(cx - side[0], 0, spec.size), clip(cy - side[1], 0, spec.size),
            clip(cx + side[2], 0, spec.size), clip(cy + side[3], 0, spec.size)];
        }
        cand.push({ class_id: c, score: s, box });
      }
    }
  });
  cand.sort((a, b) => b.score - a.score);
  const kept = [];
  for (const c of cand) {
    if (kept.length >= d.max_detections) break;
    if (kept.some((k) => k.class_id === c.class_id && iou(k.box, c.box) > d.nms_iou)) continue;
    kept.push(c);
  }
  return kept;
}

function decode(name, out, threshold) {
  const spec = MODELS[name];
  return name === 'centernet' ? decodeCenterNet(out, spec, threshold)
    : decodeNanoDet(out, spec, threshold);
}

// JSON with one-line numeric arrays (boxes, shapes) so fixtures diff well.
function toJson(value) {
  return `${JSON.stringify(value, null, 1).replace(/\[[-0-9.e,\s]*\]/g,
    (m) => m.replace(/\s+/g, ''))}\n`;
}

function holdoutImages(n = 64) {
  return fs.readFileSync(HOLDOUT_LIST, 'utf8').split('\n').map((s) => s.trim())
    .filter((s) => s.length > 0).sort().slice(0, n);
}

module.exports = {
  tf, MODELS, REPO_ROOT, FIXTURE_DIR, COCO_IMAGES, defaultModelDir, initBackend, loadModel,
  readImage, writePng, resizeToInput, letterboxToInput, normalise, iou, runGraph, decode, holdoutImages, toJson,
};
