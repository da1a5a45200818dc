// Records the parity fixtures of tests/data/semantic/ (format: README.md
// there): for a few held-out COCO images and both detectors, the input PNG at
// the model resolution, sampled raw graph outputs and decoded detections.
//
// usage: node record-fixtures.js [--backend wasm|cpu] [--out DIR] [image.jpg ...]
'use strict';

const fs = require('fs');
const path = require('path');
const lib = require('./lib');

const { tf } = lib;
const DEFAULT_IMAGES = ['000000000009.jpg', '000000000049.jpg', '000000000071.jpg'];
const SCORE_THRESHOLD = 0.3;

function parseArgs(argv) {
  const args = { backend: 'wasm', out: lib.FIXTURE_DIR, images: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--backend') args.backend = argv[++i];
    else if (argv[i] === '--out') args.out = argv[++i];
    else args.images.push(argv[i]);
  }
  if (args.images.length === 0) args.images = DEFAULT_IMAGES;
  return args;
}

// x[::s0, ::s1, ...] of a row-major array viewed as `view`, in row-major order.
function sample(data, view, step) {
  const sampled = view.map((v, k) => Math.ceil(v / step[k]));
  const strides = new Array(view.length).fill(1);
  for (let k = view.length - 2; k >= 0; k--) strides[k] = strides[k + 1] * view[k + 1];
  const count = sampled.reduce((a, b) => a * b, 1);
  const outv = new Float32Array(count);
  const idx = new Array(view.length).fill(0);
  for (let n = 0; n < count; n++) {
    let off = 0;
    for (let k = 0; k < view.length; k++) off += idx[k] * step[k] * strides[k];
    outv[n] = data[off];
    for (let k = view.length - 1; k >= 0; k--) {
      if (++idx[k] < sampled[k]) break;
      idx[k] = 0;
    }
  }
  return { sampled, values: outv };
}

function round6(v) { return Math.round(v * 1e6) / 1e6; }

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const backend = await lib.initBackend(args.backend);
  fs.mkdirSync(path.join(args.out, 'inputs'), { recursive: true });
  for (const name of Object.keys(lib.MODELS)) {
    const spec = lib.MODELS[name];
    const { model, sha256 } = await lib.loadModel(name);
    for (const image of args.images) {
      const stem = path.basename(image, '.jpg');
      const src = lib.readImage(path.join(lib.COCO_IMAGES, image));

      // The committed input is the resized image rounded to uint8; the graph
      // is then fed exactly what a reader of the PNG gets.
      const resized = lib.resizeToInput(src, spec.size);
      const rgb = new Uint8Array(tf.tidy(() => resized.round().clipByValue(0, 255)).dataSync());
      resized.dispose();
      const pngRel = `inputs/${name}_${stem}.png`;
      lib.writePng(path.join(args.out, pngRel), spec.size, spec.size, rgb);
      const png = lib.readImage(path.join(args.out, pngRel));

      const t0 = Date.now();
      const input = tf.tidy(() => lib.normalise(lib.resizeToInput(png, spec.size), spec));
      const out = lib.runGraph(model, spec, input);
      const ms = Date.now() - t0;

      const binName = `${name}_${stem}.bin`;
      const chunks = [];
      let offset = 0;
      const outputs = spec.outputs.map((o) => {
        const t = out[o.name];
        const full = t.dataSync();
        if (full.length !== o.view.reduce((a, b) => a * b, 1)) {
          throw new Error(`${name} ${o.name}: shape ${t.shape} does not fit view ${o.view}`);
        }
        const { sampled, values } = sample(full, o.view, o.step);
        const buf = Buffer.alloc(values.length * 4);
        values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
        chunks.push(buf);
        let min = Infinity;
        let max = -Infinity;
        for (const v of full) { min = Math.min(min, v); max = Math.max(max, v); }
        const desc = {
          name: o.name, shape: t.shape, view_shape: o.view, step: o.step,
          sampled_shape: sampled, byte_offset: offset, count: values.length,
          min: round6(min), max: round6(max),
        };
        offset += buf.length;
        return desc;
      });
      fs.writeFileSync(path.join(args.out, binName), Buffer.concat(chunks));

      const dets = lib.decode(name, out, SCORE_THRESHOLD).map((d) => ({
        class_id: d.class_id, score: round6(d.score), box: d.box.map(round6),
      }));
      Object.values(out).forEach((t) => t.dispose());
      input.dispose();

      const decode = { ...spec.decode };
      const fixture = {
        format: 'vlmc-tfjs-fixture/1',
        model: name,
        model_sha256: sha256,
        recorded_with: { tfjs: tf.version.tfjs, backend, node: process.version },
        source_image: image,
        source_size: [src.width, src.height],
        input_png: pngRel,
        input: {
          name: spec.input,
          shape: spec.layout === 'NHWC' ? [1, spec.size, spec.size, 3] : [1, 3, spec.size, spec.size],
          layout: spec.layout,
          channel_order: spec.channelOrder,
          mean: spec.mean,
          std: spec.std,
        },
        data_file: binName,
        outputs,
        decode,
        score_threshold: SCORE_THRESHOLD,
        detections: dets,
      };
      fs.writeFileSync(path.join(args.out, `${name}_${stem}.json`), lib.toJson(fixture));
      console.log(`${name} ${stem}: ${dets.length} detections >= ${SCORE_THRESHOLD}, graph ${ms} ms, ${offset} bytes`);
    }
  }
}

main().catch((e) => { console.error(`record-fixtures: ${e.message}`); process.exit(1); });
