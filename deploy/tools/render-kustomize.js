#!/usr/bin/env node
'use strict';
// Renders a kustomization directory to stdout, for machines without
// kustomize. Supports the subset deploy/k8s uses: resources (files and
// directories), namespace, images (newName/newTag/digest) and patches given
// by path as strategic-merge patches. Any other field is an error, so that a
// kustomization this cannot render is never rendered wrongly.
// Usage: render-kustomize.js DIR
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const {readDocuments, describe} = require('./lib/manifests');

const SUPPORTED = new Set(
    ['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);

// Strategic-merge keys of the lists deploy/k8s patches; other lists replace.
const MERGE_KEYS = {
  containers: 'name',
  initContainers: 'name',
  volumes: 'name',
  env: 'name',
  envFrom: null,
  volumeMounts: 'mountPath',
  ports: 'containerPort',
};

function isMap(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function mergeList(key, base, patch) {
  const mergeKey = MERGE_KEYS[key];
  if (!mergeKey || !patch.every(isMap) || !base.every(isMap)) return patch;
  const merged = base.map((item) => ({...item}));
  for (const item of patch) {
    const index = merged.findIndex((b) => b[mergeKey] === item[mergeKey]);
    if (index < 0) {
      merged.push(item);
    } else {
      merged[index] = merge(merged[index], item);
    }
  }
  return merged;
}

function merge(base, patch) {
  if (!isMap(base) || !isMap(patch)) return patch;
  const merged = {...base};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete merged[key];
    } else if (Array.isArray(value) && Array.isArray(base[key])) {
      merged[key] = mergeList(key, base[key], value);
    } else {
      merged[key] = merge(base[key], value);
    }
  }
  return merged;
}

function setImages(object, images) {
  const spec = object.spec && object.spec.template && object.spec.template.spec;
  if (!spec) return;
  for (const container of [...(spec.containers || []),
                           ...(spec.initContainers || [])]) {
    const match = /^([^@:]+(?::\d+\/[^@:]+)?)(?::[^@]+)?(?:@.+)?$/
                      .exec(container.image);
    const image = images.find((i) => match && i.name === match[1]);
    if (!image) continue;
    let ref = image.newName || match[1];
    if (image.digest) {
      ref += `@${image.digest}`;
    } else if (image.newTag) {
      ref += `:${image.newTag}`;
    } else {
      ref = container.image.replace(match[1], ref);
    }
    container.image = ref;
  }
}

function render(dir) {
  const file = path.join(dir, 'kustomization.yaml');
  const [kustomization] = readDocuments(file);
  for (const key of Object.keys(kustomization)) {
    if (!SUPPORTED.has(key)) {
      throw new Error(`${file}: field '${key}' is not supported by this renderer`);
    }
  }
  let objects = [];
  for (const resource of kustomization.resources || []) {
    const target = path.join(dir, resource);
    objects = objects.concat(fs.statSync(target).isDirectory() ?
                                 render(target) :
                                 readDocuments(target));
  }
  for (const patch of kustomization.patches || []) {
    if (!patch.path || Object.keys(patch).length !== 1) {
      throw new Error(`${file}: only 'patches: - path: FILE' is supported`);
    }
    for (const body of readDocuments(path.join(dir, patch.path))) {
      const index = objects.findIndex(
          (o) => o.kind === body.kind && o.metadata.name === body.metadata.name);
      if (index < 0) {
        throw new Error(`${file}: patch ${patch.path} matches no ${describe(body)}`);
      }
      objects[index] = merge(objects[index], body);
    }
  }
  for (const object of objects) {
    if (kustomization.namespace) object.metadata.namespace = kustomization.namespace;
    setImages(object, kustomization.images || []);
  }
  return objects;
}

try {
  if (process.argv.length !== 3) throw new Error('usage: render-kustomize.js DIR');
  const objects = render(process.argv[2]);
  process.stdout.write(
      objects.map((o) => YAML.stringify(o, {version: '1.1'})).join('---\n'));
} catch (error) {
  console.error(`render-kustomize: error: ${error.message}`);
  process.exit(1);
}
